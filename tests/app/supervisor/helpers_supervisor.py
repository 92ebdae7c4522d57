"""Helpers for supervisor tests: seeded sales, operators with PINs, a fake server, a printer."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any

from app.api.models import Money, parse_sale
from app.sales import repository as repo
from app.sales import transitions
from app.sales.repository import record_tender
from app.supervisor import Actor, Approval, Role
from app.supervisor.approvals import OperatorCredential
from offline_store import Store

PINS = {"thandi": "1234", "sipho": "4321", "ada": "9999", "lindiwe": "5555"}
ROLES = {"thandi": "cashier", "sipho": "supervisor", "ada": "admin", "lindiwe": "cashier"}


def _credential(op: str) -> OperatorCredential:
    salt = bytes.fromhex("00112233445566778899aabbccddeeff")
    kdf = {"alg": "scrypt", "n": 1024, "r": 8, "p": 1, "dklen": 32, "salt": salt.hex()}
    digest = hashlib.scrypt(PINS[op].encode(), salt=salt, n=1024, r=8, p=1, dklen=32).hex()
    return OperatorCredential(op, op.title(), ROLES[op], True, kdf, digest)


CREDENTIALS = [_credential(op) for op in PINS]
CASHIER = Actor("thandi", "Thandi", Role.CASHIER)
CASHIER2 = Actor("lindiwe", "Lindiwe", Role.CASHIER)
SUPERVISOR = Actor("sipho", "Sipho", Role.SUPERVISOR)
SUP_OK = Approval("sipho", "4321")


def sale_body(key: str, receipt_no: str, *, amount: int, units: int, vat: int, charges: int,
              debt: int, operator: str, tariff: tuple[str, str], sold_at: str,
              tokens: int = 1, offline: bool = False, utility: str = "City Power",
              unit: str = "kWh") -> dict[str, Any]:
    """A server Sale answer whose lines add up exactly (amounts in minor units)."""
    def m(minor: int) -> dict[str, str]:
        return {"amount": f"{minor // 100}.{minor % 100:02d}", "currency": "ZAR"}

    charge_vat = charges * 15 // 115
    energy_incl = amount - charges - debt
    energy_vat = vat - charge_vat
    lines: list[dict[str, Any]] = [{
        "kind": "energy", "description": "Block 1", "units": f"{units // 10}.{units % 10}",
        "rate": "1.8000", "amount": m(energy_incl - energy_vat), "vat": m(energy_vat)}]
    if charges:
        lines.append({"kind": "fixed_charge", "description": "Service", "units": None,
                      "rate": None, "amount": m(charges - charge_vat), "vat": m(charge_vat)})
    if debt:
        lines.append({"kind": "debt_recovery", "description": "Arrears", "units": None,
                      "rate": None, "amount": m(debt), "vat": None})
    lines.append({"kind": "vat", "description": "VAT", "units": None, "rate": None,
                  "amount": m(vat), "vat": None})
    toks = [{"seq": i + 1, "kind": "credit" if i == tokens - 1 else "key_change",
             "description": "t", "token": f"{secrets.randbelow(10**20):020d}",
             "display": "", "units": None, "unit": None} for i in range(tokens)]
    toks[-1].update(units=f"{units // 10}.{units % 10}", unit=unit)  # what the credit carries
    for t in toks:
        d = str(t["token"])
        t["display"] = " ".join(d[i:i + 4] for i in range(0, 20, 4))
    return {
        "receipt_no": receipt_no, "idempotency_key": key, "terminal_id": "T0001",
        "client_reference": None, "created_at": sold_at, "sold_at": sold_at, "offline": offline,
        "operator": {"id": operator, "name": operator}, "vendor": {"id": "V001", "name": "V"},
        "utility": {"id": "U01", "name": utility, "address": "1 Main Rd", "vat_number": "4"},
        "customer": {"name": "Customer", "address": "2 Side St", "account": "A1"},
        "meter": {"meter_number": "14339800360", "service": "electricity", "unit": unit,
                  "sgc": "600123", "krn": 1, "ti": 1, "ea": 11, "base_date": 2014,
                  "two_way": False},
        "tariff": {"id": tariff[0], "name": tariff[1], "version": 1},
        "amount_tendered": m(amount), "units": f"{units // 10}.{units % 10}", "unit": unit,
        "tokens": toks, "lines": lines, "vat": {"rate": "15.00", "amount": m(vat)},
        "vendor_credit": m(100000000), "arrears_remaining": m(0),
        "delivery": {"two_way": False, "status": "not_applicable"}, "notifications": [],
    }


@dataclass
class Seeder:
    """Writes sales through the core's own repository functions (so the triggers run)."""

    store: Store
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _key(self) -> str:
        return f"key-{next(self.counter):08d}"

    def insert(self, *, amount: int, operator: str = "thandi", state: str = "sending",
               offline: bool = False, shift_id: str | None = None, tender: str | None = None,
               created_at: str | None = None) -> str:
        key = self._key()

        def write(c: Any) -> None:
            repo.insert_sale(c, key=key, state=state, offline=offline,
                             meter_number="14339800360", amount=Money(amount, "ZAR"),
                             operator_id=operator, customer={"name": "Customer"},
                             request={"client_reference": "VP-" + key[-6:]}, quote=None,
                             maybe_sent=not offline, created_at=created_at)
            if shift_id is not None:
                c.execute("UPDATE sales SET shift_id = ? WHERE idem_key = ?", (shift_id, key))
            if tender is not None:
                record_tender(c, key, tender)

        self.store.call(write)
        return key

    def tokened(self, *, amount: int, units: int, vat: int = 0, charges: int = 0,
                debt: int = 0, operator: str = "thandi",
                tariff: tuple[str, str] = ("RES-IBT", "Residential"),
                sold_at: str = "2026-11-25T08:15:00Z", tokens: int = 1, offline: bool = False,
                tender: str | None = None, shift_id: str | None = None,
                utility: str = "City Power", unit: str = "kWh") -> str:
        key = self.insert(amount=amount, operator=operator, offline=offline, tender=tender,
                          shift_id=shift_id, state="pending" if offline else "sending")
        receipt = "VP" + key[-8:]
        sale = parse_sale(sale_body(key, receipt, amount=amount, units=units, vat=vat,
                                    charges=charges, debt=debt, operator=operator,
                                    tariff=tariff, sold_at=sold_at, tokens=tokens,
                                    offline=offline, utility=utility, unit=unit))
        assert self.store.call(lambda c: repo.mark_tokened(c, key, sale))
        return key

    def set_state(self, key: str, state: str, code: str = "X", reason: str = "why") -> None:
        expect = [s for s, nexts in transitions.ALLOWED.items() if state in nexts]
        assert self.store.call(lambda c: transitions.transition(
            c, key, state, expect=expect, reason_code=code, reason=reason))


