"""Token records of a response and the key change tokens a meter needs first."""

from __future__ import annotations

from typing import Any

from sts.tokens import format_token
from vendserver import engine
from vendserver.db import Row
from vendserver.engine import MeterKey, TokenMinter
from vendserver.money import fmt_units
from vendserver.service.core import ServiceCore


class TokenOps(ServiceCore):
    """Minting helpers shared by sales and engineering tokens."""

    @staticmethod
    def _token(seq: int, kind: str, description: str, token: str, units: int | None,
               unit: str | None) -> dict[str, Any]:
        return {"seq": seq, "kind": kind, "description": description, "token": token,
                "display": format_token(token),
                "units": None if units is None else fmt_units(units),
                "unit": None if units is None else unit}

    def _key_change_tokens(self, meter: Row, minter: TokenMinter, kc: tuple[str, MeterKey]
                           ) -> tuple[list[dict[str, Any]], MeterKey, bytes]:
        vk160, vk64 = self._vks(meter)
        old = MeterKey.from_row(meter)
        new = kc[1]
        old_dk = engine.decoder_key(meter["drn"], old, vk160, vk64)
        new_dk = engine.decoder_key(meter["drn"], new, vk160, vk64)
        digits = minter.key_change(old, old_dk, new, new_dk)
        n = len(digits)
        tokens = [self._token(i + 1, "key_change",
                              f"Key change token {i + 1} of {n} - enter first"
                              if i == 0 else f"Key change token {i + 1} of {n}", d, None, None)
                  for i, d in enumerate(digits)]
        return tokens, new, new_dk
