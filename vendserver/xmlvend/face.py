"""The XMLVend 2.1 face: SOAP requests translated onto the same `VendingService`.

Same pricing, tokens, vendor float and idempotency as the JSON API: a `creditVendReq` is a
sale under the idempotency key made from (clientID, terminalID, msgID), so its answer is
stored by the service and an advice or a replay returns exactly the first answer.

Authentication: `terminalID@id` is the terminal's id and `authCred/password` its credential
(the secret issued at activation); `authCred/opName` is the operator. (Real servers identify
the vendor by its TLS client certificate; the credential stands in for it here.)

Personalities (`Personality`) switch what real servers do differently: a reused msgID
(Conlog refuses it, Hexing returns the first answer), the SOAP versions accepted, and gzip.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from common.money import exponent
from common.safexml import HostileXml
from sts.tokens import test_token
from vendserver.errors import ApiError
from vendserver.money import fmt_units
from vendserver.service import VendingService
from vendserver.service.common import iso
from vendserver.xmlvend.wire import (
    CONTENT_TYPE,
    BadRequest,
    El,
    Request,
    child,
    el,
    envelope,
    fault_envelope,
    find,
)

log = logging.getLogger("vendserver.xmlvend")

__all__ = ["PERSONALITIES", "Personality", "XmlVendFace"]


@dataclass(frozen=True)
class Personality:
    """How this face behaves where real XMLVend servers differ."""

    name: str
    reused_msgid: str  # "refuse" (Conlog) | "replay" (Hexing)
    soap_versions: tuple[str, ...]
    gzip: bool
    fault_string: str = "XMLVend fault"
    #: Whether `ReversalAdviceReq` undoes a sale (else UseCaseSupportEx, as many servers do).
    reversal: bool = False


PERSONALITIES = {
    "conlog": Personality("conlog", "refuse", ("1.1", "1.2"), True, reversal=True),
    "hexing": Personality("hexing", "replay", ("1.1",), False, "NRSFaultResponseSoapOut"),
}

#: meterSpecificEngReq xsi -> (our engineering type, answer xsi, answer child).
ENGINEERING = {
    "ClearTamperReq": ("clear_tamper", "ClearTamperResp", "clearTamper"),
    "ClearCreditReq": ("clear_credit", "ClearCreditResp", "clearCredit"),
    "PwrLmtReq": ("set_power_limit", "PwrLmtResp", "pwrLmtToken"),
    "PhUnbalReq": ("set_phase_unbalance", "PhUnbalResp", "phUnbalance"),
    "EngKCTReq": ("key_change", "EngKCTResp", "engKCToken"),
}
#: Batch request xsi prefix -> our batch kind.
BATCH_KINDS = {"Shift": "shift", "Sales": "sales"}

#: The service's error codes -> XMLVend fault types.
FAULTS = {
    "UNKNOWN_METER": "UnknownMeterEx", "METER_CHECK_DIGIT": "MSNOCheckDigitEx",
    "METER_NUMBER_INVALID": "MSNOCheckDigitEx", "BLOCKED_METER": "BlockedMeterEx",
    "INSUFFICIENT_VENDOR_CREDIT": "VendorCreditEx",
    "KEY_REVISION_MUST_BE_UPDATED": "LatestKRNEx", "DECODER_KEY_EXPIRED": "LatestKRNEx",
    "AMOUNT_OUT_OF_RANGE": "BusinessRuleEx", "OPERATOR_NOT_ALLOWED": "RequestAuthorisationEx",
    "OPERATOR_REQUIRED": "RequestAuthorisationEx", "OPERATOR_LOCKED": "RequestAuthorisationEx",
    "TERMINAL_UNAUTHENTICATED": "ClientIDAuthorisationEx",
    "TERMINAL_DISABLED": "ClientIDAuthorisationEx", "VALIDATION_ERROR": "XMLVendSchemaEx",
    "CURRENCY_MISMATCH": "XMLVendSchemaEx", "ENGINEERING_TOKEN_INVALID": "BusinessRuleEx",
    "SUPERVISOR_REQUIRED": "RequestAuthorisationEx",
}
_KEY_SAFE = re.compile(r"[^A-Za-z0-9.-]")


class Fault(Exception):
    """An XMLVend fault to answer with."""

    def __init__(self, type_: str, desc: str, code: str = "") -> None:
        super().__init__(desc)
        self.type = type_
        self.desc = desc
        self.code = code


class XmlVendFace:
    """Answers XMLVend requests over `service` with a switchable `personality`."""

    def __init__(self, service: VendingService, personality: Personality) -> None:
        self.service = service
        self.personality = personality
        self.server_ean = "6004930000009"
        # Batches by (terminal, kind): [seqNo, opened at or None, receipts sold while open].
        # Kept in memory: the face is a test double (a restart closes every batch).
        self._batches: dict[tuple[str, str], list[Any]] = {}
        self._batch_lock = threading.Lock()
        #: The service idempotency keys of the sales confirmed by ConfirmationAdviceReq.
        self.confirmed: list[str] = []

    # -- entry point -----------------------------------------------------------------------------
    def handle(self, data: bytes, accept_encoding: str = "") -> tuple[int, bytes, dict[str, str]]:
        """(HTTP status, body, headers) for one POSTed envelope."""
        try:
            req = Request.read(data)
        except (HostileXml, BadRequest) as exc:
            log.info("XMLVend request refused: %s", exc)
            body = fault_envelope(el("ns2:xmlvendFaultResp").add(
                el("ns2:fault", "ns2:XMLVendSchemaEx").add(
                    el("ns2:desc", text=f"The request cannot be read: {exc}"))), "1.1",
                self.personality.fault_string)
            return self._out(500, body, "1.1", accept_encoding)
        if req.version not in self.personality.soap_versions:
            body = fault_envelope(self._fault_detail(req, Fault(
                "XMLVendSchemaEx", f"SOAP {req.version} is not supported here.")),
                req.version, "VersionMismatch")
            return self._out(500, body, req.version, accept_encoding)
        try:
            answer = self._dispatch(req)
        except Fault as f:
            body = fault_envelope(self._fault_detail(req, f), req.version,
                                  self.personality.fault_string)
            return self._out(500, body, req.version, accept_encoding)
        except ApiError as exc:
            mapped = Fault(FAULTS.get(exc.code, "SystemEx"), exc.message, exc.code)
            body = fault_envelope(self._fault_detail(req, mapped), req.version,
                                  self.personality.fault_string)
            return self._out(500, body, req.version, accept_encoding)
        return self._out(200, envelope(answer, req.version), req.version, accept_encoding)

    def _out(self, status: int, body: bytes, version: str, accept_encoding: str
             ) -> tuple[int, bytes, dict[str, str]]:
        headers = {"Content-Type": CONTENT_TYPE[version]}
        if self.personality.gzip and "gzip" in accept_encoding.lower():
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        return status, body, headers

    # -- requests --------------------------------------------------------------------------------
    def _dispatch(self, req: Request) -> El:
        if not req.msg_number.isdigit() or not req.msg_date_time.isdigit():
            raise Fault("XMLVendSchemaEx", "msgID needs a numeric dateTime and uniqueNumber.")
        terminal = self._terminal(req)
        if req.op == "confirmCustomerReq":
            return self._confirm(req)
        if req.op == "trialCreditVendReq":
            return self._vend(req, terminal, trial=True)
        if req.op == "creditVendReq":
            return self._vend(req, terminal, trial=False)
        if req.op == "adviceReq":
            return self._advice(req, terminal)
        if req.op == "meterSpecificEngReq":
            return self._engineering(req, terminal)
        if req.op == "nonMeterSpecificEngReq":
            return self._non_meter_engineering(req, terminal)
        if req.op == "updateMeterKeyReq":
            return self._update_meter_key(req, terminal)
        if req.op == "reprintReq":
            return self._reprint(req, terminal)
        if req.op in ("startBatchReq", "endBatchReq", "totalBatchReq"):
            return self._batch(req, terminal)
        raise Fault("UseCaseSupportEx", f"{req.op} is not implemented by this server.")

    def _terminal(self, req: Request) -> Any:
        try:
            terminal = self.service.authenticate(req.password)
        except ApiError:
            raise Fault("ClientIDAuthorisationEx", "This client is not registered.") from None
        if terminal["id"] != req.terminal_id:
            raise Fault("ClientIDAuthorisationEx", "This terminal is not registered for that "
                        "credential.")
        return terminal

    @staticmethod
    def _msno(req: Request) -> str:
        ident = find(req.element, "meterIdentifier")
        msno = "" if ident is None else (ident.get("msno") or "")
        if not msno:  # updateMeterKeyReq: idMethod is itself a MeterDetail
            detail = child(req.element, "idMethod")
            msno = "" if detail is None else (detail.get("msno") or "")
        if not msno:
            raise Fault("XMLVendSchemaEx", "The request names no meter.")
        return msno

    def key(self, client_id: str, terminal_id: str, date_time: str, number: str) -> str:
        """The service's idempotency key for one XMLVend msgID."""
        raw = f"{client_id}.{terminal_id}.{date_time}.{number}"
        key = "xv-" + _KEY_SAFE.sub("_", raw)
        if len(key) > 128:
            key = "xv-" + hashlib.sha256(raw.encode()).hexdigest()
        return key

    def _confirm(self, req: Request) -> El:
        info = self.service.meter_info(self._msno(req))
        cust = info["customer"]
        key = info["key"]
        resp = self._resp_header("ns3:confirmCustomerResp", req, req.msg_date_time,
                                 req.msg_number)
        result = el("ns3:confirmCustResult").add(
            el("ns2:custVendDetail", name=cust["name"] or "null",
               address=cust["address"] or "null", accNo=cust["account"] or "",
               daysLastPurchase=str(info["days_since_last_purchase"] or 0)),
            el("ns2:custVendConfig").add(
                el("ns2:canVend", text="false" if info["blocked"] else "true"),
                el("ns2:fbeDue", text="true" if info["fbe_due"] else "false")),
            el("ns2:meterDetail", msno=info["meter_number"], sgc=str(key.get("sgc", "")),
               krn=str(key.get("krn", "")), ti=str(key.get("ti", ""))).add(
                el("ns2:meterType", at="07", tt="02")))
        if info["blocked"]:
            raise Fault("BlockedMeterEx", f"This meter is blocked: "
                        f"{info['blocked_reason'] or 'see the utility'}.")
        return resp.add(result)

    def _amount(self, req: Request) -> dict[str, str]:
        pv = child(req.element, "purchaseValue")
        amt = child(pv, "amt")
        if amt is None or not amt.get("value"):
            raise Fault("UseCaseSupportEx", "Only purchases by currency are implemented here.")
        cur = self.service.utility_wire()["currency"]
        try:
            value = Decimal(amt.get("value", ""))
        except ArithmeticError:
            raise Fault("XMLVendSchemaEx", "The purchase amount is not a number.") from None
        places = exponent(cur)
        if value != value.quantize(Decimal(1).scaleb(-places)) if places else value != int(value):
            raise Fault("BusinessRuleEx", f"A {cur} amount has {places} decimals.")
        text = format(value.quantize(Decimal(1).scaleb(-places)), "f") if places else \
            str(int(value))
        return {"amount": text, "currency": cur}

    def _vend(self, req: Request, terminal: Any, *, trial: bool) -> El:
        amount = self._amount(req)
        meter = self._msno(req)
        if trial:
            quote = self.service.quote({"meter_number": meter, "amount": amount})
            return self._vend_resp("ns3:trialCreditVendResp", req, quote, trial=True,
                                   echo=(req.msg_date_time, req.msg_number))
        key = self.key(req.client_id, req.terminal_id, req.msg_date_time, req.msg_number)
        existing = self.service.store.sale_by_key(terminal["id"], key)
        if existing is not None:
            if self.personality.reused_msgid == "refuse":
                raise Fault("BusinessRuleEx", "Duplicate msgID: this msgID was already used "
                            "by an earlier request.", "DUPLICATE_MSGID")
            sale = json.loads(existing["response"])  # Hexing: the first answer again
        else:
            text, _ = self.service.sale(terminal, req.op_name or None, key, {
                "meter_number": meter, "amount": amount, "client_reference": None,
                "notify": []})
            sale = json.loads(text)
            with self._batch_lock:  # the sale belongs to the terminal's open batches
                for (terminal_id, _), state in self._batches.items():
                    if terminal_id == str(terminal["id"]) and state[1] is not None:
                        state[2].append(str(sale["receipt_no"]))
        return self._vend_resp("ns3:creditVendResp", req, sale, trial=False,
                               echo=(req.msg_date_time, req.msg_number))

    def _advice(self, req: Request, terminal: Any) -> El:
        about = child(req.element, "adviceReqMsgID")
        if about is None:
            raise Fault("XMLVendSchemaEx", "adviceReqMsgID is missing.")
        date_time, number = about.get("dateTime", ""), about.get("uniqueNumber", "")
        key = self.key(req.client_id, req.terminal_id, date_time, number)
        row = self.service.store.sale_by_key(terminal["id"], key)
        kind = req.xsi_type
        if kind == "LastRespAdviceReq":
            if row is None:
                raise Fault("LastResponseEx", "There is no transaction for that msgID.")
            sale = json.loads(row["response"])
            resp = self._resp_header("ns2:adviceResp", req, req.msg_date_time, req.msg_number,
                                     xsi="ns2:LastRespAdviceResp")
            resp.add(el("ns2:adviceReqMsgID", dateTime=date_time, uniqueNumber=number))
            last = self._vend_resp("ns2:lastResponse", req, sale, trial=False,
                                   echo=(date_time, number), xsi="ns3:CreditVendResp")
            return resp.add(last)
        if kind == "ConfirmationAdviceReq":
            if row is None:
                raise Fault("ConfirmationEx", "There is no transaction for that msgID.")
            resp = self._resp_header("ns2:adviceResp", req, req.msg_date_time, req.msg_number,
                                     xsi="ns2:ConfirmationAdviceResp")
            resp.attrs["txConfirmed"] = "true"
            self.confirmed.append(key)
            return resp.add(el("ns2:adviceReqMsgID", dateTime=date_time, uniqueNumber=number))
        if kind == "ReversalAdviceReq":
            return self._reversal(req, terminal, row, date_time, number)
        raise Fault("UseCaseSupportEx", f"{kind or 'this advice'} is not implemented here.")

    def _reversal(self, req: Request, terminal: Any, row: Any, date_time: str,
                  number: str) -> El:
        """`ReversalAdviceReq`: the service's reversal (same policy: same day, not delivered,
        no key change) of the sale made under `adviceReqMsgID`, approved by `opName`."""
        if not self.personality.reversal:
            raise Fault("UseCaseSupportEx", "Reversal advice is not supported by this server.")
        if row is None:
            raise Fault("ReversalEx", "There is no transaction for that msgID.")
        sale = json.loads(row["response"])
        resp = self._resp_header("ns2:adviceResp", req, req.msg_date_time, req.msg_number,
                                 xsi="ns2:ReversalAdviceResp")
        try:
            self.service.reverse(terminal, req.op_name or None, str(sale["receipt_no"]),
                                 {"reason": "XMLVend reversal advice"},
                                 approved_by=self._supervisor(req, terminal))
        except ApiError as exc:
            if exc.code != "REVERSAL_NOT_ALLOWED":
                raise
            resp.attrs["txReversed"] = "false"
            resp.children.insert(5, el("ns2:operatorMsg", text=exc.message))
            return resp.add(el("ns2:adviceReqMsgID", dateTime=date_time, uniqueNumber=number))
        resp.attrs["txReversed"] = "true"
        return resp.add(el("ns2:adviceReqMsgID", dateTime=date_time, uniqueNumber=number))

    def _supervisor(self, req: Request, terminal: Any) -> Any:
        """The operator named in `authCred/opName`, who must be a supervisor: XMLVend carries
        no supervisor PIN, so the till checked it and names the supervisor here."""
        try:
            op = self.service._operator(terminal, req.op_name or None)
        except ApiError:
            raise Fault("RequestAuthorisationEx", "That operator may not work on this "
                        "terminal.") from None
        if op["role"] not in ("supervisor", "admin"):
            raise Fault("RequestAuthorisationEx", "This needs a supervisor as the operator.")
        return op

    # -- engineering -------------------------------------------------------------------------
    def _engineering(self, req: Request, terminal: Any) -> El:
        """`meterSpecificEngReq`: the service's engineering tokens under the msgID's key."""
        if req.xsi_type not in ENGINEERING:
            raise Fault("UseCaseSupportEx", f"{req.xsi_type or 'this request'} is not "
                        "implemented by this server.")
        type_, resp_xsi, child_name = ENGINEERING[req.xsi_type]
        meter = self._msno(req)
        body: dict[str, Any] = {"meter_number": meter, "type": type_}
        if type_ in ("set_power_limit", "set_phase_unbalance"):
            limit = child(req.element, "pwrLmt")
            try:
                kw = Decimal((limit.get("value") if limit is not None else "") or "x")
            except ArithmeticError:
                raise Fault("XMLVendSchemaEx", "pwrLmt needs a value in kW.") from None
            if kw != kw.quantize(Decimal("0.001")):
                raise Fault("XMLVendSchemaEx", "pwrLmt has more than 3 decimals.")
            body["value"] = int(kw * 1000)
        if type_ == "key_change":
            data = child(req.element, "kctData")
            info = self.service.meter_info(meter)
            to_ti = "" if data is None else (data.get("toTI") or "")
            if to_ti and to_ti != str(info["key"].get("ti", "")):
                if not to_ti.isdigit():
                    raise Fault("XMLVendSchemaEx", "kctData toTI is not a number.")
                body["new_ti"] = int(to_ti)
        return self._eng_answer(req, terminal, body, "ns4:meterSpecificEngResp",
                                f"ns4:{resp_xsi}", f"ns4:{child_name}")

    def _update_meter_key(self, req: Request, terminal: Any) -> El:
        """`updateMeterKeyReq`: the meter's pending key change (the server picks the to-data);
        none pending is `UpdateMtrKeySameEx`."""
        meter = self._msno(req)
        return self._eng_answer(req, terminal, {"meter_number": meter, "type": "key_change"},
                                "ns4:updateMeterKeyResp", None, "ns4:updateMeterKey")

    def _eng_answer(self, req: Request, terminal: Any, body: dict[str, Any], tag: str,
                    xsi: str | None, child_tag: str) -> El:
        key = self.key(req.client_id, req.terminal_id, req.msg_date_time, req.msg_number)
        if (self.personality.reused_msgid == "refuse"
                and self.service.store.engineering_by_key(terminal["id"], key) is not None):
            raise Fault("BusinessRuleEx", "Duplicate msgID: this msgID was already used by an "
                        "earlier request.", "DUPLICATE_MSGID")
        sup = self._supervisor(req, terminal)
        before = self.service.meter_info(str(body["meter_number"]))["key"]
        try:
            text, _ = self.service.engineering(terminal, req.op_name or None, key, body,
                                               approved_by=sup)
        except ApiError as exc:
            details = exc.details if isinstance(exc.details, dict) else {}
            if exc.code == "ENGINEERING_TOKEN_INVALID" and \
                    details.get("reason") == "nothing_to_change":
                raise Fault("UpdateMtrKeySameEx", exc.message) from None
            raise
        answer = json.loads(text)
        resp = self._vend_header(tag, req, answer["meter_number"], xsi=xsi)
        meter = {"meter_number": answer["meter_number"], **answer["meter"]}
        tokens = answer["tokens"]
        issue = el(child_tag).add(el("ns2:desc", text=tokens[0]["description"]),
                                  self._meter_detail(meter))
        if body["type"] == "key_change":
            pairs = [tokens[i:i + 2] for i in range(0, len(tokens) - 1, 2)]
            for first, second in pairs[:1]:
                issue.add(el("ns2:token", "ns2:KCToken").add(
                    el("ns2:set1stMeterKey", "ns2:STS1Token").add(
                        el("ns2:stsCipher", text=first["token"])),
                    el("ns2:set2ndMeterKey", "ns2:STS1Token").add(
                        el("ns2:stsCipher", text=second["token"]))))
            issue.add(el("ns2:kctData", fromSGC=str(before.get("sgc", "")),
                         fromKRN=str(before.get("krn", "")),
                         fromTI=str(before.get("ti", "")), toSGC=str(meter.get("sgc", "")),
                         toKRN=str(meter.get("krn", "")), toTI=str(meter.get("ti", ""))))
            resp.add(issue)
            # A 128-bit key change has a 3rd and 4th section: a second KCTokenIssue.
            for first, second in pairs[1:]:
                resp.add(el(child_tag).add(
                    el("ns2:desc", text=first["description"]), self._meter_detail(meter),
                    el("ns2:token", "ns2:KCToken").add(
                        el("ns2:set1stMeterKey", "ns2:STS1Token").add(
                            el("ns2:stsCipher", text=first["token"])),
                        el("ns2:set2ndMeterKey", "ns2:STS1Token").add(
                            el("ns2:stsCipher", text=second["token"])))))
            return resp
        issue.add(el("ns2:token", "ns2:STS1Token").add(
            el("ns2:stsCipher", text=tokens[0]["token"])))
        if body["type"] in ("set_power_limit", "set_phase_unbalance"):
            issue.add(el("ns2:pwrLmt", value=_kw(int(body["value"])), siUnit="kW"))
        return resp.add(issue)

    def _non_meter_engineering(self, req: Request, terminal: Any) -> El:
        """`nonMeterSpecificEngReq` `TestAllReq`: a class 1 test token testing everything
        (not encrypted, no meter number: manufacturer code 00). Other test and display types
        are `UseCaseSupportEx` here."""
        if req.xsi_type != "TestAllReq":
            raise Fault("UseCaseSupportEx", f"{req.xsi_type or 'this request'} is not "
                        "implemented by this server.")
        self._supervisor(req, terminal)
        meter_type = child(req.element, "meterType")
        token = test_token(0, (1 << 36) - 1, "00")
        resp = self._resp_header("ns4:nonMeterSpecificEngResp", req, req.msg_date_time,
                                 req.msg_number, xsi="ns4:TestAllResp")
        return resp.add(el("ns4:testAll").add(
            el("ns2:desc", text="Test all"),
            el("ns2:meterType", at=(meter_type.get("at") or "07") if meter_type is not None
               else "07", tt=(meter_type.get("tt") or "02") if meter_type is not None
               else "02"),
            el("ns2:token", "ns2:STS1Token").add(el("ns2:stsCipher", text=token))))

    # -- reprint ---------------------------------------------------------------------------------
    def _reprint(self, req: Request, terminal: Any) -> El:
        """`reprintReq` by meter: the meter's latest sales by this vendor, each a whole
        `creditVendResp` as first answered (the server picks which: the last five)."""
        found = self.service.sales_for_meter(terminal, self._msno(req), 5)["sales"]
        if not found:
            raise Fault("ReprintEx", "There is no earlier sale of this meter to reprint.")
        resp = self._resp_header("ns3:reprintResp", req, req.msg_date_time, req.msg_number)
        for item in found:
            sale = item["sale"]
            parts = str(sale.get("idempotency_key", "")).split(".")
            echo = (parts[-2], parts[-1]) if len(parts) >= 4 else ("", "")
            resp.add(self._vend_resp("ns3:reprint", req, sale, trial=False, echo=echo,
                                     xsi="ns3:CreditVendResp"))
        return resp

    # -- batches -----------------------------------------------------------------------------------
    def _batch(self, req: Request, terminal: Any) -> El:
        """`start|end|totalBatchReq` for shift and sales batches: start opens one (already
        open: `StartBatchEx`), total reports the open one, end reports and closes it (none
        open: `EndBatchEx`). The figures are those of this terminal's sales made while the
        batch was open (count, amount, VAT, units, and which of them were reversed since),
        as the JSON API's Z report compares them."""
        verb = req.op[:-len("BatchReq")]
        name = req.xsi_type
        kind = next((k for prefix, k in BATCH_KINDS.items()
                     if name == f"{verb.capitalize()}{prefix}BatchReq"), None)
        if kind is None:
            raise Fault("UseCaseSupportEx", f"{name or 'this batch'} is not implemented here.")
        label = "Shift" if kind == "shift" else "Sales"
        now = self.service.now()
        slot = (str(terminal["id"]), kind)
        with self._batch_lock:
            state = self._batches.setdefault(slot, [0, None, []])
            if verb == "start":
                if state[1] is not None:
                    raise Fault("StartBatchEx", f"A {kind} batch is already open "
                                f"(No. {state[0]}).")
                state[0] += 1
                state[1] = now
                state[2] = []
                resp = self._resp_header("ns3:startBatchResp", req, req.msg_date_time,
                                         req.msg_number)
                return resp.add(el("ns3:startedBatch", f"ns3:{label}StartBatch",
                                   seqNo=str(state[0])).add(
                    el("ns3:started", text=iso(now))))
            if state[1] is None:
                raise Fault("EndBatchEx", f"No {kind} batch is open.")
            seq, opened, receipts = state[0], state[1], list(state[2])
            if verb == "end":
                state[1] = None
        totals = {"sales_count": 0, "sales_amount": 0, "vat": 0, "units": 0,
                  "reversals_count": 0, "reversals_amount": 0}
        for receipt_no in receipts:
            row = self.service.store.sale(receipt_no)
            if row is None:
                continue
            totals["sales_count"] += 1
            totals["sales_amount"] += int(row["amount_cents"])
            totals["vat"] += int(row["vat_cents"])
            totals["units"] += int(row["units"])
            if row["reversed_at"]:
                totals["reversals_count"] += 1
                totals["reversals_amount"] += int(row["amount_cents"])
        cur = self.service.utility_wire()["currency"]
        symbol = "R" if cur == "ZAR" else cur

        def amt(tag: str, cents: int) -> El:
            return el(tag, value=_fmt(Decimal(cents).scaleb(-exponent(cur)), cur),
                      symbol=symbol)

        sales, reversed_ = int(totals["sales_amount"]), int(totals["reversals_amount"])
        batch = el(f"ns3:{'endBatch' if verb == 'end' else 'totalBatch'}",
                   f"ns3:{label}Batch", seqNo=str(seq)).add(
            el("ns3:started", text=iso(opened)), el("ns3:ended", text=iso(now)),
            amt("ns3:batchTot", sales - reversed_), amt("ns3:totTax", int(totals["vat"])),
            el("ns3:batchReport").add(
                amt("ns3:txTotal", sales).add(), amt("ns3:txTotal", reversed_),
                el("ns3:resTot", value=fmt_units(int(totals["units"])), siUnit="kWh")))
        report = batch.children[-1]
        report.children[0].attrs.update(type="CreditVendTx",
                                        count=str(int(totals["sales_count"])))
        report.children[1].attrs.update(type="ReversalTx",
                                        count=str(int(totals["reversals_count"])))
        resp = self._resp_header(f"ns3:{verb}BatchResp", req, req.msg_date_time,
                                 req.msg_number)
        return resp.add(batch)

    # -- answers -------------------------------------------------------------------------------
    def _resp_header(self, tag: str, req: Request, date_time: str, number: str,
                     xsi: str | None = None, resp_time: str | None = None) -> El:
        from datetime import UTC, datetime

        when = resp_time or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+00:00")
        return el(tag, xsi).add(
            el("ns2:clientID", "ns2:EANDeviceID", ean=req.client_id),
            el("ns2:serverID", "ns2:EANDeviceID", ean=self.server_ean),
            el("ns2:terminalID", "ns2:GenericDeviceID", id=req.terminal_id),
            el("ns2:reqMsgID", dateTime=date_time, uniqueNumber=number),
            el("ns2:respDateTime", text=when),
            el("ns2:dispHeader", text="VENDPOINT REFERENCE \u2013 PREPAID|0|0.00|0"))

    def _vend_resp(self, tag: str, req: Request, sale: dict[str, Any], *, trial: bool,
                   echo: tuple[str, str], xsi: str | None = None) -> El:
        cur = sale["amount_tendered"]["currency"]
        symbol = "R" if cur == "ZAR" else cur
        created = str(sale.get("created_at") or sale.get("priced_at") or "")
        resp_time = created.replace("Z", ".000+00:00") if created else None
        resp = self._resp_header(tag, req, *echo, xsi=xsi, resp_time=resp_time)
        credit = sale.get("vendor_credit") or {"amount": "0", "currency": cur}
        if trial:
            # A quote has no float of its own: the vendor's float now.
            credit = self._float(req) or credit
        utility = sale.get("utility") or self.service.utility_wire()
        customer = sale.get("customer") or {}
        meter = sale.get("meter") or {"meter_number": sale.get("meter_number", ""),
                                      "sgc": "", "krn": "", "ti": ""}
        resp.add(
            el("ns2:clientStatus").add(el("ns2:availCredit", value=credit["amount"],
                                          symbol=symbol)),
            el("ns2:utility", name=str(utility.get("name", "")),
               address=str(utility.get("address", ""))),  # no taxRef: as Hexing sends it
            el("ns2:vendor", name=str((sale.get("vendor") or {}).get("name", "")),
               address="null"),
            el("ns2:custVendDetail", name=str(customer.get("name") or "null"),
               address=str(customer.get("address") or "null"),
               accNo=str(customer.get("account") or "")))

        def meter_detail() -> El:
            return el("ns2:meterDetail", msno=str(meter["meter_number"]),
                      sgc=str(meter.get("sgc", "")), krn=str(meter.get("krn", "")),
                      ti=str(meter.get("ti", "")), maxVendAmt="null").add(
                el("ns2:meterType", at="07", tt="02"))

        def amt(tag_: str, value: str) -> El:
            return el(tag_, value=value, symbol=symbol)

        lines = sale["lines"]
        tokens = sale.get("tokens") or []
        if trial:
            tokens = [{"kind": "credit", "token": "0" * 20, "units": sale["units"]}]
        credit_tokens = [t for t in tokens if t["kind"] == "credit"]
        fbe_tokens = [t for t in tokens if t["kind"] == "fbe"]
        kc_tokens = [t for t in tokens if t["kind"] == "key_change"]
        energy = [ln for ln in lines if ln["kind"] == "energy"]
        net = sum(_dec(ln["amount"]["amount"]) for ln in energy)
        vat = sum(_dec((ln.get("vat") or {"amount": "0"})["amount"]) for ln in energy)
        rate = str(sale.get("vat", {}).get("rate", "15.00"))
        txs: list[El] = []
        # The FBE tx first and the KCT inside the later sale tx: Hexing's order, which is not
        # the entry order (the client must reorder).
        for t in fbe_tokens:
            txs.append(el("ns3:tx", "ns3:CreditVendTx", receiptNo=sale.get("receipt_no", "")).add(
                amt("ns3:amt", _fmt(Decimal(0), cur)),
                el("ns3:creditTokenIssue", "ns2:FBECredTokenIssue").add(
                    el("ns2:desc", text="Free basic electricity"), meter_detail(),
                    el("ns2:token", "ns2:STS1Token").add(el("ns2:stsCipher", text=t["token"])),
                    el("ns2:units", value=t["units"], siUnit="KWH"),
                    el("ns2:resource", "ns2:Electricity"))))
        for t in credit_tokens:
            tx = el("ns3:tx", "ns3:CreditVendTx", receiptNo=sale.get("receipt_no", "")).add(
                amt("ns3:amt", _fmt(net, cur)),
                el("ns3:tax", "ns2:VAT", rate=_rate(rate)).add(amt("ns2:amt", _fmt(vat, cur))),
                el("ns3:creditTokenIssue", "ns2:SaleCredTokenIssue").add(
                    el("ns2:desc", text="Normal sale"), meter_detail(),
                    el("ns2:token", "ns2:STS1Token").add(el("ns2:stsCipher", text=t["token"])),
                    el("ns2:units", value=t["units"], siUnit="kWh"),
                    el("ns2:resource", "ns2:Electricity")))
            # One kcTokenIssue per pair of key change tokens (an EA11 key change has two).
            for first in range(0, len(kc_tokens) - 1, 2):
                kct = el("ns3:kcTokenIssue").add(
                    el("ns2:desc", text="Key change"), meter_detail(),
                    el("ns2:token", "ns2:KCToken").add(
                        el("ns2:set1stMeterKey", "ns2:STS1Token").add(
                            el("ns2:stsCipher", text=kc_tokens[first]["token"])),
                        el("ns2:set2ndMeterKey", "ns2:STS1Token").add(
                            el("ns2:stsCipher", text=kc_tokens[first + 1]["token"]))),
                    el("ns2:kctData", fromSGC=str(meter.get("sgc", "")),
                       fromKRN="1", fromTI=str(meter.get("ti", "")),
                       toSGC=str(meter.get("sgc", "")), toKRN=str(meter.get("krn", "")),
                       toTI=str(meter.get("ti", ""))))
                tx.add(kct)
            tariff = sale.get("tariff") or {}
            tx.add(el("ns3:tariff").add(el("ns2:name", text=str(tariff.get("name", "")))))
            txs.append(tx)
        for ln in lines:
            if ln["kind"] in ("fixed_charge", "debt_recovery"):
                kind = "ServiceChrgTx" if ln["kind"] == "fixed_charge" else "DebtRecoveryTx"
                line_vat = _dec((ln.get("vat") or {"amount": "0"})["amount"])
                tx = el("ns3:tx", f"ns3:{kind}").add(
                    amt("ns3:amt", ln["amount"]["amount"]))
                if line_vat:
                    tx.add(el("ns3:tax", "ns2:VAT", rate=_rate(rate)).add(
                        amt("ns2:amt", _fmt(line_vat, cur))))
                tx.add(el("ns3:accDesc", text=ln["description"]))
                txs.append(tx)
        receipt_no = "0" * 16 if trial else str(sale.get("receipt_no", ""))
        tendered = sale["amount_tendered"]["amount"]
        receipt = el("ns3:creditVendReceipt", receiptNo=receipt_no).add(
            el("ns3:transactions").add(*txs, amt("ns3:tenderAmt", tendered),
                                       amt("ns3:change", _fmt(Decimal(0), cur))))
        return resp.add(receipt)

    def _float(self, req: Request) -> dict[str, str] | None:
        """The vendor's float (the terminal's vendor, by the credential), as API money."""
        try:
            terminal = self.service.authenticate(req.password)
        except ApiError:
            return None
        vendor = self.service.store.vendor(terminal["vendor_id"])
        if vendor is None:
            return None
        cur = self.service.utility_wire()["currency"]
        return {"amount": _fmt(Decimal(int(vendor["credit_cents"])).scaleb(-exponent(cur)),
                               cur), "currency": cur}

    def _vend_header(self, tag: str, req: Request, meter_number: str, *,
                     xsi: str | None = None) -> El:
        """A BaseVendResp header (clientStatus with the vendor's float, utility, vendor,
        customer) for an answer that is not a sale (engineering, key update)."""
        resp = self._resp_header(tag, req, req.msg_date_time, req.msg_number, xsi=xsi)
        cur = self.service.utility_wire()["currency"]
        credit = self._float(req) or {"amount": "0", "currency": cur}
        utility = self.service.utility_wire()
        info = self.service.meter_info(meter_number)
        cust = info["customer"]
        return resp.add(
            el("ns2:clientStatus").add(el("ns2:availCredit", value=credit["amount"],
                                          symbol="R" if cur == "ZAR" else cur)),
            el("ns2:utility", name=str(utility.get("name", "")),
               address=str(utility.get("address", ""))),
            el("ns2:custVendDetail", name=str(cust.get("name") or "null"),
               address=str(cust.get("address") or "null"),
               accNo=str(cust.get("account") or "")))

    @staticmethod
    def _meter_detail(meter: dict[str, Any]) -> El:
        return el("ns2:meterDetail", msno=str(meter["meter_number"]),
                  sgc=str(meter.get("sgc", "")), krn=str(meter.get("krn", "")),
                  ti=str(meter.get("ti", ""))).add(el("ns2:meterType", at="07", tt="02"))

    def _fault_detail(self, req: Request, f: Fault) -> El:
        detail = self._resp_header("ns2:xmlvendFaultResp", req, req.msg_date_time,
                                   req.msg_number)
        fault = el("ns2:fault", f"ns2:{f.type}").add(el("ns2:desc", text=f.desc))
        if f.code:
            fault.add(el("ns2:faultCode", text=f.code))
        return detail.add(el("ns2:operatorMsg", text=f.desc), fault)


def _dec(text: str) -> Decimal:
    return Decimal(text)


def _fmt(value: Decimal | int, cur: str) -> str:
    places = exponent(cur)
    return format(Decimal(value).quantize(Decimal(1).scaleb(-places)), "f")


def _kw(watts: int) -> str:
    """Watts as XMLVend's kW value ("2.5", "10")."""
    return format((Decimal(watts) / 1000).normalize(), "f")


def _rate(percent: str) -> str:
    """`15.00` (percent) as Hexing writes it: a fraction with four decimals."""
    return format((Decimal(percent) / 100).quantize(Decimal("0.0001")), "f")
