"""The vending API client's transport: one terminal's session to the server (docs/api.md).

Every request has a connect and a read timeout; TLS verification is always on (a CA bundle may
be given, `verify=False` is impossible); an optional pin checks the sha256 of the server
certificate's DER bytes. The terminal credential comes from an injected provider (the keyring
in production). Every answer is decoded strictly and HTTP errors are mapped to the typed errors
of `app.api.errors`; anything off-contract becomes a `MalformedResponse`, handed to the
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
from requests.adapters import HTTPAdapter

from app.api.errors import (
    ApiBug,
    ApiRejected,
    MalformedResponse,
    ServerUnavailable,
    TerminalNotAuthorised,
    TlsProblem,
)
from app.api.models import ApiErrorBody, Invalid, parse_error
from common.errors import ConfigError

log = logging.getLogger("vendpoint.api")

__all__ = ["MalformedSink", "PinnedAdapter", "Timeouts", "Transport"]

P = TypeVar("P")

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
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
