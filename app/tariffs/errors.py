"""Why a tariff document was refused, and the two ways asking the server can fail.

The reason codes are stable (stored in `tariff_rejections`, logged and shown), and
`TariffRefused` turns one into the sentence the cashier and support read.
"""

from __future__ import annotations

from common.errors import BusinessRuleError, TransientError

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
    Refusal.UNSIGNED: "it carries no signature",
    Refusal.MALFORMED: "it is not a readable signed tariff document",
    Refusal.WRONG_ALG: "it is not signed with Ed25519",
    Refusal.UNKNOWN_KEY: "it is signed with a key this terminal does not trust",
    Refusal.BAD_SIGNATURE: "its signature does not match its content (altered or forged)",
    Refusal.ENVELOPE_MISMATCH: "its envelope does not agree with the signed content",
    Refusal.INVALID_DOCUMENT: "its content does not follow the tariff format",
    Refusal.ROLLBACK: "its version is lower than a version already in use",
    Refusal.CONFLICT: "a different document with the same version is already in use",
    Refusal.REPLAY: "it is a copy of a document already received",
    Refusal.EXPIRED: "it has expired",
    Refusal.LISTING: "the server's tariff list announces more new versions than are fetched "
                     "at once",
}


class TariffRefused(BusinessRuleError):
    """A tariff document was refused; `code` is a `Refusal` code. Nothing was applied."""

    title = "Tariff update refused"

    def __init__(self, code: str, detail: str = "", *, tariff_id: str = "",
                 version: int | None = None, key_id: str | None = None,
                 payload_sha256: str | None = None) -> None:
        what = f"tariff {tariff_id or '?'} version {version if version is not None else '?'}"
        text = f"The update of {what} was refused: {_REFUSAL_TEXT.get(code, code)}"
        if detail:
            text += f" ({detail})"
        super().__init__(text + ".", code=code,
                         hint="The tariff in use is unchanged. If this repeats, call the utility.")
        self.tariff_id = tariff_id
        self.version = version
        self.key_id = key_id
        self.payload_sha256 = payload_sha256


class TariffSourceError(TransientError):
    """The server could not be asked about tariffs right now; try again later."""


class TariffNotFound(BusinessRuleError):
    """The server does not have the announced tariff version (404 TARIFF_NOT_FOUND)."""
