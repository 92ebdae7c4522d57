"""Calls about the terminal itself: health, activation, its settings, its operators."""

from __future__ import annotations

from typing import Any

from app.api.models import (
    Activation,
    OperatorRecord,
    TerminalInfo,
    parse_activation,
    parse_operators,
    parse_terminal,
)
from app.api.transport import Transport

__all__ = ["TerminalCalls"]


class TerminalCalls(Transport):
    """`GET /health`, `POST /v1/terminals/activate`, `GET /v1/terminal`, `GET /v1/operators`."""

    def health(self) -> dict[str, Any]:
        """`GET /health` (no credential)."""
        data = self._json("GET", "/health", auth=False)
        if not isinstance(data, dict) or data.get("status") != "ok":
            raise self._malformed("health status is not ok", "GET", "/health", 200, None, b"")
        return data

    def activate(self, code: str, terminal_name: str, *,
                 fingerprint: str | None = None) -> Activation:
        """`POST /v1/terminals/activate`: returns the credential (save it in the keyring).

        With `fingerprint` (this till's random id, kept across retries) the same code may be
        sent again until the credential is first used: the server answers with the same
        terminal and credential, so a failed save does not burn a one-time code.
        """
        body = {"activation_code": code, "terminal_name": terminal_name}
        if fingerprint is not None:
            body["terminal_fingerprint"] = fingerprint
        return self._parsed(parse_activation, "POST", "/v1/terminals/activate", body=body,
                            auth=False)

    def terminal(self) -> TerminalInfo:
        """`GET /v1/terminal`: server time, vendor credit, offline policy, sale limits."""
        return self._parsed(parse_terminal, "GET", "/v1/terminal")

    def operators(self) -> list[OperatorRecord]:
        """`GET /v1/operators`: PIN hashes for offline login."""
        return self._parsed(parse_operators, "GET", "/v1/operators")
