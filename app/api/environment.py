"""What the environment says about reaching a server (proxies, a CA bundle), read once.

A `requests.Session` that trusts the environment re-reads it, and ~/.netrc, on every request:
a few hundred microseconds of every sale, and a ~/.netrc entry for the server's host would
replace the bearer credential with its Basic login. Our sessions read it once, when made.
"""

from __future__ import annotations

import os

import requests


def tls_verify(ca_bundle: str | bool | None) -> bool | str:
    """What to verify the server's certificate with: the CA bundle path given, else the one
    the environment names (as requests itself would take it), else the system's. Never
    False: verification is always on."""
    if isinstance(ca_bundle, str) and ca_bundle:
        return ca_bundle
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True


def settle_environment(session: requests.Session, base_url: str) -> None:
    """Give `session` the environment's proxies for `base_url` now, and stop it reading the
    environment (and ~/.netrc) again per request."""
    proxies = requests.utils.get_environ_proxies(base_url)
    session.trust_env = False
    session.proxies.update(proxies)
