"""The backend port: everything the client core asks of the central vending system.

`VendingBackend` is a structural `typing.Protocol`: the sale service, the sync engine, the
operator directory, the tariff source and the supervisor services are typed against it (or
against one of its narrow parts), never against a concrete HTTP client, so another vending
system can be plugged in by writing one class. What a backend offers beyond the basic sale is
said by its `capabilities` (a frozen `Capabilities`): the core refuses an absent one cleanly
with `NotOffered` (a `UserFacingError`: "... is not offered by this vending server") and the
till's `status()` reports them so the UI can disable what is not there.

`ClientBackend` is the first implementation: the reference API client (`VendingClient`) with
every capability on. `BackendSupervisorApi` gives the supervisor services (reversal,
engineering tokens, Z upload) their server calls over any backend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from app.api.client import VendingClient
from app.api.errors import MalformedResponse
from app.api.models import (
    BatchResult,
    EngineeringTokens,
    EventPage,
    MeterInfo,
    MeterSearchHit,
    Money,
    OperatorRecord,
    Quote,
    Reversal,
    Sale,
    ZReconciliation,
    ZReportUpload,
)
from app.api.tariff_source import TariffBackend
from common.errors import BusinessRuleError
from common.i18n import N_, _

#: What the core does with an answer it cannot read (the sale service keeps it in the store).
MalformedSink = Callable[[MalformedResponse], None]


class NotOffered(BusinessRuleError):
    """The vending server this till talks to does not offer this feature (nothing was sent)."""

    title = N_("Not offered")

    def __init__(self, feature: str) -> None:
        super().__init__(_("{feature} is not offered by this vending server.")
            .format(feature=feature),
                         code="NOT_OFFERED",
                         hint=_("Ask the utility, or do it on another system."))
        self.feature = feature


@dataclass(frozen=True)
class Capabilities:
    """What a backend offers beyond confirm-customer, quote, sell and look-up-by-key.

    - `tariff_documents`: signed tariff documents (the tariff service, the stale-quote check);
    - `push_events`: a server event stream / poll (tariff news, credit, policy);
    - `batch_upload`: offline sales uploaded many per request (else one by one, same keys);
    - `search`: customer search by name, account or address;
    - `reversal`: sale reversals through the server;
    - `z_upload`: Z reports reconciled with the server;
    - `engineering_tokens`: management tokens (clear tamper, key change, ...);
    - `sale_by_units`: a quote by units (the least amount that buys them), then the ordinary
      sale of that amount.
    """

    tariff_documents: bool = True
    push_events: bool = True
    batch_upload: bool = True
    search: bool = True
    reversal: bool = True
    z_upload: bool = True
    engineering_tokens: bool = True
    sale_by_units: bool = True

    #: How each capability is named in a refusal ("... is not offered by this vending server").
    NAMES: ClassVar[dict[str, str]] = {
        "tariff_documents": N_("Signed tariff documents"),
        "push_events": N_("Server events"),
        "batch_upload": N_("Batch upload of offline sales"),
        "search": N_("Customer search"),
        "reversal": N_("Sale reversal"),
        "z_upload": N_("Z report reconciliation"),
        "engineering_tokens": N_("Engineering tokens"),
        "sale_by_units": N_("Sale by units"),
    }

    def offered(self) -> tuple[str, ...]:
        """The names of the capabilities that are on, in declaration order."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name))

    def missing(self) -> tuple[str, ...]:
        """The names of the capabilities that are off."""
        return tuple(f.name for f in fields(self) if not getattr(self, f.name))

    def require(self, name: str) -> None:
        """Raise `NotOffered` unless capability `name` is on (an unknown name is a bug)."""
        if name not in self.NAMES:
            raise ValueError(f"unknown capability {name!r}")
        if not getattr(self, name):
            raise NotOffered(_(self.NAMES[name]))


#: Every capability on: the reference vending API.
ALL_CAPABILITIES = Capabilities()


