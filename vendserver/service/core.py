"""The shared state of the vending service: store, clock, workers and event log.

`ServiceCore` holds what every resource's operations need (the utility, currency and local
time, the offline policy, the supply group's vending keys, Idempotency-Key checks) and owns the
background workers: delivery of tokens into virtual two-way meters and the mail sender.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vendserver.db import Row, Store
from vendserver.errors import ApiError
from vendserver.mailer import Mailer, SmtpConfig
from vendserver.money import money
from vendserver.pricing import TariffTerms
from vendserver.service.common import (
    IDEM_RE,
    PIN_MATERIAL,
    default_policy,
    iso,
    sale_range,
)
from vendserver.signing import b64, endorsement_payload, new_keypair, sign
from vendserver.smartmeters import SmartMeters

log = logging.getLogger("vendserver.service")


class ServiceCore:
    """State and helpers shared by every part of `VendingService`, over one `Store`."""

    def __init__(self, store: Store, *, smtp: SmtpConfig | None = None,
                 clock: Callable[[], datetime] | None = None,
                 pin_cost: dict[str, int] | None = None) -> None:
        self.store = store
        #: argon2id cost of the terminals' PIN verification material (tests pass less)
        self.pin_cost = dict(pin_cost or PIN_MATERIAL)
        # (terminal, operator, pin hash) -> (salt, material): computed once per PIN change.
        self._pin_material: dict[tuple[str, str, bytes], tuple[bytes, bytes]] = {}
        self.smtp = smtp
        self.clock = clock or (lambda: datetime.now(UTC))
        self._terms: dict[tuple[str, int], TariffTerms] = {}
        self._utility_row: Row | None = None
        self._zone: tzinfo | None = None
        self._listeners: set[Callable[[], None]] = set()
        self._listeners_lock = threading.Lock()
        self.meters = SmartMeters(store, vending_keys=self._vks, now=lambda: iso(self.now()),
                                  event=self._event, notify=self._notify)
        self.mailer = Mailer(store, smtp, lambda: iso(self.now()))
        self.bootstrap()

    # -- lifecycle -----------------------------------------------------------------------
    def bootstrap(self) -> None:
        """Generate the tariff-signing key on first start."""
        with self.store.transaction():
            if not self.store.signing_keys():
                private, public = new_keypair()
                self.store.add_signing_key("tsk-1", private, public, iso(self.clock()))

    def rotate_signing_key(self) -> str:
        """Make a new tariff-signing key the one used from now on; returns its key id.

        The key signing until now endorses the new one (an Ed25519 signature over
        `endorsement_payload`, published with the new key as `endorsed_by`/`endorsement`),
        so terminals trust it without re-activation and nobody without the old private key
        can add a key. Old public keys stay published so versions signed with them verify.
        """
        with self.store.transaction():
            keys = self.store.signing_keys()
            key_id = f"tsk-{len(keys) + 1}"
            private, public = new_keypair()
            self.store.add_signing_key(key_id, private, public, iso(self.clock()))
            if keys:
                current = keys[-1]
                signature = sign(bytes(current["private_key"]),
                                 endorsement_payload(key_id, b64(public)))
                self.store.set_meta(f"endorsement:{key_id}", json.dumps(
                    {"endorsed_by": current["key_id"], "endorsement": b64(signature)}))
        return key_id

    def start(self) -> None:
        """Start the delivery and mail workers."""
        self.meters.start()
        self.mailer.start()

    def stop(self) -> None:
        """Stop the workers (after the jobs already queued)."""
        self.meters.stop()
        self.mailer.stop()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until queued deliveries and e-mails are done (for tests and the CLI)."""
        delivered, mailed = self.meters.mark(), self.mailer.mark()
        return delivered.wait(timeout) and mailed.wait(timeout)

    def enter_token(self, drn: str, token: str, source: str = "keypad") -> dict[str, Any]:
        """Type a token into a two-way meter's virtual meter and record it."""
        return self.meters.enter_token(drn, token, source)

    def audit(self) -> list[dict[str, Any]]:
        """Virtual-meter credit increases that no recorded sale backs (illegal vending)."""
        return self.meters.audit()

    # -- event notification to SSE streams ------------------------------------------------
    def add_listener(self, fn: Callable[[], None]) -> None:
        """Call `fn` (from any thread) whenever new events were committed."""
        with self._listeners_lock:
            self._listeners.add(fn)

    def remove_listener(self, fn: Callable[[], None]) -> None:
        """Stop calling `fn`."""
        with self._listeners_lock:
            self._listeners.discard(fn)

    def _notify(self) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for fn in listeners:
            try:
                fn()
            except Exception:  # a closed stream's loop; it will be removed by its owner
                log.debug("event listener failed", exc_info=True)

    def _event(self, type_: str, data: dict[str, Any], *, vendor_id: str | None = None,
               terminal_id: str | None = None) -> int:
        return self.store.add_event(type_, json.dumps(data, ensure_ascii=False), vendor_id,
                                    terminal_id, iso(self.clock()))

    # -- small helpers -------------------------------------------------------------------
    def now(self) -> datetime:
        """The server's current time (UTC, whole seconds)."""
        return self.clock().astimezone(UTC).replace(microsecond=0)

    def _utility(self) -> Row:
        # A store that caches (and hears of other processes' changes) is asked every time;
        # otherwise read once: the utility does not change while serving.
        if self._utility_row is None or self.store.caching():
            row = self.store.utility()
            if row != self._utility_row:
                self._zone = None
            self._utility_row = row
        if self._utility_row is None:
            raise ApiError("SERVICE_UNAVAILABLE", "The server has no utility configured yet.")
        return self._utility_row

    def _currency(self) -> str:
        return str(self._utility()["currency"])

    def currency(self) -> str:
        """The utility's ISO 4217 currency, in which every amount of this server is."""
        return self._currency()

    def zone(self) -> tzinfo:
        """The utility's time zone: its IANA `time_zone` (daylight saving and changes of
        offset included), or for a database from before time zones its fixed
        `utc_offset_minutes`."""
        if self._zone is None:
            self._zone = utility_zone(self._utility())
        return self._zone

    def _local(self, dt: datetime) -> datetime:
        return dt.astimezone(self.zone())

    def local_month(self, dt: datetime) -> str:
        """The utility-local month of `dt` as YYYY-MM."""
        return self._local(dt).strftime("%Y-%m")

    def local_day(self, dt: datetime) -> str:
        """The utility-local date of `dt`."""
        return self._local(dt).strftime("%Y-%m-%d")

    def utility_wire(self) -> dict[str, Any]:
        """The contract's utility object."""
        u = self._utility()
        delta = self.zone().utcoffset(self.now()) or timedelta(0)
        minutes = int(delta.total_seconds()) // 60
        sign_ = "+" if minutes >= 0 else "-"
        # The offset in force now, for clients older than `time_zone`.
        offset = f"{sign_}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return {"id": u["id"], "name": u["name"], "address": u["address"],
                "vat_number": u["vat_number"], "currency": u["currency"], "utc_offset": offset,
                "time_zone": zone_name(u), "language": u.get("language") or "en",
                "locale": u.get("locale") or "en"}

    def signing_keys_wire(self) -> list[dict[str, str]]:
        """The tariff-signing public keys, each rotated one with its endorsement."""
        out: list[dict[str, str]] = []
        for k in self.store.signing_keys():
            item = {"key_id": k["key_id"], "alg": "Ed25519", "public_key": b64(k["public_key"])}
            endorsement = self.store.get_meta(f"endorsement:{k['key_id']}")
            if endorsement is not None:
                item.update(json.loads(endorsement))
            out.append(item)
        return out

    def policy(self, terminal: Row) -> dict[str, Any]:
        """The terminal's offline policy in the contract's form."""
        cur = self._currency()
        p = default_policy(cur)
        if terminal.get("policy"):
            p.update(json.loads(terminal["policy"]))
        return {
            "offline_allowed": bool(p["offline_allowed"]),
            "max_sale": money(int(p["max_sale_cents"]), cur),
            "max_total": money(int(p["max_total_cents"]), cur),
            "max_count": int(p["max_count"]),
            "warn_after_hours": int(p["warn_after_hours"]),
            "refuse_after_hours": int(p["refuse_after_hours"]),
            "refuse": list(p["refuse"]),
        }

    def sale_limits(self) -> dict[str, Any]:
        """Per-sale minimum and maximum."""
        cur = self._currency()
        low, high = sale_range(cur)
        return {"minimum": money(low, cur), "maximum": money(high, cur)}

    # -- vending keys ----------------------------------------------------------------------
    def _vks(self, meter: Row) -> tuple[bytes, bytes]:
        sg = self.store.supply_group(meter["sgc"])
        if sg is None:
            raise ApiError("TOKEN_ENGINE_ERROR", "The meter's supply group has no vending key.")
        return bytes(sg["vk160"]), bytes(sg["vk64"])

    # -- idempotency -----------------------------------------------------------------------
    @staticmethod
    def check_key(key: str | None, required: bool = True) -> None:
        """Validate an Idempotency-Key header."""
        if key is None:
            if required:
                raise ApiError("IDEMPOTENCY_KEY_REQUIRED",
                               "A sale needs an Idempotency-Key header (a UUID made before "
                               "sending).")
            return
        if not IDEM_RE.fullmatch(key):
            raise ApiError("IDEMPOTENCY_KEY_INVALID", "The Idempotency-Key must be 8 to 128 "
                           "letters, digits or . _ : -.")


def zone_name(utility: Row) -> str | None:
    """The utility's IANA time zone name; for a database from before time zones, the
    fixed-offset zone of its `utc_offset_minutes` ("Etc/GMT-2" for +02:00), or None when
    no IANA name is that offset (clients then use `utc_offset`)."""
    name = utility.get("time_zone")
    if name:
        return str(name)
    minutes = int(utility["utc_offset_minutes"])
    hours, rest = divmod(minutes, 60)
    if rest or not -12 <= hours <= 14:
        return None
    # POSIX-style names: Etc/GMT-2 is two hours AHEAD of UTC.
    return "UTC" if hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def utility_zone(utility: Row) -> tzinfo:
    """The utility's zone for local days and months (see `ServiceCore.zone`)."""
    name = utility.get("time_zone")
    if name:
        try:
            return ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError):
            log.error("the utility's time zone %r is not known; using its UTC offset", name)
    return timezone(timedelta(minutes=int(utility["utc_offset_minutes"])))
