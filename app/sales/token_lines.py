"""API tokens as the receipt's token lines: one rule for every document that prints tokens
(token receipt, reversal slip, engineering slip)."""

from __future__ import annotations

from typing import Any

from printers import model as pm

__all__ = ["token_lines"]

_NAMED_BY_RECEIPT = frozenset({"credit", "fbe", "key_change"})

_API_KINDS = {"credit": pm.TokenKind.CREDIT, "fbe": pm.TokenKind.FREE_BASIC,
              "clear_tamper": pm.TokenKind.CLEAR_TAMPER,
              "clear_credit": pm.TokenKind.CLEAR_CREDIT,
              "set_power_limit": pm.TokenKind.SET_POWER_LIMIT,
              "set_phase_unbalance": pm.TokenKind.SET_PHASE_UNBALANCE,
              "test": pm.TokenKind.TEST}


def token_lines(tokens: list[dict[str, Any]]) -> tuple[pm.TokenLine, ...]:
    """API tokens (entry order) as printable lines.

    The first key-change section is KEY_CHANGE_1 and every later one KEY_CHANGE_2, so the
    printers' stable ordering keeps the server's entry order also for 4-section key changes.
    """
    out: list[pm.TokenLine] = []
    seen_key_change = False
    for t in tokens:
        api_kind = str(t.get("kind", ""))
        if api_kind == "key_change":
            kind = pm.TokenKind.KEY_CHANGE_2 if seen_key_change else pm.TokenKind.KEY_CHANGE_1
            seen_key_change = True
        else:
            kind = _API_KINDS.get(api_kind, pm.TokenKind.TEST)
        units = t.get("units")
        tenths = int(str(units).replace(".", "")) if units else None
        # Credit, free basic and key change tokens are named by the receipt in its own
        # language (the server's description is English); other kinds keep the server's.
        label = "" if api_kind in _NAMED_BY_RECEIPT else str(t.get("description", ""))
        out.append(pm.TokenLine(kind, str(t["token"]), label, tenths))
    return tuple(out)
