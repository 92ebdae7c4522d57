"""The terminal credential is bound to the server that issued it.

Activation records the issuing server's origin (scheme, host, port) and, over https, the
sha256 of its certificate's public key (SubjectPublicKeyInfo). `guarded` wraps a credential
provider so it yields the credential only for a URL of that origin; anything else raises
`CredentialNotForThisServer` before a request is built, so changing the server address never
sends the old credential elsewhere. `SpkiPinnedAdapter` makes every connection of a bound
https session prove the recorded public key before any byte of a request is written.
"""

from __future__ import annotations

import hashlib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.api.errors import TerminalNotAuthorised
from app.api.limits import DeadlineAdapter, _WatchedHTTPSConnection, _WatchedHTTPSPool
from common.i18n import N_, _

__all__ = ["CredentialBinding", "CredentialNotForThisServer", "SpkiPinnedAdapter",
           "fetch_spki", "guarded", "origin_of", "spki_sha256"]

_DEFAULT_PORTS = {"https": 443, "http": 80}


def origin_of(url: str) -> str:
    """`scheme://host:port` of `url`, lower-case, with the default port written out."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def spki_sha256(der_certificate: bytes) -> str:
    """Hex sha256 of a DER certificate's SubjectPublicKeyInfo (survives certificate renewal
    with the same key, unlike a fingerprint of the whole certificate)."""
    cert = x509.load_der_x509_certificate(der_certificate)
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()


def fetch_spki(url: str, *, ca_bundle: str | None = None, timeout: float = 5.0) -> str:
    """The public key pin of the https server at `url`, from a fully verified handshake
    (certificate chain and host name, as every call does)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    context = ssl.create_default_context(cafile=ca_bundle)
    with socket.create_connection((host, port), timeout=timeout) as raw, \
            context.wrap_socket(raw, server_hostname=host) as tls:
        der = tls.getpeercert(binary_form=True)
    if not der:
        raise ssl.SSLError("the server sent no certificate")
    return spki_sha256(der)


@dataclass(frozen=True)
class CredentialBinding:
    """Where a credential may be sent: the issuing origin, and over https its key pin."""

    origin: str
    spki_sha256: str | None = None


class CredentialNotForThisServer(TerminalNotAuthorised):
    """The server address is not the one this terminal was activated with: re-activate."""

    title = N_("Server changed: activate again")

    def __init__(self) -> None:
        super().__init__(
            _("The server address is not the one this terminal was activated with, so its "
            "credential was not sent."),
            code="CREDENTIAL_ORIGIN_MISMATCH",
        )
        self.hint = (_("An administrator must activate the terminal again for the new server "
                     "(Settings, F11)."))


@runtime_checkable
class BoundProvider(Protocol):
    """A credential provider that knows the origin its credential was issued by."""

    def __call__(self) -> str: ...

    def binding(self) -> CredentialBinding | None: ...


def guarded(credential: Callable[[], str], url: str) -> Callable[[], str]:
    """`credential` as a provider for `url`: a bound provider whose origin differs refuses.

    Providers that know no binding (a test's or the demo's in-memory credential) pass through.
    """
    if not isinstance(credential, BoundProvider):
        return credential
    provider, target = credential, origin_of(url)

    def for_this_server() -> str:
        bound = provider.binding()
        if bound is None or bound.origin != target:
            raise CredentialNotForThisServer()
        return provider()

    return for_this_server


def pin_of(credential: Callable[[], str]) -> str | None:
    """The public key pin recorded with a bound provider's credential, if any."""
    if isinstance(credential, BoundProvider):
        bound = credential.binding()
        return bound.spki_sha256 if bound is not None else None
    return None


class _SpkiConnection(_WatchedHTTPSConnection):
    """An HTTPS connection that checks the server's public key right after the handshake."""

    spki_pin: str = ""

    def connect(self) -> None:
        super().connect()
        sock = self.sock
        der = sock.getpeercert(binary_form=True) if isinstance(sock, ssl.SSLSocket) else None
        if not der or spki_sha256(der) != self.spki_pin:
            self.close()
            raise ssl.SSLError("the server's public key does not match the key recorded at "
                               "activation")


class SpkiPinnedAdapter(DeadlineAdapter):
    """An HTTPS adapter whose connections must present the public key `spki_hex`."""

    def __init__(self, spki_hex: str) -> None:
        self._spki = spki_hex.lower()
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        connection = type("PinnedConnection", (_SpkiConnection,), {"spki_pin": self._spki})
        pool = type("PinnedPool", (_WatchedHTTPSPool,), {"ConnectionCls": connection})
        self.poolmanager.pool_classes_by_scheme = {**self.poolmanager.pool_classes_by_scheme,
                                                   "https": pool}
