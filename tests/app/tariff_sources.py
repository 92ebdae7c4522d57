"""Tariff sources for tests: the tariff service's `TariffSource` over plain HTTP(S)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import requests

from app.api.client import PinnedAdapter
from app.tariffs import TariffNotFound, TariffSourceError
from app.tariffs.document import ID_RE


class HttpTariffSource:
    """`TariffSource` straight over HTTP(S) with the terminal credential, for tests and
    benchmarks that have no `VendingClient`; every call has timeouts.

    The product wires `app.api.tariff_source.ClientTariffSource(client)`, which makes the same
    calls through the shared client (its session, timeouts, pin and malformed-answer sink).
    Same rules: TLS verification on, no redirects.
    """

    def __init__(self, session: requests.Session, base_url: str, credential: Callable[[], str],
                 *, timeouts: tuple[float, float] = (3.05, 15.0),
                 verify: bool | str = True, pin_sha256: str | None = None) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        if pin_sha256:
            # The same certificate pin as the API client (the signature protects the content
            # anyway; the pin keeps the credential away from anyone else).
            session.mount(self._base + "/", PinnedAdapter(pin_sha256))
        self._credential = credential
        self._timeouts = timeouts
        self._verify: bool | str = verify if verify else True

    def _get(self, path: str) -> Any:
        try:
            r = self._session.get(self._base + path, timeout=self._timeouts,
                                  verify=self._verify, allow_redirects=False,
                                  headers={"Accept": "application/json",
                                           "Authorization": f"Bearer {self._credential()}"})
            body = r.content
        except requests.RequestException as exc:
            raise TariffSourceError(
                f"The tariff server could not be reached ({type(exc).__name__}).") from exc
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if r.status_code == 404 and isinstance(data, dict) and \
                (data.get("error") or {}).get("code") == "TARIFF_NOT_FOUND":
            raise TariffNotFound("The server does not have that tariff version.",
                                 code="TARIFF_NOT_FOUND")
        if r.status_code != 200 or data is None:
            raise TariffSourceError(f"The tariff server answered {r.status_code} to {path}.")
        return data

    def list_tariffs(self) -> list[dict[str, Any]]:
        """GET /v1/tariffs."""
        data = self._get("/v1/tariffs")
        items = data.get("tariffs") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise TariffSourceError("The tariff list is not in the expected form.")
        return [i for i in items if isinstance(i, dict)]

    def signing_keys(self) -> list[dict[str, Any]]:
        """`tariff_signing_keys` of GET /v1/terminal."""
        data = self._get("/v1/terminal")
        items = data.get("tariff_signing_keys") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise TariffSourceError("The terminal information has no tariff signing keys.")
        return [i for i in items if isinstance(i, dict)]

    def fetch_version(self, tariff_id: str, version: int) -> Any:
        """GET /v1/tariffs/{id}/versions/{n}."""
        if not ID_RE.match(tariff_id) or version < 1:
            raise TariffNotFound("Not a valid tariff id or version.", code="TARIFF_NOT_FOUND")
        return self._get(f"/v1/tariffs/{tariff_id}/versions/{version}")
