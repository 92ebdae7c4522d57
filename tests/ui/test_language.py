"""The screens' language: the login screen's picker switches the whole window at once, the
choice is remembered for the operator, and Qt's translators come and go with the language.

The French catalog here is the pseudo-locale (built by `catalogs.py pseudo` into a temporary
folder and named fr): its words are unmistakable ("[[Sígn íñ tó séll]]") whether or not the
real French translations exist yet."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from app.backend import Capabilities
from app.settings import Settings
from common import i18n
from common.events import EventBus
from tests.ui.fakes import GOOD, FakeAuth, FakeSales, FakeStatus
from ui.application import LANGUAGES_FILE, AppController
from ui.language import OperatorLanguages, apply_language, current_language
from ui.main_window import MainWindow
from ui.ports import Services
from ui.qt_bridge import QtEventBridge

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class FakeCore:
    services: Services
    server_url: str = "http://127.0.0.1:9"
    supervisor: object = None
    capabilities: Capabilities = field(default_factory=Capabilities)
    language: str | None = None  # the terminal's language; None: the settings'

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def pseudo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pseudo-locale's catalogs, named as French ones."""
    folder = tmp_path_factory.mktemp("i18n")
    subprocess.run([sys.executable, str(ROOT / "resources" / "i18n" / "catalogs.py"), "pseudo",
                    str(folder)], check=True, capture_output=True, timeout=120)
    (folder / "xx.mo").rename(folder / "fr.mo")
    (folder / "vendpoint_xx.qm").rename(folder / "vendpoint_fr.qm")
    return folder


@pytest.fixture
def french(pseudo_dir: Path, monkeypatch: pytest.MonkeyPatch, qapp) -> Iterator[Path]:
    """Catalogs from `pseudo_dir`; English again afterwards, whatever the test did."""
    monkeypatch.setenv(i18n.CATALOG_ENV, str(pseudo_dir))
    i18n.reset_cache()
    yield pseudo_dir
    apply_language(qapp, "en")
    i18n.reset_cache()


