"""The vending server's business operations, independent of HTTP.

`VendingService` implements each endpoint of docs/api.md as a method taking plain values and
returning the response dict (or the stored response text for idempotent replays), raising
`ApiError` with the contract's codes. It owns the background workers: delivery of tokens into
virtual two-way meters (`sale.delivered`) and the notification sender. All SQL goes through
`Store`; all token work through `engine`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import threading
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

from sts.errors import StsError
from sts.meter_number import luhn_check_digit
from sts.tokens import ManagementSubclass, decode_amount, encode_amount, format_token
from vendserver import engine
from vendserver.db import Row, Store
from vendserver.engine import MeterKey, TokenMinter
from vendserver.errors import ApiError
from vendserver.mailer import Mailer, SmtpConfig
from vendserver.money import fmt_cents, fmt_percent, fmt_units, money, parse_money
from vendserver.pricing import AmountTooLow, MeterState, Priced, TariffTerms, price
from vendserver.signing import b64, canonical_json, new_keypair, sign
from vendserver.smartmeters import DeliveryJob, SmartMeters

log = logging.getLogger("vendserver.service")

IDEM_RE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
OPERATOR_RE = re.compile(r"^[a-z0-9._-]{1,32}$")
SHIFT_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
PIN_RE = re.compile(r"^[0-9]{4,12}$")

KDF = {"n": 16384, "r": 8, "p": 1, "dklen": 32}
PIN_MAX_FAILURES = 5
PIN_LOCK = timedelta(minutes=15)
ACTIVATION_MAX_FAILURES = 5
ACTIVATION_WINDOW = timedelta(minutes=10)
OFFLINE_MAX_AGE = timedelta(days=30)
OFFLINE_MAX_FUTURE = timedelta(minutes=5)
SALE_MIN = 500
SALE_MAX = 500_000

DEFAULT_POLICY: dict[str, Any] = {
    "offline_allowed": True,
    "max_sale_cents": 100_000,
    "max_total_cents": 1_000_000,
    "max_count": 50,
    "warn_after_hours": 24,
    "refuse_after_hours": 72,
    "refuse": ["fbe", "engineering", "reversal", "arrears", "key_change", "blocked"],
}


# The range of times a request may carry (far wider than any real sale or shift).
TIME_MIN = datetime(1900, 1, 1, tzinfo=UTC)
TIME_MAX = datetime(9000, 1, 1, tzinfo=UTC)
# SQLite integers are signed 64-bit: larger ids and versions cannot exist.
SQL_INT_MAX = 2**63 - 1


_POLICY_COUNTS = ("max_sale_cents", "max_total_cents", "max_count", "warn_after_hours",
                  "refuse_after_hours")
POLICY_REFUSE_KINDS = frozenset(DEFAULT_POLICY["refuse"])


def check_policy(policy: dict[str, Any]) -> None:
    """Refuse an offline policy a terminal could misread (ValueError with the reason).

    Stored values reach every terminal: a string where a count belongs would break
    GET /v1/terminal, and "no" for offline_allowed would read as true.
    """
    if type(policy.get("offline_allowed")) is not bool:
        raise ValueError("offline_allowed must be true or false")
    for name in _POLICY_COUNTS:
        value = policy.get(name)
        if type(value) is not int or not 0 <= value <= 10**12:
            raise ValueError(f"{name} must be a whole number from 0 to 10^12")
    refuse = policy.get("refuse")
    if not isinstance(refuse, list) or not all(isinstance(k, str) for k in refuse):
        raise ValueError("refuse must be a list of kinds")
    bad = sorted(set(refuse) - POLICY_REFUSE_KINDS)
    if bad:
        raise ValueError(f"unknown refuse kinds: {', '.join(bad)} (allowed: "
                         f"{', '.join(sorted(POLICY_REFUSE_KINDS))})")
    if policy["warn_after_hours"] > policy["refuse_after_hours"]:
        raise ValueError("warn_after_hours must not be after refuse_after_hours")


def iso(dt: datetime) -> str:
    """A UTC time in the contract's form."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: object, field: str) -> datetime:
    """Parse an ISO-8601 time that carries an offset; VALIDATION_ERROR otherwise."""
    problem = "not an ISO-8601 time with an offset"
    if isinstance(text, str):
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            dt = None
        if dt is not None and dt.tzinfo is not None:
            # Year 1 with a positive offset (or 9999 with a negative one) has no UTC value,
            # and times near those edges overflow in utility-local arithmetic: a client
            # error, not a 500 a terminal would retry for ever.
            try:
                utc = dt.astimezone(UTC)
            except OverflowError:
                utc = None
            if utc is not None and TIME_MIN <= utc <= TIME_MAX:
                return utc
            problem = "outside the supported years 1900 to 9000"
    raise ApiError("VALIDATION_ERROR", f"{field} must be an ISO-8601 time with an offset.",
                   {"errors": [{"field": field, "problem": problem}]})


