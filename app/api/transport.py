"""The vending API client's transport: one terminal's session to the server (docs/api.md).

Every call has a total deadline (connect plus the whole answer, `app.api.limits.Deadline`)
besides the connect and per-read timeouts, and an answer size limit (refused from its
`Content-Length` or while streaming, never read whole); JSON nested deeper than
`MAX_JSON_DEPTH` is a malformed answer. TLS verification is always on (a CA bundle may be
given, `verify=False` is impossible); an optional pin checks the sha256 of the server
certificate's DER bytes. The terminal credential comes from an injected provider (the keyring
in production); one bound at activation (`app.api.origin`) is sent only to its own origin,
and over https only after the server proved the public key recorded at activation. Every
answer is decoded strictly and HTTP errors are mapped to the typed errors of
`app.api.errors`; anything off-contract becomes a `MalformedResponse`, handed to the
`malformed_sink` (which stores it) and raised. The calls themselves are in `app.api.calls`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from app.api.environment import settle_environment, tls_verify
from app.api.errors import (
    ApiBug,
    ApiRejected,
    MalformedResponse,
    ServerUnavailable,
    TerminalNotAuthorised,
    TlsProblem,
)
from app.api.limits import DEFAULT_ANSWER_LIMIT, Deadline, DeadlineAdapter, TooDeep, loads
from app.api.messages import refusal_text
from app.api.models import ApiErrorBody, Invalid, parse_error
from app.api.origin import SpkiPinnedAdapter, guarded, pin_of
from common.errors import ConfigError
from common.i18n import _

log = logging.getLogger("vendpoint.api")

__all__ = ["Answer", "MalformedSink", "PinnedAdapter", "Timeouts", "Transport"]

P = TypeVar("P")

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Codes that say our own request is wrong: a bug, not something the cashier can fix.
_BUG_CODES = frozenset({
    "VALIDATION_ERROR", "MALFORMED_JSON", "IDEMPOTENCY_KEY_REQUIRED", "IDEMPOTENCY_KEY_INVALID",
    "OPERATOR_REQUIRED", "NOT_FOUND", "METHOD_NOT_ALLOWED", "REQUEST_TOO_LARGE",
    "DUPLICATE_REQUEST_MISMATCH",
})
_AUTH_CODES = frozenset({"TERMINAL_UNAUTHENTICATED", "TERMINAL_DISABLED"})


#: What a refused oversized answer keeps for investigation (its first bytes).
_KEPT_PREFIX = 64 << 10


@dataclass(frozen=True)
class Timeouts:
    """How long one call may take, in seconds.

    `connect`: to open the connection; `read`: the longest silence between two reads;
    `total`: the whole call, connect plus the whole answer, however it trickles in (the
    bound the cashier waits: a sale attempt is a POST and at most one look-up of its key);
    `batch`: the whole of `POST /v1/sales/batch`, which does up to 200 sales at once.
    """

    connect: float = 3.05
    read: float = 15.0
    total: float = 9.0
    batch: float = 30.0

    def __post_init__(self) -> None:
        if min(self.connect, self.read, self.total, self.batch) <= 0:
            raise ConfigError(_("Server timeouts must be positive."))


@dataclass(frozen=True)
class Answer:
    """One HTTP answer read whole within its call's deadline and size limit."""

    status: int
    content_type: str
    body: bytes


class PinnedAdapter(DeadlineAdapter):
    """An HTTPS adapter that also requires the server certificate's sha256 (DER) to match."""

    def __init__(self, sha256_hex: str) -> None:
        fingerprint = sha256_hex.replace(":", "").lower()
        if not re.fullmatch(r"[0-9a-f]{64}", fingerprint):
            raise ConfigError(
                _("The certificate pin must be a sha256 fingerprint (64 hex digits)."))
        self._fingerprint = fingerprint
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["assert_fingerprint"] = self._fingerprint
        super().init_poolmanager(*args, **kwargs)


MalformedSink = Callable[[MalformedResponse], None]


