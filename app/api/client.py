"""The vending API client (docs/api.md) over an injected `requests.Session`.

Every call has a connect and a read timeout; TLS verification is always on (a CA bundle may be
given, `verify=False` is impossible); an optional pin checks the sha256 of the server
certificate's DER bytes. The terminal credential comes from an injected provider (the keyring
in production). Every answer is validated strictly; anything off-contract becomes a
`MalformedResponse`, handed to the `malformed_sink` (which stores it) and raised.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter

from app.api.errors import (
    ApiBug,
    ApiRejected,
    MalformedResponse,
    ServerUnavailable,
    TerminalNotAuthorised,
    TlsProblem,
)
from app.api.models import (
    ENGINEERING_TYPES,
    REGISTERS,
    Activation,
    ApiErrorBody,
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
    obj,
    parse_activation,
    parse_batch,
    parse_engineering,
    parse_error,
    parse_event_page,
    parse_meter,
    parse_meter_search,
    parse_operators,
    parse_quote,
    parse_reversal,
    parse_sale,
    parse_tariffs,
    parse_terminal,
    parse_z_reconciliation,
)
from app.errors import ConfigError, InvalidInput
from sts.errors import MeterNumberError
from sts.meter_number import parse_meter_number

log = logging.getLogger("vendpoint.api")

P = TypeVar("P")

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_KEY_RE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_TARIFF_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
#: The server's limit for `GET /v1/events/poll?limit=` (docs/api.md).
MAX_POLL_LIMIT = 500
#: The server's limits for `GET /v1/meters?q=&limit=` (docs/api.md).
SEARCH_QUERY_LENGTH = (2, 64)
MAX_SEARCH_LIMIT = 50
_OPERATOR_RE = re.compile(r"^[a-z0-9._-]{1,32}$")
_PIN_RE = re.compile(r"^[0-9]{4,12}$")
_RECEIPT_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_SHIFT_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Codes that say our own request is wrong: a bug, not something the cashier can fix.
_BUG_CODES = frozenset({
    "VALIDATION_ERROR", "MALFORMED_JSON", "IDEMPOTENCY_KEY_REQUIRED", "IDEMPOTENCY_KEY_INVALID",
    "OPERATOR_REQUIRED", "NOT_FOUND", "METHOD_NOT_ALLOWED", "REQUEST_TOO_LARGE",
    "DUPLICATE_REQUEST_MISMATCH",
})
_AUTH_CODES = frozenset({"TERMINAL_UNAUTHENTICATED", "TERMINAL_DISABLED"})


@dataclass(frozen=True)
class Timeouts:
    """Connect and read timeouts in seconds, applied to every request."""

    connect: float = 3.05
    read: float = 15.0


class PinnedAdapter(HTTPAdapter):
    """An HTTPS adapter that also requires the server certificate's sha256 (DER) to match."""

    def __init__(self, sha256_hex: str) -> None:
        fingerprint = sha256_hex.replace(":", "").lower()
        if not re.fullmatch(r"[0-9a-f]{64}", fingerprint):
            raise ConfigError("The certificate pin must be a sha256 fingerprint (64 hex digits).")
        self._fingerprint = fingerprint
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["assert_fingerprint"] = self._fingerprint
        super().init_poolmanager(*args, **kwargs)


MalformedSink = Callable[[MalformedResponse], None]


