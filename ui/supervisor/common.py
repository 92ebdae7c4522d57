"""What every supervisor screen gets: the services, the signed-in operator, the dialogs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.supervisor.permissions import Actor
from app.supervisor.services import SupervisorServices
from common.errors import PermissionDenied
from ui.supervisor.approval_dialog import AskApproval, ask_approval

#: ask_path(parent, title, suggested file name, filter) -> chosen path or None
AskPath = Callable[[QWidget, str, str, str], "Path | None"]
#: confirm(parent, title, text) -> True to go ahead
Confirm = Callable[[QWidget, str, str], bool]


def confirm_box(parent: QWidget, title: str, text: str) -> bool:
    """A Yes/No question whose default is No: Enter alone never confirms."""
    answer = QMessageBox.question(
        parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_save_path(parent: QWidget, title: str, suggested: str, filt: str) -> Path | None:
    """A native save dialog; None when cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filt)
    return Path(name) if name else None


@dataclass
class ScreenContext:
    """Dependencies of the supervisor screens (tests swap the dialogs)."""

    services: SupervisorServices
    current_actor: Callable[[], Actor | None]
    ask: AskApproval = ask_approval
    ask_path: AskPath = field(default=ask_save_path)
    confirm: Confirm = field(default=confirm_box)

    def actor(self) -> Actor:
        """The signed-in operator, or PermissionDenied when nobody is."""
        who = self.current_actor()
        if who is None:
            raise PermissionDenied("Nobody is signed in.", hint="Sign in first.")
        return who


def guarded(parent: QWidget, fn: Callable[[], object]) -> Callable[[], None]:
    """A slot that runs `fn` and shows any error the usual way (cancel stays silent)."""
    def slot() -> None:
        try:
            fn()
        except Exception as exc:
            from ui.errors import show_error

            show_error(exc, parent)
    return slot
