"""The till shows, prints and reads amounts in its terminal locale (`ui.locale`), and keeps
the utility's business day in the utility's zone from the terminal facts."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.settings import Settings
from common.money import Money, display_locale, format_money, set_display_locale
from tests.reliability.harness import Env


def test_the_till_sets_the_display_locale_from_its_setting(env: Env) -> None:
    core = env.core(settings=Settings({"ui.locale": "fr_CI"}))
    try:
        assert display_locale() == "fr_CI"
        assert format_money(Money(-12500000, "XOF")) == "-12 500 000 XOF"
        context = core.till.supervisor.terminal
        assert (context.amount_format.decimal, context.amount_format.group) == (",", " ")
        # The demo utility names its IANA zone; both the till and the reports use it.
        assert str(core.till.zone) == "Africa/Johannesburg"
        assert str(context.zone) == "Africa/Johannesburg"
        assert core.till.zone.utcoffset(datetime(2026, 7, 1)) == timedelta(hours=2)
        assert core.till.today() == []
    finally:
        core.close()
        set_display_locale("en")


def test_the_default_locale_keeps_the_house_format(env: Env) -> None:
    core = env.core()
    try:
        assert display_locale() == "en_ZA"
        assert str(Money(123450, "ZAR")) == "ZAR 1,234.50"
        assert str(Money(-7000, "ZAR")) == "ZAR -70.00"
    finally:
        core.close()
        set_display_locale("en")
