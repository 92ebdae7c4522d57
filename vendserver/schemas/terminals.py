"""Response shapes of terminal activation, terminal info and operators."""

from __future__ import annotations

from typing import Literal

from vendserver.schemas.common import IdName, MoneyOut, Out, SigningKeyOut, UtilityOut


class OfflinePolicyOut(Out):
    """What a terminal may do while the server is unreachable."""

    offline_allowed: bool
    max_sale: MoneyOut
    max_total: MoneyOut
    max_count: int
    warn_after_hours: int
    refuse_after_hours: int
    refuse: list[str]


class SaleLimitsOut(Out):
    """Per-sale minimum and maximum."""

    minimum: MoneyOut
    maximum: MoneyOut


class ActivationOut(Out):
    """POST /v1/terminals/activate."""

    terminal_id: str
    credential: str
    vendor: IdName
    utility: UtilityOut
    tariff_signing_keys: list[SigningKeyOut]
    offline_policy: OfflinePolicyOut
    sale_limits: SaleLimitsOut
    server_time: str


class TerminalOut(Out):
    """GET /v1/terminal."""

    terminal_id: str
    name: str
    server_time: str
    vendor: IdName
    vendor_credit: MoneyOut
    utility: UtilityOut
    offline_policy: OfflinePolicyOut
    sale_limits: SaleLimitsOut
    tariff_signing_keys: list[SigningKeyOut]


class Argon2Out(Out):
    """argon2id parameters of a terminal's PIN verification material."""

    iterations: int
    memory_kib: int
    lanes: int
    salt: str


class PinKdfOut(Out):
    """How to check a PIN against `pin_hash`: scrypt, then argon2id over the scrypt hash."""

    alg: Literal["scrypt+argon2id"]
    n: int
    r: int
    p: int
    dklen: int
    salt: str
    argon2id: Argon2Out


class OperatorOut(Out):
    """One operator for offline login."""

    id: str
    name: str
    role: Literal["cashier", "supervisor", "admin"]
    active: bool
    pin_kdf: PinKdfOut
    pin_hash: str
    updated_at: str


class OperatorsOut(Out):
    """GET /v1/operators."""

    operators: list[OperatorOut]


class OperatorRef(Out):
    """An operator's id, name and role."""

    id: str
    name: str
    role: str


class LoginOut(Out):
    """POST /v1/operators/login."""

    operator: OperatorRef