class Transport:
    """The session core every call goes through: base URL, credential, timeouts, TLS and pin,
    answer decoding and error mapping. `VendingClient` is this plus the calls."""

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
            raise ConfigError(_("The server address {base_url!r} is not an http(s) URL.")
                .format(base_url=base_url))
        if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
            raise ConfigError(
                _("The server address must use https (plain http is only allowed on this "
                  "computer)."),
            )
        self.base_url = base_url.rstrip("/")
        self._session = session
        # A credential bound at activation is only ever given for its own origin.
        self._credential = guarded(credential, self.base_url)
        spki = pin_of(credential) if parts.scheme == "https" else None
        self._timeouts = timeouts
        # Never False: verification is always on; a path selects a private CA bundle.
        self._verify = tls_verify(ca_bundle)
        settle_environment(session, self.base_url)  # read once, not per request
        self.malformed_sink = malformed_sink
        if pin_sha256 is not None:
            if parts.scheme != "https":
                raise ConfigError(_("Certificate pinning needs an https server address."))
            session.mount(self.base_url + "/", PinnedAdapter(pin_sha256))
        elif spki is not None:
            # The public key recorded at activation: checked before any request is written.
            session.mount(self.base_url + "/", SpkiPinnedAdapter(spki))
        else:
            # Connections to the server obey each call's total deadline.
            session.mount(self.base_url + "/", DeadlineAdapter())

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
        key: str | None = None, limit: int = DEFAULT_ANSWER_LIMIT,
        deadline: float | None = None,
    ) -> P:
        answer = self._send(method, path, body=body, auth=auth, operator=operator, key=key,
                            limit=limit, deadline=deadline)
        data = self._decode(answer, method, path, key)
        try:
            return parser(data)
        except Invalid as exc:
            raise self._malformed(str(exc), method, path, answer.status,
                                  answer.content_type, answer.body, key=key) from None

    def _json(self, method: str, path: str, *, auth: bool = True) -> Any:
        answer = self._send(method, path, auth=auth)
        return self._decode(answer, method, path, None)

    def _send(
        self, method: str, path: str, *, body: dict[str, Any] | None = None, auth: bool = True,
        operator: str | None = None, key: str | None = None,
        limit: int = DEFAULT_ANSWER_LIMIT, deadline: float | None = None,
    ) -> Answer:
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
        seconds = deadline if deadline is not None else self._timeouts.total
        with Deadline(seconds) as due:
            try:
                return self._exchange(method, path, data, headers, due, limit, key)
            except requests.exceptions.SSLError as exc:
                if due.expired:
                    raise _late(seconds) from exc
                raise TlsProblem(
                    _("The server's certificate could not be verified (or does not match the "
                    "pin); nothing was sent."),
                    hint=_("Check the server address and the certificate settings."),
                ) from exc
            except requests.exceptions.ConnectTimeout as exc:
                raise ServerUnavailable(_("The server did not accept the connection in time."),
                                        sent=False) from exc
            except requests.exceptions.ConnectionError as exc:
                if due.expired:
                    raise _late(seconds) from exc
                # Refused before sending vs reset after sending cannot always be told apart:
                # a refused connection is "not sent", anything else may have reached the server.
                sent = not _is_refused(exc)
                raise ServerUnavailable(_("The server could not be reached."), sent=sent) from exc
            except (requests.exceptions.Timeout, requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:
                if due.expired:
                    raise _late(seconds) from exc
                raise ServerUnavailable(_("The server's answer did not arrive."),
                                        sent=True) from exc
            except (requests.exceptions.RequestException, OSError, ValueError) as exc:
                # Whatever a socket shut down under a read gives (urllib3 and http.client
                # differ by version): past the deadline it is a late answer, else a bug.
                if due.expired:
                    raise _late(seconds) from exc
                raise

    def _exchange(
        self, method: str, path: str, data: bytes | None, headers: dict[str, str],
        due: Deadline, limit: int, key: str | None,
    ) -> Answer:
        # Each timeout is also capped by what is left of the call's deadline.
        response = self._session.request(
            method, self.base_url + path, data=data, headers=headers, stream=True,
            timeout=(min(self._timeouts.connect, due.remaining()),
                     min(self._timeouts.read, due.remaining())),
            verify=self._verify, allow_redirects=False,
        )
        try:
            content_type = response.headers.get("Content-Type", "")
            length = response.headers.get("Content-Length")
            if length is not None and length.strip().isdigit() and int(length) > limit:
                raise self._malformed(f"the answer is larger than {limit} bytes", method, path,
                                      response.status_code, content_type, b"", key=key)
            body = bytearray()
            # Read the whole body now, so a cut connection shows up here as "answer lost".
            for chunk in response.iter_content(chunk_size=64 << 10):
                body += chunk
                if len(body) > limit:
                    raise self._malformed(f"the answer is larger than {limit} bytes", method,
                                          path, response.status_code, content_type,
                                          bytes(body[:_KEPT_PREFIX]), key=key)
            return Answer(response.status_code, content_type, bytes(body))
        finally:
            response.close()

    def _decode(self, answer: Answer, method: str, path: str, key: str | None) -> Any:
        status, content_type, body = answer.status, answer.content_type, answer.body
        parsed: Any = None
        is_json = content_type.split(";")[0].strip().lower() == "application/json"
        problem = "the answer is not JSON"
        if is_json:
            try:
                parsed = loads(body)
            except TooDeep as exc:
                is_json, problem = False, str(exc)
            except ValueError:
                is_json = False
        if 200 <= status < 300:
            if not is_json:
                raise self._malformed(problem, method, path, status, content_type, body,
                                      key=key)
            return parsed
        error: ApiErrorBody | None = None
        if is_json:
            try:
                error = parse_error(parsed)
            except Invalid:
                error = None
        # The client's own words for the server's code (its text only for an unknown one).
        said = "" if error is None else refusal_text(error.code, error.details, error.message)
        if status >= 500 or status == 429:
            if error is not None and not error.retryable and status >= 500:
                raise ApiRejected(said, code=error.code, status=status, details=error.details)
            raise ServerUnavailable(
                _("The server is busy or failing; try again shortly."), sent=True, status=status
            )
        if error is None:
            raise self._malformed("an error answer without the error body", method, path,
                                  status, content_type, body, key=key)
        if error.code in _AUTH_CODES:
            raise TerminalNotAuthorised(said, code=error.code)
        if error.code in _BUG_CODES:
            raise ApiBug(f"{error.code}: {error.message}", code=error.code, status=status)
        if error.retryable:
            raise ServerUnavailable(said, sent=True, status=status)
        raise ApiRejected(said, code=error.code, status=status, details=error.details)


def _late(seconds: float) -> ServerUnavailable:
    """The call's deadline passed before the whole answer arrived (it may have been sent)."""
    return ServerUnavailable(_("The server did not answer within {seconds:g} seconds.")
        .format(seconds=seconds),
                             sent=True)


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
