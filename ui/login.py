"""The login / unlock screen (view) and its controller.

The operator types a username (completed from the operators allowed on this terminal) and a
PIN; the core checks it online or, when the server is unreachable, against cached PIN hashes.
After an idle lock the same screen opens in "locked" mode with the last operator filled in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
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
from ui.errors import show_error
from ui.ops import Op
from ui.ports import AuthPort

log = logging.getLogger("vendpoint.ui.login")


class LoginView(QWidget):
    """Username and PIN fields, a sign-in button and a title; layout only."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginScreen")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame(self)
        card.setObjectName("loginCard")
        card.setMaximumWidth(520)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        layout = QVBoxLayout(card)
        self.title = QLabel(self.tr("Sign in to sell"))
        self.title.setObjectName("screenTitle")
        layout.addWidget(self.title)
        self.subtitle = QLabel(self.tr("Type your username and PIN, then press Enter."))
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.subtitle)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("username"))
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.setPlaceholderText(self.tr("PIN"))
        form.addRow(self.tr("&Username"), self.username)
        form.addRow(self.tr("&PIN"), self.pin)
        layout.addLayout(form)
        self.hint = QLabel("")
        self.hint.setObjectName("hintText")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.sign_in = QPushButton(self.tr("Sign in (Enter)"))
        self.sign_in.setObjectName("primaryButton")
        layout.addWidget(self.sign_in)
        self.setTabOrder(self.username, self.pin)
        self.setTabOrder(self.pin, self.sign_in)
        self.username.returnPressed.connect(self._username_entered)
        self.pin.returnPressed.connect(self.submitted)
        self.sign_in.clicked.connect(self.submitted)

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
        if operator is None:
            self.title.setText(self.tr("Sign in to sell"))
            self.subtitle.setText(self.tr("Type your username and PIN, then press Enter."))
            return
        self.title.setText(self.tr("Till locked"))
        why = self.tr("Locked after a quiet spell.") if idle else \
            self.tr("Locked by {name}.").format(name=operator.name)
        self.subtitle.setText(
            self.tr("{why} {name}, enter your PIN to carry on, or another operator can "
                    "sign in.").format(why=why, name=operator.name)
        )
        self.username.setText(operator.id)

    def set_busy(self, busy: bool) -> None:
        """Disable the form while the PIN is being checked."""
        for widget in (self.username, self.pin, self.sign_in):
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
        view.submitted.connect(self.submit)
        if suggested:
            view.username.setText(suggested)
        view.hint.setText(hint)
        view.hint.setVisible(bool(hint))

    def start(self, locked: Operator | None = None, *, idle: bool = False) -> None:
        """Load the operator list in the background and put the focus in place."""
        self._view.set_locked(locked, idle=idle)
        Op(self._view, self._auth.operators).success(self._view.set_operators).failure(
            self._operators_failed
        ).run()
        self._view.focus_first_empty()

    def _operators_failed(self, exc: BaseException) -> None:
        # Typing the username still works; say why completion is missing.
        log.warning("operator list unavailable: %s", type(exc).__name__)
        show_error(exc, self._view)

    def submit(self) -> None:
        """Check the typed username and PIN (ignored while a check is running)."""
        if self._busy:
            return
        username = self._view.username.text().strip().lower()
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
