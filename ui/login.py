"""The login / unlock screen (view) and its controller.

The operator types a username (completed from the operators allowed on this terminal) and a
PIN; the core checks it online or, when the server is unreachable, against cached PIN hashes.
After an idle lock the same screen opens in "locked" mode with the last operator filled in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.till.results import Operator
from common.errors import InvalidInput
from common.i18n import LANGUAGE_NAMES
from ui.errors import show_error
from ui.language import LanguageChooser
from ui.ops import Op
from ui.ports import AuthPort

log = logging.getLogger("vendpoint.ui.login")


class LoginView(QWidget):
    """Username and PIN fields, the language, a sign-in button and a title; layout only.

    Its texts are set in `retranslate()`, again on each LanguageChange: choosing another
    language in the picker shows this screen in it at once."""

    submitted = Signal()
    #: the operator picked a language (its code) in the picker
    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginScreen")
        self._locked: Operator | None = None
        self._idle = False
        self._busy = False
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame(self)
        card.setObjectName("loginCard")
        card.setMaximumWidth(520)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        layout = QVBoxLayout(card)
        self.title = QLabel()
        self.title.setObjectName("screenTitle")
        layout.addWidget(self.title)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.subtitle)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)  # each language in its own words
        self.username_label, self.pin_label, self.language_label = QLabel(), QLabel(), QLabel()
        for label, field in ((self.username_label, self.username), (self.pin_label, self.pin),
                             (self.language_label, self.language)):
            label.setBuddy(field)  # Alt+U, Alt+P, Alt+L
            form.addRow(label, field)
        layout.addLayout(form)
        self._form = form
        self.hint = QLabel("")
        self.hint.setObjectName("hintText")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.sign_in = QPushButton()
        self.sign_in.setObjectName("primaryButton")
        layout.addWidget(self.sign_in)
        self.setTabOrder(self.username, self.pin)
        self.setTabOrder(self.pin, self.sign_in)
        self.setTabOrder(self.sign_in, self.language)
        self.username.returnPressed.connect(self._username_entered)
        self.pin.returnPressed.connect(self.submitted)
        self.sign_in.clicked.connect(self.submitted)
        self.language.activated.connect(self._language_activated)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.username.setPlaceholderText(self.tr("username"))
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.username_label.setText(self.tr("&Username"))
        self.pin_label.setText(self.tr("&PIN"))
        self.language_label.setText(self.tr("&Language"))
        self.set_busy(self._busy)
        self._show_title()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _language_activated(self, index: int) -> None:
        self.language_chosen.emit(str(self.language.itemData(index)))

    def show_language_picker(self, shown: bool) -> None:
        """The language row is there only when choosing a language does something."""
        self._form.setRowVisible(self.language, shown)

    def set_language(self, lang: str) -> None:
        """Show `lang` in the picker (without announcing a choice)."""
        index = self.language.findData(lang)
        if index >= 0:
            self.language.setCurrentIndex(index)

    def _username_entered(self) -> None:
        self.pin.setFocus()

    def set_operators(self, operators: Sequence[Operator]) -> None:
        """Offer the allowed usernames for completion and show who they are."""
        names = [op.id for op in operators]
        completer = QCompleter(names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.username.setCompleter(completer)

    def set_locked(self, operator: Operator | None, *, idle: bool = False) -> None:
        """Switch between the normal sign-in and the 'locked' look (after an idle lock, or
        a lock by hand: Ctrl+L)."""
        self._locked, self._idle = operator, idle
        self._show_title()
        if operator is not None:
            self.username.setText(operator.id)

    def _show_title(self) -> None:
        operator = self._locked
        if operator is None:
            self.title.setText(self.tr("Sign in to sell"))
            self.subtitle.setText(self.tr("Type your username and PIN, then press Enter."))
            return
        self.title.setText(self.tr("Till locked"))
        why = self.tr("Locked after a quiet spell.") if self._idle else \
            self.tr("Locked by {name}.").format(name=operator.name)
        self.subtitle.setText(
            self.tr("{why} {name}, enter your PIN to carry on, or another operator can "
                    "sign in.").format(why=why, name=operator.name)
        )

    def set_busy(self, busy: bool) -> None:
        """Disable the form while the PIN is being checked."""
        self._busy = busy
        for widget in (self.username, self.pin, self.sign_in, self.language):
            widget.setEnabled(not busy)
        self.sign_in.setText(self.tr("Checking…") if busy else self.tr("Sign in (Enter)"))

    def focus_first_empty(self) -> None:
        """Put the cursor where the operator has to type next."""
        (self.pin if self.username.text() else self.username).setFocus()


class LoginController(QObject):
    """Checks the PIN through the core (via Op) and emits `logged_in(Operator)`."""

    logged_in = Signal(object)

    def __init__(self, view: LoginView, auth: AuthPort, *, suggested: str = "",
                 hint: str = "") -> None:
        super().__init__(view)
        self._view = view
        self._auth = auth
        self._busy = False
        self._languages: LanguageChooser | None = None
        self._picked = False  # a language picked by hand wins over the username's own
        view.submitted.connect(self.submit)
        view.language_chosen.connect(self._language_picked)
        view.username.editingFinished.connect(self._username_done)
        view.show_language_picker(False)
        if suggested:
            view.username.setText(suggested)
        view.hint.setText(hint)
        view.hint.setVisible(bool(hint))

    def set_languages(self, languages: LanguageChooser) -> None:
        """Offer the language picker: the choice applies at once and is remembered for the
        operator who signs in with it."""
        self._languages = languages
        self._view.show_language_picker(True)
        self._view.set_language(languages.current)

    def start(self, locked: Operator | None = None, *, idle: bool = False) -> None:
        """Load the operator list in the background and put the focus in place; the
        language is the (locked or suggested) operator's own (the terminal's when they have
        none), else the one on screen."""
        self._picked = False
        self._view.set_locked(locked, idle=idle)
        self._language_for(locked.id if locked is not None else self._typed_username())
        Op(self._view, self._auth.operators).success(self._view.set_operators).failure(
            self._operators_failed
        ).run()
        self._view.focus_first_empty()

    def _typed_username(self) -> str:
        return self._view.username.text().strip().lower()

    def _language_for(self, operator_id: str) -> None:
        if self._languages is None or not operator_id:
            return  # nobody to go on: the language stays as it is
        lang = self._languages.for_operator(operator_id)
        self._languages.choose(lang)
        self._view.set_language(lang)

    def _language_picked(self, lang: str) -> None:
        self._picked = True
        if self._languages is not None:
            self._languages.choose(lang)

    def _username_done(self) -> None:
        # The operator is known once the username is typed: their language, unless one was
        # picked by hand on this screen.
        if not self._picked and self._typed_username():
            self._language_for(self._typed_username())

    def _operators_failed(self, exc: BaseException) -> None:
        # Typing the username still works; say why completion is missing.
        log.warning("operator list unavailable: %s", type(exc).__name__)
        show_error(exc, self._view)

    def submit(self) -> None:
        """Check the typed username and PIN (ignored while a check is running)."""
        if self._busy:
            return
        username = self._typed_username()
        pin = self._view.pin.text()
        if not username:
            show_error(InvalidInput(self.tr("Type your username first.")), self._view)
            self._view.username.setFocus()
            return
        if not pin:
            show_error(InvalidInput(self.tr("Type your PIN, then press Enter.")), self._view)
            self._view.pin.setFocus()
            return
        self._busy = True
        self._view.set_busy(True)
        Op(self._view, lambda: self._auth.sign_in(username, pin)).success(self._ok).failure(
            self._failed
        ).finally_(self._done).run()

    def _ok(self, operator: Operator) -> None:
        log.info("operator %s signed in", operator.id)
        self._view.pin.clear()
        if self._languages is not None:
            self._languages.signed_in(operator.id)
        self.logged_in.emit(operator)

    def _failed(self, exc: BaseException) -> None:
        self._view.pin.clear()
        self._view.set_busy(False)
        self._view.pin.setFocus()
        show_error(exc, self._view)

    def _done(self) -> None:
        # After success the sale screen has the focus; do not pull it back here.
        self._busy = False
        self._view.set_busy(False)
