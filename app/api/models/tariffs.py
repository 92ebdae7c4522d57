"""The tariff list (`GET /v1/tariffs`). The signed versions are judged by `app.tariffs`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.api.models.validators import (
    ID_RE,
    Invalid,
    integer,
    obj,
    object_list,
    req,
    string,
    unique_string,
)

__all__ = [
    "TariffSummary",
    "parse_tariffs",
]


@dataclass(frozen=True)
class TariffSummary:
    """One entry of `GET /v1/tariffs`: a tariff and the versions the server has of it."""

    tariff_id: str
    name: str
    service: str
    unit: str
    current_version: int
    versions: tuple[int, ...]
    raw: dict[str, Any] = field(repr=False)


def parse_tariffs(value: Any) -> list[TariffSummary]:
    """Parse `GET /v1/tariffs`: ids well-formed and unique, versions positive and increasing,
    `current_version` one of them (or 0 while no version is in force yet)."""
    out: list[TariffSummary] = []
    seen: set[str] = set()
    for where, data in object_list(req(obj(value, "body"), "tariffs", "body"), "tariffs"):
        tariff_id = unique_string(data, "id", where, ID_RE, seen, "is malformed or repeated")
        versions = req(data, "versions", where)
        if not isinstance(versions, list) or any(
                isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in versions):
            raise Invalid(f"{where}.versions is not a list of positive integers")
        if versions != sorted(set(versions)):
            raise Invalid(f"{where}.versions are not strictly increasing")
        current = integer(data, "current_version", where)
        if current != 0 and current not in versions:
            raise Invalid(f"{where}.current_version is not one of its versions")
        out.append(TariffSummary(
            tariff_id, string(data, "name", where), string(data, "service", where),
            string(data, "unit", where), current, tuple(versions), data,
        ))
    return out
