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
    Activation,
    ApiErrorBody,
    BatchResult,
    EventPage,
    Invalid,
    MeterInfo,
    Money,
    OperatorRecord,
    Quote,
    Sale,
    TariffSummary,
    TerminalInfo,
    obj,
    parse_activation,
    parse_batch,
    parse_error,
    parse_event_page,
    parse_meter,
    parse_operators,
    parse_quote,
    parse_sale,
    parse_tariffs,
    parse_terminal,
)
from app.errors import ConfigError

log = logging.getLogger("vendpoint.api")

P = TypeVar("P")

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_KEY_RE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_TARIFF_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
#: The server's limit for `GET /v1/events/poll?limit=` (docs/api.md).
MAX_POLL_LIMIT = 500
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

    # -- plumbing ---------------------------------------------------------------------------
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
