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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import requests

from app.api.errors import MalformedResponse, ServerUnavailable, TlsProblem
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
    parse_meter,
    parse_quote,
    parse_sale,
    parse_terminal,
)
from app.backend import Capabilities, MalformedSink, NotOffered
from app.xmlvend import faults, messages, msgids
from app.xmlvend.messages import Header, MsgId, Node
from app.xmlvend.ns import SOAP_VERSIONS
from app.xmlvend.receipt import BadMessage, Response, parse_response
from common.format import group_token
from offline_store import Connection, Store

__all__ = ["XMLVEND_CAPABILITIES", "XmlVendBackend", "XmlVendConfig"]

log = logging.getLogger("vendpoint.xmlvend")

#: What an XMLVend server offers beyond confirm, quote, sell and last-response advice.
XMLVEND_CAPABILITIES = Capabilities(tariff_documents=False, push_events=False,
                                    batch_upload=False, search=False, reversal=False,
                                    z_upload=False, engineering_tokens=False)


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
    max_answer_bytes: int = 1_048_576
    ca_bundle: str | None = None
    client_cert: str | None = None
    client_key: str | None = None

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

    capabilities: Capabilities = XMLVEND_CAPABILITIES

    def __init__(self, session: requests.Session, config: XmlVendConfig, store: Store, *,
                 terminal_facts: dict[str, Any],
                 operators: Callable[[], list[OperatorRecord]] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 malformed_sink: MalformedSink | None = None) -> None:
        self.session = session
        self.config = config
        self.store = store
        self.malformed_sink = malformed_sink
        self._facts = dict(terminal_facts)
        self._operators = operators
        self._clock = clock
        self._vendor_credit: Decimal | None = None
        self.last_response: Response | None = None

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
        try:
            r = self.session.post(c.url, data=data, headers=headers, stream=True,
                                  timeout=(c.connect_timeout, c.read_timeout),
                                  verify=c.ca_bundle if c.ca_bundle else True, cert=cert)
        except requests.exceptions.SSLError as exc:
            raise TlsProblem(f"The XMLVend server's certificate was refused: {exc}") from None
        except requests.exceptions.ConnectTimeout:
            raise ServerUnavailable("The XMLVend server did not accept the connection.",
                                    sent=False) from None
        except requests.exceptions.ConnectionError as exc:
            sent = not _refused(exc)
            raise ServerUnavailable("The XMLVend server could not be reached or the answer "
                                    "was lost.", sent=sent) from None
        except requests.exceptions.RequestException:
            raise ServerUnavailable("The XMLVend server's answer was lost.", sent=True) from None
        try:
            raw = self._read(r)
        finally:
            r.close()
        try:
            resp = parse_response(raw)
        except BadMessage as exc:
            if r.status_code >= 500 or r.status_code in (408, 429):
                # A 5xx without a readable xmlvendFaultResp: the outcome is unknown.
                raise ServerUnavailable(f"The XMLVend server failed (HTTP {r.status_code}).",
                                        sent=True, status=r.status_code) from None
            problem = MalformedResponse(str(exc), method="POST", path=body.name,
                                        status=r.status_code,
                                        content_type=r.headers.get("Content-Type"), body=raw,
                                        idempotency_key=key)
            if self.malformed_sink is not None:
                self.malformed_sink(problem)
            raise problem from None
        self.last_response = resp
        receipt = resp.receipt
        if receipt.vendor_credit is not None:
            self._vendor_credit = receipt.vendor_credit
        return resp

    def _read(self, r: requests.Response) -> bytes:
        """The body, gunzipped when the server compressed it, under the size limit."""
        limit = self.config.max_answer_bytes
        chunks: list[bytes] = []
        total = 0
        try:
            for chunk in r.raw.stream(65536, decode_content=False):
                total += len(chunk)
                if total > limit:
                    raise ServerUnavailable("The XMLVend server's answer is too large.",
                                            sent=True, status=r.status_code)
                chunks.append(chunk)
        except (requests.exceptions.RequestException, OSError, ValueError) as exc:
            if isinstance(exc, ServerUnavailable):
                raise
            raise ServerUnavailable("The XMLVend server's answer was cut off.",
                                    sent=True) from None
        except Exception as exc:  # urllib3 protocol errors (truncated, reset)
            if isinstance(exc, ServerUnavailable):
                raise
            raise ServerUnavailable("The XMLVend server's answer was cut off.",
                                    sent=True) from None
        raw = b"".join(chunks)
        if "gzip" in r.headers.get("Content-Encoding", "").lower():
            try:
                with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
                    raw = gz.read(limit + 1)
            except (OSError, EOFError):
                raise ServerUnavailable("The XMLVend server's compressed answer is broken.",
                                        sent=True) from None
            if len(raw) > limit:
                raise ServerUnavailable("The XMLVend server's answer is too large.", sent=True)
        return raw

    def _answer(self, resp: Response) -> Response:
        """`resp` if it is not a fault; the fault's typed error otherwise."""
        if resp.fault is not None:
            raise faults.to_error(resp.fault)
        if resp.message == "fault":
            raise ServerUnavailable("The XMLVend server failed without a fault detail.",
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
            raise NotOffered("The operator list")
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
            "tariff": {"id": tariff or "xmlvend", "name": tariff or "(set by the server)",
                       "version": 1},
            "key": dict(resp.meter_key), "two_way": False,
            "blocked": resp.can_vend is False,
            "blocked_reason": (resp.operator_msg or "The server says this meter cannot buy.")
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
                raise ServerUnavailable("The server has this sale's request but its answer "
                                        "is not available yet.", sent=True)
            if what == "rejected":
                self.store.call(lambda c: msgids.mark(c, key, msg, "answered"))
            raise faults.to_error(resp.fault)
        return self._sale(self._answer(resp), key, msg, request, operator_id)

    def get_sale(self, key: str, request: dict[str, Any] | None = None) -> Sale | None:
        """Last-response advice about the sale's msgID; None if it was never processed."""
        found = self.store.call(lambda c: msgids.current(c, key))
        if found is None:
            return None  # no msgID: nothing of this sale was ever sent
        _, msg, _state = found
        resp = self._post(messages.advice(self._header(self._allocate()), "LastRespAdviceReq",
                                          msg), key=key)
        if resp.fault is not None:
            if faults.kind(resp.fault) == "no_such_message":
                self.store.call(lambda c: msgids.mark(c, key, msg, "not_processed"))
                return None
            raise faults.to_error(resp.fault)
        last = resp.last_response
        if last is None:
            raise ServerUnavailable("The advice answer carries no last response.", sent=True)
        if last.fault is not None:
            # The original request failed at the server: its refusal, as if just received.
            raise faults.to_error(last.fault)
        if last.req_msg_id is not None and last.req_msg_id != msg:
            # Hexing echoes another msgID in lastResponse; the advice is about ours.
            log.info("last response for %s echoes msgID %s", msg, last.req_msg_id)
        return self._sale(last, key, msg, request or {}, "")

    # -- what XMLVend does not offer -------------------------------------------------------------
    def tariffs(self) -> list[TariffSummary]:
        raise NotOffered(Capabilities.NAMES["tariff_documents"])

    def tariff_version(self, tariff_id: str, version: int) -> dict[str, Any]:
        raise NotOffered(Capabilities.NAMES["tariff_documents"])

    def sell_batch(self, items: Sequence[tuple[str, str, dict[str, Any]]]
                   ) -> list[BatchResult]:
        raise NotOffered(Capabilities.NAMES["batch_upload"])

    def poll_events(self, after_id: int, limit: int = 100) -> EventPage:
        raise NotOffered(Capabilities.NAMES["push_events"])

    def search_meters(self, query: str, limit: int = 20) -> list[MeterSearchHit]:
        raise NotOffered(Capabilities.NAMES["search"])

    def reverse(self, receipt_no: str, operator_id: str, *, reason: str, supervisor_id: str,
                supervisor_pin: str) -> Reversal:
        raise NotOffered(Capabilities.NAMES["reversal"])

    def engineering_token(self, operator_id: str, *, meter_number: str, type: str,
                          supervisor_id: str, supervisor_pin: str, value: int | None = None,
                          register: str | None = None, new_ti: int | None = None,
                          idempotency_key: str | None = None) -> EngineeringTokens:
        raise NotOffered(Capabilities.NAMES["engineering_tokens"])

    def z_report(self, shift_id: str, operator_id: str,
                 upload: ZReportUpload) -> ZReconciliation:
        raise NotOffered(Capabilities.NAMES["z_upload"])

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
                          "description": line.tariff_name or ("Free basic electricity"
                                                              if line.fbe else "Energy"),
                          "units": None if line.units is None else _units(line.units),
                          "rate": None, "amount": self._money(line.amount).to_json(),
                          "vat": self._money(line.tax).to_json() if line.tax else None})
        for charge in resp.charges:
            vat += charge.tax
            lines.append({"kind": "fixed_charge" if charge.kind == "service" else
                          "debt_recovery", "description": charge.description or
                          ("Service charge" if charge.kind == "service" else "Debt recovery"),
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

    def _sale(self, resp: Response, key: str, msg: MsgId, request: dict[str, Any],
              operator_id: str) -> Sale:
        meter_number = str(request.get("meter_number") or
                           (resp.customer.meter if resp.customer else ""))
        raw = self._priced(resp, meter_number)
        cust = resp.customer
        stamp = _iso(resp.resp_date_time) or self._clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        tokens = []
        for seq, t in enumerate(resp.tokens, 1):
            kind = "key_change" if t.kind.startswith("key_change") else t.kind
            if kind == "power_limit":
                kind = "set_power_limit"
            tokens.append({"seq": seq, "kind": kind, "description": t.description or kind,
                           "token": t.digits, "display": group_token(t.digits),
                           "units": None if t.units is None or kind not in ("credit", "fbe")
                           else _units(t.units)})
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