@dataclass
class FakeApi:
    """In-process stand-in for the server's supervisor endpoints (records calls)."""

    calls: list[tuple[str, Any]] = field(default_factory=list)
    z_answer: dict[str, Any] | None = None

    def reverse(self, receipt_no: str, operator_id: str, reason: str, supervisor_id: str,
                pin: str) -> dict[str, Any]:
        self.calls.append(("reverse", receipt_no))
        return {"receipt_no": receipt_no, "reversal_no": "RV" + receipt_no[2:],
                "reversed_at": "2026-11-25T09:00:00Z", "reason": reason,
                "supervisor": {"id": supervisor_id, "name": "S"},
                "amount_refunded": {"amount": "50.00", "currency": "ZAR"},
                "vendor_credit": {"amount": "1.00", "currency": "ZAR"},
                "arrears_restored": {"amount": "0.00", "currency": "ZAR"}}

    def engineering_token(self, operator_id: str, body: dict[str, Any],
                          key: str) -> dict[str, Any]:
        self.calls.append(("engineering", {k: v for k, v in body.items() if k != "supervisor"}))
        return {"reference": f"EN{len(self.calls):08d}", "meter_number": body["meter_number"],
                "type": body["type"], "issued_at": "2026-11-25T09:30:00Z",
                "supervisor": {"id": body["supervisor"]["operator_id"], "name": "S"},
                "tokens": [{"seq": 1, "kind": body["type"] if body["type"] != "key_change"
                            else "key_change", "description": "Eng",
                            "token": "11112222333344445555",
                            "display": "1111 2222 3333 4444 5555", "units": None,
                            "unit": None}],
                "meter": {"sgc": "600123", "krn": 2, "ti": 1, "base_date": 2014}}

    def upload_z_report(self, shift_id: str, operator_id: str,
                        body: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(("z", body))
        if self.z_answer is not None:
            return self.z_answer
        zero = {"amount": "0.00", "currency": "ZAR"}
        return {"shift_id": shift_id, "z_number": body["z_number"], "received_at": "x",
                "terminal": body["totals"], "server": body["totals"],
                "differences": {"sales_count": 0, "sales_amount": zero, "reversals_count": 0,
                                "reversals_amount": zero, "units": "0.0", "vat": zero},
                "matched": True}


@dataclass
class Printed:
    """Receipt sink that keeps what was printed."""

    items: list[Any] = field(default_factory=list)

    def enqueue(self, receipt: Any) -> Any:
        self.items.append(receipt)
        return receipt


