"""What the environment says about reaching a server (proxies, a CA bundle), read once.

A `requests.Session` that trusts the environment re-reads it, and ~/.netrc, on every request:
a few hundred microseconds of every sale, and a ~/.netrc entry for the server's host would
replace the bearer credential with its Basic login. Our sessions read it once, when made.
"""

from __future__ import annotations

import os

import requests


def environment_bundle() -> str | None:
    """The CA bundle the environment names, as requests itself would take it."""
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or None


def settle_environment(session: requests.Session, base_url: str) -> None:
    """Give `session` the environment's proxies for `base_url` now, and stop it reading the
    environment (and ~/.netrc) again per request."""
    proxies = requests.utils.get_environ_proxies(base_url)
    session.trust_env = False
    session.proxies.update(proxies)