def fold(text: str) -> str:
    """Lower-case, accent-free text for searching ("José" finds "jose")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def hash_pin(pin: str, salt: bytes) -> bytes:
    """scrypt with the parameters published by GET /v1/operators."""
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=KDF["n"], r=KDF["r"], p=KDF["p"],
                          dklen=KDF["dklen"])


def fingerprint(body: Any) -> str:
    """The request fingerprint used for idempotency."""
    return hashlib.sha256(canonical_json(body)).hexdigest()


def mask_phone(phone: str) -> str:
    """+27821234567 -> +2782*****67 (never the whole contact in a response)."""
    return phone[:5] + "*" * max(len(phone) - 7, 0) + phone[-2:] if len(phone) > 7 else "***"


def mask_email(email: str) -> str:
    """thandi@example.org -> t***@example.org."""
    user, _, domain = email.partition("@")
    return (user[:1] + "***@" + domain) if domain else "***"


class VendingService:
    """Every operation of the vending API, over one `Store`."""

    def __init__(self, store: Store, *, smtp: SmtpConfig | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.smtp = smtp
        self.clock = clock or (lambda: datetime.now(UTC))
        self._terms: dict[tuple[str, int], TariffTerms] = {}
        self._utility_row: Row | None = None
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

        Old public keys stay published so versions signed with them still verify.
        """
        with self.store.transaction():
            key_id = f"tsk-{len(self.store.signing_keys()) + 1}"
            private, public = new_keypair()
            self.store.add_signing_key(key_id, private, public, iso(self.clock()))
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
        # Read once: the utility's name, currency and offset do not change while serving.
        if self._utility_row is None:
            self._utility_row = self.store.utility()
        if self._utility_row is None:
            raise ApiError("SERVICE_UNAVAILABLE", "The server has no utility configured yet.")
        return self._utility_row

    def _currency(self) -> str:
        return str(self._utility()["currency"])

    def _local(self, dt: datetime) -> datetime:
        return dt + timedelta(minutes=int(self._utility()["utc_offset_minutes"]))

    def local_month(self, dt: datetime) -> str:
        """The utility-local month of `dt` as YYYY-MM."""
        return self._local(dt).strftime("%Y-%m")

    def local_day(self, dt: datetime) -> str:
        """The utility-local date of `dt`."""
        return self._local(dt).strftime("%Y-%m-%d")

    def utility_wire(self) -> dict[str, Any]:
        """The contract's utility object."""
        u = self._utility()
        minutes = int(u["utc_offset_minutes"])
        sign_ = "+" if minutes >= 0 else "-"
        offset = f"{sign_}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return {"id": u["id"], "name": u["name"], "address": u["address"],
                "vat_number": u["vat_number"], "currency": u["currency"], "utc_offset": offset}

    def signing_keys_wire(self) -> list[dict[str, str]]:
        """The tariff-signing public keys."""
        return [{"key_id": k["key_id"], "alg": "Ed25519", "public_key": b64(k["public_key"])}
                for k in self.store.signing_keys()]

    def policy(self, terminal: Row) -> dict[str, Any]:
        """The terminal's offline policy in the contract's form."""
        p = dict(DEFAULT_POLICY)
        if terminal.get("policy"):
            p.update(json.loads(terminal["policy"]))
        cur = self._currency()
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
        return {"minimum": money(SALE_MIN, cur), "maximum": money(SALE_MAX, cur)}

    # -- terminals -----------------------------------------------------------------------
    def authenticate(self, credential: str | None) -> Row:
        """The terminal owning `credential`, or 401/403."""
        if not credential:
            raise ApiError("TERMINAL_UNAUTHENTICATED",
                           "This request needs the terminal credential (Authorization: Bearer).")
        digest = hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest()
        terminal = self.store.terminal_by_credential(digest)
        if terminal is None:
            raise ApiError("TERMINAL_UNAUTHENTICATED", "The terminal credential is not valid.")
        if terminal["disabled"]:
            raise ApiError("TERMINAL_DISABLED", "This terminal has been disabled by the utility.")
        return terminal

    def activate(self, code: str, name: str, client: str) -> dict[str, Any]:
        """Exchange an activation code for a terminal credential."""
        now = self.now()
        since = iso(now - ACTIVATION_WINDOW)
        with self.store.transaction():
            if self.store.count_attempts("activation", client, since) >= ACTIVATION_MAX_FAILURES:
                oldest = self.store.oldest_attempt("activation", client, since) or iso(now)
                wait = int((parse_time(oldest, "at") + ACTIVATION_WINDOW - now).total_seconds())
                wait = max(wait, 1)
                raise ApiError("TOO_MANY_ATTEMPTS",
                               "Too many wrong activation codes; wait before trying again.",
                               {"retry_after_seconds": wait}, headers={"Retry-After": str(wait)})
            row = self.store.activation_code(code)
            valid = row is not None and row["uses"] < row["max_uses"]
            if not valid:
                self.store.add_attempt("activation", client, iso(now))
        if not valid or row is None:
            raise ApiError("ACTIVATION_CODE_INVALID",
                           "That activation code is not valid (unknown or already used).")
        with self.store.transaction():
            row = self.store.activation_code(code)  # again: a parallel activation may have won
            if row is None or row["uses"] >= row["max_uses"]:
                raise ApiError("ACTIVATION_CODE_INVALID", "That activation code is not valid "
                               "(unknown or already used).")
            terminal_id = f"T{self.store.next_counter('terminal'):04d}"
            credential = "vpt_" + secrets.token_urlsafe(32)
            digest = hashlib.sha256(credential.encode()).hexdigest()
            self.store.add_terminal(terminal_id, name, row["vendor_id"], digest, iso(now))
            self.store.use_activation_code(code)
            vendor = self.store.vendor(row["vendor_id"])
            assert vendor is not None
            terminal = self.store.terminal(terminal_id)
            assert terminal is not None
            return {
                "terminal_id": terminal_id,
                "credential": credential,
                "vendor": {"id": vendor["id"], "name": vendor["name"]},
                "utility": self.utility_wire(),
                "tariff_signing_keys": self.signing_keys_wire(),
                "offline_policy": self.policy(terminal),
                "sale_limits": self.sale_limits(),
                "server_time": iso(now),
            }

    def terminal_info(self, terminal: Row) -> dict[str, Any]:
        """GET /v1/terminal."""
        vendor = self.store.vendor(terminal["vendor_id"])
        assert vendor is not None
        return {
            "terminal_id": terminal["id"],
            "name": terminal["name"],
            "server_time": iso(self.now()),
            "vendor": {"id": vendor["id"], "name": vendor["name"]},
            "vendor_credit": money(int(vendor["credit_cents"]), self._currency()),
            "utility": self.utility_wire(),
            "offline_policy": self.policy(terminal),
            "sale_limits": self.sale_limits(),
            "tariff_signing_keys": self.signing_keys_wire(),
        }

    def set_policy(self, terminal_id: str, changes: dict[str, Any]) -> None:
        """Change a terminal's offline policy and tell it (terminal.policy)."""
        with self.store.transaction():
            terminal = self.store.terminal(terminal_id)
            if terminal is None:
                raise KeyError(terminal_id)
            current = json.loads(terminal["policy"]) if terminal["policy"] else {}
            current.update(changes)
            check_policy({**DEFAULT_POLICY, **current})
            self.store.set_terminal_policy(terminal_id, json.dumps(current))
            terminal = self.store.terminal(terminal_id)
            assert terminal is not None
            self._event("terminal.policy", {"terminal_id": terminal_id,
                                            "offline_policy": self.policy(terminal)},
                        terminal_id=terminal_id)
        self._notify()

    def top_up(self, vendor_id: str, cents: int) -> int:
        """Add to a vendor's float (vendor.credit); returns the new credit."""
        with self.store.transaction():
            vendor = self.store.vendor(vendor_id)
            if vendor is None:
                raise KeyError(vendor_id)
            credit = int(vendor["credit_cents"]) + cents
            self.store.set_vendor_credit(vendor_id, credit)
            self._event("vendor.credit", {"vendor_id": vendor_id,
                                          "vendor_credit": money(credit, self._currency()),
                                          "reason": "top_up"}, vendor_id=vendor_id)
        self._notify()
        return credit

    # -- operators -------------------------------------------------------------------------
    def _operator(self, terminal: Row, operator_id: str | None, *, active: bool = True) -> Row:
        if not operator_id:
            raise ApiError("OPERATOR_REQUIRED", "This request needs the X-Operator-Id header.")
        allowed = {o["id"]: o for o in self.store.operators_for_terminal(
            terminal["id"], terminal["vendor_id"])}
        op = allowed.get(operator_id)
        if op is None or (active and not op["active"]):
            raise ApiError("OPERATOR_NOT_ALLOWED",
                           "That operator may not work on this terminal.",
                           {"operator_id": operator_id
                            if OPERATOR_RE.fullmatch(operator_id) else ""})
        return op

    def operators(self, terminal: Row) -> dict[str, Any]:
        """GET /v1/operators."""
        ops = self.store.operators_for_terminal(terminal["id"], terminal["vendor_id"])
        return {"operators": [{
            "id": o["id"], "name": o["name"], "role": o["role"], "active": bool(o["active"]),
            "pin_kdf": {"alg": "scrypt", "n": o["kdf_n"], "r": o["kdf_r"], "p": o["kdf_p"],
                        "dklen": o["kdf_dklen"], "salt": bytes(o["pin_salt"]).hex()},
            "pin_hash": bytes(o["pin_hash"]).hex(), "updated_at": o["updated_at"],
        } for o in ops]}

    def verify_pin(self, terminal: Row, operator_id: str, pin: str) -> Row:
        """Check an operator's PIN with the attempt limit; returns the operator."""
        op = self._operator(terminal, operator_id)
        now = self.now()
        if op["locked_until"] and op["locked_until"] > iso(now):
            raise ApiError("OPERATOR_LOCKED", "This operator is locked after too many wrong "
                           "PINs; try again later.", {"locked_until": op["locked_until"]})
        digest = hashlib.scrypt(pin.encode("utf-8"), salt=bytes(op["pin_salt"]),
                                n=op["kdf_n"], r=op["kdf_r"], p=op["kdf_p"],
                                dklen=op["kdf_dklen"])
        with self.store.transaction():
            fresh = self.store.operator(operator_id)
            assert fresh is not None
            if hmac.compare_digest(digest, bytes(op["pin_hash"])):
                if fresh["failed"] or fresh["locked_until"]:
                    self.store.set_operator_failures(operator_id, 0, None)
                return op
            failed = int(fresh["failed"]) + 1
            if failed >= PIN_MAX_FAILURES:
                self.store.set_operator_failures(operator_id, 0, iso(now + PIN_LOCK))
            else:
                self.store.set_operator_failures(operator_id, failed, None)
        raise ApiError("PIN_INVALID", "The PIN is wrong.",
                       {"attempts_left": max(PIN_MAX_FAILURES - failed, 0)})

    def login(self, terminal: Row, operator_id: str, pin: str) -> dict[str, Any]:
        """POST /v1/operators/login."""
        op = self.verify_pin(terminal, operator_id, pin)
        return {"operator": {"id": op["id"], "name": op["name"], "role": op["role"]}}

    def _supervisor(self, terminal: Row, supervisor: dict[str, Any]) -> Row:
        op = self.verify_pin(terminal, supervisor["operator_id"], supervisor["pin"])
        if op["role"] not in ("supervisor", "admin"):
            raise ApiError("SUPERVISOR_REQUIRED", "This needs a supervisor's approval.")
        return op

    # -- meters ------------------------------------------------------------------------------
    def _meter(self, text: object) -> Row:
        if not isinstance(text, str) or not re.fullmatch(r"[0-9]{11}|[0-9]{13}", text):
            raise ApiError("METER_NUMBER_INVALID", "A meter number has 11 or 13 digits.",
                           {"meter_number": text if isinstance(text, str) else ""})
        if luhn_check_digit(text[:-1]) != int(text[-1]):
            raise ApiError("METER_CHECK_DIGIT",
                           "The meter number's check digit is wrong; please check the number.",
                           {"meter_number": text})
        meter = self.store.meter(text)
        if meter is None:
            raise ApiError("UNKNOWN_METER", f"No meter {text} is registered.",
                           {"meter_number": text})
        return meter

    def _terms_at(self, tariff_id: str, at: datetime) -> TariffTerms:
        row = self.store.version_in_force(tariff_id, iso(at))
        if row is None:
            raise ApiError("SERVICE_UNAVAILABLE",
                           "No tariff version is in force for this meter.")
        key = (tariff_id, int(row["version"]))
        terms = self._terms.get(key)
        if terms is None:
            terms = TariffTerms.from_document(json.loads(bytes(row["payload"])))
            self._terms[key] = terms
        return terms

    def _state(self, meter: Row, terms: TariffTerms, at: datetime) -> MeterState:
        stats = self.store.month_stats(meter["drn"], self.local_month(at))
        return MeterState(
            month_to_date=int(stats["units"]),
            # Due until a non-reversed sale of the month has paid them: reversing the sale
            # that paid them makes them due again even if later sales exist.
            first_of_month=int(stats["fixed"]) == 0,
            arrears=int(meter["arrears_cents"]),
            fbe_due=bool(meter["fbe_eligible"]) and terms.fbe_units > 0 and stats["fbe"] == 0,
        )

    def _key_change(self, meter: Row) -> tuple[str, MeterKey] | None:
        return engine.pending_key_change(MeterKey.from_row(meter), meter["pending_ti"])

    def meter_info(self, meter_number: str) -> dict[str, Any]:
        """GET /v1/meters/{meter_number}."""
        meter = self._meter(meter_number)
        now = self.now()
        terms = self._terms_at(meter["tariff_id"], now)
        state = self._state(meter, terms, now)
        kc = self._key_change(meter)
        cur = self._currency()
        last = self.store.last_sale_at(meter["drn"])
        days = None if last is None else (now - parse_time(last, "sold_at")).days
        warnings = []
        if meter["blocked"]:
            warnings.append({"code": "BLOCKED_METER",
                             "message": f"Blocked: {meter['blocked_reason'] or 'see the utility'}"})
        if state.arrears:
            warnings.append({"code": "ARREARS", "message": f"Arrears of {fmt_cents(state.arrears)}"
                             f" {cur}; part of each purchase goes to the debt."})
        if kc:
            warnings.append({"code": "KEY_CHANGE_DUE", "message": "Key change tokens will be "
                             "issued with the next sale; enter them before the credit token."})
        if state.fbe_due:
            warnings.append({"code": "FBE_DUE", "message": "Free basic units are due this month."})
        return {
            "meter_number": meter["drn"],
            "service": meter["service"],
            "unit": terms.unit,
            "customer": {
                "name": meter["customer_name"], "address": meter["customer_address"],
                "account": meter["account"],
                "phone": mask_phone(meter["phone"]) if meter["phone"] else None,
                "email": mask_email(meter["email"]) if meter["email"] else None,
            },
            "utility": {"id": self._utility()["id"], "name": self._utility()["name"]},
            "tariff": {"id": terms.tariff_id, "name": terms.name, "version": terms.version},
            "key": MeterKey.from_row(meter).wire(),
            "two_way": bool(meter["two_way"]),
            "blocked": bool(meter["blocked"]),
            "blocked_reason": meter["blocked_reason"],
            "arrears": money(state.arrears, cur),
            "fbe_due": state.fbe_due,
            "fbe_units": fmt_units(terms.fbe_units if state.fbe_due else 0),
            "month_to_date_units": fmt_units(state.month_to_date),
            "last_purchase_at": last,
            "days_since_last_purchase": days,
            "key_change_due": None if kc is None else {"reason": kc[0], "new_key": kc[1].wire()},
            "warnings": warnings,
        }

    def search(self, q: str, limit: int) -> dict[str, Any]:
        """GET /v1/meters?q=."""
        rows = self.store.search_meters(fold(q.strip()), limit)
        return {"results": [{"meter_number": r["drn"], "service": r["service"],
                             "customer_name": r["customer_name"], "account": r["account"],
                             "address": r["address"], "blocked": bool(r["blocked"])}
                            for r in rows]}

    # -- pricing -------------------------------------------------------------------------------
    def _price(self, meter: Row, amount_obj: Any, at: datetime
               ) -> tuple[TariffTerms, MeterState, Priced]:
        cur = self._currency()
        if meter["blocked"]:
            why = meter["blocked_reason"] or "see the utility"
            raise ApiError("BLOCKED_METER", f"This meter is blocked: {why}.",
                           {"reason": meter["blocked_reason"] or ""})
        amount = parse_money(amount_obj, cur)
        limits = {"minimum": money(SALE_MIN, cur), "maximum": money(SALE_MAX, cur)}
        if not SALE_MIN <= amount <= SALE_MAX:
            raise ApiError("AMOUNT_OUT_OF_RANGE", f"The amount must be from {fmt_cents(SALE_MIN)}"
                           f" to {fmt_cents(SALE_MAX)} {cur}.", limits)
        terms = self._terms_at(meter["tariff_id"], at)
        state = self._state(meter, terms, at)
        try:
            priced = price(terms, state, amount)
        except AmountTooLow as exc:
            limits["minimum"] = money(max(exc.minimum, SALE_MIN), cur)
            raise ApiError("AMOUNT_OUT_OF_RANGE", "The amount does not cover this month's "
                           "fixed charges and debt recovery; a larger amount is needed.",
                           limits) from None
        return terms, state, priced

    def _priced_wire(self, terms: TariffTerms, state: MeterState, priced: Priced
                     ) -> dict[str, Any]:
        cur = self._currency()
        return {
            "tariff": {"id": terms.tariff_id, "name": terms.name, "version": terms.version},
            "amount_tendered": money(priced.amount, cur),
            "units": fmt_units(priced.units),
            "unit": terms.unit,
            "lines": [line.wire(cur) for line in priced.lines],
            "vat": {"rate": fmt_percent(terms.vat_bp), "amount": money(priced.vat, cur)},
        }

    def quote(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /v1/quotes."""
        meter = self._meter(body["meter_number"])
        now = self.now()
        terms, state, priced = self._price(meter, body["amount"], now)
        kc = self._key_change(meter)
        preview: list[dict[str, Any]] = []
        count = 0
        if kc:
            count = 4 if kc[1].ea == 11 else 2
            preview = [{"seq": i + 1, "kind": "key_change",
                        "description": f"Key change token {i + 1} of {count}"}
                       for i in range(count)]
        preview.append({"seq": len(preview) + 1, "kind": "credit",
                        "description": f"Credit {fmt_units(priced.units)} {terms.unit}"})
        if priced.fbe_units:
            preview.append({"seq": len(preview) + 1, "kind": "fbe",
                            "description": f"Free basic {fmt_units(priced.fbe_units)} "
                                           f"{terms.unit}"})
        return {
            "meter_number": meter["drn"], "service": meter["service"], "unit": terms.unit,
            "priced_at": iso(now),
            **self._priced_wire(terms, state, priced),
            "month_to_date_units": fmt_units(state.month_to_date),
            "fbe_units": fmt_units(priced.fbe_units),
            "key_change": None if kc is None else {"reason": kc[0], "new_key": kc[1].wire(),
                                                   "token_count": count},
            "tokens_preview": preview,
        }

    # -- tokens ---------------------------------------------------------------------------------
    def _vks(self, meter: Row) -> tuple[bytes, bytes]:
        sg = self.store.supply_group(meter["sgc"])
        if sg is None:
            raise ApiError("TOKEN_ENGINE_ERROR", "The meter's supply group has no vending key.")
        return bytes(sg["vk160"]), bytes(sg["vk64"])

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

    # -- sales ----------------------------------------------------------------------------------
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

    def sale(self, terminal: Row, operator_id: str | None, key: str | None,
             body: dict[str, Any]) -> tuple[str, bool]:
        """POST /v1/sales: (response JSON text, replayed?)."""
        self.check_key(key)
        assert key is not None
        fp = fingerprint(body)
        with self.store.transaction():
            existing = self.store.sale_by_key(terminal["id"], key)
            if existing is not None:
                if existing["fingerprint"] != fp:
                    raise ApiError("DUPLICATE_REQUEST_MISMATCH",
                                   "This Idempotency-Key was already used for a different "
                                   "sale; make a new key for a new sale.")
                return str(existing["response"]), True
            text, job, mail = self._new_sale(terminal, operator_id, key, fp, body)
        self._notify()
        if job:
            self.meters.put(job)
        for item in mail:
            self.mailer.put(item)
        return text, False

    def _new_sale(self, terminal: Row, operator_id: str | None, key: str, fp: str,
                  body: dict[str, Any]) -> tuple[str, DeliveryJob | None, list[int]]:
        op = self._operator(terminal, operator_id)
        meter = self._meter(body["meter_number"])
        now = self.now()
        sold_at = now
        offline = body.get("offline_created_at") is not None
        if offline:
            sold_at = parse_time(body["offline_created_at"], "offline_created_at")
            if sold_at < now - OFFLINE_MAX_AGE or sold_at > now + OFFLINE_MAX_FUTURE:
                raise ApiError("OFFLINE_SALE_TOO_OLD", "An offline sale must be uploaded within"
                               " 30 days, and cannot be dated in the future.")
        terms, state, priced = self._price(meter, body["amount"], sold_at)
        cur = self._currency()
        vendor = self.store.vendor(terminal["vendor_id"])
        assert vendor is not None
        if int(vendor["credit_cents"]) < priced.amount:
            raise ApiError("INSUFFICIENT_VENDOR_CREDIT",
                           "The vendor's credit is too low for this sale; top up the float.",
                           {"vendor_credit": money(int(vendor["credit_cents"]), cur)})

        # Tokens: key change sections (old key) first, then credit and FBE (new key).
        kc = self._key_change(meter)
        minter = TokenMinter(meter["drn"], int(meter["last_tid_minute"]), now)
        tokens: list[dict[str, Any]] = []
        try:
            vk160, vk64 = self._vks(meter)
            key_now = MeterKey.from_row(meter)
            if kc:
                tokens, key_now, dk = self._key_change_tokens(meter, minter, kc)
            else:
                dk = engine.decoder_key(meter["drn"], key_now, vk160, vk64)
            tokens.append(self._token(
                len(tokens) + 1, "credit", f"Credit {fmt_units(priced.units)} {terms.unit}",
                minter.credit(key_now, dk, meter["service"], priced.units), priced.units,
                terms.unit))
            if priced.fbe_units:
                tokens.append(self._token(
                    len(tokens) + 1, "fbe", f"Free basic {fmt_units(priced.fbe_units)} "
                    f"{terms.unit}", minter.credit(key_now, dk, meter["service"],
                                                   priced.fbe_units), priced.fbe_units,
                    terms.unit))
        except StsError as exc:
            log.warning("token engine refused meter %s: %s", meter["drn"], exc)
            raise ApiError("TOKEN_ENGINE_ERROR", "The token engine could not make a token for "
                           "this meter; the sale was not made.") from None

        receipt_no = f"VP{self.store.next_counter('receipt'):08d}"
        credit = int(vendor["credit_cents"]) - priced.amount
        self.store.set_vendor_credit(vendor["id"], credit)
        arrears = state.arrears - priced.debt
        if priced.debt:
            self.store.set_arrears(int(meter["customer_id"]), arrears)
        if kc:
            self.store.update_meter_key(meter["drn"], key_now.krn, key_now.ti,
                                        key_now.base_date)
        self.store.set_meter_last_tid(meter["drn"], minter.minute)
        mail, notifications = self._notifications(meter, receipt_no, tokens,
                                                  body.get("notify") or [], now)
        u = self._utility()
        response = {
            "receipt_no": receipt_no,
            "idempotency_key": key,
            "terminal_id": terminal["id"],
            "client_reference": body.get("client_reference"),
            "created_at": iso(now),
            "sold_at": iso(sold_at),
            "offline": offline,
            "operator": {"id": op["id"], "name": op["name"]},
            "vendor": {"id": vendor["id"], "name": vendor["name"]},
            "utility": {"id": u["id"], "name": u["name"], "address": u["address"],
                        "vat_number": u["vat_number"]},
            "customer": {"name": meter["customer_name"], "address": meter["customer_address"],
                         "account": meter["account"]},
            "meter": {"meter_number": meter["drn"], "service": meter["service"],
                      "unit": terms.unit, "sgc": key_now.sgc, "krn": key_now.krn,
                      "ti": key_now.ti, "ea": key_now.ea, "base_date": key_now.base_date,
                      "two_way": bool(meter["two_way"])},
            **self._priced_wire(terms, state, priced),
            "tokens": tokens,
            "vendor_credit": money(credit, cur),
            "arrears_remaining": money(arrears, cur),
            "delivery": {"two_way": bool(meter["two_way"]),
                         "status": "pending" if meter["two_way"] else "not_applicable"},
            "notifications": notifications,
        }
        text = json.dumps(response, ensure_ascii=False, separators=(",", ":"))
        self.store.insert_sale({
            "receipt_no": receipt_no, "terminal_id": terminal["id"], "idem_key": key,
            "fingerprint": fp, "operator_id": op["id"], "vendor_id": vendor["id"],
            "meter_drn": meter["drn"], "amount_cents": priced.amount, "units": priced.units,
            "fbe_units": priced.fbe_units, "fixed_cents": priced.fixed,
            "debt_cents": priced.debt, "vat_cents": priced.vat, "tariff_id": terms.tariff_id,
            "tariff_version": terms.version, "sold_at": iso(sold_at),
            "month": self.local_month(sold_at), "created_at": iso(now),
            "key_change": int(kc is not None), "two_way": int(meter["two_way"]),
            "response": text,
        }, [(t["seq"], t["kind"], t["token"]) for t in tokens])
        self._event("vendor.credit", {"vendor_id": vendor["id"],
                                      "vendor_credit": money(credit, cur), "reason": "sale"},
                    vendor_id=vendor["id"])
        job = None
        if meter["two_way"]:
            job = DeliveryJob(meter["drn"], [t["token"] for t in tokens], receipt_no)
        return text, job, mail

    def _notifications(self, meter: Row, receipt_no: str, tokens: list[dict[str, Any]],
                       channels: list[str], now: datetime
                       ) -> tuple[list[int], list[dict[str, Any]]]:
        lines = [f"{t['seq']}) {t['display']} {t['description']}" for t in tokens]
        body = (f"Tokens for meter {meter['drn']} (receipt {receipt_no}). Enter in this "
                "order:\n" + "\n".join(lines))
        mail: list[int] = []
        out: list[dict[str, Any]] = []
        for channel in dict.fromkeys(channels):
            contact = meter["phone"] if channel == "sms" else meter["email"]
            if not contact:
                out.append({"channel": channel, "to": None, "status": "no_contact"})
                continue
            status = "queued" if (channel == "email" and self.smtp) else "recorded"
            outbox_id = self.store.add_outbox(receipt_no, channel, contact, body, status,
                                              iso(now))
            if status == "queued":
                mail.append(outbox_id)
            masked = mask_phone(contact) if channel == "sms" else mask_email(contact)
            out.append({"channel": channel, "to": masked, "status": status})
        return mail, out

    def sale_by_key(self, terminal: Row, key: str) -> str:
        """GET /v1/sales/{key}: the stored original response."""
        self.check_key(key)
        row = self.store.sale_by_key(terminal["id"], key)
        if row is None:
            raise ApiError("SALE_NOT_FOUND", "No sale was completed with that key on this "
                           "terminal; it is safe to send it again with the same key.")
        return str(row["response"])

    def batch(self, terminal: Row, items: list[dict[str, Any]]) -> dict[str, Any]:
        """POST /v1/sales/batch: each item in order, one failure never stops the rest."""
        results = []
        for item in items:
            try:
                if item.get("invalid") is not None:  # failed validation on its own
                    raise item["invalid"]
                text, _ = self.sale(terminal, item["operator_id"], item["idempotency_key"],
                                    item["request"])
                results.append({"idempotency_key": item["idempotency_key"], "status": 200,
                                "sale": json.loads(text), "error": None})
            except ApiError as exc:
                results.append({"idempotency_key": item["idempotency_key"],
                                "status": exc.status, "sale": None, "error": exc.body()["error"]})
        return {"results": results}

    def sales_for_meter(self, terminal: Row, meter_number: str, limit: int) -> dict[str, Any]:
        """GET /v1/sales?meter=."""
        meter = self._meter(meter_number)
        rows = self.store.sales_for_meter(meter["drn"], limit)
        return {"sales": [{
            "sale": json.loads(r["response"]),
            "reversed": r["reversed_at"] is not None,
            "reversed_at": r["reversed_at"],
            "delivered": r["delivered_at"] is not None,
            "balance": None if r["delivered_balance"] is None
            else fmt_units(int(r["delivered_balance"])),
        } for r in rows if r["vendor_id"] == terminal["vendor_id"]]}

    # -- reversals --------------------------------------------------------------------------------
    def reverse(self, terminal: Row, operator_id: str | None, receipt_no: str,
                body: dict[str, Any]) -> dict[str, Any]:
        """POST /v1/sales/{receipt_no}/reversal."""
        self._operator(terminal, operator_id)
        sale = self.store.sale(receipt_no)
        if sale is None or sale["vendor_id"] != terminal["vendor_id"]:
            raise ApiError("RECEIPT_NOT_FOUND", "No sale with that receipt number.")
        sup = self._supervisor(terminal, body["supervisor"])
        now = self.now()
        cur = self._currency()
        with self.store.transaction():
            sale = self.store.sale(receipt_no)
            assert sale is not None
            if sale["reversal"]:
                return dict(json.loads(sale["reversal"]))
            reason = None
            if self.local_day(parse_time(sale["sold_at"], "sold_at")) != self.local_day(now):
                reason = "not_same_day"
            elif sale["delivered_at"]:
                reason = "delivered_to_meter"
            elif sale["key_change"]:
                reason = "key_change_issued"
            if reason:
                raise ApiError("REVERSAL_NOT_ALLOWED", {
                    "not_same_day": "Only sales of today can be reversed.",
                    "delivered_to_meter": "The smart meter already accepted this token.",
                    "key_change_issued": "This sale changed the meter's key; it cannot be "
                                         "reversed.",
                }[reason], {"reason": reason})
            vendor = self.store.vendor(sale["vendor_id"])
            assert vendor is not None
            credit = int(vendor["credit_cents"]) + int(sale["amount_cents"])
            self.store.set_vendor_credit(vendor["id"], credit)
            meter = self.store.meter(sale["meter_drn"])
            assert meter is not None
            if sale["debt_cents"]:
                self.store.set_arrears(int(meter["customer_id"]),
                                       int(meter["arrears_cents"]) + int(sale["debt_cents"]))
            response = {
                "receipt_no": receipt_no,
                "reversal_no": f"RV{self.store.next_counter('reversal'):08d}",
                "reversed_at": iso(now),
                "reason": body["reason"],
                "supervisor": {"id": sup["id"], "name": sup["name"]},
                "amount_refunded": money(int(sale["amount_cents"]), cur),
                "vendor_credit": money(credit, cur),
                "arrears_restored": money(int(sale["debt_cents"]), cur),
            }
            self.store.mark_reversed(receipt_no, iso(now), json.dumps(response))
            self._event("vendor.credit", {"vendor_id": vendor["id"],
                                          "vendor_credit": money(credit, cur),
                                          "reason": "reversal"}, vendor_id=vendor["id"])
        self._notify()
        return response

    # -- engineering tokens ---------------------------------------------------------------------
    def engineering(self, terminal: Row, operator_id: str | None, key: str | None,
                    body: dict[str, Any]) -> tuple[str, bool]:
        """POST /v1/engineering-tokens: (response JSON text, replayed?)."""
        self.check_key(key, required=False)
        op = self._operator(terminal, operator_id)
        fp = fingerprint(body)
        if key is not None:
            row = self.store.engineering_by_key(terminal["id"], key)
            if row is not None:
                if row["fingerprint"] != fp:
                    raise ApiError("DUPLICATE_REQUEST_MISMATCH", "This Idempotency-Key was "
                                   "already used for a different request.")
                return str(row["response"]), True
        self._meter(body["meter_number"])  # refuse a bad meter before the slow PIN check
        sup = self._supervisor(terminal, body["supervisor"])
        type_ = body["type"]
        now = self.now()
        job = None
        with self.store.transaction():
            if key is not None:
                row = self.store.engineering_by_key(terminal["id"], key)
                if row is not None:
                    if row["fingerprint"] != fp:
                        raise ApiError("DUPLICATE_REQUEST_MISMATCH", "This Idempotency-Key "
                                       "was already used for a different request.")
                    return str(row["response"]), True
            meter = self._meter(body["meter_number"])
            tokens, key_after = self._engineering_tokens(meter, type_, body, now)
            reference = f"EN{self.store.next_counter('engineering'):08d}"
            response = {
                "reference": reference, "meter_number": meter["drn"], "type": type_,
                "issued_at": iso(now), "supervisor": {"id": sup["id"], "name": sup["name"]},
                "tokens": tokens, "meter": key_after.wire(),
            }
            text = json.dumps(response, ensure_ascii=False, separators=(",", ":"))
            self.store.insert_engineering({
                "reference": reference, "terminal_id": terminal["id"], "idem_key": key,
                "fingerprint": fp, "meter_drn": meter["drn"], "type": type_,
                "operator_id": op["id"], "supervisor_id": sup["id"], "response": text,
                "created_at": iso(now)})
            if meter["two_way"] and type_ != "test":
                job = DeliveryJob(meter["drn"], [t["token"] for t in tokens], None)
        if job:
            self.meters.put(job)
        return text, False

    def _engineering_tokens(self, meter: Row, type_: str, body: dict[str, Any],
                            now: datetime) -> tuple[list[dict[str, Any]], MeterKey]:
        key = MeterKey.from_row(meter)
        value = body.get("value")

        def invalid(reason: str, message: str) -> ApiError:
            return ApiError("ENGINEERING_TOKEN_INVALID", message, {"reason": reason})

        try:
            if type_ == "test":
                if value is not None and not 0 <= value < (1 << (36 if len(meter["drn"]) == 11
                                                                   else 28)):
                    raise invalid("value_out_of_range", "The test control value does not fit.")
                token = TokenMinter.test(meter["drn"], value)
                return [self._token(1, "test", "Test/display token", token, None, None)], key
            kc = self._key_change(meter)
            minter = TokenMinter(meter["drn"], int(meter["last_tid_minute"]), now)
            if type_ == "key_change":
                new_ti = body.get("new_ti")
                if new_ti is not None:
                    if not 1 <= new_ti <= 99:
                        raise invalid("value_out_of_range", "The tariff index must be 1 to 99.")
                    kc = engine.pending_key_change(key, new_ti)
                if kc is None:
                    raise invalid("nothing_to_change", "This meter has no key change pending.")
                tokens, new, _ = self._key_change_tokens(meter, minter, kc)
                self.store.update_meter_key(meter["drn"], new.krn, new.ti, new.base_date)
                return tokens, new
            if kc:
                raise ApiError("KEY_REVISION_MUST_BE_UPDATED", "This meter needs a key change "
                               "first; issue the key change tokens.", {"reason": kc[0]})
            if type_ in ("set_power_limit", "set_phase_unbalance"):
                if meter["service"] != "electricity":
                    raise invalid("not_for_this_meter", "Power limits are for electricity "
                                  "meters only.")
                if value is None or not 1 <= value <= 65535:
                    raise invalid("value_out_of_range", "The limit must be 1 to 65535 W.")
                sub = (ManagementSubclass.SET_MAX_POWER if type_ == "set_power_limit"
                       else ManagementSubclass.SET_PHASE_UNBALANCE)
                # Watts use the STS amount format: above 16383 W the value is rounded up to
                # what the token can carry. Say what the meter will hold, and what was asked.
                held = decode_amount(encode_amount(int(value)))
                desc = f"{'Power limit' if sub == 0 else 'Phase unbalance limit'} {held} W"
                if held != value:
                    desc += f" (nearest the meter can hold to {value} W)"
            elif type_ == "clear_credit":
                register = body.get("register") or meter["service"]
                if register not in ("electricity", "water", "all"):
                    raise invalid("value_out_of_range", "Unknown credit register.")
                value = {"electricity": 0, "water": 1, "all": 0xFFFF}[register]
                sub, desc = ManagementSubclass.CLEAR_CREDIT, f"Clear credit ({register})"
            elif type_ == "clear_tamper":
                sub, value, desc = ManagementSubclass.CLEAR_TAMPER, 0, "Clear tamper"
            else:
                raise invalid("unknown_type", "Unknown engineering token type.")
            vk160, vk64 = self._vks(meter)
            dk = engine.decoder_key(meter["drn"], key, vk160, vk64)
            token = minter.management(key, dk, sub, int(value))
            self.store.set_meter_last_tid(meter["drn"], minter.minute)
            return [self._token(1, type_, desc, token, None, None)], key
        except StsError as exc:
            log.warning("token engine refused meter %s: %s", meter["drn"], exc)
            raise ApiError("TOKEN_ENGINE_ERROR", "The token engine could not make this "
                           "token.") from None

    # -- tariffs ------------------------------------------------------------------------------
    def tariffs(self) -> dict[str, Any]:
        """GET /v1/tariffs."""
        now = iso(self.now())
        out = []
        for t in self.store.tariffs():
            versions = self.store.tariff_versions(t["id"])
            current = max((int(v["version"]) for v in versions if v["effective_from"] <= now),
                          default=0)
            out.append({"id": t["id"], "name": t["name"], "service": t["service"],
                        "unit": t["unit"], "current_version": current,
                        "versions": [int(v["version"]) for v in versions]})
        return {"tariffs": out}

    def tariff_version(self, tariff_id: str, version: int) -> dict[str, Any]:
        """GET /v1/tariffs/{id}/versions/{n}."""
        row = (self.store.tariff_version(tariff_id, version)
               if 0 <= version <= SQL_INT_MAX else None)
        if row is None:
            raise ApiError("TARIFF_NOT_FOUND", "No such tariff version.",
                           {"tariff_id": tariff_id[:64], "version": version})
        payload = bytes(row["payload"])
        return {"tariff_id": tariff_id, "version": version, "alg": "Ed25519",
                "key_id": row["key_id"], "payload": b64(payload),
                "signature": b64(bytes(row["signature"])), "document": json.loads(payload)}

    def publish_tariff(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Sign and store the next version of a tariff; emits tariff.published."""
        now = self.now()
        with self.store.transaction():
            keys = self.store.signing_keys()
            signing = keys[-1]
            doc = dict(doc)
            for field in ("version", "issued_at", "key_id"):
                doc.pop(field, None)
            tariff_id = str(doc["tariff_id"])
            version = self.store.max_tariff_version(tariff_id) + 1
            doc.update({
                "version": version, "issued_at": iso(now), "key_id": signing["key_id"],
                "effective_from": iso(parse_time(doc.get("effective_from", iso(now)),
                                                 "effective_from")),
                "expires_at": iso(parse_time(doc.get("expires_at",
                                                     iso(now + timedelta(days=365))),
                                             "expires_at")),
            })
            doc.setdefault("currency", self._currency())
            TariffTerms.from_document(doc)  # raises ValueError when the tariff is unusable
            if self.store.tariff(tariff_id) is None:
                self.store.add_tariff(tariff_id, str(doc["name"]), str(doc["service"]),
                                      str(doc["unit"]))
            payload = canonical_json(doc)
            signature = sign(bytes(signing["private_key"]), payload)
            self.store.add_tariff_version(tariff_id, version, doc["effective_from"], payload,
                                          signature, signing["key_id"], iso(now))
            self._event("tariff.published", {"tariff_id": tariff_id, "version": version,
                                             "name": doc["name"],
                                             "effective_from": doc["effective_from"]})
        self._notify()
        return self.tariff_version(tariff_id, version)

    # -- events --------------------------------------------------------------------------------
    def events_after(self, terminal: Row, after: int, limit: int) -> list[Row]:
        """Events visible to `terminal` with id > `after`."""
        return self.store.events_after(after, terminal["id"], terminal["vendor_id"], limit)

    # -- z reports -------------------------------------------------------------------------------
    def z_report(self, terminal: Row, operator_id: str | None, shift_id: str,
                 body: dict[str, Any]) -> dict[str, Any]:
        """POST /v1/shifts/{shift_id}/z-report."""
        self._operator(terminal, operator_id)
        if not SHIFT_RE.fullmatch(shift_id):
            raise ApiError("VALIDATION_ERROR", "The shift id is not valid.",
                           {"errors": [{"field": "shift_id", "problem": "bad format"}]})
        fp = fingerprint(body)
        cur = self._currency()
        t = body["totals"]
        terminal_totals = {
            "sales_count": t["sales_count"],
            "sales_amount": parse_money(t["sales_amount"], cur, "totals.sales_amount"),
            "reversals_count": t["reversals_count"],
            "reversals_amount": parse_money(t["reversals_amount"], cur,
                                            "totals.reversals_amount"),
            "vat": parse_money(t["vat"], cur, "totals.vat"),
        }
        try:
            units = int(Fraction(t["units"]) * 10)
        except (ValueError, ZeroDivisionError):
            raise ApiError("VALIDATION_ERROR", "totals.units must be a units string.",
                           {"errors": [{"field": "totals.units", "problem": "not units"}]}
                           ) from None
        opened = parse_time(body["opened_at"], "opened_at")
        closed = parse_time(body["closed_at"], "closed_at")
        with self.store.transaction():
            row = self.store.zreport(terminal["id"], shift_id)
            if row is not None:
                if row["fingerprint"] != fp:
                    raise ApiError("DUPLICATE_REQUEST_MISMATCH", "This shift's Z report was "
                                   "already received with different figures.")
                return dict(json.loads(row["response"]))
            s = self.store.terminal_totals(terminal["id"], iso(opened), iso(closed))
            server = {k: int(s[k]) for k in ("sales_count", "sales_amount", "reversals_count",
                                              "reversals_amount", "vat")}
            diffs = {k: terminal_totals[k] - server[k] for k in server}
            unit_diff = units - int(s["units"])
            moneyish = ("sales_amount", "reversals_amount", "vat")

            def wire(values: dict[str, int], u: int) -> dict[str, Any]:
                out: dict[str, Any] = {k: (money(v, cur) if k in moneyish else v)
                                       for k, v in values.items()}
                out["units"] = fmt_units(u)
                return out

            response = {
                "shift_id": shift_id, "z_number": body["z_number"],
                "received_at": iso(self.now()),
                "terminal": t, "server": wire(server, int(s["units"])),
                "differences": wire(diffs, unit_diff),
                "matched": all(v == 0 for v in diffs.values()) and unit_diff == 0,
            }
            self.store.insert_zreport(terminal["id"], shift_id, fp, json.dumps(response))
        return response
