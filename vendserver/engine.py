"""The vending server's use of the STS token engine (`sts/`): keys, tokens, virtual meters.

Everything that turns meter records into decoder keys and tokens is here, so the service layer
deals in plain meter rows and token strings. TIDs are allocated per meter in strictly
increasing whole minutes: a meter refuses a second token with a TID it has seen, so two tokens
sold in the same minute (credit + FBE, or two quick sales) must not share one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sts.errors import KeyExpiredError
from sts.keys import EA, MeterKeyData, check_dkga_pairing, derive_decoder_key
from sts.meter_number import parse_meter_number
from sts.tid import RESERVED_MINUTE_OF_DAY, key_expiry_time
from sts.tokens import (
    CreditSubclass,
    ManagementSubclass,
    credit_token,
    key_change_tokens,
    management_token,
    test_token,
)
from sts.virtual_meter import VirtualMeter
from vendserver.errors import ApiError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ROLLOVER_TO = {1993: 2014}


@dataclass(frozen=True)
class MeterKey:
    """A meter's key data as the server stores it (plus the DKGA used to derive its DK)."""

    sgc: str
    ti: int
    krn: int
    kt: int
    ea: int
    base_date: int
    ken: int
    dkga: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> MeterKey:
        """From a meters row (or the stored initial-key JSON)."""
        return cls(str(row["sgc"]), int(row["ti"]), int(row["krn"]), int(row["kt"]),
                   int(row["ea"]), int(row["base_date"]), int(row["ken"]), int(row["dkga"]))

    def to_json(self) -> str:
        """The JSON stored as a meter's initial key."""
        return json.dumps(self.__dict__, sort_keys=True)

    def check(self) -> None:
        """Refuse key data the engine cannot serve (KeyDataError with the reason).

        DKGA02 makes 64-bit keys: it pairs only with EA07/EA09; an EA11 (MISTY1) meter needs
        DKGA04. The other fields are checked by the engine's own key data.
        """
        check_dkga_pairing(self.dkga, self.ea)
        self.sts()

    def sts(self) -> MeterKeyData:
        """The engine's key data."""
        return MeterKeyData(sgc=self.sgc, ti=self.ti, krn=self.krn, kt=self.kt,
                            ea=EA(self.ea), base_date=self.base_date, ken=self.ken)

    def wire(self) -> dict[str, Any]:
        """The contract's key object."""
        return {"sgc": self.sgc, "krn": self.krn, "ti": self.ti, "ea": self.ea, "kt": self.kt,
                "base_date": self.base_date, "dkga": self.dkga}


def pending_key_change(key: MeterKey, pending_ti: int | None) -> tuple[str, MeterKey] | None:
    """(reason, new key) when the meter must get key change tokens before credit, else None.

    A meter still on base date 1993 is past TID rollover; a pending tariff-index change also
    needs a key change. Either way the KRN advances (9 wraps to 1).
    """
    rollover = key.base_date in ROLLOVER_TO
    ti_change = pending_ti is not None and pending_ti != key.ti
    if not rollover and not ti_change:
        return None
    new = MeterKey(
        sgc=key.sgc,
        ti=pending_ti if pending_ti is not None else key.ti,
        krn=key.krn % 9 + 1,
        kt=key.kt,
        ea=key.ea,
        base_date=ROLLOVER_TO.get(key.base_date, key.base_date),
        ken=key.ken,
        dkga=key.dkga,
    )
    return ("TID_ROLLOVER" if rollover else "TARIFF_INDEX_CHANGE"), new


def decoder_key(drn: str, key: MeterKey, vk160: bytes, vk64: bytes) -> bytes:
    """The meter's DK from the supply group's vending key (DKGA02 uses the 64-bit VK).

    Raises KeyDataError for an impossible pairing (DKGA02 with an EA11 meter).
    """
    key.check()
    vk = vk64 if key.dkga == 2 else vk160
    return derive_decoder_key(key.dkga, vk, parse_meter_number(drn).pan, key.sts())


def minute_to_datetime(minute: int) -> datetime:
    """A whole minute since 1970 as a UTC datetime."""
    return EPOCH + timedelta(minutes=minute)


def now_minute(now: datetime) -> int:
    """Whole minutes since 1970 (UTC)."""
    return int((now - EPOCH).total_seconds() // 60)


class TokenMinter:
    """Makes the tokens of one operation for one meter, allocating distinct TID minutes."""

    def __init__(self, drn: str, last_minute: int, now: datetime) -> None:
        self.drn = drn
        self.minute = max(last_minute, now_minute(now) - 1)
        self.now = now

    def _issued(self) -> datetime:
        self.minute += 1
        if self.minute % 1440 == RESERVED_MINUTE_OF_DAY:
            # 00:01 is issued as 00:02 (the reserved TID): skip it, or two tokens share a TID.
            self.minute += 1
        return minute_to_datetime(self.minute)

    def credit(self, key: MeterKey, dk: bytes, service: str, tenths: int) -> str:
        """A credit token for `tenths` units (electricity or water)."""
        sub = CreditSubclass.WATER if service == "water" else CreditSubclass.ELECTRICITY
        with _key_expiry(key):
            return credit_token(EA(key.ea), dk, sub, Decimal(tenths) / 10, self._issued(),
                                base_date=key.base_date, ken=key.ken)

    def management(self, key: MeterKey, dk: bytes, subclass: ManagementSubclass,
                   value: int) -> str:
        """A class 2 management token."""
        with _key_expiry(key):
            return management_token(EA(key.ea), dk, subclass, value, self._issued(),
                                    base_date=key.base_date, ken=key.ken)

    def key_change(self, old: MeterKey, old_dk: bytes, new: MeterKey,
                   new_dk: bytes) -> list[str]:
        """Key change tokens (old key) in entry order."""
        return key_change_tokens(
            EA(old.ea), old_dk, new_dk, new.sts(), issued=self.now,
            rollover=new.base_date != old.base_date, old_base_date=old.base_date,
        )

    @staticmethod
    def test(drn: str, control: int | None) -> str:
        """A class 1 test/display token for the meter's manufacturer code."""
        meter = parse_meter_number(drn)
        subclass = 0 if len(drn) == 11 else 1
        bits = 36 if subclass == 0 else 28
        value = (1 << bits) - 1 if control is None else control
        return test_token(subclass, value, meter.manufacturer_code)


@contextmanager
def _key_expiry(key: MeterKey) -> Iterator[None]:
    """Turn the engine's key expiry refusal into the contract's DECODER_KEY_EXPIRED error."""
    try:
        yield
    except KeyExpiredError as exc:
        raise ApiError("DECODER_KEY_EXPIRED", str(exc), {
            "ken": key.ken,
            "expired_after": key_expiry_time(key.ken, key.base_date).strftime(
                "%Y-%m-%dT%H:%M:%SZ"),
        }) from None


def new_virtual_meter(drn: str, service: str, key: MeterKey, vk160: bytes,
                      vk64: bytes) -> VirtualMeter:
    """A virtual two-way meter holding `key` (the meter's key when it was installed)."""
    sub = CreditSubclass.WATER if service == "water" else CreditSubclass.ELECTRICITY
    return VirtualMeter(parse_meter_number(drn), key.sts(), decoder_key(drn, key, vk160, vk64),
                        utility=sub)
