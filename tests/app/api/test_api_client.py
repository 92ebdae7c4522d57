"""Tests of the API client against scripted real HTTP: validation, error mapping, TLS pinning."""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from app.api import (
    ApiBug,
    ApiRejected,
    MalformedResponse,
    ServerUnavailable,
    TerminalNotAuthorised,
    Timeouts,
    TlsProblem,
    VendingClient,
)
from app.api.models import Money
from common.errors import BusinessRuleError, ConfigError, TransientError, UserFacingError
from tests.reliability.api_samples import KEY, request, sale
from tests.reliability.faultproxy import ScriptedServer, scripted_server

JSON = "application/json"


def _client(url: str, sink: list[MalformedResponse] | None = None, **kw: Any) -> VendingClient:
    return VendingClient(requests.Session(), url, lambda: "vpt_test", timeouts=Timeouts(2, 2),
                         malformed_sink=None if sink is None else sink.append, **kw)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as s:
        yield s


def _err(code: str, retryable: bool = False) -> bytes:
    return json.dumps({"error": {"code": code, "message": "m", "retryable": retryable,
                                 "details": {}}}).encode()


def test_sell_sends_key_operator_credential_and_parses(server: ScriptedServer) -> None:
    server.script.append((200, JSON, json.dumps(sale()).encode()))
    result = _client(server.url).sell(KEY, "thandi", request())
    assert result.receipt_no == "VP00000001"
    assert [t.digits for t in result.tokens] == ["12345678901234567890"]
    assert result.amount_tendered == Money(10000, "ZAR")
    method, path, headers, body = server.requests[0]
    assert (method, path) == ("POST", "/v1/sales")
    assert headers["Idempotency-Key"] == KEY
    assert headers["X-Operator-Id"] == "thandi"
    assert headers["Authorization"] == "Bearer vpt_test"
    assert json.loads(body) == request()
    assert "12345678901234567890" not in repr(result)  # tokens never in reprs/logs


