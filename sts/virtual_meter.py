"""A simulated STS prepayment meter for the reference server and for tests.

It holds the meter's key data and decoder key, a TID memory and credit balances, and accepts
tokens the way a real meter does (IEC 62055-41 token acceptance rules, simplified):

* Every token must decode under the current DK with a good CRC.
* Credit and management tokens carry a TID. A TID whose 8 most significant bits exceed the
  key expiry number (KEN) of the current key is rejected as expired. The meter remembers the
  most recent ``tid_memory`` TIDs (default 50). A TID already remembered is rejected as used;
  once the memory is full, a TID older than the oldest one remembered is rejected as too old
  (the meter cannot tell whether it was used). Accepting a TID evicts the oldest when the
  memory is full.
* Key change tokens (class 2 subclasses 3, 4, 8, 9) carry no TID. They must arrive in order:
  1st then 2nd section for a meter with a 64-bit key, 1st, 2nd, 3rd, 4th for a 128-bit
  (MISTY1) key. When the last section arrives the new DK, KRN, KT, TI, KEN (and SGC for
  128-bit keys) take effect. If the rollover bit is set, the meter moves to the next base date
  and clears its TID memory.
* Every accept or reject comes with a reason sentence.

Not simulated: migrating a meter from a 64-bit key (STA/DEA) to a 128-bit MISTY1 key; a meter
expects 4 key change sections exactly when its current key is 128 bits.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, replace
from decimal import Decimal

from sts.errors import StsError
from sts.keys import EA, MeterKeyData
from sts.meter_number import MeterNumber
from sts.sta import StaTables
from sts.tid import is_expired
from sts.tokens import (
    KEY_CHANGE_SUBCLASSES,
    CreditSubclass,
    DecodedToken,
    ManagementSubclass,
    TokenClass,
    decode_token,
    next_base_date,
)

_UTILITY_NAMES = {0: "electricity", 1: "water", 2: "gas", 3: "time"}


@dataclass(frozen=True)
class MeterResponse:
    """The meter's answer to one token: accepted or not, why, and credit added (units)."""

    accepted: bool
    reason: str
    credit_added: Decimal = Decimal("0")
    decoded: DecodedToken | None = None


