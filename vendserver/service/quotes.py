"""Quotes: pricing an amount (or the least amount for a number of units) for a meter, and the
priced lines' wire form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.money import Money, format_money
from vendserver.db import Row
from vendserver.errors import ApiError
from vendserver.money import fmt_percent, fmt_units, money, parse_money, parse_units
from vendserver.pricing import (
    AmountTooLow,
    MeterState,
    Priced,
    TariffTerms,
    UnitsOutOfReach,
    amount_for_units,
    price,
)
from vendserver.service.common import iso, sale_range
from vendserver.service.meters import MeterOps


class QuoteOps(MeterOps):
    """Pricing calls: the trial vend of POST /v1/quotes and the pricing every sale uses."""

    @staticmethod
    def _check_not_blocked(meter: Row) -> None:
        if meter["blocked"]:
            why = meter["blocked_reason"] or "see the utility"
            raise ApiError("BLOCKED_METER", f"This meter is blocked: {why}.",
                           {"reason": meter["blocked_reason"] or ""})

    def _price(self, meter: Row, amount_obj: Any, at: datetime
               ) -> tuple[TariffTerms, MeterState, Priced]:
        cur = self._currency()
        self._check_not_blocked(meter)
        amount = parse_money(amount_obj, cur)
        low, high = sale_range(cur)
        limits = {"minimum": money(low, cur), "maximum": money(high, cur)}
        if not low <= amount <= high:
            raise ApiError("AMOUNT_OUT_OF_RANGE", "The amount must be from "
                           f"{format_money(Money(low, cur))} to "
                           f"{format_money(Money(high, cur))}.", limits)
        terms = self._terms_at(meter["tariff_id"], at)
        state = self._state(meter, terms, at)
        try:
            priced = price(terms, state, amount)
        except AmountTooLow as exc:
            least = max(exc.minimum, low)
            limits["minimum"] = money(least, cur)
            raise ApiError("AMOUNT_OUT_OF_RANGE", "The amount does not cover this month's "
                           "fixed charges and debt recovery; the smallest amount that buys "
                           f"units is {format_money(Money(least, cur))}.",
                           limits) from None
        return terms, state, priced

    def _price_units(self, meter: Row, units: int, at: datetime
                     ) -> tuple[TariffTerms, MeterState, Priced]:
        """The pricing of the smallest amount within the sale limits that buys at least
        `units` tenths; UNITS_OUT_OF_RANGE (with the most one sale buys) when none does."""
        cur = self._currency()
        self._check_not_blocked(meter)
        terms = self._terms_at(meter["tariff_id"], at)
        state = self._state(meter, terms, at)
        low, high = sale_range(cur)
        try:
            priced = amount_for_units(terms, state, units, low, high)
        except UnitsOutOfReach as exc:
            most = f"{fmt_units(exc.most)} {terms.unit}"
            largest = format_money(Money(exc.at, cur))
            reason = (f"the largest sale ({largest}) buys {most}" if exc.most else
                      f"this month's fixed charges and debt recovery take all of the largest "
                      f"sale ({largest})")
            raise ApiError("UNITS_OUT_OF_RANGE", f"No single sale buys "
                           f"{fmt_units(units)} {terms.unit} on this meter now: {reason}.",
                           {"minimum": "0.1", "maximum": fmt_units(exc.most),
                            "maximum_amount": money(exc.at, cur)}) from None
        return terms, state, priced

    @staticmethod
    def _requested_units(text: object) -> int:
        """Tenths from a request's `units` ("50", "50.0"); more than zero."""
        tenths = -1
        if isinstance(text, str):
            try:
                tenths = parse_units(text)
            except ValueError:
                pass
        if tenths > 0:
            return tenths
        problem = "zero" if tenths == 0 else "not a units value"
        raise ApiError("VALIDATION_ERROR", "Units must be more than zero, as digits with at "
                       "most one decimal, like \"50.0\".",
                       {"errors": [{"field": "units", "problem": problem}]})

    def _priced_wire(self, terms: TariffTerms, state: MeterState, priced: Priced
                     ) -> dict[str, Any]:
        cur = self._currency()
        return {
            "tariff": {"id": terms.tariff_id, "name": terms.name, "version": terms.version},
            "amount_tendered": money(priced.amount, cur),
            "units": fmt_units(priced.units),
            "unit": terms.unit,
            "lines": [line.wire(cur) for line in priced.lines],
            "vat": {"rate": fmt_percent(terms.vat_bp), "amount": money(priced.vat, cur)},
        }

    def quote(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /v1/quotes: by `amount`, or by `units` (the least amount that buys them)."""
        if ("amount" in body) == ("units" in body):
            raise ApiError("VALIDATION_ERROR", "A quote is for an amount or for units: send "
                           "exactly one of them.", {"errors": [
                               {"field": "amount", "problem": "send amount or units, not both"
                                if "amount" in body else "amount or units is required"}]})
        requested = None if "units" not in body else self._requested_units(body["units"])
        meter = self._meter(body["meter_number"])
        now = self.now()
        if requested is None:
            terms, state, priced = self._price(meter, body["amount"], now)
        else:
            terms, state, priced = self._price_units(meter, requested, now)
        kc = self._key_change(meter)
        preview: list[dict[str, Any]] = []
        count = 0
        if kc:
            count = 4 if kc[1].ea == 11 else 2
            preview = [{"seq": i + 1, "kind": "key_change",
                        "description": f"Key change token {i + 1} of {count}"}
                       for i in range(count)]
        preview.append({"seq": len(preview) + 1, "kind": "credit",
                        "description": f"Credit {fmt_units(priced.units)} {terms.unit}"})
        if priced.fbe_units:
            preview.append({"seq": len(preview) + 1, "kind": "fbe",
                            "description": f"Free basic {fmt_units(priced.fbe_units)} "
                                           f"{terms.unit}"})
        return {
            "meter_number": meter["drn"], "service": meter["service"], "unit": terms.unit,
            "priced_at": iso(now),
            **self._priced_wire(terms, state, priced),
            "month_to_date_units": fmt_units(state.month_to_date),
            "fbe_units": fmt_units(priced.fbe_units),
            "key_change": None if kc is None else {"reason": kc[0], "new_key": kc[1].wire(),
                                                   "token_count": count},
            "tokens_preview": preview,
            # A quote by units names the least amount that buys them; the sale is of that
            # amount (its units may be a little more: units are rounded up, never down).
            "requested_units": None if requested is None else fmt_units(requested),
        }
