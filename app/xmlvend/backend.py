"""`XmlVendBackend`: the backend port (`app.backend.VendingBackend`) over XMLVend 2.1 SOAP.

- `meter`: `confirmCustomerReq` by meter number;
- `quote`: `trialCreditVendReq` by currency;
- `sell`: `creditVendReq` with the cash tendered; its msgID is allocated and committed with
  the sale (by idempotency key) before the first byte;
- `get_sale`: `adviceReq` `LastRespAdviceReq` (its own new msgID) about the sale's msgID: the
  original answer, or None when the server never processed it;
- `terminal`: the terminal facts configured for this server (XMLVend has no such call), with
  the vendor credit of the last answer's `clientStatus`.

What XMLVend does not offer is off in `capabilities` (tariff documents, push events, batch
upload, search, reversal through the server, Z upload), so the core shows it as unavailable
instead of failing. Offline sales therefore go up one by one, in order, each with its own
msgID.

A reused msgID: a server that returns the first answer (Hexing) gets the SAME msgID when a
sale is sent again after `get_sale` said "never processed"; a server that refuses reused
numbers (Conlog) gets a new msgID for that new attempt, recorded before it is sent. If such a
server answers "already used" the first attempt was seen after all, and the answer is fetched
with last-response advice instead of selling again.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import requests

from app.api.errors import MalformedResponse, ServerUnavailable, TlsProblem
from app.api.limits import Deadline, DeadlineAdapter
from app.api.models import (
    BatchResult,
    EngineeringTokens,
    EventPage,
    Invalid,
    MeterInfo,
    MeterSearchHit,
    Money,
    OperatorRecord,
    Quote,
    Reversal,
    Sale,
    TariffSummary,
    TerminalInfo,
    ZReconciliation,
    ZReportUpload,
    ZTotals,
    parse_engineering,
    parse_meter,
    parse_quote,
    parse_reversal,
    parse_sale,
    parse_terminal,
    parse_z_reconciliation,
)
from app.backend import Capabilities, MalformedSink, NotOffered
from app.sales.repository import sale_response
from app.xmlvend import faults, messages, msgids
from app.xmlvend.messages import Header, MsgId, Node
from app.xmlvend.ns import SOAP_VERSIONS
from app.xmlvend.receipt import BadMessage, BatchFigures, Response, parse_response
from common.errors import BusinessRuleError
from common.format import group_token
from common.i18n import _
from offline_store import Connection, Store

__all__ = ["XMLVEND_CAPABILITIES", "XmlVendBackend", "XmlVendConfig"]

log = logging.getLogger("vendpoint.xmlvend")

#: What an XMLVend server offers beyond confirm, quote, sell and last-response advice:
#: engineering tokens (meterSpecificEngReq, nonMeterSpecificEngReq, updateMeterKeyReq) and
#: the Z report as the end of the sales batch. Reversal advice only where the server supports
#: it (`XmlVendConfig.reversal_advice`). No sale by units: `trialCreditVendReq` with
#: `PurchaseValueUnits` is in the standard, but servers differ on it and the reference face
#: answers `UseCaseSupportEx`, so the till never offers it here.
XMLVEND_CAPABILITIES = Capabilities(tariff_documents=False, push_events=False,
                                    batch_upload=False, search=False, reversal=False,
                                    z_upload=True, engineering_tokens=True,
                                    sale_by_units=False)


@dataclass(frozen=True)
class XmlVendConfig:
    """Per-server settings. `password` (the operator credential) is a secret.

    `soap_action`: the SOAPAction header: "" (an empty header, the default), "none" (no
    header), "operation" (the request element's name, e.g. `creditVendReq`) or any fixed value.
    `reused_msgid`: what this server does with a msgID it has seen, "replay" (returns the first
    answer) or "refuse".
    """

    url: str
    client_ean: str
    terminal_id: str
    currency: str
    op_name: str = ""
    password: str = field(default="", repr=False)
    symbol: str = ""
    soap_version: str = "1.1"
    soap_action: str = ""
    reused_msgid: str = "replay"
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    #: One call in all — connect, headers and the whole answer — like the REST client's
    #: `server.call_deadline`: a trickled answer never keeps a sale waiting longer.
    call_deadline: float = 9.0
    max_answer_bytes: int = 1_048_576
    ca_bundle: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    #: The server undoes a sale on `ReversalAdviceReq` (many answer UseCaseSupportEx).
    reversal_advice: bool = False
    #: Send `ConfirmationAdviceReq` after each tokened sale (best effort).
    confirm_advice: bool = False
    #: Reprint from the server's `reprintReq` answer when it has the receipt (else local).
    server_reprint: bool = True

    def __post_init__(self) -> None:
        if self.soap_version not in messages_versions():
            raise ValueError("soap_version must be 1.1 or 1.2")
        if self.reused_msgid not in ("replay", "refuse"):
            raise ValueError("reused_msgid must be replay or refuse")


def messages_versions() -> tuple[str, ...]:
    """The SOAP versions the adapter speaks."""
    return tuple(SOAP_VERSIONS)


class XmlVendBackend:
    """The vending backend over an XMLVend 2.1 server (see the module docstring)."""

    def __init__(self, session: requests.Session, config: XmlVendConfig, store: Store, *,
                 terminal_facts: dict[str, Any],
                 operators: Callable[[], list[OperatorRecord]] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 malformed_sink: MalformedSink | None = None) -> None:
        self.session = session
        self.config = config
        self.store = store
        self.malformed_sink = malformed_sink
        # Connections to the server obey each call's total deadline (`call_deadline`).
        parts = urlsplit(config.url)
        if parts.scheme and parts.netloc:
            session.mount(f"{parts.scheme}://{parts.netloc}/", DeadlineAdapter())
        self._facts = dict(terminal_facts)
        self._operators = operators
        self._clock = clock
        self._vendor_credit: Decimal | None = None
        self.last_response: Response | None = None

    @property
    def capabilities(self) -> Capabilities:
        """`XMLVEND_CAPABILITIES`, with reversal where this server supports reversal advice."""
        return replace(XMLVEND_CAPABILITIES, reversal=self.config.reversal_advice)

    # -- transport ------------------------------------------------------------------------------
    def _allocate(self) -> MsgId:
        now = self._clock()
        return self.store.call(lambda c: msgids.allocate(c, self.config.terminal_id, now))

    def _header(self, msg: MsgId, operator_id: str = "") -> Header:
        c = self.config
        # The configured operator name, else the signed-in cashier's id.
        return Header(c.client_ean, c.terminal_id, msg, c.op_name or operator_id, c.password)

    def _post(self, body: Node, *, key: str | None = None) -> Response:
        """Send one request; the parsed answer or fault (faults are returned, not raised).
        Transport failures raise `ServerUnavailable` (`sent` says whether it may have
        arrived) or `TlsProblem`; an unreadable answer raises `MalformedResponse`."""
        c = self.config
        data = messages.envelope(body, c.soap_version)
        content_type = SOAP_VERSIONS[c.soap_version][1]
        headers = {"Content-Type": content_type, "Accept-Encoding": "gzip"}
        if c.soap_action != "none":
            action = body.name if c.soap_action == "operation" else c.soap_action
            if c.soap_version == "1.2":
                headers["Content-Type"] = f'{content_type}; action="{action}"'
            else:
                headers["SOAPAction"] = f'"{action}"'
        cert: tuple[str, str] | str | None = None
        if c.client_cert:
            cert = (c.client_cert, c.client_key) if c.client_key else c.client_cert
        with Deadline(c.call_deadline) as due:
            try:
                raw, status, answer_type = self._exchange(data, headers, cert)
            except ServerUnavailable:
                if due.expired:
                    raise ServerUnavailable(
                        _("The XMLVend server did not answer within {call_deadline:g} "
                        "seconds.").format(call_deadline=c.call_deadline), sent=True) from None
                raise
        try:
            resp = parse_response(raw)
        except BadMessage as exc:
            if status >= 500 or status in (408, 429):
                # A 5xx without a readable xmlvendFaultResp: the outcome is unknown.
                raise ServerUnavailable(_("The XMLVend server failed (HTTP {status}).")
                    .format(status=status),
                                        sent=True, status=status) from None
            problem = MalformedResponse(str(exc), method="POST", path=body.name,
                                        status=status, content_type=answer_type, body=raw,
                                        idempotency_key=key)
            if self.malformed_sink is not None:
                self.malformed_sink(problem)
            raise problem from None
        self.last_response = resp
        receipt = resp.receipt
        if receipt.vendor_credit is not None:
            self._vendor_credit = receipt.vendor_credit
        return resp

    def _exchange(self, data: bytes, headers: dict[str, str],
                  cert: tuple[str, str] | str | None) -> tuple[bytes, int, str | None]:
        """POST one envelope and read the whole answer: (body, HTTP status, content type)."""
        c = self.config
        try:
            r = self.session.post(c.url, data=data, headers=headers, stream=True,
                                  timeout=(c.connect_timeout, c.read_timeout),
                                  verify=c.ca_bundle if c.ca_bundle else True, cert=cert)
        except requests.exceptions.SSLError as exc:
            # Either side may refuse: the server's certificate (not of the pinned CA), or
            # this till's client certificate (missing, or not of the server's CA).
            raise TlsProblem(_("The TLS connection to the XMLVend server was refused (its "
                             "certificate, or this till's client certificate, is not "
                             "accepted): {exc}").format(exc=exc)) from None
        except requests.exceptions.ConnectTimeout:
            raise ServerUnavailable(_("The XMLVend server did not accept the connection."),
                                    sent=False) from None
        except requests.exceptions.ConnectionError as exc:
            sent = not _refused(exc)
            raise ServerUnavailable(_("The XMLVend server could not be reached or the answer "
                                    "was lost."), sent=sent) from None
        except requests.exceptions.RequestException:
            raise ServerUnavailable(_("The XMLVend server's answer was lost."),
                                    sent=True) from None
        try:
            return self._read(r), r.status_code, r.headers.get("Content-Type")
        finally:
            r.close()

    def _read(self, r: requests.Response) -> bytes:
        """The body, gunzipped when the server compressed it, under the size limit."""
        limit = self.config.max_answer_bytes
        chunks: list[bytes] = []
        total = 0
        try:
            for chunk in r.raw.stream(65536, decode_content=False):
                total += len(chunk)
                if total > limit:
                    raise ServerUnavailable(_("The XMLVend server's answer is too large."),
                                            sent=True, status=r.status_code)
                chunks.append(chunk)
        except (requests.exceptions.RequestException, OSError, ValueError) as exc:
            if isinstance(exc, ServerUnavailable):
                raise
            raise ServerUnavailable(_("The XMLVend server's answer was cut off."),
                                    sent=True) from None
        except Exception as exc:  # urllib3 protocol errors (truncated, reset)
            if isinstance(exc, ServerUnavailable):
                raise
            raise ServerUnavailable(_("The XMLVend server's answer was cut off."),
                                    sent=True) from None
        raw = b"".join(chunks)
        if "gzip" in r.headers.get("Content-Encoding", "").lower():
            try:
                with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
                    raw = gz.read(limit + 1)
            except (OSError, EOFError):
                raise ServerUnavailable(_("The XMLVend server's compressed answer is broken."),
                                        sent=True) from None
            if len(raw) > limit:
                raise ServerUnavailable(_("The XMLVend server's answer is too large."), sent=True)
        return raw

    def _answer(self, resp: Response) -> Response:
        """`resp` if it is not a fault; the fault's typed error otherwise."""
        if resp.fault is not None:
            raise faults.to_error(resp.fault)
        if resp.message == "fault":
            raise ServerUnavailable(_("The XMLVend server failed without a fault detail."),
                                    sent=True, status=500)
        return resp

    # -- the port -------------------------------------------------------------------------------
    def terminal(self) -> TerminalInfo:
        """The configured terminal facts, with the vendor credit of the last answer."""
        raw = dict(self._facts)
        raw["server_time"] = self._clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        if self._vendor_credit is not None:
            raw["vendor_credit"] = self._money(self._vendor_credit).to_json()
        return parse_terminal(raw)

    def operators(self) -> list[OperatorRecord]:
        """The operators provisioned with this till (XMLVend has no operator list)."""
        if self._operators is None:
            raise NotOffered(_("The operator list"))
        return self._operators()

    def meter(self, meter_number: str) -> MeterInfo:
        """`confirmCustomerReq`: the customer and what may stop a sale."""
        resp = self._answer(self._post(messages.confirm_customer(
            self._header(self._allocate()), meter_number)))
        cust = resp.customer
        tariff = next((line.tariff_name for line in resp.credit_lines if line.tariff_name), "")
        raw: dict[str, Any] = {
            "meter_number": (cust.meter if cust and cust.meter else meter_number),
            "service": "electricity", "unit": "kWh",
            "customer": {"name": cust.name if cust else "", "address": cust.address if cust
                         else "", "account": cust.account if cust else "",
                         "phone": None, "email": None},
            "utility": {"name": resp.utility.get("name", "")},
            "tariff": {"id": tariff or "xmlvend", "name": tariff or _("(set by the server)"),
                       "version": 1},
            "key": dict(resp.meter_key), "two_way": False,
            "blocked": resp.can_vend is False,
            "blocked_reason": (resp.operator_msg or _("The server says this meter cannot buy."))
            if resp.can_vend is False else None,
            "arrears": self._money(Decimal(0)).to_json(),
            "fbe_due": bool(resp.fbe_due),
            "days_since_last_purchase": cust.days_since_last_purchase if cust else None,
            "key_change_due": None, "warnings": [],
            "xmlvend": {"disp_header": resp.disp_header, "operator_msg": resp.operator_msg,
                        "min_vend": _opt(resp.min_vend), "max_vend": _opt(resp.max_vend)},
        }
        if raw["meter_number"] != meter_number:
            raw["meter_number"] = meter_number
        meter: MeterInfo = self._parsed(parse_meter, raw, "confirmCustomerReq")
        return meter

    def quote(self, meter_number: str, amount: Money) -> Quote:
        """`trialCreditVendReq` by currency."""
        resp = self._answer(self._post(messages.trial_credit_vend(
            self._header(self._allocate()), meter_number, amount=amount.amount,
            symbol=self._symbol(amount.currency))))
        raw = self._priced(resp, meter_number)
        raw["priced_at"] = self._clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        raw["tokens_preview"] = []
        raw["key_change"] = None
        quote: Quote = self._parsed(parse_quote, raw, "trialCreditVendReq")
        return quote

    def sell(self, key: str, operator_id: str, request: dict[str, Any]) -> Sale:
        """`creditVendReq` under the sale's msgID (committed before the first byte)."""
        amount = Money.from_json(request["amount"])
        now = self._clock()
        terminal = self.config.terminal_id

        def msg_for(conn: Connection) -> MsgId:
            found = msgids.current(conn, key)
            if (found is not None and found[2] == "not_processed"
                    and self.config.reused_msgid == "refuse"):
                return msgids.new_attempt(conn, key, terminal, now)
            return msgids.for_sale(conn, key, terminal, now)

        msg = self.store.call(msg_for)
        body = messages.credit_vend(self._header(msg, operator_id), str(request["meter_number"]),
                                    amount=amount.amount, symbol=self._symbol(amount.currency),
                                    tender=amount.amount)
        resp = self._post(body, key=key)
        if resp.fault is not None:
            what = faults.kind(resp.fault)
            if what == "duplicate":
                # The server has seen this msgID: the first attempt arrived. Ask for its
                # answer; never sell again under a new number.
                log.info("msgID %s refused as reused; resolving by last-response advice", msg)
                sale = self.get_sale(key, request)
                if sale is not None:
                    return sale
                raise ServerUnavailable(_("The server has this sale's request but its answer "
                                        "is not available yet."), sent=True)
            if what == "rejected":
                self.store.call(lambda c: msgids.mark(c, key, msg, "answered"))
            raise faults.to_error(resp.fault)
        return self._sale(self._answer(resp), key, msg, request, operator_id)

    def get_sale(self, key: str, request: dict[str, Any] | None = None) -> Sale | None:
        """Last-response advice about the sale's msgID; None if it was never processed."""
        found = self.store.call(lambda c: msgids.current(c, key))
        if found is None:
            return None  # no msgID: nothing of this sale was ever sent
        _key, msg, _state = found
        resp = self._post(messages.advice(self._header(self._allocate()), "LastRespAdviceReq",
                                          msg), key=key)
        if resp.fault is not None:
            if faults.kind(resp.fault) == "no_such_message":
                self.store.call(lambda c: msgids.mark(c, key, msg, "not_processed"))
                return None
            raise faults.to_error(resp.fault)
        last = resp.last_response
        if last is None:
            raise ServerUnavailable(_("The advice answer carries no last response."), sent=True)
        if last.fault is not None:
            # The original request failed at the server: its refusal, as if just received.
            raise faults.to_error(last.fault)
        if last.req_msg_id is not None and last.req_msg_id != msg:
            # Hexing echoes another msgID in lastResponse; the advice is about ours.
            log.info("last response for %s echoes msgID %s", msg, last.req_msg_id)
        return self._sale(last, key, msg, request or {}, "")

    # -- what XMLVend does not offer -------------------------------------------------------------
    def tariffs(self) -> list[TariffSummary]:
        raise NotOffered(_(Capabilities.NAMES["tariff_documents"]))

    def tariff_version(self, tariff_id: str, version: int) -> dict[str, Any]:
        raise NotOffered(_(Capabilities.NAMES["tariff_documents"]))

    def quote_units(self, meter_number: str, units: Decimal) -> Quote:
        raise NotOffered(_(Capabilities.NAMES["sale_by_units"]))

    def sell_batch(self, items: Sequence[tuple[str, str, dict[str, Any]]]
                   ) -> list[BatchResult]:
        raise NotOffered(_(Capabilities.NAMES["batch_upload"]))

    def poll_events(self, after_id: int, limit: int = 100) -> EventPage:
        raise NotOffered(_(Capabilities.NAMES["push_events"]))

    def search_meters(self, query: str, limit: int = 20) -> list[MeterSearchHit]:
        raise NotOffered(_(Capabilities.NAMES["search"]))

    # -- supervisor features ------------------------------------------------------------------
    # XMLVend carries no supervisor PIN: the till checks the supervisor's PIN (the approval)
    # and names the supervisor as the request's operator (authCred/opName); the PIN is
    # never sent.
    def _supervisor_header(self, msg: MsgId, supervisor_id: str) -> Header:
        c = self.config
        return Header(c.client_ean, c.terminal_id, msg, supervisor_id, c.password)

    def _post_once(self, key: str, body_for: Callable[[MsgId], Node]) -> Response:
        """Send a request whose msgID is recorded under `key` before the first byte; a lost
        answer is asked for once by last-response advice (never sent again)."""
        now = self._clock()
        msg = self.store.call(lambda c: msgids.for_sale(c, key, self.config.terminal_id, now))
        try:
            return self._post(body_for(msg), key=key)
        except ServerUnavailable as exc:
            if not exc.sent:
                raise
            lost = exc
        advice = self._post(messages.advice(self._header(self._allocate()),
                                            "LastRespAdviceReq", msg), key=key)
        if advice.fault is None and advice.last_response is not None:
            return _replace_msg(advice.last_response, msg)
        raise lost

    def _key_data(self, meter_number: str) -> dict[str, str]:
        """The meter's key data (sgc, krn, ti, at, tt) from `confirmCustomerReq`."""
        resp = self._answer(self._post(messages.confirm_customer(
            self._header(self._allocate()), meter_number)))
        key = {k: v for k, v in resp.meter_key.items() if v}
        missing = [k for k in ("sgc", "krn", "ti") if k not in key]
        if missing:
            raise BusinessRuleError(_("The server did not give this meter's key data, so no "
                                    "key change can be asked for."), code="STS_DATA",
                                    hint=_("Ask the utility to check the meter's record."))
        key.setdefault("at", "07")
        key.setdefault("tt", "02")
        return key

    def engineering_token(self, operator_id: str, *, meter_number: str, type: str,
                          supervisor_id: str, supervisor_pin: str, value: int | None = None,
                          register: str | None = None, new_ti: int | None = None,
                          idempotency_key: str | None = None) -> EngineeringTokens:
        """Engineering tokens: clear tamper / credit and power limits by
        `meterSpecificEngReq`, a key change by `updateMeterKeyReq` (the server picks the new
        key) or, with `new_ti`, by `EngKCTReq` with explicit from/to data, the test token by
        `nonMeterSpecificEngReq TestAllReq`. What XMLVend cannot express is `NotOffered`."""
        key = idempotency_key or f"eng-{uuid.uuid4()}"
        service = "electricity"
        if type == "clear_credit":
            if register == "all":
                raise NotOffered(_("Clearing every credit register at once"))
            service = register or "electricity"
        if type == "test" and value is not None and value != (1 << 36) - 1:
            raise NotOffered(_("A test token with chosen control bits"))
        kct: dict[str, str] | None = None
        body_for: Callable[[MsgId], Node]
        if type == "test":
            data = self._key_data_or_default(meter_number)
            body_for = lambda m: messages.non_meter_specific_eng(  # noqa: E731
                self._supervisor_header(m, supervisor_id), "TestAll", at=data["at"],
                tt=data["tt"])
        elif type == "key_change" and new_ti is None:
            data = self._key_data(meter_number)
            body_for = lambda m: messages.update_meter_key(  # noqa: E731
                self._supervisor_header(m, supervisor_id), meter_number, sgc=data["sgc"],
                krn=data["krn"], ti=data["ti"], at=data["at"], tt=data["tt"])
        elif type in messages.ENG_TYPES:
            if type == "key_change":
                data = self._key_data(meter_number)
                kct = {"fromSGC": data["sgc"], "fromKRN": data["krn"], "fromTI": data["ti"],
                       "toSGC": data["sgc"], "toKRN": data["krn"], "toTI": str(new_ti)}
            body_for = lambda m: messages.meter_specific_eng(  # noqa: E731
                self._supervisor_header(m, supervisor_id), meter_number, type,
                service=service, watts=value, kct=kct)
        else:
            raise NotOffered(_("The engineering token {type!r}").format(type=type))
        resp = self._post_once(key, body_for)
        if resp.fault is not None:
            if faults.kind(resp.fault) == "unsupported":
                raise NotOffered(_("This engineering token ({type})")
                    .format(type=type.replace('_', ' ')))
            raise faults.to_error(resp.fault)
        resp = self._answer(resp)
        recorded = self.store.call(lambda c: msgids.current(c, key))
        assert recorded is not None  # recorded by _post_once before sending
        msg = recorded[1]
        tokens = self._tokens(resp)
        meter = dict(resp.meter_key)
        if resp.kct is not None:
            meter.update(sgc=resp.kct.to_sgc, krn=resp.kct.to_krn, ti=resp.kct.to_ti)
        raw = {"reference": _reference(msg), "meter_number": meter_number, "type": type,
               "issued_at": _iso(resp.resp_date_time) or self._now_iso(),
               "supervisor": {"id": supervisor_id, "name": supervisor_id},
               "tokens": tokens,
               "meter": {k: v for k, v in meter.items() if k in ("sgc", "krn", "ti") and v},
               "xmlvend": {"msg_id": {"date_time": msg.date_time,
                                      "unique_number": msg.unique_number},
                           "kct": None if resp.kct is None else vars(resp.kct)}}
        self.store.call(lambda c: msgids.mark(c, key, msg, "answered"))
        result: EngineeringTokens = self._parsed(parse_engineering, raw, "meterSpecificEngReq",
                                                 key=key)
        return result

    def _key_data_or_default(self, meter_number: str) -> dict[str, str]:
        """The meter type (at, tt) for a test token: the server's, else STS's defaults."""
        try:
            return self._key_data(meter_number)
        except BusinessRuleError:
            return {"at": "07", "tt": "02"}

    def reverse(self, receipt_no: str, operator_id: str, *, reason: str, supervisor_id: str,
                supervisor_pin: str) -> Reversal:
        """`ReversalAdviceReq` about the msgID that produced `receipt_no` (the server applies
        its policy); `txReversed=false` is a refusal, UseCaseSupportEx is `NotOffered`."""
        self.capabilities.require("reversal")
        found = self.store.call(lambda c: msgids.receipt_msg_id(c, receipt_no))
        stored = None if found is None else self.store.call(
            lambda c: sale_response(c, found[0]))
        if found is None or stored is None:
            raise BusinessRuleError(_("Receipt {receipt_no} was not sold through this XMLVend "
                                    "server from this till.")
                                        .format(receipt_no=receipt_no), code="RECEIPT_NOT_FOUND")
        _key, original = found
        msg = self._allocate()
        resp = self._post(messages.advice(self._supervisor_header(msg, supervisor_id),
                                          "ReversalAdviceReq", original))
        if resp.fault is not None:
            what = faults.kind(resp.fault)
            if what == "unsupported":
                raise NotOffered(_(Capabilities.NAMES["reversal"]))
            if what == "no_such_message":
                raise BusinessRuleError(_("The server has no sale for receipt {receipt_no}.")
                    .format(receipt_no=receipt_no),
                                        code="RECEIPT_NOT_FOUND")
            raise faults.to_error(resp.fault)
        if resp.advice_result is not True:
            raise BusinessRuleError(resp.operator_msg or _("The server did not reverse this "
                                    "sale."), code="REVERSAL_NOT_ALLOWED",
                                    hint=_("The sale stands; nothing was paid back."))
        zero = self._money(Decimal(0)).to_json()
        credit = self._vendor_credit
        raw = {"receipt_no": receipt_no, "reversal_no": _reference(msg),
               "reversed_at": _iso(resp.resp_date_time) or self._now_iso(), "reason": reason,
               "supervisor": {"id": supervisor_id, "name": supervisor_id},
               "amount_refunded": stored["amount_tendered"],
               "vendor_credit": zero if credit is None else self._money(credit).to_json(),
               "arrears_restored": zero}
        result: Reversal = self._parsed(parse_reversal, raw, "adviceReq")
        return result

    def confirm(self, key: str) -> bool | None:
        """`ConfirmationAdviceReq` for the sale under `key` (the client completed it): the
        server's `txConfirmed`, or None when this sale has no msgID."""
        found = self.store.call(lambda c: msgids.current(c, key))
        if found is None:
            return None
        resp = self._post(messages.advice(self._header(self._allocate()),
                                          "ConfirmationAdviceReq", found[1]), key=key)
        if resp.fault is not None:
            raise faults.to_error(resp.fault)
        return resp.advice_result

    # -- batches: shift and Z -------------------------------------------------------------------
    def batch(self, op: str, kind: str, operator_id: str = "") -> BatchFigures | None:
        """`start|end|totalBatchReq` for a `shift` or `sales` batch: the server's figures;
        None when the server says it is already open (start) or not open (end, total)."""
        resp = self._post(messages.batch(self._header(self._allocate(), operator_id), op,
                                         kind))
        if resp.fault is not None:
            if resp.fault.type in ("StartBatchEx", "EndBatchEx", "CheckBatchTotalEx"):
                log.info("%s %s batch: %s", op, kind, faults.message(resp.fault))
                return None
            if faults.kind(resp.fault) == "unsupported":
                raise NotOffered(_("The {kind} batch").format(kind=kind))
            raise faults.to_error(resp.fault)
        return self._answer(resp).batch

    def z_report(self, shift_id: str, operator_id: str,
                 upload: ZReportUpload) -> ZReconciliation:
        """The Z as the end of the sales batch (`EndSalesBatchReq`), compared with the
        server's batch figures; the next sales batch is started at once. A figure the server
        does not report is not compared (listed under `xmlvend.not_reported`)."""
        figures = self.batch("end", "sales", operator_id)
        self.batch("start", "sales", operator_id)
        if figures is None:
            raise BusinessRuleError(_("The server had no open sales batch, so this Z cannot be "
                                    "compared with it; a new batch was started for the next Z."),
                                    code="NO_OPEN_BATCH",
                                    hint=_("The Z stands on this till."))
        mine = upload.totals
        cur = mine.sales_amount.currency
        not_reported: list[str] = []

        def money(value: Decimal | None, name: str, own: Money) -> Money:
            if value is None:
                not_reported.append(name)
                return own
            return Money.from_decimal(value, cur)

        def count(value: int | None, name: str, own: int) -> int:
            if value is None:
                not_reported.append(name)
                return own
            return value

        sales = figures.tx_totals.get("CreditVendTx", (None, None))
        back = figures.tx_totals.get("ReversalTx", (None, None))
        sales_amount = sales[1]
        if sales_amount is None and figures.total is not None and back[1] is not None:
            sales_amount = figures.total + back[1]
        server = ZTotals(
            count(sales[0], "sales_count", mine.sales_count),
            money(sales_amount, "sales_amount", mine.sales_amount),
            count(back[0], "reversals_count", mine.reversals_count),
            money(back[1], "reversals_amount", mine.reversals_amount),
            mine.units if figures.units is None else _units(figures.units),
            money(figures.tax, "vat", mine.vat))
        if figures.units is None:
            not_reported.append("units")
        diff_units = _tenths(mine.units) - _tenths(server.units)
        differences = {
            "sales_count": mine.sales_count - server.sales_count,
            "sales_amount": Money(mine.sales_amount.minor - server.sales_amount.minor,
                                  cur).to_json(),
            "reversals_count": mine.reversals_count - server.reversals_count,
            "reversals_amount": Money(mine.reversals_amount.minor
                                      - server.reversals_amount.minor, cur).to_json(),
            "units": f"{'-' if diff_units < 0 else ''}{abs(diff_units) // 10}."
                     f"{abs(diff_units) % 10}",
            "vat": Money(mine.vat.minor - server.vat.minor, cur).to_json(),
        }
        raw = {"shift_id": shift_id, "z_number": upload.z_number,
               "received_at": self._now_iso(), "terminal": mine.to_json(),
               "server": server.to_json(), "differences": differences,
               "matched": all(v in (0, "0.0") or (isinstance(v, dict) and
                                                  Money.from_json(v).minor == 0)
                              for v in differences.values()),
               "xmlvend": {"batch_no": figures.seq_no, "started": figures.started,
                           "ended": figures.ended, "not_reported": not_reported}}
        result: ZReconciliation = self._parsed(parse_z_reconciliation, raw, "endBatchReq")
        return result

    # -- reprint from the server ----------------------------------------------------------------
    def reprint_copy(self, meter_number: str, receipt_no: str,
                     operator_id: str = "") -> Sale | None:
        """The server's copy of an earlier sale (`reprintReq` by meter), or None when this
        server is not asked for reprints, did not return that receipt, or cannot be reached
        now (the till then reprints its own record)."""
        if not self.config.server_reprint:
            return None
        found = self.store.call(lambda c: msgids.receipt_msg_id(c, receipt_no))
        if found is None:
            return None
        key, msg = found
        try:
            resp = self._post(messages.reprint(self._header(self._allocate(), operator_id),
                                               meter_number))
        except (ServerUnavailable, TlsProblem, MalformedResponse) as exc:
            log.info("reprint of %s from the server not available: %s", receipt_no,
                     type(exc).__name__)
            return None
        if resp.fault is not None:
            log.info("reprint of %s refused by the server: %s", receipt_no, resp.fault.type)
            return None
        for copy in resp.reprints:
            if copy.receipt_no == receipt_no and copy.fault is None:
                try:
                    return self._sale(copy, key, msg, {"meter_number": meter_number},
                                      operator_id, record=False)
                except MalformedResponse:
                    return None
        return None

    # -- mapping to the core's models --------------------------------------------------------------
    def _symbol(self, currency: str) -> str:
        return self.config.symbol or currency

    def _money(self, value: Decimal) -> Money:
        # The symbol on the wire is unreliable (`R`, or `R` for a request in another
        # currency): the currency is this server's configured one.
        return Money.from_decimal(value, self.config.currency)

    def _priced(self, resp: Response, meter_number: str) -> dict[str, Any]:
        """The quote/sale fields shared by both: tariff, amount, units and lines."""
        cur = self.config.currency
        lines: list[dict[str, Any]] = []
        vat = Decimal(0)
        rate: Decimal | None = None
        units = Decimal(0)
        tariff = ""
        for line in resp.credit_lines:
            vat += line.tax
            rate = line.tax_rate if rate is None else rate
            tariff = tariff or line.tariff_name
            if not line.fbe:
                units += line.units or Decimal(0)
            lines.append({"kind": "fbe" if line.fbe else "energy",
                          "description": line.tariff_name or (_("Free basic electricity")
                                                              if line.fbe else _("Energy")),
                          "units": None if line.units is None else _units(line.units),
                          "rate": None, "amount": self._money(line.amount).to_json(),
                          "vat": self._money(line.tax).to_json() if line.tax else None})
        for charge in resp.charges:
            vat += charge.tax
            lines.append({"kind": "fixed_charge" if charge.kind == "service" else
                          "debt_recovery", "description": charge.description or
                          (_("Service charge") if charge.kind == "service"
                           else _("Debt recovery")),
                          "units": None, "rate": None,
                          "amount": self._money(charge.amount).to_json(),
                          "vat": self._money(charge.tax).to_json() if charge.tax else None})
        percent = _percent(rate)
        lines.append({"kind": "vat", "description": f"VAT {percent}%", "units": None,
                      "rate": None, "amount": self._money(vat).to_json(), "vat": None})
        total = sum((Money.from_json(x["amount"]).minor for x in lines), 0)
        tendered = Money(total, cur)
        return {
            "meter_number": meter_number, "service": "electricity", "unit": "kWh",
            "tariff": {"id": tariff or "xmlvend", "name": tariff, "version": 1},
            "amount_tendered": tendered.to_json(), "units": _units(units), "lines": lines,
            "vat": {"rate": percent, "amount": self._money(vat).to_json()},
        }

    def _now_iso(self) -> str:
        return self._clock().strftime("%Y-%m-%dT%H:%M:%SZ")

    @staticmethod
    def _tokens(resp: Response) -> list[dict[str, Any]]:
        """The answer's tokens in entry order, in the core's shape."""
        tokens = []
        for seq, t in enumerate(resp.tokens, 1):
            kind = "key_change" if t.kind.startswith("key_change") else t.kind
            if kind == "power_limit":
                kind = "set_power_limit"
            tokens.append({"seq": seq, "kind": kind, "description": t.description or kind,
                           "token": t.digits, "display": group_token(t.digits),
                           "units": None if t.units is None or kind not in ("credit", "fbe")
                           else _units(t.units)})
        return tokens

    def _sale(self, resp: Response, key: str, msg: MsgId, request: dict[str, Any],
              operator_id: str, *, record: bool = True) -> Sale:
        meter_number = str(request.get("meter_number") or
                           (resp.customer.meter if resp.customer else ""))
        raw = self._priced(resp, meter_number)
        cust = resp.customer
        stamp = _iso(resp.resp_date_time) or self._clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        tokens = self._tokens(resp)
        credit = self._vendor_credit if resp.vendor_credit is None else resp.vendor_credit
        key_data = dict(resp.meter_key)
        if resp.kct is not None:
            key_data.update(sgc=resp.kct.to_sgc, krn=resp.kct.to_krn, ti=resp.kct.to_ti)
        raw.update({
            "receipt_no": resp.receipt_no, "idempotency_key": key,
            "terminal_id": self.config.terminal_id,
            "client_reference": request.get("client_reference"),
            "created_at": stamp, "sold_at": stamp, "offline": False,
            "operator": {"id": operator_id, "name": self.config.op_name},
            "vendor": {"id": self.config.client_ean, "name": resp.vendor.get("name", "")},
            "utility": {"id": "", "name": resp.utility.get("name", ""),
                        "address": resp.utility.get("address", ""),
                        "vat_number": resp.utility.get("taxRef", "")},
            "customer": {"name": cust.name if cust else "",
                         "address": cust.address if cust else "",
                         "account": cust.account if cust else ""},
            "meter": {"meter_number": meter_number, "service": "electricity", "unit": "kWh",
                      **{k: key_data.get(k, "") for k in ("sgc", "krn", "ti")},
                      "two_way": False},
            "tokens": tokens,
            "vendor_credit": self._money(credit if credit is not None else Decimal(0)
                                         ).to_json(),
            "arrears_remaining": self._money(Decimal(0)).to_json(),
            "delivery": {"two_way": False, "status": "not_applicable"},
            "notifications": [],
            "xmlvend": {"msg_id": {"date_time": msg.date_time,
                                   "unique_number": msg.unique_number},
                        "disp_header": resp.disp_header, "operator_msg": resp.operator_msg,
                        "cust_msg": resp.cust_msg,
                        "tendered": _opt(resp.tendered), "change": _opt(resp.change),
                        "kct": None if resp.kct is None else vars(resp.kct)},
        })
        sale: Sale = self._parsed(parse_sale, raw, "creditVendReq", key=key)
        if record:
            self.store.call(lambda c: msgids.mark(c, key, msg, "answered", sale.receipt_no))
        return sale

    def _parsed(self, parser: Callable[[Any], Any], raw: dict[str, Any], what: str, *,
                key: str | None = None) -> Any:
        try:
            return parser(raw)
        except (Invalid, ValueError) as exc:
            problem = MalformedResponse(str(exc), method="POST", path=what, status=200,
                                        content_type="text/xml",
                                        body=json.dumps(raw, default=str).encode(),
                                        idempotency_key=key)
            if self.malformed_sink is not None:
                self.malformed_sink(problem)
            raise problem from None


def _refused(exc: Exception) -> bool:
    """True when the connection was refused (nothing sent)."""
    text = repr(exc).lower()
    return "refused" in text or "name or service not known" in text


def _units(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.1")), "f")


def _tenths(units: str) -> int:
    return int(Decimal(units) * 10)


def _reference(msg: MsgId) -> str:
    """Our reference for an answer that has no number of its own (engineering, reversal):
    the request's msgID."""
    return f"XV{msg.date_time}-{msg.unique_number}"


def _replace_msg(resp: Response, msg: MsgId) -> Response:
    """An advice's `lastResponse` named by the msgID asked about (Hexing echoes another)."""
    return replace(resp, req_msg_id=msg)


def _percent(rate: Decimal | None) -> str:
    """A VAT rate as a percentage with two decimals (`0.15`, `15` and `0.1500` are 15%)."""
    if rate is None:
        return "0.00"
    if rate < 1:
        rate = rate * 100
    return format(rate.quantize(Decimal("0.01")), "f")


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _iso(value: str) -> str:
    """An XMLVend `respDateTime` (3 or 7 fractional digits, any offset) as UTC ISO with Z."""
    if not value:
        return ""
    text = re.sub(r"(\.\d{6})\d+", r"\1", value.strip())
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
