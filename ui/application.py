"""Builds the Qt application: style, crash hooks, event bridge, the core, the main window.

The window comes up at once with a "Starting…" screen; the core (store, server contact, demo
server in demo mode) is built by `ui.bootstrap` through `Op`, so the GUI thread never waits.
When the till is not set up yet, the startup screen says so and offers Settings (F11); a till
without a usable keyring is offered passphrase mode there, and a passphrase-protected store is
unlocked (or recovered from a backup) with `ui.passphrase` before the core is built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
    QTimer,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from app.backend import Capabilities
from app.keystore import KeyringUnavailable, PassphraseRequired
from app.settings import Settings
from app.supervisor.services import SupervisorServices
from app.till.locale import terminal_language
from app.till.passphrase import Unlocked, is_passphrase_store
from app.till.results import Operator
from app.version import APP_NAME, VERSION
from common.events import EventBus
from ui.bootstrap import ActivationPort, Core, NotSetUp, bootstrap
from ui.crash import CrashHandler
from ui.errors import show_error
from ui.keymap import Action, Where, sequence
from ui.labels import not_offered
from ui.language import LanguageChooser, OperatorLanguages, apply_language, current_language
from ui.main_window import MainWindow
from ui.ops import Op, thread_pool
from ui.passphrase import PassphraseDialog, PassphraseMode
from ui.qt_bridge import QtEventBridge
from ui.qt_messages import qt_message_handler
from ui.sale_flow import Step
from ui.settings_dialog import SettingsDialog
from ui.shell import Shell
from ui.supervisor.install import SupervisorMenu, actor_from_ui_operator, install_supervisor

log = logging.getLogger("vendpoint.ui")

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
#: each operator's language, beside the store (a preference, not a secret)
LANGUAGES_FILE = "operator_languages.json"


def create_qapplication() -> QApplication:
    """The QApplication with our names and style sheet (reuses an existing one)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(VERSION)
    load_bundled_fonts()
    style = RESOURCES / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def load_bundled_fonts() -> list[str]:
    """Register the fonts in resources/fonts (the style sheet's DejaVu Sans Mono, which
    Windows does not have); returns the families loaded."""
    families: list[str] = []
    for font in sorted((RESOURCES / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(font))
        if font_id < 0:
            log.warning("bundled font %s could not be loaded", font.name)
            continue
        families += QFontDatabase.applicationFontFamilies(font_id)
    return families


class StartupScreen(QWidget):
    """'Starting…', or why the till cannot start yet with Retry and Settings buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.message = QLabel(self.tr("Starting VendPoint…"))
        self.message.setObjectName("screenTitle")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.message)
        self.retry = QPushButton(self.tr("Try again (F5)"))
        self.settings = QPushButton(self.tr("Settings (F11)"))
        self.passphrase = QPushButton(self.tr("No keyring? Use a passphrase…"))
        for button in (self.retry, self.settings, self.passphrase):
            button.hide()
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.retry_key = QShortcut(QKeySequence(sequence(Action.RETRY, Where.START)), self,
                                   self.retry.click)
        self.settings_key = QShortcut(
            QKeySequence(sequence(Action.SETTINGS, Where.SALE_OR_START)), self,
            self.settings.click)

    def show_problem(self, text: str, *, offer_passphrase: bool = False) -> None:
        self.message.setText(text)
        self.retry.show()
        self.settings.show()
        self.passphrase.setVisible(offer_passphrase)
        self.retry.setFocus()

    def show_starting(self) -> None:
        self.message.setText(self.tr("Starting VendPoint…"))
        self.retry.hide()
        self.settings.hide()
        self.passphrase.hide()


def disable_not_offered(menu: SupervisorMenu, offered: Capabilities) -> None:
    """Supervisor entries the vending server does not offer: disabled, with the reason."""
    for name, capability in (("engineering", "engineering_tokens"),):
        if not getattr(offered, capability):
            menu.unavailable.add(name)
            action = menu.actions[name]
            action.setEnabled(False)
            action.setToolTip(not_offered())
            action.setText(action.text() + QCoreApplication.translate(
                "AppController", " (not offered by this vending server)"))


def install_menus(window: MainWindow, shell: Shell, supervisor: SupervisorServices,
                  offered: Capabilities) -> SupervisorMenu:
    """The Supervisor menu on the window, for whoever is signed in on `shell`: off while the
    till is locked or nobody is signed in, and without what the server does not offer."""
    menu = install_supervisor(window, supervisor, lambda: actor_from_ui_operator(shell.operator),
                              lookup=shell.services.sales.lookup)
    disable_not_offered(menu, offered)
    menu.operator_changed(shell.operator)
    shell.operator_changed.connect(menu.operator_changed)
    return menu


class AppController(QObject):
    """Starts the core in the background, then hands the window to the `Shell`."""

    #: start-up finished: True with the login screen up, False when it failed
    ready = Signal(bool)

    def __init__(self, window: MainWindow, bridge: QtEventBridge, bus: EventBus,
                 settings: Settings, *, data_dir: Path, demo: bool,
                 settings_path: Path | None,
                 builder: Callable[[], Core] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.bridge = bridge
        self.bus = bus
        self.settings = settings
        self.data_dir = data_dir
        self.demo = demo
        self.settings_path = settings_path
        self.core: Core | None = None
        self.shell: Shell | None = None
        self.supervisor_menu: SupervisorMenu | None = None
        self._builder = builder
        #: passphrase mode: the store key and vault once the passphrase was typed
        self.unlocked: Unlocked | None = None
        app = QCoreApplication.instance()
        assert app is not None
        #: the login screen's language: the terminal's, or the operator's remembered one
        self.languages = LanguageChooser(
            app, settings["ui.language"], OperatorLanguages(data_dir / LANGUAGES_FILE))
        #: the language the shell's screens were built in
        self.screens_language = current_language()
        self.startup = StartupScreen()
        self.startup.retry.clicked.connect(self.start)
        self.startup.settings.clicked.connect(self.open_settings)
        self.startup.passphrase.clicked.connect(
            lambda: self.ask_passphrase(PassphraseMode.SET))

    def _build(self) -> Core:
        if self._builder is not None:
            return self._builder()
        return bootstrap(self.settings, data_dir=self.data_dir, demo=self.demo, bus=self.bus,
                         unlocked=self.unlocked)

    def start(self) -> None:
        """Show 'Starting…' and build the core off the GUI thread."""
        self.startup.show_starting()
        self.window.set_screen(self.startup)
        Op(self.window, self._build).success(self._started).failure(self._failed).run()

    def _started(self, core: Core) -> None:
        self.core = core
        self.window.set_server_url(core.server_url)
        # The terminal's language is known now: its setting, else the utility's (a till in
        # Abidjan speaks French from its first sign-in screen without anyone touching Settings).
        language = core.language or self.settings["ui.language"]
        self.languages.default = language
        if current_language() != language:
            app = QCoreApplication.instance()
            assert app is not None
            apply_language(app, language)
        self.shell = self._new_shell(core)
        self.shell.start()
        log.info("ready: login screen up (suggested operator: %s)",
                 core.services.suggested_operator or "none")
        self.ready.emit(True)

    def _new_shell(self, core: Core) -> Shell:
        """The screens, their controllers and the Supervisor menu, in the current language."""
        shell = Shell(self.window, core.services, settings=self.settings,
                      settings_path=self.settings_path, bridge=self.bridge,
                      on_settings_saved=self._saved)
        shell.login.set_languages(self.languages)
        self.screens_language = current_language()
        shell.operator_changed.connect(self._operator_changed)
        self.supervisor_menu = install_menus(self.window, shell, core.supervisor,
                                             core.capabilities)
        if self.unlocked is not None:
            change = self.supervisor_menu.menu.addAction(self.tr("Change the passphrase…"))
            change.triggered.connect(lambda: self.ask_passphrase(PassphraseMode.CHANGE))
        return shell

    def _operator_changed(self, operator: Operator | None) -> None:
        # Signing in is the one moment the language changes. The login screen follows the
        # picker at once; the screens behind it were built with the words of their day, so
        # they are built again in the operator's language before the sale screen is used.
        shell = self.shell
        if operator is None or shell is None or self.core is None:
            return
        if self.screens_language == current_language():
            return
        if shell.sale.step is not Step.IDLE or shell.sale.result is not None:
            # A sale on screen (the same operator back after a lock) is not thrown away: the
            # screens change language at a sign-in with nothing on them.
            log.info("sale on screen: the screens stay in %s for now", self.screens_language)
            return
        self._rebuild_shell(shell, self.core, operator)

    def _rebuild_shell(self, old: Shell, core: Core, operator: Operator) -> None:
        log.info("screens built again in %s", current_language())
        old.stop()
        self.bridge.forget(old)
        if self.supervisor_menu is not None:
            old_menu = self.supervisor_menu
            self.window.menuBar().removeAction(old_menu.menu.menuAction())
            for action in old_menu.actions.values():
                action.deleteLater()  # their shortcuts are the new menu's now
            old_menu.menu.deleteLater()
            if old_menu.console is not None:
                old_menu.console.deleteLater()
        self.shell = shell = self._new_shell(core)
        shell.start()
        # The operator has signed in already (on the old login screen): the new shell takes
        # them as its login controller would have handed them over.
        shell.login.logged_in.emit(operator)
        # Deleted later: the old login controller is still finishing the sign-in. (The old
        # status bar controller stays, stopped: an answer it still waits for must find it.)
        for leftover in (old.login_view, old.sale_view, old.tariff_banner, old):
            leftover.deleteLater()

    def _failed(self, exc: BaseException) -> None:
        log.warning("start-up failed: %s", type(exc).__name__)
        text = str(exc) if hasattr(exc, "hint") else self.tr("VendPoint could not start.")
        # Passphrase mode is offered where it can help: no passphrase store yet, and no
        # keyring to keep a key (or a credential) in.
        offer = not self.demo and self.unlocked is None and isinstance(
            exc, (KeyringUnavailable, NotSetUp)) and not is_passphrase_store(self.data_dir)
        self.startup.show_problem(text, offer_passphrase=offer)
        self.ready.emit(False)
        if isinstance(exc, PassphraseRequired):
            self.ask_passphrase(PassphraseMode.UNLOCK)
            return
        show_error(exc, self.window)

    def ask_passphrase(self, mode: PassphraseMode) -> PassphraseDialog:
        """Open the passphrase screen; set, unlock and recover start the till again."""
        dialog = PassphraseDialog(mode, self.data_dir, parent=self.window)
        dialog.unlocked.connect(self._unlocked)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _unlocked(self, unlocked: Unlocked) -> None:
        self.unlocked = unlocked
        self.start()

    def open_settings(self) -> None:
        keyring = self.unlocked.vault if self.unlocked is not None else None
        dialog = SettingsDialog(self.settings, save_to=self.settings_path,
                                terminal=None if self.demo else ActivationPort(
                                    keyring, data_dir=self.data_dir),
                                printer=None, on_saved=self._saved, parent=self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _saved(self, settings: Settings) -> None:
        self.settings = settings
        self.languages.default = (
            terminal_language(settings, self.core.till.terminal.raw) if self.core is not None
            else settings["ui.language"])
        self.window.set_server_url(settings["server.url"])

    def stop(self) -> None:
        """Stop the shell and the core (the store is closed last)."""
        # A start still running would leave a core (and a demo server) behind: let it finish
        # and deliver its result first.
        thread_pool().waitForDone(60_000)
        QCoreApplication.processEvents()
        if self.shell is not None:
            self.shell.stop()
        if self.core is not None:
            self.core.close()
            self.core = None


def show_main_window(window: MainWindow) -> None:
    """The till takes the whole screen (a counter PC runs nothing else); the window manager
    keeps the panel and the title bar visible."""
    window.resize(1024, 768)  # the size it comes back to when un-maximised
    window.showMaximized()


def run_app(
    settings: Settings, *, data_dir: Path, demo: bool, quit_after_ms: int | None = None,
    settings_path: Path | None = None, quit_when_ready: bool = False,
) -> int:
    """Start the GUI and block until it quits; returns the exit code."""
    qInstallMessageHandler(qt_message_handler)
    app = create_qapplication()
    # Before the first widget: the window and the start-up screen are in the terminal's
    # language from the start.
    apply_language(app, settings["ui.language"])
    crash = CrashHandler()
    crash.install()
    bus = EventBus()
    bridge = QtEventBridge(bus)
    window = MainWindow(demo=demo, server_url=settings["server.url"])
    controller = AppController(window, bridge, bus, settings, data_dir=data_dir, demo=demo,
                               settings_path=settings_path)
    if quit_when_ready:
        # Queued: after a failed start the error dialog's own loop is running by then, and
        # quitting from inside it ends that loop too.
        controller.ready.connect(app.quit, Qt.ConnectionType.QueuedConnection)
    show_main_window(window)
    controller.start()
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, app.quit)
    try:
        return app.exec()
    finally:
        controller.stop()
        bridge.close()
        crash.uninstall()