def test_a_netrc_entry_for_the_server_never_replaces_the_credential(
        server: ScriptedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # requests, trusting the environment, would send ~/.netrc's Basic login instead.
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    server.script.append((200, JSON, json.dumps(sale()).encode()))
    _client(server.url).sell(KEY, "thandi", request())
    assert server.requests[0][2]["Authorization"] == "Bearer vpt_test"


def test_the_environment_proxy_is_read_when_the_client_is_made(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    session = requests.Session()
    VendingClient(session, "https://vend.example", lambda: "vpt_test")
    assert session.proxies["https"] == "http://proxy.example:3128"
    assert session.trust_env is False  # not re-read (with ~/.netrc) on every request


def _bad_sales() -> list[tuple[str, Any]]:
    def mutate(fn: Any) -> bytes:
        s = sale()
        fn(s)
        return json.dumps(s).encode()

    return [
        ("token not 20 digits", mutate(lambda s: s["tokens"][0].update(
            token="1234567890123456789", display="123 4567 8901 2345 6789"))),
        ("token with letters", mutate(lambda s: s["tokens"][0].update(
            token="1234567890123456789X", display="1234 5678 9012 3456 789X"))),
        ("missing receipt", mutate(lambda s: s.pop("receipt_no"))),
        ("units as float", mutate(lambda s: s.update(units=55.5))),
        ("amount as number", mutate(lambda s: s.update(amount_tendered={"amount": 100,
                                                                         "currency": "ZAR"}))),
        ("no tokens", mutate(lambda s: s.update(tokens=[]))),
        ("lines do not add up", mutate(lambda s: s["lines"][0]["amount"].update(amount="80.00"))),
        ("other key", mutate(lambda s: s.update(idempotency_key="other-key-123"))),
        ("other meter", mutate(lambda s: s["meter"].update(meter_number="01234567897"))),
        ("html page", b"<html><body>Gateway</body></html>"),
        ("not json", b"{not json"),
        ("json array", b"[]"),
    ]


@pytest.mark.parametrize(("case", "body"), _bad_sales(), ids=[c for c, _ in _bad_sales()])
def test_malformed_sale_is_kept_and_raised(server: ScriptedServer, case: str, body: bytes) -> None:
    ctype = "text/html" if case == "html page" else JSON
    server.script.append((200, ctype, body))
    kept: list[MalformedResponse] = []
    with pytest.raises(MalformedResponse) as info:
        _client(server.url, kept).sell(KEY, "thandi", request())
    assert isinstance(info.value, UserFacingError)
    assert kept and kept[0].body == body and kept[0].idempotency_key == KEY
    assert "12345678901234567890" not in str(info.value)


@pytest.mark.parametrize(
    ("status", "body", "ctype", "error", "code"),
    [
        (404, _err("UNKNOWN_METER"), JSON, ApiRejected, "UNKNOWN_METER"),
        (422, _err("INSUFFICIENT_VENDOR_CREDIT"), JSON, ApiRejected, "INSUFFICIENT_VENDOR_CREDIT"),
        (401, _err("TERMINAL_UNAUTHENTICATED"), JSON, TerminalNotAuthorised, None),
        (409, _err("DUPLICATE_REQUEST_MISMATCH"), JSON, ApiBug, "DUPLICATE_REQUEST_MISMATCH"),
        (400, _err("VALIDATION_ERROR"), JSON, ApiBug, "VALIDATION_ERROR"),
        (503, _err("SERVICE_UNAVAILABLE", True), JSON, ServerUnavailable, None),
        (502, b"<html>bad gateway</html>", "text/html", ServerUnavailable, None),
        (500, _err("TOKEN_ENGINE_ERROR"), JSON, ApiRejected, "TOKEN_ENGINE_ERROR"),
        (429, _err("TOO_MANY_ATTEMPTS", True), JSON, ServerUnavailable, None),
        (418, b"<html>teapot</html>", "text/html", MalformedResponse, None),
    ],
)
def test_error_mapping(server: ScriptedServer, status: int, body: bytes, ctype: str,
                       error: type[Exception], code: str | None) -> None:
    server.script.append((status, ctype, body))
    with pytest.raises(error) as info:
        _client(server.url, []).sell(KEY, "thandi", request())
    if code is not None:
        assert getattr(info.value, "code", None) == code
    if error is ApiRejected:
        assert isinstance(info.value, BusinessRuleError)
    if error is ServerUnavailable:
        assert isinstance(info.value, TransientError)


def test_get_sale_404_means_never_processed(server: ScriptedServer) -> None:
    server.script.append((404, JSON, _err("SALE_NOT_FOUND")))
    assert _client(server.url).get_sale(KEY) is None
    assert server.requests[0][1] == f"/v1/sales/{KEY}"


def test_connection_refused_is_transient_and_not_sent() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ServerUnavailable) as info:
        _client(f"http://127.0.0.1:{port}").sell(KEY, "thandi", request())
    assert info.value.sent is False


def test_read_timeout_is_transient_and_maybe_sent() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)  # accepts the TCP connection, never answers
        client = VendingClient(requests.Session(), f"http://127.0.0.1:{s.getsockname()[1]}",
                               lambda: "x", timeouts=Timeouts(1, 0.3))
        with pytest.raises(ServerUnavailable) as info:
            client.sell(KEY, "thandi", request())
    assert info.value.sent is True


def test_plain_http_only_on_loopback_and_verify_cannot_be_disabled(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with pytest.raises(ConfigError):
        VendingClient(requests.Session(), "http://vend.example.org", lambda: "x")
    client = VendingClient(requests.Session(), "https://vend.example.org", lambda: "x")
    assert client._verify is True
    # The environment's CA bundle is honoured, as requests would (read once, at creation).
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/private-ca.pem")
    client = VendingClient(requests.Session(), "https://vend.example.org", lambda: "x")
    assert client._verify == "/etc/ssl/private-ca.pem"


# -- TLS and pinning ------------------------------------------------------------------------
def _self_signed(tmp_path: Path) -> tuple[Path, Path, bytes]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path, cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    cert, key, der = _self_signed(tmp_path)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"status": "ok", "time": "2026-11-25T03:30:00Z", "api_version": "1"}'
            self.send_response(200)
            self.send_header("Content-Type", JSON)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}", cert, hashlib.sha256(der).hexdigest()
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_tls_verification_is_on(tls_server: tuple[str, Path, str]) -> None:
    url, _, _ = tls_server
    with pytest.raises(TlsProblem):
        _client(url).health()  # self-signed, not in the default trust store


def test_tls_with_ca_bundle_and_right_pin(tls_server: tuple[str, Path, str]) -> None:
    url, cert, pin = tls_server
    assert _client(url, ca_bundle=str(cert), pin_sha256=pin).health()["status"] == "ok"


def test_tls_wrong_pin_is_refused(tls_server: tuple[str, Path, str]) -> None:
    url, cert, pin = tls_server
    wrong = ("0" if pin[0] != "0" else "1") + pin[1:]
    with pytest.raises(TlsProblem):
        _client(url, ca_bundle=str(cert), pin_sha256=wrong).health()
