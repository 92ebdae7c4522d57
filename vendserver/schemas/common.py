"""Response shapes shared by several resources: money, errors, ids, keys, tariff references."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    """Base of response models: every field documented, nothing extra."""

    model_config = ConfigDict(extra="forbid")


class MoneyOut(Out):
    """An amount: `{"amount": "150.00", "currency": "ZAR"}`."""

    amount: str
    currency: str


class ErrorDetail(Out):
    """The inside of every error body."""

    code: str
    message: str
    retryable: bool
    details: dict[str, Any]


class ErrorOut(Out):
    """`{"error": {...}}` — the body of every 4xx/5xx answer."""

    error: ErrorDetail


class HealthOut(Out):
    """GET /health."""

    status: str
    time: str
    api_version: str


class IdName(Out):
    """An id and a display name."""

    id: str
    name: str


class UtilityOut(Out):
    """The utility as terminals see it."""

    id: str
    name: str
    address: str
    vat_number: str
    currency: str
    #: the offset in force now (older clients); `time_zone` is the rule
    utc_offset: str
    #: IANA time zone of the utility's business days and months, e.g. "Africa/Kampala"
    #: (null only for a server database from before time zones with an odd offset)
    time_zone: str | None = None
    #: the customers' language ("en", "fr", "pt"): receipts' default
    language: str = "en"
    #: the counters' locale ("en_ZA", "fr_CI", "pt_MZ", or just "en"): display defaults
    locale: str = "en"


class SigningKeyOut(Out):
    """A tariff-signing public key; a rotated one carries the previous key's endorsement."""

    key_id: str
    alg: Literal["Ed25519"]
    public_key: str
    endorsed_by: str | None = None
    endorsement: str | None = None


class KeyOut(Out):
    """A meter's key data."""

    sgc: str
    krn: int
    ti: int
    ea: int
    kt: int
    base_date: int
    dkga: int


class TariffRef(Out):
    """A tariff version reference."""

    id: str
    name: str
    version: int
