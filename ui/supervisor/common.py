"""What every supervisor screen gets: the services, the signed-in operator, the dialogs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.supervisor.permissions import Actor
from app.supervisor.services import SupervisorServices
from app.till.results import Customer
from common.errors import PermissionDenied
from ui.supervisor.approval_dialog import AskApproval, ask_approval

#: ask_path(parent, title, suggested file name, filter) -> chosen path or None
AskPath = Callable[[QWidget, str, str, str], "Path | None"]


def export_folder() -> Path:
    """Where exports are offered first: the user's documents, in a VendPoint folder (never the
    program's own folder or whatever the working directory happens to be)."""
    return Path(platformdirs.user_documents_dir()) / "VendPoint"


def ask_save_path(parent: QWidget, title: str, suggested: str, filt: str) -> Path | None:
    """A native save dialog, opened in `export_folder()`; None when cancelled."""
    folder = export_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path.home()
    name, _ = QFileDialog.getSaveFileName(parent, title, str(folder / suggested), filt)
    return Path(name) if name else None


#: confirm(parent, title, question) -> True when the operator said yes
Confirm = Callable[[QWidget, str, str], bool]


def ask_confirm(parent: QWidget, title: str, question: str) -> bool:
    """A Yes / No question; No is the default, so a stray Enter changes nothing."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


@dataclass
class ScreenContext:
    """Dependencies of the supervisor screens (tests swap the dialogs)."""

    services: SupervisorServices
    current_actor: Callable[[], Actor | None]
    ask: AskApproval = ask_approval
    ask_path: AskPath = field(default=ask_save_path)
    confirm: Confirm = field(default=ask_confirm)
    #: the till's customer look-up (meter → confirmed customer), for screens that name a
    #: meter (engineering tokens); None where there is no till (some tests)
    lookup: Callable[[str], Customer] | None = None

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
