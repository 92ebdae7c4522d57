"""Constants and pure helpers of the vending service: limits, time and policy checks,
fingerprints, PIN hashing, masking of customer contacts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

from vendserver.errors import ApiError
from vendserver.signing import canonical_json

IDEM_RE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
OPERATOR_RE = re.compile(r"^[a-z0-9._-]{1,32}$")
SHIFT_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
PIN_RE = re.compile(r"^[0-9]{4,12}$")

KDF = {"n": 16384, "r": 8, "p": 1, "dklen": 32}
#: The cost of a terminal's offline PIN verification material (argon2id over the scrypt hash):
#: about 0.25 s and 64 MiB per guess on a counter PC (bench/pin_kdf.py measures it).
PIN_MATERIAL = {"iterations": 4, "memory_kib": 65536, "lanes": 1}
PIN_MAX_FAILURES = 5
PIN_LOCK = timedelta(minutes=15)
ACTIVATION_MAX_FAILURES = 5
ACTIVATION_WINDOW = timedelta(minutes=10)
OFFLINE_MAX_AGE = timedelta(days=30)
OFFLINE_MAX_FUTURE = timedelta(minutes=5)
#: ZAR's per-sale limits in cents (R 5.00 to R 5 000.00); other currencies: `sale_range`.
SALE_MIN = 500
SALE_MAX = 500_000

#: Per currency, in its minor units: (sale minimum, sale maximum, default offline max_sale,
#: default offline max_total). A currency not listed gets ZAR's amounts in its own major units.
CURRENCY_LIMITS: dict[str, tuple[int, int, int, int]] = {
    "ZAR": (SALE_MIN, SALE_MAX, 100_000, 1_000_000),  # R 5 - R 5 000; R 1 000 / R 10 000
    "UGX": (1_000, 2_000_000, 500_000, 5_000_000),  # UGX 1 000 - 2 000 000
    "XOF": (500, 1_000_000, 200_000, 2_000_000),  # XOF 500 - 1 000 000
    "LYD": (1_000, 1_000_000, 200_000, 2_000_000),  # LYD 1.000 - 1 000.000
    "MZN": (5_000, 2_000_000, 1_000_000, 10_000_000),  # MZN 50.00 - 20 000.00
}


def _limits(currency: str) -> tuple[int, int, int, int]:
    known = CURRENCY_LIMITS.get(currency)
    if known is not None:
        return known
    from common.money import exponent

    scale = 10 ** exponent(currency)
    return 5 * scale, 5_000 * scale, 1_000 * scale, 10_000 * scale


def sale_range(currency: str) -> tuple[int, int]:
    """(minimum, maximum) of one sale in minor units of `currency`."""
    low, high, _, _ = _limits(currency)
    return low, high

DEFAULT_POLICY: dict[str, Any] = {
    "offline_allowed": True,
    "max_sale_cents": 100_000,
    "max_total_cents": 1_000_000,
    "max_count": 50,
    "warn_after_hours": 24,
    "refuse_after_hours": 72,
    "refuse": ["fbe", "engineering", "reversal", "arrears", "key_change", "blocked"],
}


def default_policy(currency: str) -> dict[str, Any]:
    """DEFAULT_POLICY with the offline money limits of `currency` (ZAR: DEFAULT_POLICY)."""
    _, _, max_sale, max_total = _limits(currency)
    return {**DEFAULT_POLICY, "max_sale_cents": max_sale, "max_total_cents": max_total}


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


def pin_material(scrypt_hash: bytes, terminal_id: str, operator_salt: bytes,
                 params: dict[str, int]) -> tuple[bytes, bytes]:
    """(salt, argon2id(scrypt_hash)) for one terminal: what GET /v1/operators gives instead of
    the scrypt hash. The salt is per terminal, so the material of one terminal says nothing
    that another terminal's would confirm, and the server computes it without the PIN."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    salt = hashlib.sha256(b"vendpoint pin material v1\x00" + terminal_id.encode("utf-8")
                          + b"\x00" + operator_salt).digest()[:16]
    derived = Argon2id(salt=salt, length=32, iterations=params["iterations"],
                       lanes=params["lanes"], memory_cost=params["memory_kib"]).derive(scrypt_hash)
    return salt, derived


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
