"""Engineering tokens: clear tamper or credit, power limits, key change and test tokens."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sts.errors import StsError
from sts.tokens import ManagementSubclass, decode_amount, encode_amount
from vendserver import engine
from vendserver.db import Row
from vendserver.engine import MeterKey, TokenMinter
from vendserver.errors import ApiError
from vendserver.service.common import fingerprint, iso
from vendserver.service.meters import MeterOps
from vendserver.service.terminals import TerminalOps
from vendserver.service.tokens import TokenOps
from vendserver.smartmeters import DeliveryJob

log = logging.getLogger("vendserver.service")


class EngineeringOps(MeterOps, TokenOps, TerminalOps):
    """POST /v1/engineering-tokens, idempotent when an Idempotency-Key is sent."""

    def engineering(self, terminal: Row, operator_id: str | None, key: str | None,
                    body: dict[str, Any], *, approved_by: Row | None = None
                    ) -> tuple[str, bool]:
        """POST /v1/engineering-tokens: (response JSON text, replayed?).

        `approved_by`: the supervisor, already authenticated by the caller (the XMLVend
        face, whose protocol carries no supervisor PIN); else `body["supervisor"]`'s PIN is
        checked."""
        self.check_key(key, required=False)
        op = self._operator(terminal, operator_id)
        fp = fingerprint(body)
        if key is not None:
            row = self.store.engineering_by_key(terminal["id"], key)
            if row is not None:
                if row["fingerprint"] != fp:
                    raise ApiError("DUPLICATE_REQUEST_MISMATCH", "This Idempotency-Key was "
                                   "already used for a different request.")
                return str(row["response"]), True
        self._meter(body["meter_number"])  # refuse a bad meter before the slow PIN check
        sup = approved_by if approved_by is not None else \
            self._supervisor(terminal, body["supervisor"])
        type_ = body["type"]
        now = self.now()
        job = None
        with self.store.transaction():
            if key is not None:
                row = self.store.engineering_by_key(terminal["id"], key)
                if row is not None:
                    if row["fingerprint"] != fp:
                        raise ApiError("DUPLICATE_REQUEST_MISMATCH", "This Idempotency-Key "
                                       "was already used for a different request.")
                    return str(row["response"]), True
            meter = self._meter(body["meter_number"], lock=True)
            tokens, key_after = self._engineering_tokens(meter, type_, body, now)
            reference = f"EN{self.store.next_counter('engineering'):08d}"
            response = {
                "reference": reference, "meter_number": meter["drn"], "type": type_,
                "issued_at": iso(now), "supervisor": {"id": sup["id"], "name": sup["name"]},
                "tokens": tokens, "meter": key_after.wire(),
            }
            text = json.dumps(response, ensure_ascii=False, separators=(",", ":"))
            self.store.insert_engineering({
                "reference": reference, "terminal_id": terminal["id"], "idem_key": key,
                "fingerprint": fp, "meter_drn": meter["drn"], "type": type_,
                "operator_id": op["id"], "supervisor_id": sup["id"], "response": text,
                "created_at": iso(now)})
            if meter["two_way"] and type_ != "test":
                job = DeliveryJob(meter["drn"], [t["token"] for t in tokens], None)
        if job:
            self.meters.put(job)
        return text, False

    def _engineering_tokens(self, meter: Row, type_: str, body: dict[str, Any],
                            now: datetime) -> tuple[list[dict[str, Any]], MeterKey]:
        key = MeterKey.from_row(meter)
        value = body.get("value")

        def invalid(reason: str, message: str) -> ApiError:
            return ApiError("ENGINEERING_TOKEN_INVALID", message, {"reason": reason})

        try:
            if type_ == "test":
                if value is not None and not 0 <= value < (1 << (36 if len(meter["drn"]) == 11
                                                                   else 28)):
                    raise invalid("value_out_of_range", "The test control value does not fit.")
                token = TokenMinter.test(meter["drn"], value)
                return [self._token(1, "test", "Test/display token", token, None, None)], key
            kc = self._key_change(meter)
            minter = TokenMinter(meter["drn"], int(meter["last_tid_minute"]), now)
            if type_ == "key_change":
                new_ti = body.get("new_ti")
                if new_ti is not None:
                    if not 1 <= new_ti <= 99:
                        raise invalid("value_out_of_range", "The tariff index must be 1 to 99.")
                    kc = engine.pending_key_change(key, new_ti)
                if kc is None:
                    raise invalid("nothing_to_change", "This meter has no key change pending.")
                tokens, new, _ = self._key_change_tokens(meter, minter, kc)
                self.store.update_meter_key(meter["drn"], new.krn, new.ti, new.base_date)
                return tokens, new
            if kc:
                raise ApiError("KEY_REVISION_MUST_BE_UPDATED", "This meter needs a key change "
                               "first; issue the key change tokens.", {"reason": kc[0]})
            if type_ in ("set_power_limit", "set_phase_unbalance"):
                if meter["service"] != "electricity":
                    raise invalid("not_for_this_meter", "Power limits are for electricity "
                                  "meters only.")
                if value is None or not 1 <= value <= 65535:
                    raise invalid("value_out_of_range", "The limit must be 1 to 65535 W.")
                sub = (ManagementSubclass.SET_MAX_POWER if type_ == "set_power_limit"
                       else ManagementSubclass.SET_PHASE_UNBALANCE)
                # Watts use the STS amount format: above 16383 W the value is rounded up to
                # what the token can carry. Say what the meter will hold, and what was asked.
                held = decode_amount(encode_amount(int(value)))
                desc = f"{'Power limit' if sub == 0 else 'Phase unbalance limit'} {held} W"
                if held != value:
                    desc += f" (nearest the meter can hold to {value} W)"
            elif type_ == "clear_credit":
                register = body.get("register") or meter["service"]
                if register not in ("electricity", "water", "all"):
                    raise invalid("value_out_of_range", "Unknown credit register.")
                value = {"electricity": 0, "water": 1, "all": 0xFFFF}[register]
                sub, desc = ManagementSubclass.CLEAR_CREDIT, f"Clear credit ({register})"
            elif type_ == "clear_tamper":
                sub, value, desc = ManagementSubclass.CLEAR_TAMPER, 0, "Clear tamper"
            else:
                raise invalid("unknown_type", "Unknown engineering token type.")
            vk160, vk64 = self._vks(meter)
            dk = engine.decoder_key(meter["drn"], key, vk160, vk64)
            token = minter.management(key, dk, sub, int(value))
            self.store.set_meter_last_tid(meter["drn"], minter.minute)
            return [self._token(1, type_, desc, token, None, None)], key
        except StsError as exc:
            log.warning("token engine refused meter %s: %s", meter["drn"], exc)
            raise ApiError("TOKEN_ENGINE_ERROR", "The token engine could not make this "
                           "token.") from None