class OperatorBackend(Protocol):
    """The call the operator directory makes (PIN hashes for offline sign-in)."""

    def operators(self) -> list[OperatorRecord]: ...


class VendingBackend(TariffBackend, OperatorBackend, Protocol):
    """Everything the core asks of the central system; see the module docstring.

    Errors follow `app.api.errors`: `ServerUnavailable` / `TlsProblem` (not reached; `sent`
    says whether the request may have arrived), `ApiRejected` (refused, with the server's
    code), `TerminalNotAuthorised`, `MalformedResponse`, `ApiBug`. `get_sale` returns None
    when the server never processed the key; `sell` with a key the server knows returns
    (or refuses as a duplicate) the first answer, never a second sale.
    """

    malformed_sink: MalformedSink | None

    @property
    def capabilities(self) -> Capabilities:
        """What this backend offers (see `Capabilities`)."""
        ...

    def meter(self, meter_number: str) -> MeterInfo: ...

    def quote(self, meter_number: str, amount: Money) -> Quote: ...

    def quote_units(self, meter_number: str, units: Decimal) -> Quote:
        """The quote of the least amount that buys at least `units` (`sale_by_units`)."""
        ...

    def sell(self, key: str, operator_id: str, request: dict[str, Any]) -> Sale: ...

    def get_sale(self, key: str, request: dict[str, Any] | None = None) -> Sale | None: ...

    def sell_batch(
        self, items: Sequence[tuple[str, str, dict[str, Any]]]
    ) -> list[BatchResult]: ...

    def poll_events(self, after_id: int, limit: int = 100) -> EventPage: ...

    def search_meters(self, query: str, limit: int = 20) -> list[MeterSearchHit]: ...

    def reverse(self, receipt_no: str, operator_id: str, *, reason: str, supervisor_id: str,
                supervisor_pin: str) -> Reversal: ...

    def engineering_token(
        self, operator_id: str, *, meter_number: str, type: str, supervisor_id: str,
        supervisor_pin: str, value: int | None = None, register: str | None = None,
        new_ti: int | None = None, idempotency_key: str | None = None,
    ) -> EngineeringTokens: ...

    def z_report(self, shift_id: str, operator_id: str,
                 upload: ZReportUpload) -> ZReconciliation: ...


class ClientBackend(VendingClient):
    """The reference vending API (`VendingClient`) as a `VendingBackend`: all capabilities."""

    capabilities: Capabilities = ALL_CAPABILITIES


class BackendSupervisorApi:
    """The supervisor services' server calls (`app.supervisor.server.SupervisorApi`) over any
    `VendingBackend`; a capability the backend lacks is refused with `NotOffered`."""

    def __init__(self, backend: VendingBackend) -> None:
        self._backend = backend

    def reverse(self, receipt_no: str, operator_id: str, reason: str, supervisor_id: str,
                pin: str) -> dict[str, Any]:
        self._backend.capabilities.require("reversal")
        return self._backend.reverse(receipt_no, operator_id, reason=reason,
                                     supervisor_id=supervisor_id, supervisor_pin=pin).raw

    def engineering_token(self, operator_id: str, body: dict[str, Any],
                          key: str) -> dict[str, Any]:
        self._backend.capabilities.require("engineering_tokens")
        supervisor = body.get("supervisor") or {}
        return self._backend.engineering_token(
            operator_id, meter_number=str(body.get("meter_number", "")),
            type=str(body.get("type", "")), supervisor_id=str(supervisor.get("operator_id", "")),
            supervisor_pin=str(supervisor.get("pin", "")), value=body.get("value"),
            register=body.get("register"), new_ti=body.get("new_ti"), idempotency_key=key).raw

    def upload_z_report(self, shift_id: str, operator_id: str,
                        body: dict[str, Any]) -> dict[str, Any]:
        self._backend.capabilities.require("z_upload")
        return self._backend.z_report(shift_id, operator_id, ZReportUpload.from_json(body)).raw
