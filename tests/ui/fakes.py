"""In-memory fakes of the UI ports for view and controller tests (the e2e uses real parts)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal

from app.errors import BusinessRuleError, PermissionDenied
from app.settings import Settings
from sts.meter_number import luhn_check_digit
from ui.ports import (
    Approval,
    Customer,
    Operator,
    PrintState,
    Quote,
    QuoteChange,
    QuoteLine,
    Role,
    SaleRecord,
    SaleResult,
    SaleState,
    SearchHit,
    Status,
    Token,
)


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

    def login(self, operator_id: str, pin: str) -> Operator:
        if self.failures.get(operator_id, 0) >= 3:
            raise BusinessRuleError(
                "This operator is locked after too many wrong PINs.", code="OPERATOR_LOCKED",
                hint="Wait 15 minutes or ask a supervisor.")
        if self.pins.get(operator_id) != pin:
            self.failures[operator_id] = self.failures.get(operator_id, 0) + 1
            raise PermissionDenied("Wrong username or PIN.", hint="Try again.")
        return self.people[operator_id]

    def check_supervisor(self, approval: Approval) -> Operator:
        person = self.login(approval.operator_id, approval.pin)
        if not person.can_approve:
            raise PermissionDenied("That operator is not a supervisor.")
        return person


@dataclass
class FakeSales:
    """Meters, quotes and sales in memory; `offline=True` makes sales pending."""

    offline: bool = False
    gate: threading.Event | None = None  # when set, sell() waits for it (sale in flight)
    sold: list[tuple[str, Decimal, str]] = field(default_factory=list)
    records: list[SaleRecord] = field(default_factory=list)
    reprints: list[tuple[str, Approval | None]] = field(default_factory=list)
    reversals: list[tuple[str, Approval]] = field(default_factory=list)
    reprint_needs_supervisor: bool = False
    #: what `requote_if_stale` answers (None: the quote still stands); each call is recorded
    requote_change: QuoteChange | None = None
    requote_checks: list[Quote] = field(default_factory=list)
    #: raised once by the next `sell` (e.g. PriceChanged), nothing sold
    sell_raises: BaseException | None = None

    def lookup(self, meter_number: str) -> Customer:
        base = Customer(meter_number=meter_number, name="Lindiwe Mokoena",
                        address="12 Jacaranda Street, Soweto", account="ACC-1001",
                        utility="Demo Power", tariff="Residential inclining block",
                        days_since_last_purchase=6)
        if meter_number == GOOD:
            return base
        if meter_number == BLOCKED:
            return replace(base, name="Blocked Customer", blocked=True,
                           blocked_reason="tampering reported")
        if meter_number == KEYCHANGE:
            return replace(base, name="Key Change Customer", key_change_due=True,
                           arrears=Decimal("120.00"),
                           warnings=("Arrears of ZAR 120.00: part of this sale pays them off.",
                                     "Key change due: the key-change tokens come first."))
        raise BusinessRuleError(f"No meter {meter_number} is registered.", code="UNKNOWN_METER")

    def search(self, text: str) -> Sequence[SearchHit]:
        hits = [SearchHit(GOOD, "Lindiwe Mokoena", "ACC-1001", "12 Jacaranda Street")]
        return [h for h in hits if text.lower() in h.customer_name.lower()]

    def quote(self, meter_number: str, amount: Decimal) -> Quote:
        if amount < 5:
            raise BusinessRuleError("The amount must be at least ZAR 5.00.",
                                    code="AMOUNT_OUT_OF_RANGE")
        vat = (amount * 15 / 115).quantize(Decimal("0.01"))
        return Quote(
            meter_number=meter_number, amount=amount, currency="ZAR", units="55.6", unit="kWh",
            tariff="Residential inclining block v1",
            lines=(QuoteLine("energy", "Block 1 (0.0-50.0 kWh)", amount - vat, "55.6",
                             "1.8000"),
                   QuoteLine("vat", "VAT 15%", vat)),
            vat=vat, key_change=meter_number == KEYCHANGE,
            tokens_preview=("Credit 55.6 kWh",), tariff_id="RES-IBT", tariff_version=1)

    def requote_if_stale(self, quote: Quote) -> QuoteChange | None:
        self.requote_checks.append(quote)
        return self.requote_change

    def sell(self, meter_number: str, amount: Decimal, operator: Operator) -> SaleResult:
        if self.gate is not None:
            assert self.gate.wait(10)
        if self.sell_raises is not None:
            exc, self.sell_raises = self.sell_raises, None
            raise exc
        self.sold.append((meter_number, amount, operator.id))
        n = len(self.sold)
        if self.offline:
            result = SaleResult(SaleState.PENDING, f"P-{n:04d}", meter_number,
                                "Lindiwe Mokoena", amount, "ZAR",
                                pending_reason="Server not reachable (connection refused).")
        else:
            tokens = [Token(3, "credit", "Credit 55.6 kWh", "12345678901234567890", "55.6")]
            if meter_number == KEYCHANGE:
                tokens += [Token(2, "key_change_2", "Key change token 2 of 2",
                                 "22222222222222222222"),
                           Token(1, "key_change_1", "Key change token 1 of 2 - enter first",
                                 "11111111111111111111")]
            result = SaleResult(SaleState.TOKENED, f"VP{n:08d}", meter_number,
                                "Lindiwe Mokoena", amount, "ZAR", tokens=tuple(tokens),
                                units="55.6", print_state=PrintState.QUEUED)
        self.records.insert(0, SaleRecord(result.reference, meter_number, "Lindiwe Mokoena",
                                          amount, "ZAR", datetime.now(UTC), result.state,
                                          operator.name, result.units))
        return result

    def pending(self) -> Sequence[SaleRecord]:
        return [r for r in self.records if r.state is SaleState.PENDING]

    def today(self) -> Sequence[SaleRecord]:
        return list(self.records)

    def find(self, text: str) -> Sequence[SaleRecord]:
        return [r for r in self.records if text in (r.meter_number, r.reference)]

    def reprint(self, reference: str, operator: Operator, approval: Approval | None) -> None:
        if self.reprint_needs_supervisor and approval is None:
            raise BusinessRuleError("This receipt was reprinted twice already.",
                                    code="SUPERVISOR_REQUIRED",
                                    hint="A supervisor must approve another reprint.")
        self.reprints.append((reference, approval))

    def request_reversal(self, reference: str, reason: str, operator: Operator,
                         approval: Approval) -> str:
        self.reversals.append((reference, approval))
        return "RV00000001"

    def quick_amounts(self) -> Sequence[Decimal]:
        return [Decimal(20), Decimal(50), Decimal(100)]

    def currency(self) -> str:
        return "ZAR"


class FakeStatus:
    """A settable status snapshot; counts how often it was asked."""

    def __init__(self, status: Status | None = None) -> None:
        self.current = status or Status(online=True, vendor_credit=Decimal("5000.00"),
                                        tariff_version="RES-IBT v1", printer="ready")
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
        return "T0001"


class FakePrinter:
    """Records test prints."""

    def __init__(self) -> None:
        self.tests: list[Settings] = []

    def test_print(self, settings: Settings) -> None:
        self.tests.append(settings)