def pseudo(text: str) -> str:
    """What the pseudo-locale makes of `text` (the catalog script's own rule)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "catalogs", ROOT / "resources" / "i18n" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.pseudo(text))


def _app(qtbot, data_dir: Path, *, demo: bool = True, suggested: str = ""):
    window = MainWindow(demo=demo, server_url="")
    qtbot.addWidget(window)
    bus = EventBus()
    bridge = QtEventBridge(bus)
    core = FakeCore(Services(auth=FakeAuth(), sales=FakeSales(), status=FakeStatus(),
                             suggested_operator=suggested))

    def builder():
        return core

    controller = AppController(window, bridge, bus, Settings(), data_dir=data_dir, demo=demo,
                               settings_path=data_dir / "settings.toml", builder=builder)
    controller.start()
    qtbot.waitUntil(lambda: controller.shell is not None, timeout=5000)
    return window, controller, bridge


def _sign_in(qtbot, controller: AppController, username: str, pin: str) -> None:
    shell = controller.shell
    assert shell is not None
    view = shell.login_view
    view.username.setText(username)
    view.pin.setText(pin)
    with qtbot.waitSignal(shell.login.logged_in, timeout=5000):
        shell.login.submit()
    qtbot.waitUntil(lambda: controller.shell is not None
                    and controller.shell.operator is not None, timeout=5000)


def _pick(qtbot, controller: AppController, lang: str) -> None:
    """Alt+L to the picker, then the arrow keys to `lang`, as an operator would."""
    shell = controller.shell
    assert shell is not None
    view = shell.login_view
    window = view.window()
    if not window.isActiveWindow():
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    focused = QApplication.focusWidget() or view
    qtbot.keyClick(focused, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    assert view.language.hasFocus()
    target = view.language.findData(lang)
    key = Qt.Key.Key_Down if target > view.language.currentIndex() else Qt.Key.Key_Up
    while view.language.currentIndex() != target:
        qtbot.keyClick(view.language, key)


def test_french_at_the_login_screen_then_english_again(qtbot, french: Path, shown_errors,
                                                   tmp_path: Path) -> None:
    window, controller, bridge = _app(qtbot, tmp_path)
    shell = controller.shell
    assert shell is not None
    login = shell.login_view
    assert login.title.text() == "Sign in to sell"
    assert [login.language.itemText(i) for i in range(login.language.count())] == [
        "English", "Français", "Português"]

    _pick(qtbot, controller, "fr")
    # The login screen and the window follow at once (Qt posts them a LanguageChange),
    # before anyone signs in.
    assert current_language() == "fr" and i18n.language() == "fr"
    qtbot.waitUntil(lambda: login.title.text() == pseudo("Sign in to sell"), timeout=5000)
    assert login.language_label.text() == pseudo("&Language")
    assert window.demo_banner.text() == pseudo(
        "DEMO MODE: demo server and throwaway data, no real money or tokens")

    _sign_in(qtbot, controller, "thandi", "1234")
    shell = controller.shell
    assert shell is not None
    assert window.current_screen() is shell.sale_view
    assert shell.sale_view.search_button.text() == pseudo("Search (F3)")
    assert shell.sale_view.next_button.text() == pseudo("Next customer (F2)")
    remembered = json.loads((tmp_path / LANGUAGES_FILE).read_text(encoding="utf-8"))
    assert remembered == {"thandi": "fr"}
    # One Supervisor menu, the new one.
    assert len(window.menuBar().actions()) == 1

    shell.lock()
    assert shell.login_view.title.text() == pseudo("Till locked")
    _pick(qtbot, controller, "en")
    qtbot.waitUntil(lambda: shell.login_view.title.text() == "Till locked", timeout=5000)
    assert window.demo_banner.text().startswith("DEMO MODE")
    _sign_in(qtbot, controller, "thandi", "1234")
    shell = controller.shell
    assert shell is not None
    assert shell.sale_view.search_button.text() == "Search (F3)"
    assert OperatorLanguages(tmp_path / LANGUAGES_FILE).get("thandi") == "en"
    controller.stop()
    bridge.close()


def test_the_operators_language_comes_back_at_their_next_sign_in(qtbot, french: Path, shown_errors,
                                                   tmp_path: Path) -> None:
    OperatorLanguages(tmp_path / LANGUAGES_FILE).remember("thandi", "fr")
    _window, controller, bridge = _app(qtbot, tmp_path, suggested="thandi")
    shell = controller.shell
    assert shell is not None
    # The suggested operator is thandi: her language on the login screen already.
    assert current_language() == "fr"
    assert shell.login_view.language.currentData() == "fr"
    qtbot.waitUntil(lambda: shell.login_view.title.text() == pseudo("Sign in to sell"),
                    timeout=5000)
    # Another operator types their name: theirs (none remembered: the terminal's).
    shell.login_view.username.setText("sipho")
    shell.login_view.username.editingFinished.emit()
    assert current_language() == "en"
    qtbot.waitUntil(lambda: shell.login_view.title.text() == "Sign in to sell", timeout=5000)
    _sign_in(qtbot, controller, "sipho", "4321")
    assert OperatorLanguages(tmp_path / LANGUAGES_FILE).get("sipho") == "en"
    controller.stop()
    bridge.close()


def test_a_sale_on_screen_is_not_thrown_away_by_a_language_change(qtbot, french: Path, shown_errors,
                                                   tmp_path: Path) -> None:
    _window, controller, bridge = _app(qtbot, tmp_path)
    _sign_in(qtbot, controller, "thandi", "1234")
    shell = controller.shell
    assert shell is not None
    shell.sale_view.meter.setText(GOOD)
    shell.sale.meter_entered()
    qtbot.waitUntil(lambda: shell.sale.flow.customer is not None, timeout=5000)
    shell.lock()
    _pick(qtbot, controller, "fr")
    _sign_in(qtbot, controller, "thandi", "1234")
    assert controller.shell is shell  # the same screens, the customer still on them
    assert shell.sale.flow.customer is not None
    controller.stop()
    bridge.close()


def test_qt_translators_installed_and_removed(qapp, french: Path) -> None:
    apply_language(qapp, "fr")
    assert QCoreApplication.translate("LoginView", "Sign in to sell") == pseudo(
        "Sign in to sell")
    # Qt's own words (standard buttons) come from Qt's catalog where one is found.
    apply_language(qapp, "en")
    assert QCoreApplication.translate("LoginView", "Sign in to sell") == "Sign in to sell"
    assert i18n.language() == "en"


def test_qt_standard_buttons_in_french(qapp, monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    # No catalog of ours at all: the screens stay English, Qt's own words still French.
    monkeypatch.setenv(i18n.CATALOG_ENV, str(tmp_path))
    i18n.reset_cache()
    try:
        apply_language(qapp, "fr")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
        apply_language(qapp, "pt")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"
    finally:
        apply_language(qapp, "en")
        i18n.reset_cache()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_operator_languages_file_survives_damage(tmp_path: Path) -> None:
    path = tmp_path / LANGUAGES_FILE
    path.write_text("{not json", encoding="utf-8")
    store = OperatorLanguages(path)
    assert store.get("thandi") is None
    store.remember("thandi", "pt")
    assert OperatorLanguages(path).get("thandi") == "pt"
    path.write_text(json.dumps({"thandi": "klingon"}), encoding="utf-8")
    assert OperatorLanguages(path).get("thandi") is None
