"""Deterministic demo data: one utility, three tariffs, 22 meters with their stories.

The same meter numbers (valid Luhn), customers, operators and activation code every time, so
the cashier demo, the tests and `python -m vendserver demo-info` agree. Vending keys and the
tariff-signing key are random per database (they are secrets); everything else is fixed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from sts.meter_number import luhn_check_digit
from vendserver.engine import MeterKey
from vendserver.money import money
from vendserver.service import KDF, VendingService, fold, hash_pin, iso

ACTIVATION_CODE = "DEMO-ACT-2026"
VENDOR_ID = "V001"
VENDOR_NAME = "Spaza Corner Vending"
VENDOR_CREDIT = 5_000_000  # R 50 000.00
UTILITY = {
    "id": "U01",
    "name": "Rivermead Municipality Electricity & Water",
    "address": "1 Civic Centre Way, Rivermead, 2190",
    "vat_number": "4123456789",
    "currency": "ZAR",
    "utc_offset_minutes": 120,
}
OPERATORS = [
    ("thandi", "Thandi Nkosi", "cashier", "1234"),
    ("sipho", "Sipho Dlamini", "supervisor", "4321"),
    ("admin", "Ayanda Admin", "admin", "9999"),
]
SGC_MAIN = "600123"  # EA11 / DKGA04 meters
SGC_LEGACY = "600456"  # EA09 / DKGA02 meters
EFFECTIVE = "2026-01-01T00:00:00Z"

TARIFFS: list[dict[str, Any]] = [
    {
        "tariff_id": "RES-IBT", "name": "Residential inclining block", "service": "electricity",
        "unit": "kWh", "currency": "ZAR", "prices_include_vat": True, "vat_rate": "15.00",
        "blocks": [
            {"from": "0.0", "to": "50.0", "rate": "2.0000"},
            {"from": "50.0", "to": "350.0", "rate": "2.5000"},
            {"from": "350.0", "to": "600.0", "rate": "3.0000"},
            {"from": "600.0", "to": None, "rate": "3.5000"},
        ],
        "fixed_charges": [{"code": "SERVICE", "description": "Monthly service charge",
                           "amount": "45.00"}],
        "debt_recovery": {"percent": "20.00", "minimum": "10.00"},
        "fbe_units_per_month": "50.0",
        "effective_from": EFFECTIVE,
    },
    {
        "tariff_id": "COM-FLAT", "name": "Commercial flat rate", "service": "electricity",
        "unit": "kWh", "currency": "ZAR", "prices_include_vat": False, "vat_rate": "15.00",
        "blocks": [{"from": "0.0", "to": None, "rate": "3.1000"}],
        "fixed_charges": [{"code": "NETWORK", "description": "Network capacity charge",
                           "amount": "250.00"}],
        "debt_recovery": {"percent": "25.00", "minimum": "50.00"},
        "fbe_units_per_month": "0.0",
        "effective_from": EFFECTIVE,
    },
    {
        "tariff_id": "WAT-DOM", "name": "Domestic water", "service": "water", "unit": "kL",
        "currency": "ZAR", "prices_include_vat": True, "vat_rate": "15.00",
        "blocks": [
            {"from": "0.0", "to": "6.0", "rate": "15.5000"},
            {"from": "6.0", "to": "20.0", "rate": "28.0000"},
            {"from": "20.0", "to": None, "rate": "45.0000"},
        ],
        "fixed_charges": [],
        "debt_recovery": {"percent": "10.00", "minimum": "5.00"},
        "fbe_units_per_month": "6.0",
        "effective_from": EFFECTIVE,
    },
]

# (serial, customer name, address, phone, email, tariff, options, tags, note)
_M = dict[str, Any]
METERS: list[_M] = [
    {"name": "Thabo Mokoena", "address": "12 Jacaranda Street, Rivermead",
     "tags": ["normal"], "note": "Ordinary prepaid customer (EA11, DKGA04)."},
    {"name": "Pieter van der Merwe", "address": "4 Kiepersol Avenue, Rivermead",
     "blocked": "Tamper detected; visit the municipal office", "tags": ["blocked"],
     "note": "Blocked meter: lookup shows why; quotes and sales are refused."},
    {"name": "Nomvula Khumalo", "address": "88 Protea Road, Extension 3, Rivermead",
     "arrears": 125_000, "tags": ["arrears"],
     "note": "R 1 250.00 arrears: 20 % of each purchase (minimum R 10.00) recovers debt."},
    {"name": "Johan Botha", "address": "7 Main Road, Rivermead", "pending_ti": 2,
     "tags": ["key_change"],
     "note": "Tariff index change pending: the next sale starts with 4 key change tokens."},
    {"name": "Lindiwe Ndlovu", "address": "33 Mimosa Close, Rivermead", "base_date": 1993,
     "tags": ["key_change", "tid_rollover"],
     "note": "Still on base date 1993: TID rollover key change tokens come before credit."},
    {"name": "Ayesha Patel", "address": "15 Fig Tree Lane, Rivermead", "two_way": True,
     "phone": "+27821234567", "email": "ayesha.patel@example.org",
     "tags": ["two_way", "notify"],
     "note": "Two-way smart meter: the server enters the token and reports the balance."},
    {"name": "Mandla Zulu", "address": "2 Baobab Crescent, Rivermead", "two_way": True,
     "base_date": 1993, "tags": ["two_way", "key_change", "tid_rollover"],
     "note": "Two-way smart meter still on base date 1993: the server enters the key change "
             "tokens and the credit itself."},
    {"name": "Grace Mahlangu", "address": "19 River View, Rivermead", "tariff": "WAT-DOM",
     "service": "water", "fbe": True, "tags": ["water", "fbe"],
     "note": "Water meter (kL); 6 kL free basic water once a month."},
    {"name": "Nokuthula Precious Dlamini-Mthembu-van Rensburg Family Trust",
     "address": "Unit 1204, Sunset Towers, 221 Beach Road Extension, Rivermead Central 2190",
     "tags": ["long_name"], "note": "Very long name and address for receipt layout."},
    {"name": "José Fernandes da Conceição", "address": "5 Rua Nova, Rivermead",
     "tags": ["accented"], "note": "Accented name; search for \"jose\" finds it."},
    {"name": "Zoë Müller-Öztürk", "address": "9 Ährenweg, Rivermead",
     "tags": ["accented"], "note": "Accents and umlauts in name and address."},
    {"name": "Sipho Ngcobo", "address": "41 Aloe Street, Rivermead", "legacy": True,
     "tags": ["ea09", "dkga02"], "note": "Older meter: EA09 (DEA) with DKGA02 (64-bit VK)."},
    {"name": "André du Plessis", "address": "3 Wingerd Street, Rivermead", "legacy": True,
     "tags": ["ea09", "dkga02", "accented"], "note": "Second EA09 / DKGA02 meter."},
    {"name": "Busisiwe Mthethwa", "address": "60 Ubuntu Drive, Rivermead", "fbe": True,
     "tags": ["fbe"], "note": "Registered indigent: 50 kWh free basic electricity monthly."},
    {"name": "Kagiso Molefe", "address": "27 Marula Street, Rivermead", "drn13": True,
     "tags": ["drn13"], "note": "13-digit meter number (4-digit manufacturer code)."},
    {"name": "Spar Kwa-Thema (Pty) Ltd", "address": "Shop 3, Kwa-Thema Mall, Rivermead",
     "tariff": "COM-FLAT", "tags": ["commercial"],
     "note": "Commercial flat rate priced excluding VAT, R 250.00 monthly network charge."},
    {"name": "Lerato Sithole", "address": "11 Acacia Road, Rivermead",
     "email": "lerato@example.org", "tags": ["normal", "notify"],
     "note": "Has an e-mail address for token notifications."},
    {"name": "Fatima Ismail", "address": "8 Palm Court, Rivermead", "tags": ["normal"],
     "note": "Ordinary customer."},
    {"name": "Willem Pretorius", "address": "14 Eike Laan, Rivermead", "tags": ["normal"],
     "note": "Ordinary customer."},
    {"name": "Precious Mabaso", "address": "70 Freedom Square, Rivermead",
     "arrears": 3_000, "fbe": True, "tags": ["arrears", "fbe"],
     "note": "Small arrears (R 30.00) and FBE: debt capped at what is owed."},
    {"name": "Chen Wei", "address": "22 Lotus Gardens, Rivermead", "tags": ["normal"],
     "note": "Ordinary customer."},
    {"name": "Refilwe Mokoena", "address": "12 Jacaranda Street (back room), Rivermead",
     "tags": ["normal"], "note": "Same address as Thabo Mokoena: search finds both."},
]


def drn_for(index: int, thirteen: bool = False) -> str:
    """The demo meter number for position `index` (deterministic, valid Luhn)."""
    body = f"0417{10000001 + index:08d}" if thirteen else f"04{20000011 + index * 7:08d}"
    return body + str(luhn_check_digit(body))


def meter_records() -> list[dict[str, Any]]:
    """Every demo meter with its derived fields (number, account, key data)."""
    out = []
    for i, m in enumerate(METERS):
        legacy = bool(m.get("legacy"))
        out.append({
            **m,
            "meter_number": drn_for(i, bool(m.get("drn13"))),
            "account": f"ACC-{100101 + i}",
            "tariff": m.get("tariff", "RES-IBT"),
            "service": m.get("service", "electricity"),
            "ea": 9 if legacy else 11,
            "dkga": 2 if legacy else 4,
            "sgc": SGC_LEGACY if legacy else SGC_MAIN,
            "base_date": m.get("base_date", 2014),
        })
    return out


def seed(service: VendingService) -> bool:
    """Fill an empty database with the demo data; False if it already holds a utility."""
    store = service.store
    if store.utility() is not None:
        return False
    now = iso(service.now())
    with store.transaction():
        store.set_utility(UTILITY)
        store.add_supply_group(SGC_MAIN, "Rivermead main", secrets.token_bytes(20),
                               secrets.token_bytes(8))
        store.add_supply_group(SGC_LEGACY, "Rivermead legacy", secrets.token_bytes(20),
                               secrets.token_bytes(8))
        for doc in TARIFFS:
            service.publish_tariff(doc)
        store.add_vendor(VENDOR_ID, VENDOR_NAME, VENDOR_CREDIT)
        store.add_activation_code(ACTIVATION_CODE, VENDOR_ID, 1000)
        for op_id, name, role, pin in OPERATORS:
            salt = hashlib.sha256(f"demo-salt-{op_id}".encode()).digest()[:16]
            store.add_operator({
                "id": op_id, "name": name, "role": role, "vendor_id": VENDOR_ID,
                "pin_salt": salt, "pin_hash": hash_pin(pin, salt), "kdf_n": KDF["n"],
                "kdf_r": KDF["r"], "kdf_p": KDF["p"], "kdf_dklen": KDF["dklen"],
                "active": 1, "updated_at": now,
            })
        for m in meter_records():
            customer_id = store.add_customer(
                m["name"], m["address"], m["account"], m.get("phone"), m.get("email"),
                bool(m.get("fbe")), int(m.get("arrears", 0)),
                fold(" ".join((m["name"], m["account"], m["address"]))))
            key = MeterKey(sgc=m["sgc"], ti=1, krn=1, kt=2, ea=m["ea"],
                           base_date=m["base_date"], ken=255, dkga=m["dkga"])
            key.check()  # e.g. DKGA02 only with EA09/EA07: refuse bad demo data at once
            store.add_meter({
                "drn": m["meter_number"], "customer_id": customer_id, "tariff_id": m["tariff"],
                "service": m["service"], "sgc": key.sgc, "krn": key.krn, "ti": key.ti,
                "ea": key.ea, "kt": key.kt, "ken": key.ken, "base_date": key.base_date,
                "dkga": key.dkga, "two_way": int(bool(m.get("two_way"))),
                "blocked": int(bool(m.get("blocked"))), "blocked_reason": m.get("blocked"),
                "pending_ti": m.get("pending_ti"), "initial_key": key.to_json(),
            })
    return True


def demo_info(service: VendingService | None = None) -> dict[str, Any]:
    """The demo-info JSON (docs/api.md §8)."""
    signing = None
    if service is not None:
        keys = service.signing_keys_wire()
        if keys:
            signing = {"key_id": keys[-1]["key_id"], "public_key": keys[-1]["public_key"]}
    return {
        "activation_code": ACTIVATION_CODE,
        "utility": {"id": UTILITY["id"], "name": UTILITY["name"],
                    "currency": UTILITY["currency"]},
        "vendor": {"id": VENDOR_ID, "name": VENDOR_NAME,
                   "credit": money(VENDOR_CREDIT, "ZAR")},
        "operators": [{"id": i, "name": n, "role": r, "pin": p} for i, n, r, p in OPERATORS],
        "tariffs": [{"id": t["tariff_id"], "name": t["name"], "service": t["service"]}
                    for t in TARIFFS],
        "meters": [{
            "meter_number": m["meter_number"], "customer_name": m["name"],
            "account": m["account"], "address": m["address"], "service": m["service"],
            "tariff_id": m["tariff"], "ea": m["ea"], "dkga": m["dkga"],
            "base_date": m["base_date"], "two_way": bool(m.get("two_way")),
            "blocked": bool(m.get("blocked")), "arrears": money(int(m.get("arrears", 0)), "ZAR"),
            "fbe": bool(m.get("fbe")),
            "key_change_due": m["base_date"] == 1993 or m.get("pending_ti") is not None,
            "tags": m["tags"], "note": m["note"],
        } for m in meter_records()],
        "tariff_signing_key": signing,
    }


def dumps(info: dict[str, Any]) -> str:
    """Pretty JSON for the CLI."""
    return json.dumps(info, ensure_ascii=False, indent=2)
