"""Engineering tokens (`POST /v1/engineering-tokens`): what may be asked and the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.api.models.sales import Token, parse_tokens
from app.api.models.validators import (
    Invalid,
    id_name,
    identifier,
    obj,
    req,
    string,
    time_str,
)

__all__ = [
    "ENGINEERING_TYPES",
    "REGISTERS",
    "EngineeringTokens",
    "parse_engineering",
]


#: Engineering token types of `POST /v1/engineering-tokens`.
ENGINEERING_TYPES = frozenset({"clear_tamper", "clear_credit", "set_power_limit",
                               "set_phase_unbalance", "key_change", "test"})
#: Registers `clear_credit` may clear.
REGISTERS = frozenset({"electricity", "water", "all"})


@dataclass(frozen=True)
class EngineeringTokens:
    """`POST /v1/engineering-tokens`: the issued tokens (cash-like: never log the digits) and
    the meter's key data after them (`meter`: sgc, krn, ti, ea, base_date, ...)."""

    reference: str
    meter_number: str
    type: str
    issued_at: str
    supervisor_id: str
    supervisor_name: str
    tokens: tuple[Token, ...]
    meter: dict[str, Any]
    raw: dict[str, Any] = field(repr=False)


def parse_engineering(value: Any) -> EngineeringTokens:
    """Parse an engineering-token answer; the tokens are checked like a sale's."""
    where = "engineering"
    data = obj(value, where)
    supervisor = id_name(req(data, "supervisor", where), f"{where}.supervisor")
    type_ = string(data, "type", where)
    if type_ not in ENGINEERING_TYPES:
        raise Invalid(f"{where}.type is unknown")
    return EngineeringTokens(
        identifier(data, "reference", where), string(data, "meter_number", where), type_,
        time_str(data, "issued_at", where) or "", supervisor[0], supervisor[1],
        parse_tokens(req(data, "tokens", where), f"{where}.tokens"),
        dict(obj(req(data, "meter", where), f"{where}.meter")), data,
    )
