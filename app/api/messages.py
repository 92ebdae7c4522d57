"""The client's own words for every refusal code a vending server sends (one table).

The server's `message` is a plain English sentence for its logs and for developers; the cashier
reads the client's sentence for the code, in the operator's language, with the refusal's
`details` filled in (the meter number, the minimum amount, the vendor's float, ...). Only a code
this table does not know falls back to the server's text.

Each entry names its English template (`N_`: translated when the refusal is shown) and which
`details` field fills which placeholder. When a field is missing, the entry's `fallback`
sentence (which needs no details) is used instead. Money details (`{"amount", "currency"}`)
are shown in the one money format; times in the utility's zone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from common.format import format_time
from common.i18n import N_, _, ngettext
from common.money import Money, MoneyError, format_money

__all__ = ["MESSAGES", "Message", "refusal_text"]


@dataclass(frozen=True)
class Message:
    """How one refusal code is said: a template, its placeholders' detail fields, a fallback.

    `plural` says the sentence for a number (the one detail field of `fields`) with `ngettext`;
    `by_reason` gives a whole sentence per value of `details.reason`."""

    template: str
    fields: Mapping[str, str] = field(default_factory=dict)
    fallback: str = ""
    plural: Callable[[int], str] | None = None
    by_reason: Mapping[str, str] = field(default_factory=dict)


def _value(value: Any) -> str | None:
    """A detail as shown: money (`{"amount", "currency"}`) in the money format, else text."""
    if isinstance(value, Mapping):
        try:
            return format_money(Money.from_json(value))
        except (MoneyError, ValueError, TypeError, KeyError):
            return None
    if isinstance(value, str | int) and not isinstance(value, bool):
        text = str(value).strip()
        return text[:64] or None
    return None


def _time(value: Any) -> str | None:
    try:
        return format_time(str(value), date=False)
    except (ValueError, TypeError):
        return None


def _pin_invalid(n: int) -> str:
    return ngettext("That PIN is not correct; {n} attempt left before the operator is locked.",
                    "That PIN is not correct; {n} attempts left before the operator is locked.",
                    n).format(n=n)


def _too_many_attempts(n: int) -> str:
    return ngettext("Too many wrong activation codes were typed; try again in {n} second.",
                    "Too many wrong activation codes were typed; try again in {n} seconds.",
                    n).format(n=n)


#: Detail fields shown otherwise than by `_value`.
_SHOWN: dict[str, Callable[[Any], str | None]] = {"locked_until": _time}

MESSAGES: dict[str, Message] = {
    # -- the reference API (docs/api.md §3) ---------------------------------------------------
    "VALIDATION_ERROR": Message(N_("The server found this request not valid.")),
    "MALFORMED_JSON": Message(N_("The server could not read this request.")),
    "METER_NUMBER_INVALID": Message(
        N_("Meter number {meter} is not valid: a meter number has 11 or 13 digits."),
        {"meter": "meter_number"},
        N_("This meter number is not valid: a meter number has 11 or 13 digits.")),
    "METER_CHECK_DIGIT": Message(
        N_("The check digit of meter number {meter} is wrong; please check the number."),
        {"meter": "meter_number"},
        N_("The meter number's check digit is wrong; please check the number.")),
    "IDEMPOTENCY_KEY_REQUIRED": Message(N_("The server needs this sale's own key to sell it.")),
    "IDEMPOTENCY_KEY_INVALID": Message(N_("The server refused this sale's key.")),
    "OPERATOR_REQUIRED": Message(N_("The server needs to know which operator is signed in.")),
    "TERMINAL_UNAUTHENTICATED": Message(
        N_("The server does not know this terminal's credential.")),
    "PIN_INVALID": Message(
        "", {"n": "attempts_left"}, N_("That PIN is not correct."),
        plural=_pin_invalid),
    "TERMINAL_DISABLED": Message(N_("The utility has disabled this terminal.")),
    "ACTIVATION_CODE_INVALID": Message(
        N_("This activation code is unknown, expired or already used up.")),
    "OPERATOR_NOT_ALLOWED": Message(
        N_("Operator {operator} is not allowed on this terminal."), {"operator": "operator_id"},
        N_("This operator is not allowed on this terminal.")),
    "SUPERVISOR_REQUIRED": Message(N_("The approving operator is not a supervisor.")),
    "UNKNOWN_METER": Message(
        N_("No meter {meter} is registered."), {"meter": "meter_number"},
        N_("This meter is not registered.")),
    "SALE_NOT_FOUND": Message(
        N_("No sale was completed with this key on this terminal; it is safe to send it again.")),
    "RECEIPT_NOT_FOUND": Message(N_("No sale with that receipt number.")),
    "TARIFF_NOT_FOUND": Message(
        N_("The server has no tariff {tariff} version {version}."),
        {"tariff": "tariff_id", "version": "version"}, N_("No such tariff version.")),
    "NOT_FOUND": Message(N_("The server does not offer this request.")),
    "METHOD_NOT_ALLOWED": Message(N_("The server does not take this request in this form.")),
    "DUPLICATE_REQUEST_MISMATCH": Message(
        N_("This key was already used for a different request; a new sale needs a new key.")),
    "KEY_REVISION_MUST_BE_UPDATED": Message(
        N_("This meter has a key change pending: issue the key change tokens first.")),
    "DECODER_KEY_EXPIRED": Message(
        N_("The meter's decoder key has expired (KEN {ken}): the meter needs a key change "
           "before it accepts new tokens."), {"ken": "ken"},
        N_("The meter's decoder key has expired: the meter needs a key change before it "
           "accepts new tokens.")),
    "REQUEST_TOO_LARGE": Message(
        N_("The request is larger than the server takes ({limit} bytes)."),
        {"limit": "limit_bytes"}, N_("The request is larger than the server takes.")),
    "BLOCKED_METER": Message(
        N_("This meter is blocked: {reason}."), {"reason": "reason"},
        N_("This meter is blocked.")),
    "AMOUNT_OUT_OF_RANGE": Message(
        N_("The amount cannot be sold: a sale is from {minimum} to {maximum}, and must also "
           "cover this month's fixed charges and debt recovery."),
        {"minimum": "minimum", "maximum": "maximum"},
        N_("The amount cannot be sold: it is out of range, or does not cover this month's "
           "fixed charges and debt recovery.")),
    "UNITS_OUT_OF_RANGE": Message(
        N_("No single sale buys that many units on this meter now: the most is {maximum} "
           "units, for {maximum_amount}."),
        {"maximum": "maximum", "maximum_amount": "maximum_amount"},
        N_("No single sale buys that many units on this meter now.")),
    "CURRENCY_MISMATCH": Message(
        N_("Only {currency} is accepted here."), {"currency": "expected"},
        N_("The server does not accept this currency.")),
    "INSUFFICIENT_VENDOR_CREDIT": Message(
        N_("The vendor's credit ({credit}) is too low for this sale; top up the float."),
        {"credit": "vendor_credit"},
        N_("The vendor's credit is too low for this sale; top up the float.")),
    "REVERSAL_NOT_ALLOWED": Message(
        "", fallback=N_("This sale cannot be reversed."),
        by_reason={
            "not_same_day": N_("Only sales of today can be reversed."),
            "delivered_to_meter": N_("The smart meter already accepted this token."),
            "key_change_issued": N_("This sale changed the meter's key; it cannot be "
                                    "reversed."),
        }),
    "ENGINEERING_TOKEN_INVALID": Message(
        N_("This engineering token cannot be made for this meter (the type does not suit it, "
           "the value is out of range, or there is nothing to change).")),
    "OFFLINE_SALE_TOO_OLD": Message(
        N_("An offline sale must be uploaded within 30 days, and cannot be dated in the "
           "future.")),
    "OPERATOR_LOCKED": Message(
        N_("This operator is locked after too many wrong PINs until {until}."),
        {"until": "locked_until"},
        N_("This operator is locked after too many wrong PINs.")),
    "TOO_MANY_ATTEMPTS": Message(
        "", {"n": "retry_after_seconds"},
        N_("Too many wrong activation codes were typed; try again later."),
        plural=_too_many_attempts),
    "INTERNAL_ERROR": Message(N_("The server failed; nothing was changed.")),
    "TOKEN_ENGINE_ERROR": Message(
        N_("The server could not make a token for this meter; the sale was not made.")),
    "SERVICE_UNAVAILABLE": Message(N_("The server is busy; try again shortly.")),
    # -- codes the XMLVend backend gives its faults (app/xmlvend/faults.py) ---------------------
    "UNKNOWN_CUSTOMER": Message(N_("The vending server does not know this customer.")),
    "CUSTOMER_NOT_CONFIRMED": Message(
        N_("The vending server needs the customer to be confirmed first.")),
    "INSUFFICIENT_METER_DATA": Message(
        N_("The vending server does not have enough data about this meter to sell.")),
    "METER_CARD_REQUIRED": Message(N_("This meter can only be sold with its meter card.")),
    "STS_DATA": Message(N_("The vending server refused the meter's STS data.")),
    "SGC_NOT_AUTHORISED": Message(
        N_("This terminal may not sell for the meter's supply group.")),
    "FBE_REFUSED": Message(N_("The vending server refused the free basic electricity.")),
    "DEBT_REFUSED": Message(N_("The vending server refused the debt recovery of this sale.")),
    "SERVICE_CHARGE_REFUSED": Message(
        N_("The vending server refused the service charge of this sale.")),
    "REPRINT_REFUSED": Message(N_("The vending server refused the reprint.")),
    "KEY_ALREADY_CURRENT": Message(N_("The meter already has this key.")),
    "NOT_OFFERED": Message(N_("The vending server does not offer this.")),
}


def _filled(entry: Message, details: Mapping[str, Any]) -> dict[str, str] | None:
    values: dict[str, str] = {}
    for placeholder, name in entry.fields.items():
        shown = _SHOWN.get(name, _value)(details.get(name))
        if shown is None:
            return None
        values[placeholder] = shown
    return values


def refusal_text(code: str, details: Mapping[str, Any] | None, server_text: str) -> str:
    """The sentence the cashier reads for a refusal: the client's own for `code`, in the
    current language, with `details` filled in; the server's text for an unknown code."""
    entry = MESSAGES.get(code)
    if entry is None:
        return server_text
    found = details if isinstance(details, Mapping) else {}
    if entry.by_reason:
        sentence = entry.by_reason.get(str(found.get("reason", "")))
        return _(sentence) if sentence else _(entry.fallback)
    values = _filled(entry, found)
    if values is None:
        return _(entry.fallback)
    if entry.plural is not None:
        try:
            n = int(next(iter(values.values())))
        except (StopIteration, ValueError):
            return _(entry.fallback)
        return entry.plural(n)
    return _(entry.template).format(**values)
