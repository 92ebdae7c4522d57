"""The offline policy: what may be sold as "token pending" while the server is unreachable.

The limits come from the server (`OfflinePolicy`, cached locally): per-sale cap, total value
cap, count cap, and the age of the oldest pending sale (warn, then refuse); and the server's
sale limits (`sale_limits` minimum/maximum, cached with the policy), which the server would
otherwise enforce only when the offline sale syncs. Kinds of sale that
need the server's judgment are refused with a plain reason: blocked meter, arrears, a pending
key change, free basic electricity due, engineering tokens, reversals, and any meter that is
not in the local cache (we could not show the customer's name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.api.models import MeterInfo, Money, OfflinePolicy
from app.sales.repository import OutboxStats
from common.errors import BusinessRuleError
from common.i18n import N_, _, ngettext


class OfflineRefused(BusinessRuleError):
    """This sale cannot be made while the server is unreachable; `code` says why."""

    title = N_("Cannot sell offline")


@dataclass(frozen=True)
class OfflineDecision:
    """An allowed offline sale, with an optional warning for the cashier."""

    warning: str = ""


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def refuse_offline_operation(kind: str) -> OfflineRefused:
    """The refusal for operations that are never done offline (engineering, reversal)."""
    sentences = {
        "engineering": _("Engineering tokens need the server and cannot be done while it is "
                         "unreachable."),
        "reversal": _("Reversals need the server and cannot be done while it is unreachable."),
        "reprint_beyond_policy": _("Reprints beyond the policy need the server and cannot be "
                                   "done while it is unreachable."),
    }
    return OfflineRefused(
        sentences.get(kind) or _("{what} need the server and cannot be done while it is "
                                 "unreachable.").format(what=kind),
        code=f"OFFLINE_{kind.upper()}",
        hint=_("Try again when the connection is back."),
    )


def check_offline_sale(
    policy: OfflinePolicy | None,
    meter: MeterInfo | None,
    amount: Money,
    stats: OutboxStats,
    now: datetime,
) -> OfflineDecision:
    """Allow the sale offline or raise `OfflineRefused` with the reason."""
    later = _("Try again when the connection is back.")
    if policy is None:
        raise OfflineRefused(
            _("This terminal has not received an offline policy from the server yet, so it "
            "cannot sell offline."), code="OFFLINE_NO_POLICY", hint=later)
    if not policy.offline_allowed:
        raise OfflineRefused(_("The utility does not allow offline sales on this terminal."),
                             code="OFFLINE_NOT_ALLOWED", hint=later)
    if meter is None:
        raise OfflineRefused(
            _("This meter has not been seen on this terminal before, so the customer cannot be "
            "confirmed offline."), code="OFFLINE_UNKNOWN_METER", hint=later)
    refuse = policy.refuse
    if meter.blocked:
        raise OfflineRefused(_("This meter is blocked; it cannot be sold offline."),
                             code="OFFLINE_BLOCKED", hint=later)
    if "arrears" in refuse and meter.arrears.minor > 0:
        raise OfflineRefused(
            _("This customer has arrears ({arrears}); the server must work out the debt "
            "recovery.").format(arrears=meter.arrears), code="OFFLINE_ARREARS", hint=later)
    if "key_change" in refuse and meter.key_change_due:
        raise OfflineRefused(_("This meter has a key change pending; it needs the server."),
                             code="OFFLINE_KEY_CHANGE", hint=later)
    if "fbe" in refuse and meter.fbe_due:
        raise OfflineRefused(_("Free basic electricity is due on this meter; it needs the server."),
                             code="OFFLINE_FBE", hint=later)
    if amount.currency != policy.max_sale.currency:
        raise OfflineRefused(_("Offline sales must be in {currency}.")
            .format(currency=policy.max_sale.currency),
                             code="OFFLINE_CURRENCY")
    minimum, maximum = policy.sale_minimum, policy.sale_maximum
    if minimum is not None and minimum.currency == amount.currency and \
            amount.minor < minimum.minor:
        # The server refuses it (AMOUNT_OUT_OF_RANGE) when it syncs: refuse it now, while the
        # customer is still at the counter.
        raise OfflineRefused(
            _("The smallest sale the server accepts is {minimum}; {amount} cannot be sold.")
                .format(minimum=minimum, amount=amount),
            code="OFFLINE_MIN_SALE", hint=_("Sell at least {minimum}.").format(minimum=minimum))
    if maximum is not None and maximum.currency == amount.currency and \
            amount.minor > maximum.minor:
        raise OfflineRefused(
            _("The largest sale the server accepts is {maximum}; {amount} cannot be sold.")
                .format(maximum=maximum, amount=amount),
            code="OFFLINE_ABOVE_MAXIMUM", hint=_("Sell at most {maximum}.").format(maximum=maximum))
    if amount.minor > policy.max_sale.minor:
        raise OfflineRefused(
            _("Offline sales are limited to {max_sale} each.").format(max_sale=policy.max_sale),
            code="OFFLINE_MAX_SALE",
            hint=_("Sell a smaller amount, or wait for the connection."))
    if stats.pending_count + 1 > policy.max_count:
        raise OfflineRefused(
            ngettext("{n} offline sale is already waiting (limit {limit}).",
                     "{n} offline sales are already waiting (limit {limit}).",
                     stats.pending_count).format(n=stats.pending_count, limit=policy.max_count),
            code="OFFLINE_MAX_COUNT", hint=later)
    if stats.pending_value_minor + amount.minor > policy.max_total.minor:
        raise OfflineRefused(
            _("The offline sales waiting would exceed {max_total} in total.")
                .format(max_total=policy.max_total),
            code="OFFLINE_MAX_TOTAL", hint=later)
    warning = ""
    if stats.oldest_pending_at is not None:
        age = now - _parse_time(stats.oldest_pending_at)
        if age >= timedelta(hours=policy.refuse_after_hours):
            raise OfflineRefused(
                ngettext("The oldest offline sale has waited more than {n} hour; no more "
                         "offline sales until it is synced.",
                         "The oldest offline sale has waited more than {n} hours; no more "
                         "offline sales until it is synced.",
                         policy.refuse_after_hours).format(n=policy.refuse_after_hours),
                code="OFFLINE_TOO_OLD", hint=later)
        if age >= timedelta(hours=policy.warn_after_hours):
            warning = ngettext(
                "Offline sales have been waiting more than {n} hour; connect to the server soon.",
                "Offline sales have been waiting more than {n} hours; connect to the server "
                "soon.", policy.warn_after_hours).format(n=policy.warn_after_hours)
    return OfflineDecision(warning)


def month_fixed_charges(charges_minor: Sequence[int], *, prices_include_vat: bool,
                        vat_rate: Decimal) -> int:
    """The month's fixed charges as the server takes them from a purchase (VAT-inclusive,
    each charge rounded half up to a cent, as docs/api.md §6 prices them)."""
    if prices_include_vat:
        return sum(charges_minor)
    factor = (Decimal(100) + vat_rate) / Decimal(100)
    return sum(int((Decimal(c) * factor).quantize(Decimal(1), ROUND_HALF_UP))
               for c in charges_minor)


def check_fixed_charges(amount: Money, fixed_minor: int) -> None:
    """Refuse an offline sale that the month's fixed charges would swallow: the server takes
    them first when it prices the sale, finds nothing left for units, and rejects it at sync
    (AMOUNT_OUT_OF_RANGE) after the customer left with a pending slip. Offline the terminal
    cannot know whether they were paid this month already, so it assumes they are due."""
    if fixed_minor <= 0 or amount.minor > fixed_minor:
        return
    least = Money(fixed_minor + 1, amount.currency)
    raise OfflineRefused(
        _("Offline, {amount} does not cover this month's fixed charges "
        "({charges}); the server would refuse it. "
        "The smallest offline sale for this meter is {least}.")
            .format(amount=amount, charges=Money(fixed_minor, amount.currency), least=least),
        code="OFFLINE_BELOW_FIXED_CHARGES",
        hint=_("Sell at least {least}, or wait for the connection.").format(least=least))
