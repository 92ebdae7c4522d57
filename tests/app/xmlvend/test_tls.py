"""Mutual TLS: a real loopback TLS server (the `ssl` module, a CA made here with
`cryptography`) that requires a client certificate, in front of the reference server's
XMLVend face. The backend connects with its certificate and the pinned CA, and is refused
without the certificate, with one from another CA, or without the CA pinned."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.api.errors import TlsProblem
from app.xmlvend.backend import XmlVendBackend
from tests.app.xmlvend.test_backend_http import Counter, _meter, _request
from vendserver.testing import RunningServer
from vendserver.xmlvend import PATH


@dataclass(frozen=True)
class Pki:
    """A CA and the files made with it."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> Path:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return path


def _make_pki(folder: Path, tag: str) -> Pki:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name(f"{tag} CA")).issuer_name(
        _name(f"{tag} CA")).public_key(ca_key.public_key()).serial_number(
        x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(ca_key, hashes.SHA256()))

    def leaf(cn: str, usage: x509.ObjectIdentifier, san: bool) -> tuple[bytes, Any]:
        key = ec.generate_private_key(ec.SECP256R1())
        b = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(ca.subject)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - dt.timedelta(minutes=5))
             .not_valid_after(now + dt.timedelta(days=1))
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(x509.ExtendedKeyUsage([usage]), critical=False))
        if san:
            b = b.add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        return b.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM), key

    server_pem, server_key = leaf("127.0.0.1", ExtendedKeyUsageOID.SERVER_AUTH, True)
    client_pem, client_key = leaf("vendor 0000000000026", ExtendedKeyUsageOID.CLIENT_AUTH,
                                  False)
    (folder / f"{tag}-ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / f"{tag}-server.pem").write_bytes(server_pem)
    (folder / f"{tag}-client.pem").write_bytes(client_pem)
    return Pki(folder / f"{tag}-ca.pem", folder / f"{tag}-server.pem",
               _write_key(server_key, folder / f"{tag}-server.key"),
               folder / f"{tag}-client.pem", _write_key(client_key, folder / f"{tag}-client.key"))


@dataclass
class TlsFront:
    """A TLS server requiring a client certificate of `pki`'s CA, answering with the face."""

    url: str
    seen: list[str]


@pytest.fixture
def tls(server: RunningServer, tmp_path: Path) -> Iterator[tuple[TlsFront, Pki, Pki]]:
    pki = _make_pki(tmp_path, "utility")
    other = _make_pki(tmp_path, "other")
    assert server.app is not None
    face = server.app.state.xmlvend
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            peer = self.connection.getpeercert()
            seen.append(dict(x[0] for x in peer["subject"])["commonName"])
            data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status, body, headers = face.handle(data, self.headers.get("Accept-Encoding", ""))
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(pki.server_cert, pki.server_key)
    context.load_verify_locations(pki.ca)
    context.verify_mode = ssl.CERT_REQUIRED  # mutual TLS: no certificate, no connection
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield TlsFront(f"https://127.0.0.1:{httpd.server_address[1]}{PATH}", seen), pki, other
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def _backend(counter: Counter, url: str, **tls: Any) -> XmlVendBackend:
    facts = {k: counter.activation[k] for k in ("terminal_id", "vendor", "utility",
                                                "offline_policy", "sale_limits")}
    return XmlVendBackend(requests.Session(), replace(counter.config, url=url, **tls),
                          counter.store, terminal_facts=facts)


def test_the_backend_sells_over_mutual_tls_with_its_certificate(
        counter: Counter, tls: tuple[TlsFront, Pki, Pki]) -> None:
    front, pki, _ = tls
    backend = _backend(counter, front.url, ca_bundle=str(pki.ca),
                       client_cert=str(pki.client_cert), client_key=str(pki.client_key))
    sale = backend.sell(str(uuid.uuid4()), "thandi", _request(_meter(counter.server)))
    assert sale.tokens and front.seen[-1] == "vendor 0000000000026"


@pytest.mark.parametrize("case", ["no client certificate", "a certificate of another CA"])
def test_without_the_right_client_certificate_the_server_refuses(
        counter: Counter, tls: tuple[TlsFront, Pki, Pki], case: str) -> None:
    front, pki, other = tls
    options: dict[str, Any] = {"ca_bundle": str(pki.ca)}
    if case != "no client certificate":
        options.update(client_cert=str(other.client_cert), client_key=str(other.client_key))
    backend = _backend(counter, front.url, **options)
    with pytest.raises(TlsProblem, match="client certificate"):
        backend.meter(_meter(counter.server))
    assert front.seen == []  # no request reached the server


def test_an_unpinned_ca_is_refused_before_anything_is_sent(
        counter: Counter, tls: tuple[TlsFront, Pki, Pki]) -> None:
    front, pki, other = tls
    backend = _backend(counter, front.url, ca_bundle=str(other.ca),
                       client_cert=str(pki.client_cert), client_key=str(pki.client_key))
    with pytest.raises(TlsProblem):
        backend.meter(_meter(counter.server))
    assert front.seen == []