class VirtualMeter:
    """A simulated two-way smart meter that accepts STS tokens (see module docstring)."""

    def __init__(
        self,
        meter: MeterNumber,
        key: MeterKeyData,
        dk: bytes,
        *,
        sta_tables: StaTables | None = None,
        tid_memory: int = 50,
        utility: CreditSubclass | int | None = None,
    ) -> None:
        if tid_memory < 1:
            raise StsError("TID memory must hold at least one TID.")
        self.meter = meter
        self.key = key
        self.dk = bytes(dk)
        self.sta_tables = sta_tables
        self.tid_memory_size = tid_memory
        self.utility = None if utility is None else CreditSubclass(utility)
        self._tids: list[int] = []  # sorted ascending
        self.balances: dict[int, Decimal] = {}
        self.max_power_w: int | None = None
        self.phase_unbalance_w: int | None = None
        self.tariff_rate: int | None = None
        self.water_factor: int | None = None
        self.tamper = False
        self._pending: list[DecodedToken] = []
        # The reference server may enter tokens from several request threads at once.
        self._lock = threading.RLock()

    # -- state ---------------------------------------------------------------------------

    @property
    def balance(self) -> Decimal:
        """Total credit held, in units (one utility per simulated meter in practice)."""
        return sum(self.balances.values(), Decimal("0"))

    @property
    def remembered_tids(self) -> tuple[int, ...]:
        """The TIDs in memory, oldest first."""
        return tuple(self._tids)

    def consume(self, units: Decimal, subclass: int = CreditSubclass.ELECTRICITY) -> Decimal:
        """Use up to ``units`` of credit (simulation); returns what was actually used."""
        with self._lock:
            have = self.balances.get(subclass, Decimal("0"))
            used = min(have, units)
            self.balances[subclass] = have - used
            return used

    # -- token entry -----------------------------------------------------------------------

    def enter(self, token: str) -> MeterResponse:
        """Enter one token as a customer would type it; never raises for bad tokens."""
        with self._lock:
            return self._enter(token)

    def _enter(self, token: str) -> MeterResponse:
        try:
            decoded = decode_token(
                self.key.ea, self.dk, token,
                base_date=self.key.base_date, sta_tables=self.sta_tables,
            )
        except StsError as exc:
            return MeterResponse(False, f"Rejected: {exc}")
        if not decoded.crc_ok:
            return MeterResponse(
                False,
                "Rejected: the token does not check out (a digit may be mistyped, or the "
                "token is for another meter or key).",
                decoded=decoded,
            )
        if decoded.token_class == TokenClass.NON_MERCHANDISE:
            return MeterResponse(True, "Accepted: test/display token.", decoded=decoded)
        if decoded.token_class == TokenClass.MANAGEMENT and decoded.subclass in (
            KEY_CHANGE_SUBCLASSES
        ):
            return self._key_change(decoded)
        if decoded.token_class not in (TokenClass.CREDIT, TokenClass.MANAGEMENT):
            return MeterResponse(False, "Rejected: unknown token class.", decoded=decoded)
        if decoded.token_class == TokenClass.CREDIT and decoded.subclass > 3:
            return MeterResponse(
                False, "Rejected: currency credit tokens are not supported by this meter.",
                decoded=decoded,
            )
        if (
            decoded.token_class == TokenClass.CREDIT
            and self.utility is not None
            and decoded.subclass != self.utility
        ):
            return MeterResponse(
                False,
                f"Rejected: the token is for {_UTILITY_NAMES[decoded.subclass]}, this meter "
                f"measures {_UTILITY_NAMES[int(self.utility)]}.",
                decoded=decoded,
            )
        if decoded.token_class == TokenClass.MANAGEMENT and decoded.subclass > 9:
            return MeterResponse(False, "Rejected: unknown management token.", decoded=decoded)
        assert decoded.tid is not None
        if is_expired(decoded.tid, self.key.ken):
            return MeterResponse(
                False,
                f"Rejected: the meter's decoder key has expired (KEN {self.key.ken}); it "
                "needs a key change before it accepts newer tokens.",
                decoded=decoded,
            )
        tid_problem = self._check_tid(decoded.tid)
        if tid_problem:
            return MeterResponse(False, tid_problem, decoded=decoded)
        if decoded.token_class == TokenClass.CREDIT:
            return self._credit(decoded)
        return self._management(decoded)

    def _check_tid(self, tid: int | None) -> str | None:
        assert tid is not None
        i = bisect.bisect_left(self._tids, tid)
        if i < len(self._tids) and self._tids[i] == tid:
            return "Rejected: this token has already been used."
        if len(self._tids) >= self.tid_memory_size and tid < self._tids[0]:
            return "Rejected: this token is too old (older than every token the meter remembers)."
        return None

    def _remember(self, tid: int | None) -> None:
        assert tid is not None
        bisect.insort(self._tids, tid)
        while len(self._tids) > self.tid_memory_size:
            self._tids.pop(0)

    def _credit(self, d: DecodedToken) -> MeterResponse:
        assert d.amount is not None
        self._remember(d.tid)
        self.balances[d.subclass] = self.balances.get(d.subclass, Decimal("0")) + d.amount
        name = _UTILITY_NAMES[d.subclass]
        return MeterResponse(True, f"Accepted: {d.amount} units of {name} credit.", d.amount, d)

    def _management(self, d: DecodedToken) -> MeterResponse:
        value = d.value
        assert value is not None
        sub = d.subclass
        if sub == ManagementSubclass.SET_MAX_POWER:
            self.max_power_w = value
            reason = f"Accepted: maximum power limit set to {value} W."
        elif sub == ManagementSubclass.CLEAR_CREDIT:
            if value == 0xFFFF:
                self.balances.clear()
                reason = "Accepted: all credit registers cleared."
            else:
                self.balances[value] = Decimal("0")
                reason = f"Accepted: credit register {value} cleared."
        elif sub == ManagementSubclass.SET_TARIFF_RATE:
            self.tariff_rate = value
            reason = f"Accepted: tariff rate set to {value}."
        elif sub == ManagementSubclass.CLEAR_TAMPER:
            self.tamper = False
            reason = "Accepted: tamper condition cleared."
        elif sub == ManagementSubclass.SET_PHASE_UNBALANCE:
            self.phase_unbalance_w = value
            reason = f"Accepted: maximum phase power unbalance set to {value} W."
        elif sub == ManagementSubclass.SET_WATER_FACTOR:
            self.water_factor = value
            reason = f"Accepted: water meter factor set to {value}."
        else:
            return MeterResponse(False, "Rejected: unknown management token.", decoded=d)
        self._remember(d.tid)
        return MeterResponse(True, reason, decoded=d)

    def _key_change(self, d: DecodedToken) -> MeterResponse:
        wide = len(self.dk) == 16
        order = [3, 4, 8, 9] if wide else [3, 4]
        if d.subclass not in order:
            return MeterResponse(
                False,
                "Rejected: 3rd/4th key change sections are only for 128-bit keys.",
                decoded=d,
            )
        position = order.index(d.subclass)
        if position == 0:
            self._pending = [d]
            return MeterResponse(
                True, f"Accepted: key change section 1 of {len(order)}; enter the next one.",
                decoded=d,
            )
        if len(self._pending) != position:
            return MeterResponse(
                False,
                f"Rejected: key change section {position + 1} must follow section "
                f"{position}; enter the key change tokens in order, starting with the 1st.",
                decoded=d,
            )
        self._pending.append(d)
        if len(self._pending) < len(order):
            return MeterResponse(
                True,
                f"Accepted: key change section {position + 1} of {len(order)}; "
                "enter the next one.",
                decoded=d,
            )
        sections, self._pending = self._pending, []
        return self._apply_key_change(sections, d)

    def _apply_key_change(self, sections: list[DecodedToken], last: DecodedToken) -> MeterResponse:
        first, second = sections[0].data, sections[1].data
        kenho, krn = first >> 40, (first >> 36) & 0xF
        ro, kt = (first >> 35) & 1, (first >> 32) & 3
        kenlo, ti = second >> 40, (second >> 32) & 0xFF
        high, low = first & 0xFFFFFFFF, second & 0xFFFFFFFF
        sgc = self.key.sgc
        if len(sections) == 4:
            third, fourth = sections[2].data, sections[3].data
            key_int = (
                (high << 96) | ((third & 0xFFFFFFFF) << 64) | ((fourth & 0xFFFFFFFF) << 32) | low
            )
            new_dk = key_int.to_bytes(16, "big")
            sgc_value = ((fourth >> 32) << 12) | (third >> 32)
            sgc = f"{sgc_value:06d}"
            ea = EA.MISTY1
        else:
            new_dk = ((high << 32) | low).to_bytes(8, "big")
            ea = self.key.ea
        base = self.key.base_date
        if ro:
            nxt = next_base_date(base)
            if nxt is None:
                return MeterResponse(
                    False, "Rejected: no base date after 2035 to roll over to.", decoded=last
                )
            base = nxt
        if not 1 <= krn <= 9 or ti > 99 or sgc_value_invalid(sgc):
            return MeterResponse(False, "Rejected: the key change data is invalid.", decoded=last)
        self.key = replace(
            self.key, sgc=sgc, ti=ti, krn=krn, kt=kt, ea=ea, base_date=base,
            ken=(kenho << 4) | kenlo,
        )
        self.dk = new_dk
        if ro:
            self._tids.clear()
        extra = f" TID rollover: base date now {base}." if ro else ""
        return MeterResponse(
            True, f"Accepted: key changed to revision {krn}.{extra}", decoded=last
        )


def sgc_value_invalid(sgc: str) -> bool:
    """True if an SGC carried in key change tokens is not a 6-digit number."""
    return not (len(sgc) == 6 and sgc.isdigit())
