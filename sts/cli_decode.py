"""What ``python -m sts decode`` and ``tid`` print: every field of a token, named.

Names follow the token tables of IEC 62055-41 as listed publicly by the STS Association
(sts.org.za "Token types"): class 1 subclass 2 is the extended token read and subclasses 6-15
are proprietary; class 2 subclass 10 is defined in STS 202-5, whose layout is not public, so
only its raw block is shown; class 3 is reserved by the STS Association. Key change sections
are split into their fields as laid out in :mod:`sts.tokens` (KENHO, KRN, RO, RES, KT and the
new key's high-order bits in the 1st; KENLO, TI and its low-order bits in the 2nd; the SGC
halves and middle-order bits in the 3rd and 4th for 128-bit keys).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sts.tid import is_expired, is_reserved_tid, tid_to_datetime
from sts.tokens import CURRENCY_SUBCLASSES, DecodedToken

_CREDIT = {
    0: "electricity credit (0.1 kWh)", 1: "water credit (0.1 m3)", 2: "gas credit (0.1 m3)",
    3: "time credit (0.1 minutes)", 4: "electricity currency credit",
    5: "water currency credit", 6: "gas currency credit", 7: "time currency credit",
}
_TEST = {
    0: "initiate meter test/display (2-digit manufacturer code)",
    1: "initiate meter test/display (4-digit manufacturer code)",
    2: "extended token read",
}
_MANAGEMENT = {
    0: "set maximum power limit (W)", 1: "clear credit", 2: "set tariff rate",
    3: "set 1st section decoder key", 4: "set 2nd section decoder key",
    5: "clear tamper condition", 6: "set maximum phase power unbalance limit (W)",
    7: "set water meter factor", 8: "set 3rd section decoder key",
    9: "set 4th section decoder key", 10: "defined in STS 202-5 (layout not public)",
}
_CLASS = {0: "credit", 1: "non-meter-specific management (test/display)",
          2: "meter-specific management", 3: "reserved"}


def kind(token_class: int, subclass: int) -> str:
    """A plain name for a class and subclass, saying so when it is reserved or proprietary."""
    if token_class == 3:
        return "reserved token class (STS Association): not a valid token"
    if token_class == 0:
        return _CREDIT.get(subclass, "reserved credit subclass")
    if token_class == 1:
        if 6 <= subclass <= 15:
            return "proprietary (manufacturer-defined) test token"
        return _TEST.get(subclass, "reserved test/display subclass")
    return _MANAGEMENT.get(subclass, "reserved management subclass")


def _note(d: DecodedToken) -> str | None:
    if d.token_class == 0 and d.subclass in CURRENCY_SUBCLASSES:
        return ("currency token: its layout is not public; fields are shown as the energy "
                "layout and crc_ok is the class 0 CRC")
    if d.token_class == 3:
        return "class 3 is reserved: a meter rejects this token"
    if d.token_class == 2 and d.subclass >= 10:
        return "layout not known to this engine: raw block only"
    if d.token_class == 1 and d.subclass >= 2:
        return "layout not known to this engine: raw block only"
    return None


def key_change_fields(subclass: int, data: int) -> dict[str, object]:
    """The named fields of a key change section's 44-bit data."""
    low32 = f"{data & 0xFFFFFFFF:08x}"
    if subclass == 3:
        return {"kenho": data >> 40, "krn": (data >> 36) & 0xF, "ro": (data >> 35) & 1,
                "res": (data >> 34) & 1, "kt": (data >> 32) & 3, "nkho": low32}
    if subclass == 4:
        return {"kenlo": data >> 40, "ti": (data >> 32) & 0xFF, "nklo": low32}
    if subclass == 8:
        return {"sgclo": data >> 32, "nkmo2": low32}
    return {"sgcho": data >> 32, "nkmo1": low32}


def describe(d: DecodedToken, iso: str | None) -> dict[str, object]:
    """The decode JSON: the stable fields first, then names, raw block, CRC and extras."""
    out: dict[str, object] = {
        "class": d.token_class,
        "subclass": d.subclass,
        "rnd": d.rnd,
        "tid": d.tid,
        "issued": iso,
        "amount": None if d.amount is None else str(d.amount),
        "value": d.value,
        "crc_ok": d.crc_ok,
    }
    if d.mfr_code is not None:
        out["mfr_code"] = d.mfr_code
    out["class_name"] = _CLASS[d.token_class]
    out["kind"] = kind(d.token_class, d.subclass)
    out["block"] = f"{d.block:016x}"
    out["crc"] = f"{d.crc:04x}"
    if d.tid is not None:
        out["reserved_tid"] = is_reserved_tid(d.tid)
    if d.token_class == 2 and d.subclass in (3, 4, 8, 9):
        out.update(key_change_fields(d.subclass, d.data))
    note = _note(d)
    if note:
        out["note"] = note
    return out


def tid_report(tid: int, base_date: int, ken: int | None) -> dict[str, object]:
    """What a TID stands for: issue time, the reserved-TID flag, its KEN bits and expiry."""
    at = tid_to_datetime(tid, base_date)
    out: dict[str, object] = {
        "tid": tid,
        "tid_hex": f"{tid:06x}",
        "issued": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "base_date": base_date,
        "reserved_tid": is_reserved_tid(tid),
        "ken_bits": tid >> 16,
    }
    if ken is not None:
        out["expired_for_ken"] = is_expired(tid, ken)
    return out


def requested_report(
    requested: datetime, minutes: int, tid: int, base_date: int, ken: int | None
) -> dict[str, object]:
    """For an issue time: the minutes since the base date and the TID a token carries."""
    out: dict[str, object] = {
        "requested": requested.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "minutes": minutes,
    }
    out.update(tid_report(tid, base_date, ken))
    return out
