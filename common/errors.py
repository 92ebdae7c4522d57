"""Typed exceptions that say who a failure is for.

`UserFacingError` and its subclasses are things the cashier or supervisor can act on: the
message is a plain sentence and `hint` says what to do. `TransientError` is something that
may go away by itself (network down, server busy): the sale goes offline or is retried.
`UserCancelled` unwinds quietly. Anything else is a bug: logged with a traceback and shown in
the crash dialog. Messages never contain tokens, PINs or keys.

Messages and hints are translated when the exception is made (`_()` at the raise, in the
operator's language). Titles are class attributes, set at import before any language is
chosen: they are marked `N_()` and translated where they are shown, by `user_message`.
"""

from __future__ import annotations

from common.i18n import N_, _


class VendPointError(Exception):
    """Base of every exception the application raises on purpose."""


class UserFacingError(VendPointError):
    """A problem the user can fix or must know about; shown as a plain sentence."""

    #: Short title for a dialog or banner: English, marked `N_`; `user_message` translates it.
    title: str = N_("Cannot continue")

    def __init__(self, message: str, *, hint: str = "", title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class InvalidInput(UserFacingError):
    """Something typed or configured is wrong (meter number, amount, setting value)."""

    title = N_("Please check the input")


class ConfigError(InvalidInput):
    """A settings file or command-line value is invalid."""

    title = N_("Configuration problem")


class BusinessRuleError(UserFacingError):
    """The server or a local policy refused an operation for a business reason."""

    title = N_("Not allowed")

    def __init__(
        self, message: str, *, code: str = "", hint: str = "", title: str | None = None
    ) -> None:
        super().__init__(message, hint=hint, title=title)
        self.code = code


class PermissionDenied(UserFacingError):
    """The signed-in operator's role does not allow the operation."""

    title = N_("Not permitted")


class StorageError(UserFacingError):
    """The local store cannot be used: wrong key, corrupt or foreign file, disk full."""

    title = N_("Local storage problem")


class TransientError(VendPointError):
    """A failure that may pass by itself: connection refused, timeout, server 5xx."""


class UserCancelled(VendPointError):
    """The user backed out of a dialog; unwind without showing anything."""


def user_message(exc: BaseException) -> tuple[str, str]:
    """Return (title, sentence) for showing `exc` to a user; bugs get a generic sentence."""
    if isinstance(exc, UserFacingError):
        return _(exc.title), str(exc)
    if isinstance(exc, TransientError):
        return _("Temporarily unavailable"), _("{problem} Please try again in a moment.").format(
            problem=exc)
    return (
        _("Unexpected error"),
        _("Something went wrong inside VendPoint. The details were saved to the log; "
          "no sale data was lost."),
    )
