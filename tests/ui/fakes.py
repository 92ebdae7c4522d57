"""In-memory fakes of the till's operations the UI ports name (`ui.ports`), with the till's own
result types, for view and controller tests (the e2e tests use the real till)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from app.api.models import Money
from app.backend import Capabilities, NotOffered
from app.sales.policy import OfflineDecision
from app.sales.service import PriceChanged, QuoteStale
from app.settings import Settings
from app.supervisor.approvals import Approval
from app.supervisor.permissions import Role
from app.supervisor.reversals import ReversalResult
from app.till.results import (
    Customer,
    Operator,
    PrintState,
    Quote,
    QuoteChange,
    QuoteHandle,
    QuoteLine,
    ReprintResult,
    SaleRecord,
    SaleResult,
    SaleState,
    SearchHit,
    Status,
    TariffInForce,
    Token,
)
from common.errors import BusinessRuleError, PermissionDenied
from sts.meter_number import luhn_check_digit
from ui.money import to_decimal


def zar(amount: str) -> Money:
    """ZAR money from a decimal string ("100", "55.50")."""
    whole, _, cents = amount.partition(".")
    return Money(int(whole) * 100 + int((cents + "00")[:2]), "ZAR")


def meter(body: str) -> str:
    """A valid meter number from its first 10 (or 12) digits."""
    return body + str(luhn_check_digit(body))


GOOD = meter("0123456789")
BLOCKED = meter("0123456788")
KEYCHANGE = meter("0123456787")
UNKNOWN = meter("0999999999")

CASHIER = Operator("thandi", "Thandi Nkosi", Role.CASHIER)
SUPERVISOR = Operator("sipho", "Sipho Dlamini", Role.SUPERVISOR)


class FakeAuth:
    """PINs in a dict; three wrong PINs lock the operator."""

    def __init__(self) -> None:
        self.pins = {"thandi": "1234", "sipho": "4321"}
        self.people = {"thandi": CASHIER, "sipho": SUPERVISOR}
        self.failures: dict[str, int] = {}
        self.offline = False

    def operators(self) -> Sequence[Operator]:
        return list(self.people.values())

    def sign_in(self, operator_id: str, pin: str) -> Operator:
        if self.failures.get(operator_id, 0) >= 3:
            raise BusinessRuleError(
                "This operator is locked after too many wrong PINs.", code="OPERATOR_LOCKED",
                hint="Wait 15 minutes or ask a supervisor.")
        if self.pins.get(operator_id) != pin:
            self.failures[operator_id] = self.failures.get(operator_id, 0) + 1
            raise PermissionDenied("Wrong username or PIN.", hint="Try again.")
        return self.people[operator_id]

    def check_supervisor(self, approval: Approval) -> Operator:
        person = self.sign_in(approval.operator_id, approval.pin)
        if not person.can_approve:
            raise PermissionDenied("That operator is not a supervisor.")
        return person


@dataclass
class FakeSales:
    """Meters, quotes and sales in memory; `offline=True` makes sales pending."""

    offline: bool = False
    gate: threading.Event | None = None  # when set, sell() waits for it (sale in flight)
    sold: list[tuple[str, Decimal, str]] = field(default_factory=list)
    #: the quote handle each sale was made on (None: no quote, e.g. offline)
    sold_on: list[QuoteHandle | None] = field(default_factory=list)
    records: list[SaleRecord] = field(default_factory=list)
    reprints: list[tuple[str, Approval | None]] = field(default_factory=list)
    reversals: list[tuple[str, Approval]] = field(default_factory=list)
    reversal_reasons: list[str] = field(default_factory=list)
    reprint_needs_supervisor: bool = False
    #: what `requote_if_stale` answers (None: the quote still stands); each call is recorded
    requote_change: QuoteChange | None = None
    requote_checks: list[QuoteHandle] = field(default_factory=list)
    forgotten: list[QuoteHandle] = field(default_factory=list)
    #: raised once by the next `sell` (e.g. PriceChanged), nothing sold
    sell_raises: BaseException | None = None
    #: what this fake vending server offers
    capabilities: Capabilities = field(default_factory=Capabilities)
    quotes: int = 0
    #: the cash handed over passed with each sale
    cash_tendered: list[Money | None] = field(default_factory=list)
    #: `retry_sale`: the keys asked about, what it answers or raises (once)
    retried: list[str] = field(default_factory=list)
    retry_result: SaleResult | None = None
    retry_raises: BaseException | None = None
    #: the units asked for by `quote_units`
    units_quotes: list[Decimal] = field(default_factory=list)
    #: `stored_result` answers, by idempotency key
    stored: dict[str, SaleResult] = field(default_factory=dict)
    #: what `offline_check` raises (None: the offline policy would take the sale)
    offline_refusal: BaseException | None = None
    offline_checks: list[tuple[str, Money]] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return "ZAR"

    def lookup(self, meter_number: str) -> Customer:
        base = Customer(meter_number=meter_number, name="Lindiwe Mokoena",
                        address="12 Jacaranda Street, Soweto", account="ACC-1001",
                        utility="Demo Power", tariff="Residential inclining block",
                        arrears=zar("0"), days_since_last_purchase=6)
        if meter_number == GOOD:
            return base
        if meter_number == BLOCKED:
            return replace(base, name="Blocked Customer", blocked=True,
                           blocked_reason="tampering reported")
        if meter_number == KEYCHANGE:
            return replace(base, name="Key Change Customer", key_change_due=True,
                           arrears=zar("120.00"),
                           warnings=("Arrears of ZAR 120.00: part of this sale pays them off.",
                                     "Key change due: the key-change tokens come first."))
        raise BusinessRuleError(f"No meter {meter_number} is registered.", code="UNKNOWN_METER")

    def search(self, text: str) -> Sequence[SearchHit]:
        if not self.capabilities.search:
            raise NotOffered(Capabilities.NAMES["search"])
        hits = [SearchHit(GOOD, "Lindiwe Mokoena", "ACC-1001", "12 Jacaranda Street")]
        return [h for h in hits if text.lower() in h.customer_name.lower()]

    def quote(self, meter_number: str, amount: Money) -> Quote:
        if amount.minor < 500:
            raise BusinessRuleError("The amount must be at least ZAR 5.00.",
                                    code="AMOUNT_OUT_OF_RANGE")
        vat = Money(amount.minor * 15 // 115, "ZAR")
        self.quotes += 1
        return Quote(
            handle=QuoteHandle(f"q{self.quotes}"), meter_number=meter_number, amount=amount,
            units="55.6", unit="kWh", tariff="Residential inclining block v1",
            lines=(QuoteLine("energy", "Block 1 (0.0-50.0 kWh)",
                             Money(amount.minor - vat.minor, "ZAR"), "55.6", "1.8000",
                             vat=vat, rate_includes_vat=True, unit="kWh"),
                   QuoteLine("vat", "VAT 15%", vat)),
            vat=vat, key_change=meter_number == KEYCHANGE,
            tokens_preview=("Credit 55.6 kWh",), tariff_id="RES-IBT", tariff_version=1)

    def quote_units(self, meter_number: str, units: Decimal) -> Quote:
        """50 kWh costs ZAR 100.00 here (2.00 a unit), as a quote by units."""
        self.units_quotes.append(units)
        quoted = self.quote(meter_number, Money(int(units * 200), "ZAR"))
        return replace(quoted, units=str(units), requested_units=str(units))

    def offline_check(self, meter_number: str, amount: Money) -> OfflineDecision:
        self.offline_checks.append((meter_number, amount))
        if self.offline_refusal is not None:
            raise self.offline_refusal
        return OfflineDecision()

    def forget_quote(self, handle: QuoteHandle) -> None:
        self.forgotten.append(handle)

    def requote_if_stale(self, handle: QuoteHandle) -> QuoteChange | None:
        self.requote_checks.append(handle)
        return self.requote_change

    def retry_sale(self, idempotency_key: str) -> SaleResult:
        self.retried.append(idempotency_key)
        if self.retry_raises is not None:
            exc, self.retry_raises = self.retry_raises, None
            raise exc
        assert self.retry_result is not None
        return self.retry_result

    def stored_result(self, idempotency_key: str) -> SaleResult | None:
        return self.stored.get(idempotency_key)

    def sell(self, meter_number: str, amount: Money, operator: Operator, *,
             quote: QuoteHandle | None = None, tender: str = "cash",
             cash_tendered: Money | None = None) -> SaleResult:
        self.cash_tendered.append(cash_tendered)
        if self.gate is not None:
            assert self.gate.wait(10)
        if self.sell_raises is not None:
            exc, self.sell_raises = self.sell_raises, None
            raise exc
        assert tender == "cash"
        self.sold.append((meter_number, to_decimal(amount), operator.id))
        self.sold_on.append(quote)
        n = len(self.sold)
        if self.offline:
            result = SaleResult(SaleState.PENDING, f"P-{n:04d}", meter_number,
                                "Lindiwe Mokoena", amount,
                                pending_reason="Server not reachable (connection refused).")
        else:
            tokens = [Token(3, "credit", "Credit 55.6 kWh", "12345678901234567890", "55.6")]
            if meter_number == KEYCHANGE:
                tokens += [Token(2, "key_change_2", "Key change token 2 of 2",
                                 "22222222222222222222"),
                           Token(1, "key_change_1", "Key change token 1 of 2 - enter first",
                                 "11111111111111111111")]
            result = SaleResult(SaleState.TOKENED, f"VP{n:08d}", meter_number,
                                "Lindiwe Mokoena", amount, tokens=tuple(tokens),
                                units="55.6", print_state=PrintState.QUEUED)
        self.records.insert(0, SaleRecord(result.reference, f"VP-{n:010d}", meter_number,
                                          "Lindiwe Mokoena", amount, datetime.now(UTC),
                                          result.state, operator.name, result.units))
        return result

    def pending(self) -> Sequence[SaleRecord]:
        return [r for r in self.records if r.state.is_open]

    def today(self) -> Sequence[SaleRecord]:
        return list(self.records)

    def find(self, text: str) -> Sequence[SaleRecord]:
        return [r for r in self.records
                if text in (r.meter_number, r.reference, r.client_reference)]

    def reprint(self, reference: str, operator: Operator,
                approval: Approval | None = None) -> ReprintResult:
        if self.reprint_needs_supervisor and approval is None:
            raise BusinessRuleError("This receipt was reprinted twice already.",
                                    code="SUPERVISOR_REQUIRED",
                                    hint="A supervisor must approve another reprint.")
        self.reprints.append((reference, approval))
        return ReprintResult(reference, "token", len(self.reprints), "job-r",
                             PrintState.QUEUED,
                             "" if approval is None else approval.operator_id)

    def request_reversal(self, reference: str, reason: str, operator: Operator,
                         approval: Approval) -> ReversalResult:
        if not self.capabilities.reversal:
            raise NotOffered(Capabilities.NAMES["reversal"])
        self.reversals.append((reference, approval))
        self.reversal_reasons.append(reason)
        for n, record in enumerate(self.records):
            if record.reference == reference:  # the till's lists now say "reversed"
                self.records[n] = replace(record, reversed=True)
        return ReversalResult("RV00000001", reference, "2026-11-25T10:00:00Z", zar("100.00"),
                              approval.operator_id, True, {})

    def status(self) -> Status:
        return status_of(capabilities=self.capabilities)


def status_of(**changes: object) -> Status:
    """A status snapshot: online, nothing pending, every capability unless changed."""
    base = Status(online=True, offline_reason="", pending_count=0, pending_value=zar("0"),
                  needs_attention=0, currency="ZAR", printer="ready", printer_ok=True,
                  capabilities=Capabilities(), vendor_credit=zar("5000.00"),
                  tariffs=(TariffInForce("RES-IBT", 1),))
    return replace(base, **changes)  # type: ignore[arg-type]


class FakeStatus:
    """A settable status snapshot; counts how often it was asked."""

    def __init__(self, status: Status | None = None) -> None:
        self.current = status or status_of()
        self.calls = 0

    def status(self) -> Status:
        self.calls += 1
        return self.current


class FakeTerminal:
    """Activation that accepts one code."""

    def __init__(self) -> None:
        self.activated = False
        self.calls: list[tuple[str, str, str]] = []

    def is_activated(self) -> bool:
        return self.activated

    def activate(self, server_url: str, code: str, terminal_name: str) -> str:
        self.calls.append((server_url, code, terminal_name))
        if code != "DEMO-ACT-2026":
            raise BusinessRuleError("That activation code is not valid.",
                                    code="ACTIVATION_CODE_INVALID")
        self.activated = True
        self.server = server_url
        return "T0001"

    def server_changed(self, server_url: str) -> bool:
        if self.activated and server_url != getattr(self, "server", server_url):
            self.activated = False
            return True
        return False


class FakePrinter:
    """Records test prints."""

    def __init__(self) -> None:
        self.tests: list[Settings] = []

    def test_print(self, settings: Settings) -> None:
        self.tests.append(settings)


def price_changed(message: str, change: QuoteChange | None) -> PriceChanged[QuoteChange]:
    """The till's refusal of a sale on a superseded quote (nothing sold), with the new quote
    it holds (None when the server could not be asked)."""
    old: Any = SimpleNamespace(tariff_version=1)  # only its version is read
    stale = QuoteStale(message, old_quote=old, new_quote=None, difference=None,
                       in_force_version=2)
    return PriceChanged(stale, change)
