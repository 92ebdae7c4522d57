"""Why a tariff document was refused, and the two ways asking the server can fail.

The reason codes are stable (stored in `tariff_rejections`, logged and shown), and
`TariffRefused` turns one into the sentence the cashier and support read.
"""

from __future__ import annotations

from common.errors import BusinessRuleError, TransientError
from common.i18n import N_, _

__all__ = ["Refusal", "TariffNotFound", "TariffRefused", "TariffSourceError"]


class Refusal:
    """Reason codes for a refused tariff document (stable: stored, logged and shown)."""

    UNSIGNED = "UNSIGNED"
    MALFORMED = "MALFORMED"
    WRONG_ALG = "WRONG_ALG"
    UNKNOWN_KEY = "UNKNOWN_KEY"
    BAD_SIGNATURE = "BAD_SIGNATURE"
    ENVELOPE_MISMATCH = "ENVELOPE_MISMATCH"
    INVALID_DOCUMENT = "INVALID_DOCUMENT"
    ROLLBACK = "ROLLBACK"
    CONFLICT = "CONFLICT"
    REPLAY = "REPLAY"
    EXPIRED = "EXPIRED"
    LISTING = "LISTING"


_REFUSAL_TEXT = {
    Refusal.UNSIGNED: N_("it carries no signature"),
    Refusal.MALFORMED: N_("it is not a readable signed tariff document"),
    Refusal.WRONG_ALG: N_("it is not signed with Ed25519"),
    Refusal.UNKNOWN_KEY: N_("it is signed with a key this terminal does not trust"),
    Refusal.BAD_SIGNATURE: N_("its signature does not match its content (altered or forged)"),
    Refusal.ENVELOPE_MISMATCH: N_("its envelope does not agree with the signed content"),
    Refusal.INVALID_DOCUMENT: N_("its content does not follow the tariff format"),
    Refusal.ROLLBACK: N_("its version is lower than a version already in use"),
    Refusal.CONFLICT: N_("a different document with the same version is already in use"),
    Refusal.REPLAY: N_("it is a copy of a document already received"),
    Refusal.EXPIRED: N_("it has expired"),
    Refusal.LISTING: N_("the server's tariff list announces more new versions than are fetched "
                     "at once"),
}


class TariffRefused(BusinessRuleError):
    """A tariff document was refused; `code` is a `Refusal` code. Nothing was applied."""

    title = N_("Tariff update refused")

    def __init__(self, code: str, detail: str = "", *, tariff_id: str = "",
                 version: int | None = None, key_id: str | None = None,
                 payload_sha256: str | None = None) -> None:
        why = _REFUSAL_TEXT.get(code)
        values = {"tariff": tariff_id or "?", "version": version if version is not None else "?",
                  "why": _(why) if why else code, "detail": detail}
        if detail:
            text = _("The update of tariff {tariff} version {version} was refused: {why} "
                     "({detail}).").format(**values)
        else:
            text = _("The update of tariff {tariff} version {version} was refused: {why}."
                     ).format(**values)
        super().__init__(text, code=code,
                         hint=_("The tariff in use is unchanged. If this repeats, call the "
                                "utility."))
        self.tariff_id = tariff_id
        self.version = version
        self.key_id = key_id
        self.payload_sha256 = payload_sha256


class TariffSourceError(TransientError):
    """The server could not be asked about tariffs right now; try again later."""


class TariffNotFound(BusinessRuleError):
    """The server does not have the announced tariff version (404 TARIFF_NOT_FOUND)."""
