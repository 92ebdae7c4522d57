"""Contract-shaped sample answers (docs/api.md) for client tests against a scripted server."""

from __future__ import annotations

import copy
from typing import Any

KEY = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"


def sale(key: str = KEY, meter: str = "14339800360", amount: str = "100.00") -> dict[str, Any]:
    z = {"amount": "0.00", "currency": "ZAR"}
    return copy.deepcopy({
        "receipt_no": "VP00000001", "idempotency_key": key, "terminal_id": "T0001",
        "client_reference": None, "created_at": "2026-11-25T03:30:00Z",
        "sold_at": "2026-11-25T03:30:00Z", "offline": False,
        "operator": {"id": "thandi", "name": "Thandi"}, "vendor": {"id": "V001", "name": "V"},
        "utility": {"id": "U01", "name": "U", "address": "A", "vat_number": "1"},
        "customer": {"name": "C", "address": "A", "account": "1"},
        "meter": {"meter_number": meter, "service": "electricity", "unit": "kWh",
                  "sgc": "600123", "krn": 1, "ti": 1, "ea": 11, "base_date": 2014,
                  "two_way": False},
        "tariff": {"id": "RES-IBT", "name": "Res", "version": 1},
        "amount_tendered": {"amount": amount, "currency": "ZAR"}, "units": "55.5",
        "unit": "kWh",
        "tokens": [{"seq": 1, "kind": "credit", "description": "Credit 55.5 kWh",
                    "token": "12345678901234567890", "display": "1234 5678 9012 3456 7890",
                    "units": "55.5", "unit": "kWh"}],
        "lines": [
            {"kind": "energy", "description": "Block 1", "units": "55.5", "rate": "1.8000",
             "amount": {"amount": "86.96", "currency": "ZAR"},
             "vat": {"amount": "13.04", "currency": "ZAR"}},
            {"kind": "vat", "description": "VAT", "units": None, "rate": None,
             "amount": {"amount": "13.04", "currency": "ZAR"}, "vat": None},
        ],
        "vat": {"rate": "15.00", "amount": {"amount": "13.04", "currency": "ZAR"}},
        "vendor_credit": {"amount": "900.00", "currency": "ZAR"}, "arrears_remaining": z,
        "delivery": {"two_way": False, "status": "not_applicable"}, "notifications": [],
    })


def request(meter: str = "14339800360", amount: str = "100.00") -> dict[str, Any]:
    return {"meter_number": meter, "amount": {"amount": amount, "currency": "ZAR"},
            "client_reference": None, "notify": []}
