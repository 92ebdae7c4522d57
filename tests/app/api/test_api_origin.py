"""The terminal credential goes only to the server that issued it: its origin and, over
https, the public key recorded at activation. Real loopback servers, a real keyring stand-in."""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.api import VendingClient
from app.api.errors import TlsProblem
from app.api.origin import CredentialBinding, CredentialNotForThisServer, origin_of, spki_sha256
from app.keystore import KeyringCredentialProvider, MemoryKeyring
from app.till.setup import Activation
from tests.app.api.test_api_client import _self_signed
from vendserver.testing import RunningServer, running_server

JSON = "application/json"


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every GET like a health check and records what it was sent."""

    seen: list[dict[str, str]]

    def do_GET(self) -> None:
        self.seen.append(dict(self.headers))
        body = b'{"status": "ok", "time": "2026-11-25T03:30:00Z", "api_version": "1"}'
        self.send_response(200)
        self.send_header("Content-Type", JSON)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


def _serve(context: ssl.SSLContext | None = None) -> tuple[http.server.ThreadingHTTPServer,
                                                           list[dict[str, str]]]:
    seen: list[dict[str, str]] = []
    handler = type("Handler", (Recorder,), {"seen": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if context is not None:
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    return httpd, seen


@pytest.fixture
def vendserver(tmp_path: Path) -> Iterator[RunningServer]:
    with running_server(tmp_path, demo=True) as srv:
        yield srv


@pytest.fixture
def other_server() -> Iterator[tuple[str, list[dict[str, str]]]]:
    httpd, seen = _serve()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_origin_is_scheme_host_and_port() -> None:
    assert origin_of("https://Vend.Example.org/api/") == "https://vend.example.org:443"
    assert origin_of("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    assert origin_of("https://vend.example.org:8443") != origin_of("https://vend.example.org")


def test_the_credential_never_reaches_a_second_server(
        vendserver: RunningServer, other_server: tuple[str, list[dict[str, str]]]) -> None:
    other_url, seen = other_server
    keyring = MemoryKeyring()
    activation = Activation(keyring)
    activation.activate(vendserver.base_url, str(vendserver.demo["activation_code"]), "C1")
    provider = KeyringCredentialProvider(keyring)
    # The issuing server gets it.
    assert VendingClient(requests.Session(), vendserver.base_url, provider).terminal()
    # The server URL is changed (Settings, a hand-edited file): nothing is sent at all.
    moved = VendingClient(requests.Session(), other_url, provider)
    with pytest.raises(CredentialNotForThisServer):
        moved.terminal()
    with pytest.raises(CredentialNotForThisServer):
        moved.operators()
    assert seen == []
    # Calls that carry no credential still work there (the health check).
    assert moved.health()["status"] == "ok"
    assert all("Authorization" not in h and "authorization" not in h for h in seen)


def test_changing_the_server_clears_the_credential_and_needs_re_activation(
        vendserver: RunningServer, other_server: tuple[str, list[dict[str, str]]]) -> None:
    keyring = MemoryKeyring()
    activation = Activation(keyring)
    activation.activate(vendserver.base_url, str(vendserver.demo["activation_code"]), "C1")
    assert not activation.server_changed(vendserver.base_url + "/")  # the same origin
    assert activation.is_activated()
    assert activation.server_changed(other_server[0])
    assert not activation.is_activated()
    assert KeyringCredentialProvider(keyring).binding() is None


def test_a_credential_kept_before_bindings_is_bound_once(vendserver: RunningServer) -> None:
    keyring = MemoryKeyring()
    provider = KeyringCredentialProvider(keyring)
    provider.save(vendserver.activate("C2")["credential"])  # an entry of an older VendPoint
    assert provider.binding() is None
    with pytest.raises(CredentialNotForThisServer):  # unbound: sent nowhere
        VendingClient(requests.Session(), vendserver.base_url, provider).terminal()
    Activation(keyring).bind_legacy(vendserver.base_url)
    assert provider.binding() == CredentialBinding(origin_of(vendserver.base_url))
    assert VendingClient(requests.Session(), vendserver.base_url, provider).terminal()


def test_https_sends_the_credential_only_after_the_recorded_public_key(tmp_path: Path) -> None:
    cert, key, der = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd, seen = _serve(context)
    url = f"https://127.0.0.1:{httpd.server_address[1]}"
    try:
        keyring = MemoryKeyring()
        provider = KeyringCredentialProvider(keyring)
        wrong = ("0" if spki_sha256(der)[0] != "0" else "1") + spki_sha256(der)[1:]
        provider.save("vpt_secret", CredentialBinding(origin_of(url), wrong))
        # Same origin, a certificate the CA bundle trusts, but another public key: refused
        # before the request is written.
        with pytest.raises(TlsProblem):
            VendingClient(requests.Session(), url, provider, ca_bundle=str(cert)).health()
        assert seen == []
        provider.save("vpt_secret", CredentialBinding(origin_of(url), spki_sha256(der)))
        client = VendingClient(requests.Session(), url, provider, ca_bundle=str(cert))
        assert client.health()["status"] == "ok"
        assert len(seen) == 1
    finally:
        httpd.shutdown()
        httpd.server_close()
