"""`show_error`: the single place where an exception becomes something a user sees.

User-fixable errors become a plain sentence with what to do; bugs are logged with their
traceback and shown as a crash dialog. Tests replace the presenter with a recorder
(`set_presenter`) so no modal dialog blocks them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from app.logging_setup import masked_traceback
from common.errors import TransientError, UserCancelled, UserFacingError, user_message

log = logging.getLogger("vendpoint.ui.errors")

#: presenter(title, text, is_bug, parent)
Presenter = Callable[[str, str, bool, "QWidget | None"], None]


def _message_box(title: str, text: str, is_bug: bool, parent: QWidget | None) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical if is_bug else QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    box.exec()


_presenter: Presenter = _message_box


def set_presenter(presenter: Presenter) -> Presenter:
    """Replace how errors are presented (tests use a recorder); returns the previous one."""
    global _presenter
    previous, _presenter = _presenter, presenter
    return previous


def show_error(exc: BaseException, parent: QWidget | None = None) -> None:
    """Show `exc` to the user the way its type asks for; cancellations are silent."""
    if isinstance(exc, UserCancelled):
        return
    is_bug = not isinstance(exc, UserFacingError | TransientError)
    if is_bug:
        log.error("unexpected error\n%s", masked_traceback(exc))
    else:
        log.info("shown to user: %s: %s", type(exc).__name__, exc)
    title, text = user_message(exc)
    _presenter(title, text, is_bug, parent)
