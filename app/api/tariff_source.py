"""The tariff service's `TariffSource` over the shared `VendingClient`.

`app.tariffs.TariffService` needs three server calls (the tariff list, one signed version, the
signing keys for a rotation). `ClientTariffSource` makes them through the terminal's one
`VendingClient`, so they get the same session, timeouts, TLS verification, certificate pin and
malformed-answer sink as sales do, and translates the client's typed errors into the two the
tariff service understands:

* `TariffNotFound` — the server does not have that version (`TARIFF_NOT_FOUND`), or the id or
  version cannot be one (nothing is sent);
* `TariffSourceError` (transient) — anything that means "ask again later": unreachable, TLS
  refused, credential refused, an unreadable answer, another refusal.

Signatures are not checked here: `app.tariffs.verify_envelope` does that for every document.
"""

from __future__ import annotations

from typing import Any, Protocol

from app.api.errors import (
    ApiBug,
    ApiRejected,
    MalformedResponse,
    ServerUnavailable,
    TerminalNotAuthorised,
    TlsProblem,
)
from app.api.models import TariffSummary, TerminalInfo
from app.tariffs import TariffNotFound, TariffSourceError
from common.i18n import _


class TariffBackend(Protocol):
    """The backend calls the tariff source makes (part of `app.backend.VendingBackend`)."""

    def terminal(self) -> TerminalInfo: ...

    def tariffs(self) -> list[TariffSummary]: ...

    def tariff_version(self, tariff_id: str, version: int) -> dict[str, Any]: ...

_ASK_LATER = (ServerUnavailable, TlsProblem, TerminalNotAuthorised, MalformedResponse, ApiBug)


class ClientTariffSource:
    """`app.tariffs.TariffSource` implemented with `VendingClient` calls."""

    def __init__(self, client: TariffBackend) -> None:
        self.client = client

    def list_tariffs(self) -> list[dict[str, Any]]:
        """`tariffs` of GET /v1/tariffs (validated by the client), as JSON objects."""
        try:
            return [dict(t.raw) for t in self.client.tariffs()]
        except _ASK_LATER as exc:
            raise TariffSourceError(_("The tariff list could not be fetched: {exc}")
                .format(exc=exc)) from exc
        except ApiRejected as exc:
            raise TariffSourceError(_("The server refused the tariff list ({code}).")
                .format(code=exc.code)) from exc

    def fetch_version(self, tariff_id: str, version: int) -> Any:
        """The signed envelope of GET /v1/tariffs/{id}/versions/{n} (verified by the caller)."""
        try:
            return self.client.tariff_version(tariff_id, version)
        except ValueError:
            raise TariffNotFound(_("Not a valid tariff id or version."),
                                 code="TARIFF_NOT_FOUND") from None
        except ApiRejected as exc:
            if exc.code == "TARIFF_NOT_FOUND":
                raise TariffNotFound(_("The server does not have that tariff version."),
                                     code="TARIFF_NOT_FOUND") from exc
            raise TariffSourceError(
                _("The server refused tariff {tariff_id} version {version} ({code}).")
                    .format(tariff_id=tariff_id, version=version, code=exc.code),
            ) from exc
        except _ASK_LATER as exc:
            raise TariffSourceError(
                _("Tariff {tariff_id} version {version} could not be fetched: {exc}")
                    .format(tariff_id=tariff_id, version=version, exc=exc)) from exc

    def signing_keys(self) -> list[dict[str, Any]]:
        """`tariff_signing_keys` of GET /v1/terminal (each entry is checked by the service)."""
        try:
            info = self.client.terminal()
        except (*_ASK_LATER, ApiRejected) as exc:
            raise TariffSourceError(_("The signing keys could not be fetched: {exc}")
                .format(exc=exc)) from exc
        items = info.raw.get("tariff_signing_keys")
        if not isinstance(items, list):
            raise TariffSourceError(_("The terminal information has no tariff signing keys."))
        return [dict(i) for i in items if isinstance(i, dict)]
