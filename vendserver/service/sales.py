"""Sales: idempotent POST /v1/sales, stored responses, notifications, sales of a meter."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sts.errors import StsError
from vendserver import engine
from vendserver.db import Conflict, Row
from vendserver.engine import MeterKey, TokenMinter
from vendserver.errors import ApiError
from vendserver.money import fmt_units, money
from vendserver.service.common import (
    OFFLINE_MAX_AGE,
    OFFLINE_MAX_FUTURE,
    fingerprint,
    iso,
    mask_email,
    mask_phone,
    parse_time,
)
from vendserver.service.quotes import QuoteOps
from vendserver.service.terminals import TerminalOps
from vendserver.service.tokens import TokenOps
from vendserver.smartmeters import DeliveryJob

log = logging.getLogger("vendserver.service")

#: How often a sale is run again after losing a race refereed by the database.
CONFLICT_RETRIES = 5


class SaleOps(QuoteOps, TokenOps, TerminalOps):
    """Selling: one sale per (terminal, Idempotency-Key), replayed byte for byte."""

    def sale(self, terminal: Row, operator_id: str | None, key: str | None,
             body: dict[str, Any]) -> tuple[str, bool]:
        """POST /v1/sales: (response JSON text, replayed?).

        Several server processes may take the same key at once (a terminal retrying on
        another connection): the database's unique key lets one commit; the others get
        `Conflict`, run again and replay that sale."""
        self.check_key(key)
        assert key is not None
        fp = fingerprint(body)
        attempt = 0
        while True:
            try:
                return self._sale_once(terminal, operator_id, key, fp, body)
            except Conflict:
                attempt += 1
                if attempt > CONFLICT_RETRIES or self.store.in_transaction():
                    raise
                log.info("sale on terminal %s lost a race; running it again", terminal["id"])

    def _sale_once(self, terminal: Row, operator_id: str | None, key: str, fp: str,
                   body: dict[str, Any]) -> tuple[str, bool]:
        with self.store.transaction():
            existing = self.store.sale_by_key(terminal["id"], key)
            if existing is not None:
                if existing["fingerprint"] != fp:
                    raise ApiError("DUPLICATE_REQUEST_MISMATCH",
                                   "This Idempotency-Key was already used for a different "
                                   "sale; make a new key for a new sale.")
                return str(existing["response"]), True
            text, job, mail = self._new_sale(terminal, operator_id, key, fp, body)
        self._notify()
        if job:
            self.meters.put(job)
        for item in mail:
            self.mailer.put(item)
        return text, False

    def _new_sale(self, terminal: Row, operator_id: str | None, key: str, fp: str,
                  body: dict[str, Any]) -> tuple[str, DeliveryJob | None, list[int]]:
        op = self._operator(terminal, operator_id)
        # Locked until commit: the meter's last token id, key and month to date, and its
        # customer's arrears, are read to make this sale and changed by it.
        meter = self._meter(body["meter_number"], lock=True)
        now = self.now()
        sold_at = now
        offline = body.get("offline_created_at") is not None
        if offline:
            sold_at = parse_time(body["offline_created_at"], "offline_created_at")
            if sold_at < now - OFFLINE_MAX_AGE or sold_at > now + OFFLINE_MAX_FUTURE:
                raise ApiError("OFFLINE_SALE_TOO_OLD", "An offline sale must be uploaded within"
                               " 30 days, and cannot be dated in the future.")
        terms, state, priced = self._price(meter, body["amount"], sold_at)
        cur = self._currency()
        vendor = self.store.vendor(terminal["vendor_id"])
        assert vendor is not None
        if int(vendor["credit_cents"]) < priced.amount:
            raise ApiError("INSUFFICIENT_VENDOR_CREDIT",
                           "The vendor's credit is too low for this sale; top up the float.",
                           {"vendor_credit": money(int(vendor["credit_cents"]), cur)})

        # Tokens: key change sections (old key) first, then credit and FBE (new key).
        kc = self._key_change(meter)
        minter = TokenMinter(meter["drn"], int(meter["last_tid_minute"]), now)
        tokens: list[dict[str, Any]] = []
        try:
            vk160, vk64 = self._vks(meter)
            key_now = MeterKey.from_row(meter)
            if kc:
                tokens, key_now, dk = self._key_change_tokens(meter, minter, kc)
            else:
                dk = engine.decoder_key(meter["drn"], key_now, vk160, vk64)
            tokens.append(self._token(
                len(tokens) + 1, "credit", f"Credit {fmt_units(priced.units)} {terms.unit}",
                minter.credit(key_now, dk, meter["service"], priced.units), priced.units,
                terms.unit))
            if priced.fbe_units:
                tokens.append(self._token(
                    len(tokens) + 1, "fbe", f"Free basic {fmt_units(priced.fbe_units)} "
                    f"{terms.unit}", minter.credit(key_now, dk, meter["service"],
                                                   priced.fbe_units), priced.fbe_units,
                    terms.unit))
        except StsError as exc:
            log.warning("token engine refused meter %s: %s", meter["drn"], exc)
            raise ApiError("TOKEN_ENGINE_ERROR", "The token engine could not make a token for "
                           "this meter; the sale was not made.") from None

        # The float is taken in one statement (the check above may be stale by now); from
        # here to the commit the vendor's row is locked, so the rest is kept short.
        taken = self.store.debit_vendor_numbered(vendor["id"], priced.amount, "receipt")
        if taken is None:
            fresh = self.store.vendor(vendor["id"])
            assert fresh is not None
            raise ApiError("INSUFFICIENT_VENDOR_CREDIT",
                           "The vendor's credit is too low for this sale; top up the float.",
                           {"vendor_credit": money(int(fresh["credit_cents"]), cur)})
        credit, number = taken
        receipt_no = f"VP{number:08d}"
        arrears = state.arrears - priced.debt
        if priced.debt:
            self.store.set_arrears(int(meter["customer_id"]), arrears)
        if kc:
            self.store.update_meter_key(meter["drn"], key_now.krn, key_now.ti,
                                        key_now.base_date)
        self.store.set_meter_last_tid(meter["drn"], minter.minute)
        mail, notifications = self._notifications(meter, receipt_no, tokens,
                                                  body.get("notify") or [], now)
        u = self._utility()
        response = {
            "receipt_no": receipt_no,
            "idempotency_key": key,
            "terminal_id": terminal["id"],
            "client_reference": body.get("client_reference"),
            "created_at": iso(now),
            "sold_at": iso(sold_at),
            "offline": offline,
            "operator": {"id": op["id"], "name": op["name"]},
            "vendor": {"id": vendor["id"], "name": vendor["name"]},
            "utility": {"id": u["id"], "name": u["name"], "address": u["address"],
                        "vat_number": u["vat_number"]},
            "customer": {"name": meter["customer_name"], "address": meter["customer_address"],
                         "account": meter["account"]},
            "meter": {"meter_number": meter["drn"], "service": meter["service"],
                      "unit": terms.unit, "sgc": key_now.sgc, "krn": key_now.krn,
                      "ti": key_now.ti, "ea": key_now.ea, "base_date": key_now.base_date,
                      "two_way": bool(meter["two_way"])},
            **self._priced_wire(terms, state, priced),
            "tokens": tokens,
            "vendor_credit": money(credit, cur),
            "arrears_remaining": money(arrears, cur),
            "delivery": {"two_way": bool(meter["two_way"]),
                         "status": "pending" if meter["two_way"] else "not_applicable"},
            "notifications": notifications,
        }
        text = json.dumps(response, ensure_ascii=False, separators=(",", ":"))
        self.store.insert_sale({
            "receipt_no": receipt_no, "terminal_id": terminal["id"], "idem_key": key,
            "fingerprint": fp, "operator_id": op["id"], "vendor_id": vendor["id"],
            "meter_drn": meter["drn"], "amount_cents": priced.amount, "units": priced.units,
            "fbe_units": priced.fbe_units, "fixed_cents": priced.fixed,
            "debt_cents": priced.debt, "vat_cents": priced.vat, "tariff_id": terms.tariff_id,
            "tariff_version": terms.version, "sold_at": iso(sold_at),
            "month": self.local_month(sold_at), "created_at": iso(now),
            "key_change": int(kc is not None), "two_way": int(meter["two_way"]),
            "response": text,
        }, [(t["seq"], t["kind"], t["token"]) for t in tokens])
        self._event("vendor.credit", {"vendor_id": vendor["id"],
                                      "vendor_credit": money(credit, cur), "reason": "sale"},
                    vendor_id=vendor["id"])
        job = None
        if meter["two_way"]:
            job = DeliveryJob(meter["drn"], [t["token"] for t in tokens], receipt_no)
        return text, job, mail

    def _notifications(self, meter: Row, receipt_no: str, tokens: list[dict[str, Any]],
                       channels: list[str], now: datetime
                       ) -> tuple[list[int], list[dict[str, Any]]]:
        lines = [f"{t['seq']}) {t['display']} {t['description']}" for t in tokens]
        body = (f"Tokens for meter {meter['drn']} (receipt {receipt_no}). Enter in this "
                "order:\n" + "\n".join(lines))
        mail: list[int] = []
        out: list[dict[str, Any]] = []
        for channel in dict.fromkeys(channels):
            contact = meter["phone"] if channel == "sms" else meter["email"]
            if not contact:
                out.append({"channel": channel, "to": None, "status": "no_contact"})
                continue
            status = "queued" if (channel == "email" and self.smtp) else "recorded"
            outbox_id = self.store.add_outbox(receipt_no, channel, contact, body, status,
                                              iso(now))
            if status == "queued":
                mail.append(outbox_id)
            masked = mask_phone(contact) if channel == "sms" else mask_email(contact)
            out.append({"channel": channel, "to": masked, "status": status})
        return mail, out

    def sale_by_key(self, terminal: Row, key: str) -> str:
        """GET /v1/sales/{key}: the stored original response."""
        self.check_key(key)
        row = self.store.sale_by_key(terminal["id"], key)
        if row is None:
            raise ApiError("SALE_NOT_FOUND", "No sale was completed with that key on this "
                           "terminal; it is safe to send it again with the same key.")
        return str(row["response"])

    def sales_for_meter(self, terminal: Row, meter_number: str, limit: int) -> dict[str, Any]:
        """GET /v1/sales?meter=."""
        meter = self._meter(meter_number)
        rows = self.store.sales_for_meter(meter["drn"], limit)
        return {"sales": [{
            "sale": json.loads(r["response"]),
            "reversed": r["reversed_at"] is not None,
            "reversed_at": r["reversed_at"],
            "delivered": r["delivered_at"] is not None,
            "balance": None if r["delivered_balance"] is None
            else fmt_units(int(r["delivered_balance"])),
        } for r in rows if r["vendor_id"] == terminal["vendor_id"]]}