class VendingClient:
    """Typed, validated calls to the central vending API for one terminal."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        credential: Callable[[], str],
        *,
        timeouts: Timeouts = Timeouts(),
        ca_bundle: str | None = None,
        pin_sha256: str | None = None,
        malformed_sink: MalformedSink | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ConfigError(f"The server address {base_url!r} is not an http(s) URL.")
        if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
            raise ConfigError(
                "The server address must use https (plain http is only allowed on this computer).",
            )
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._credential = credential
        self._timeouts = timeouts
        # Never False: verification is always on; a path selects a private CA bundle.
        self._verify: bool | str = ca_bundle if ca_bundle else True
        self.malformed_sink = malformed_sink
        if pin_sha256 is not None:
            if parts.scheme != "https":
                raise ConfigError("Certificate pinning needs an https server address.")
            session.mount(self.base_url + "/", PinnedAdapter(pin_sha256))

    # -- endpoints --------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        """`GET /health` (no credential)."""
        data = self._json("GET", "/health", auth=False)
        if not isinstance(data, dict) or data.get("status") != "ok":
            raise self._malformed("health status is not ok", "GET", "/health", 200, None, b"")
        return data

    def activate(self, code: str, terminal_name: str) -> Activation:
        """`POST /v1/terminals/activate`: returns the credential (save it in the keyring)."""
        body = {"activation_code": code, "terminal_name": terminal_name}
        return self._parsed(parse_activation, "POST", "/v1/terminals/activate", body=body,
                            auth=False)

    def terminal(self) -> TerminalInfo:
        """`GET /v1/terminal`: server time, vendor credit, offline policy, sale limits."""
        return self._parsed(parse_terminal, "GET", "/v1/terminal")

    def operators(self) -> list[OperatorRecord]:
        """`GET /v1/operators`: PIN hashes for offline login."""
        return self._parsed(parse_operators, "GET", "/v1/operators")

    def meter(self, meter_number: str) -> MeterInfo:
        """`GET /v1/meters/{n}`: confirm the customer."""
        path = f"/v1/meters/{quote(meter_number, safe='')}"
        info = self._parsed(parse_meter, "GET", path)
        if info.meter_number != meter_number:
            raise self._malformed("answer is for another meter", "GET", path, 200, None, b"")
        return info

    def quote(self, meter_number: str, amount: Money) -> Quote:
        """`POST /v1/quotes`: trial vend."""
        body = {"meter_number": meter_number, "amount": amount.to_json()}
        result = self._parsed(parse_quote, "POST", "/v1/quotes", body=body)
        if result.meter_number != meter_number or result.amount_tendered != amount:
            raise self._malformed("quote is for another meter or amount", "POST",
                                  "/v1/quotes", 200, None, json.dumps(result.raw).encode())
        return result

    def sell(self, key: str, operator_id: str, request: dict[str, Any]) -> Sale:
        """`POST /v1/sales` with the idempotency key saved beforehand by the caller."""
        self._check_key(key)
        sale = self._parsed(
            parse_sale, "POST", "/v1/sales", body=request, operator=operator_id, key=key
        )
        self._check_sale_matches(sale, key, request, "POST", "/v1/sales")
        return sale

    def get_sale(self, key: str, request: dict[str, Any] | None = None) -> Sale | None:
        """`GET /v1/sales/{key}`: the original answer, or None if never processed (404)."""
        self._check_key(key)
        path = f"/v1/sales/{quote(key, safe='')}"
        try:
            sale = self._parsed(parse_sale, "GET", path, key=None)
        except ApiRejected as exc:
            if exc.code == "SALE_NOT_FOUND":
                return None
            raise
        self._check_sale_matches(sale, key, request, "GET", path)
        return sale

    def sell_batch(self, items: Sequence[tuple[str, str, dict[str, Any]]]) -> list[BatchResult]:
        """`POST /v1/sales/batch` of (key, operator_id, request) in order; one result each."""
        keys = [k for k, _, _ in items]
        for key in keys:
            self._check_key(key)
        body = {"items": [
            {"idempotency_key": k, "operator_id": op, "request": req} for k, op, req in items
        ]}
        results = self._parsed(lambda d: parse_batch(d, keys), "POST", "/v1/sales/batch",
                               body=body)
        for (key, _, request), result in zip(items, results, strict=True):
            if result.sale is not None:
                self._check_sale_matches(result.sale, key, request, "POST", "/v1/sales/batch")
        return results

    def tariffs(self) -> list[TariffSummary]:
        """`GET /v1/tariffs`: every tariff with its versions and the one in force now."""
        return self._parsed(parse_tariffs, "GET", "/v1/tariffs")

    def tariff_version(self, tariff_id: str, version: int) -> dict[str, Any]:
        """`GET /v1/tariffs/{id}/versions/{n}`: the signed envelope, as the server sent it.

        Only the transport is checked here (a JSON object, with the usual error mapping: an
        unknown version is `ApiRejected` code `TARIFF_NOT_FOUND`). The content is deliberately
        NOT judged here: `app.tariffs.verify_envelope` is the one place that checks the
        signature, the envelope against the signed payload and the asked-for version, so that
        every bad document — a replayed old version, a missing signature — is recorded there as
        a refused (attacking) document instead of vanishing as an unreadable answer.
        """
        if not _TARIFF_ID_RE.match(tariff_id):
            raise ValueError("tariff id has the wrong format")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValueError("tariff version must be a positive integer")
        path = f"/v1/tariffs/{quote(tariff_id, safe='')}/versions/{version:d}"
        return self._parsed(lambda d: dict(obj(d, "envelope")), "GET", path)

    def poll_events(self, after_id: int, limit: int = 100) -> EventPage:
        """`GET /v1/events/poll?after=&limit=`: events after `after_id` (the SSE fallback).

        The answer must list ids above `after_id`, strictly increasing, at most `limit`, with
        `last_id` the last one returned (or `after_id`), so a caller that resumes from
        `last_id` can neither skip nor repeat an event.
        """
        if isinstance(after_id, bool) or not isinstance(after_id, int) or after_id < 0:
            raise ValueError("after_id must be a non-negative integer")
        if isinstance(limit, bool) or not isinstance(limit, int) or \
                not 1 <= limit <= MAX_POLL_LIMIT:
            raise ValueError(f"limit must be 1..{MAX_POLL_LIMIT}")
        path = f"/v1/events/poll?after={after_id:d}&limit={limit:d}"
        return self._parsed(lambda d: parse_event_page(d, after_id, limit), "GET", path)

    def search_meters(self, query: str, limit: int = 20) -> list[MeterSearchHit]:
        """`GET /v1/meters?q=&limit=`: meters whose customer name, account, address or meter
        number prefix matches `query` (case- and accent-insensitive on the server).

        `query` is what the cashier typed: it is stripped, and one of fewer than 2 or more
        than 64 characters is `InvalidInput` (nothing is sent). `limit` outside 1..50 is a
        `ValueError`. The answer must have at most `limit` results with well-formed, unique
        meter numbers.
        """
        text = query.strip() if isinstance(query, str) else ""
        low, high = SEARCH_QUERY_LENGTH
        if not low <= len(text) <= high:
            raise InvalidInput(f"Type {low} to {high} characters to search for a customer.",
                               hint="A name, an account, an address or the start of a meter "
                                    "number.")
        if isinstance(limit, bool) or not isinstance(limit, int) or \
                not 1 <= limit <= MAX_SEARCH_LIMIT:
            raise ValueError(f"limit must be 1..{MAX_SEARCH_LIMIT}")
        path = f"/v1/meters?q={quote(text, safe='')}&limit={limit:d}"
        return self._parsed(lambda d: parse_meter_search(d, limit), "GET", path)

    def reverse(self, receipt_no: str, operator_id: str, *, reason: str, supervisor_id: str,
                supervisor_pin: str) -> Reversal:
        """`POST /v1/sales/{receipt_no}/reversal` (header `X-Operator-Id`).

        The supervisor's PIN goes in the body (never logged). The server refuses with
        `ApiRejected` (`RECEIPT_NOT_FOUND`, `REVERSAL_NOT_ALLOWED` with `details.reason`,
        `PIN_INVALID`, `OPERATOR_LOCKED`, `SUPERVISOR_REQUIRED`, `OPERATOR_NOT_ALLOWED`).
        Reversing a reversed receipt returns the original reversal. The answer must be for
        `receipt_no`.
        """
        if not isinstance(receipt_no, str) or not _RECEIPT_RE.match(receipt_no):
            raise ValueError("receipt number has the wrong format")
        self._check_operator(operator_id)
        self._check_operator(supervisor_id)
        self._check_pin(supervisor_pin)
        if not isinstance(reason, str) or not 1 <= len(reason) <= 200:
            raise ValueError("reason must be 1..200 characters")
        path = f"/v1/sales/{quote(receipt_no, safe='')}/reversal"
        body = {"reason": reason, "supervisor": {"operator_id": supervisor_id,
                                                 "pin": supervisor_pin}}
        result = self._parsed(parse_reversal, "POST", path, body=body, operator=operator_id)
        if result.receipt_no != receipt_no:
            raise self._malformed("reversal answer is for another receipt", "POST", path, 200,
                                  "application/json", json.dumps(result.raw).encode())
        return result

    def engineering_token(
        self, operator_id: str, *, meter_number: str, type: str, supervisor_id: str,
        supervisor_pin: str, value: int | None = None, register: str | None = None,
        new_ti: int | None = None, idempotency_key: str | None = None,
    ) -> EngineeringTokens:
        """`POST /v1/engineering-tokens` (header `X-Operator-Id`, optional `Idempotency-Key`).

        Checked before sending (`ValueError`): the meter number (11/13 digits, Luhn), the
        type, `value` 1..65535 W for `set_power_limit`/`set_phase_unbalance` (required) or
        control bits ≥ 0 for `test` (optional) and nothing otherwise, `register` only for
        `clear_credit`, `new_ti` 1..99 only for `key_change`. The answer must be for this
        meter and type, with tokens checked like a sale's. With a key, a repeated request
        returns the original tokens (the server keeps it).
        """
        self._check_operator(operator_id)
        self._check_operator(supervisor_id)
        self._check_pin(supervisor_pin)
        self._check_meter(meter_number)
        if type not in ENGINEERING_TYPES:
            raise ValueError("unknown engineering token type")
        if idempotency_key is not None:
            self._check_key(idempotency_key)
        _check_engineering_options(type, value, register, new_ti)
        body = {"meter_number": meter_number, "type": type, "value": value,
                "register": register, "new_ti": new_ti,
                "supervisor": {"operator_id": supervisor_id, "pin": supervisor_pin}}
        path = "/v1/engineering-tokens"
        result = self._parsed(parse_engineering, "POST", path, body=body, operator=operator_id,
                              key=idempotency_key)
        if result.meter_number != meter_number or result.type != type:
            raise self._malformed("engineering answer is for another meter or type", "POST",
                                  path, 200, "application/json",
                                  json.dumps(result.raw).encode(), key=idempotency_key)
        return result

    def z_report(self, shift_id: str, operator_id: str,
                 upload: ZReportUpload) -> ZReconciliation:
        """`POST /v1/shifts/{shift_id}/z-report` (header `X-Operator-Id`): the server's totals
        of the period and the differences (terminal − server).

        The same shift with the same body returns the same answer; another body is
        `ApiBug` `DUPLICATE_REQUEST_MISMATCH`. The answer must be for this shift and Z number,
        and `matched` must agree with the differences.
        """
        if not isinstance(shift_id, str) or not _SHIFT_RE.match(shift_id):
            raise ValueError("shift id has the wrong format")
        self._check_operator(operator_id)
        path = f"/v1/shifts/{quote(shift_id, safe='')}/z-report"
        result = self._parsed(parse_z_reconciliation, "POST", path, body=upload.to_json(),
                              operator=operator_id)
        if result.shift_id != shift_id or result.z_number != upload.z_number:
            raise self._malformed("Z answer is for another shift or Z number", "POST", path,
                                  200, "application/json", json.dumps(result.raw).encode())
        return result

    # -- plumbing ---------------------------------------------------------------------------
    @staticmethod
    def _check_operator(operator_id: str) -> None:
        if not isinstance(operator_id, str) or not _OPERATOR_RE.match(operator_id):
            raise ValueError("operator id has the wrong format")

    @staticmethod
    def _check_pin(pin: str) -> None:
        # The PIN itself never goes into the message.
        if not isinstance(pin, str) or not _PIN_RE.match(pin):
            raise ValueError("a PIN must be 4 to 12 digits")

    @staticmethod
    def _check_meter(meter_number: str) -> None:
        try:
            ok = isinstance(meter_number, str) and \
                parse_meter_number(meter_number).drn == meter_number
        except MeterNumberError:
            ok = False
        if not ok:
            raise ValueError("meter number must be 11 or 13 digits with a valid check digit")
    @staticmethod
    def _check_key(key: str) -> None:
        if not _KEY_RE.match(key):
            raise ValueError("idempotency key has the wrong format")

    def _check_sale_matches(
        self, sale: Sale, key: str, request: dict[str, Any] | None, method: str, path: str
    ) -> None:
        problem = ""
        if sale.idempotency_key != key:
            problem = "sale answer carries another idempotency key"
        elif request is not None:
            amount = request.get("amount", {})
            if sale.meter_number != request.get("meter_number"):
                problem = "sale answer is for another meter"
            elif sale.amount_tendered != Money.parse(amount["amount"], amount["currency"]):
                problem = "sale answer is for another amount"
        if problem:
            raise self._malformed(problem, method, path, 200, "application/json",
                                  json.dumps(sale.raw).encode(), key=key)

    def _malformed(
        self, problem: str, method: str, path: str, status: int | None,
        content_type: str | None, body: bytes, *, key: str | None = None,
    ) -> MalformedResponse:
        exc = MalformedResponse(problem, method=method, path=path, status=status,
                                content_type=content_type, body=body, idempotency_key=key)
        log.warning("malformed answer to %s %s (status %s): %s", method, path, status, problem)
        if self.malformed_sink is not None:
            try:
                self.malformed_sink(exc)
            except Exception:
                log.exception("could not store a malformed answer")
        return exc

    def _parsed(
        self, parser: Callable[[Any], P], method: str, path: str, *,
        body: dict[str, Any] | None = None, auth: bool = True, operator: str | None = None,
        key: str | None = None,
    ) -> P:
        response = self._send(method, path, body=body, auth=auth, operator=operator, key=key)
        data = self._decode(response, method, path, key)
        try:
            return parser(data)
        except Invalid as exc:
            raise self._malformed(str(exc), method, path, response.status_code,
                                  response.headers.get("Content-Type"), response.content,
                                  key=key) from None

    def _json(self, method: str, path: str, *, auth: bool = True) -> Any:
        response = self._send(method, path, auth=auth)
        return self._decode(response, method, path, None)

    def _send(
        self, method: str, path: str, *, body: dict[str, Any] | None = None, auth: bool = True,
        operator: str | None = None, key: str | None = None,
    ) -> requests.Response:
        headers = {"Accept": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self._credential()}"
        if operator is not None:
            headers["X-Operator-Id"] = operator
        if key is not None:
            headers["Idempotency-Key"] = key
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        try:
            response = self._session.request(
                method, self.base_url + path, data=data, headers=headers,
                timeout=(self._timeouts.connect, self._timeouts.read), verify=self._verify,
                allow_redirects=False,
            )
            # Read the whole body now, so a cut connection shows up here as "answer lost".
            _ = response.content
        except requests.exceptions.SSLError as exc:
            raise TlsProblem(
                "The server's certificate could not be verified (or does not match the pin); "
                "nothing was sent.",
                hint="Check the server address and the certificate settings.",
            ) from exc
        except requests.exceptions.ConnectTimeout as exc:
            raise ServerUnavailable("The server did not accept the connection in time.",
                                    sent=False) from exc
        except requests.exceptions.ConnectionError as exc:
            # Refused before sending vs reset after sending cannot always be told apart:
            # a refused connection is "not sent", anything else may have reached the server.
            sent = not _is_refused(exc)
            raise ServerUnavailable("The server could not be reached.", sent=sent) from exc
        except (requests.exceptions.Timeout, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            raise ServerUnavailable("The server's answer did not arrive.", sent=True) from exc
        return response

    def _decode(
        self, response: requests.Response, method: str, path: str, key: str | None
    ) -> Any:
        status = response.status_code
        content_type = response.headers.get("Content-Type", "")
        body = response.content
        parsed: Any = None
        is_json = content_type.split(";")[0].strip().lower() == "application/json"
        if is_json:
            try:
                parsed = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                is_json = False
        if 200 <= status < 300:
            if not is_json:
                raise self._malformed("the answer is not JSON", method, path, status,
                                      content_type, body, key=key)
            return parsed
        error: ApiErrorBody | None = None
        if is_json:
            try:
                error = parse_error(parsed)
            except Invalid:
                error = None
        if status >= 500 or status == 429:
            if error is not None and not error.retryable and status >= 500:
                raise ApiRejected(error.message, code=error.code, status=status,
                                  details=error.details)
            raise ServerUnavailable(
                "The server is busy or failing; try again shortly.", sent=True, status=status
            )
        if error is None:
            raise self._malformed("an error answer without the error body", method, path,
                                  status, content_type, body, key=key)
        if error.code in _AUTH_CODES:
            raise TerminalNotAuthorised(error.message, code=error.code)
        if error.code in _BUG_CODES:
            raise ApiBug(f"{error.code}: {error.message}", code=error.code, status=status)
        if error.retryable:
            raise ServerUnavailable(error.message, sent=True, status=status)
        raise ApiRejected(error.message, code=error.code, status=status, details=error.details)


def _check_engineering_options(type_: str, value: int | None, register: str | None,
                               new_ti: int | None) -> None:
    """The per-type rules of docs/api.md for `value`, `register` and `new_ti`."""
    def is_int(v: object) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    if type_ in ("set_power_limit", "set_phase_unbalance"):
        if not is_int(value) or not 1 <= value <= 65535:  # type: ignore[operator]
            raise ValueError("value must be 1..65535 watts for this token type")
    elif type_ == "test":
        if value is not None and (not is_int(value) or value < 0):
            raise ValueError("test control bits must be a non-negative integer")
    elif value is not None:
        raise ValueError("this token type takes no value")
    if register is not None and (type_ != "clear_credit" or register not in REGISTERS):
        raise ValueError("register is only for clear_credit: electricity, water or all")
    if new_ti is not None and (type_ != "key_change" or not is_int(new_ti)
                               or not 1 <= new_ti <= 99):
        raise ValueError("new_ti is only for key_change, 1..99")


def _is_refused(exc: BaseException) -> bool:
    """True if the error chain shows the connection was refused (nothing was sent)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return True
        if "Connection refused" in str(current) or "NewConnectionError" in type(current).__name__:
            return True
        for arg in getattr(current, "args", ()):
            if isinstance(arg, BaseException) and _is_refused(arg):
                return True
        current = current.__cause__ or current.__context__
    return False
