"""Meters: number checks, the tariff in force, the month's state, look-up and search."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from common.money import Money, format_money
from sts.meter_number import luhn_check_digit
from vendserver import engine
from vendserver.db import Row
from vendserver.engine import MeterKey
from vendserver.errors import ApiError
from vendserver.money import fmt_units, money
from vendserver.pricing import MeterState, TariffTerms
from vendserver.service.common import fold, iso, mask_email, mask_phone, parse_time
from vendserver.service.core import ServiceCore


class MeterOps(ServiceCore):
    """Meter look-up (GET /v1/meters/...) and the meter state that pricing needs."""

    def _meter(self, text: object, *, lock: bool = False) -> Row:
        if not isinstance(text, str) or not re.fullmatch(r"[0-9]{11}|[0-9]{13}", text):
            raise ApiError("METER_NUMBER_INVALID", "A meter number has 11 or 13 digits.",
                           {"meter_number": text if isinstance(text, str) else ""})
        if luhn_check_digit(text[:-1]) != int(text[-1]):
            raise ApiError("METER_CHECK_DIGIT",
                           "The meter number's check digit is wrong; please check the number.",
                           {"meter_number": text})
        meter = self.store.meter(text, lock=lock)
        if meter is None:
            raise ApiError("UNKNOWN_METER", f"No meter {text} is registered.",
                           {"meter_number": text})
        return meter

    def _terms_at(self, tariff_id: str, at: datetime) -> TariffTerms:
        row = self.store.version_in_force(tariff_id, iso(at))
        if row is None:
            raise ApiError("SERVICE_UNAVAILABLE",
                           "No tariff version is in force for this meter.")
        key = (tariff_id, int(row["version"]))
        terms = self._terms.get(key)
        if terms is None:
            terms = TariffTerms.from_document(json.loads(bytes(row["payload"])))
            self._terms[key] = terms
        return terms

    def _state(self, meter: Row, terms: TariffTerms, at: datetime) -> MeterState:
        stats = self.store.month_stats(meter["drn"], self.local_month(at))
        return MeterState(
            month_to_date=int(stats["units"]),
            # Due until a non-reversed sale of the month has paid them: reversing the sale
            # that paid them makes them due again even if later sales exist.
            first_of_month=int(stats["fixed"]) == 0,
            arrears=int(meter["arrears_cents"]),
            fbe_due=bool(meter["fbe_eligible"]) and terms.fbe_units > 0 and stats["fbe"] == 0,
        )

    def _key_change(self, meter: Row) -> tuple[str, MeterKey] | None:
        return engine.pending_key_change(MeterKey.from_row(meter), meter["pending_ti"])

    def meter_info(self, meter_number: str) -> dict[str, Any]:
        """GET /v1/meters/{meter_number}."""
        meter = self._meter(meter_number)
        now = self.now()
        terms = self._terms_at(meter["tariff_id"], now)
        state = self._state(meter, terms, now)
        kc = self._key_change(meter)
        cur = self._currency()
        last = self.store.last_sale_at(meter["drn"])
        days = None if last is None else (now - parse_time(last, "sold_at")).days
        warnings = []
        if meter["blocked"]:
            warnings.append({"code": "BLOCKED_METER",
                             "message": f"Blocked: {meter['blocked_reason'] or 'see the utility'}"})
        if state.arrears:
            owed = format_money(Money(state.arrears, cur))
            warnings.append({"code": "ARREARS", "message": f"Arrears of {owed}; part of each "
                             "purchase goes to the debt."})
        if kc:
            warnings.append({"code": "KEY_CHANGE_DUE", "message": "Key change tokens will be "
                             "issued with the next sale; enter them before the credit token."})
        if state.fbe_due:
            warnings.append({"code": "FBE_DUE", "message": "Free basic units are due this month."})
        return {
            "meter_number": meter["drn"],
            "service": meter["service"],
            "unit": terms.unit,
            "customer": {
                "name": meter["customer_name"], "address": meter["customer_address"],
                "account": meter["account"],
                "phone": mask_phone(meter["phone"]) if meter["phone"] else None,
                "email": mask_email(meter["email"]) if meter["email"] else None,
            },
            "utility": {"id": self._utility()["id"], "name": self._utility()["name"]},
            "tariff": {"id": terms.tariff_id, "name": terms.name, "version": terms.version},
            "key": MeterKey.from_row(meter).wire(),
            "two_way": bool(meter["two_way"]),
            "blocked": bool(meter["blocked"]),
            "blocked_reason": meter["blocked_reason"],
            "arrears": money(state.arrears, cur),
            "fbe_due": state.fbe_due,
            "fbe_units": fmt_units(terms.fbe_units if state.fbe_due else 0),
            "month_to_date_units": fmt_units(state.month_to_date),
            "last_purchase_at": last,
            "days_since_last_purchase": days,
            "key_change_due": None if kc is None else {"reason": kc[0], "new_key": kc[1].wire()},
            "warnings": warnings,
        }

    def search(self, q: str, limit: int) -> dict[str, Any]:
        """GET /v1/meters?q=."""
        # Whitespace and control characters (NUL included) say nothing about a customer: what
        # is left must be 2 characters or more, or a search would list the whole directory.
        needle = "".join(c if c.isprintable() else " " for c in fold(q)).strip()
        if len(needle) < 2:
            raise ApiError("VALIDATION_ERROR", "Type at least 2 letters or digits to search.",
                           {"errors": [{"field": "q", "problem": "fewer than 2 characters "
                                        "besides spaces and control characters"}]})
        rows = self.store.search_meters(needle, limit)
        return {"results": [{"meter_number": r["drn"], "service": r["service"],
                             "customer_name": r["customer_name"], "account": r["account"],
                             "address": r["address"], "blocked": bool(r["blocked"])}
                            for r in rows]}
