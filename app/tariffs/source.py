"""Where tariff documents come from: the port the tariff service asks the server through.

`app.api.tariff_source.ClientTariffSource` implements it over the terminal's `VendingClient`.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["TariffSource"]


class TariffSource(Protocol):
    """The server's tariff endpoints (GET /v1/tariffs and /v1/tariffs/{id}/versions/{n})."""

    def list_tariffs(self) -> list[dict[str, Any]]:
        """`tariffs` of GET /v1/tariffs: id, name, current_version, versions."""
        ...

    def fetch_version(self, tariff_id: str, version: int) -> Any:
        """The signed envelope, as parsed JSON (verification is the caller's job)."""
        ...

    def signing_keys(self) -> list[dict[str, Any]]:
        """`tariff_signing_keys` of GET /v1/terminal (for key rotation)."""
        ...
