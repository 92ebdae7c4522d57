"""The till shows, prints and reads amounts in its terminal locale (`ui.locale`), and keeps
the utility's business day in the utility's zone from the terminal facts."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.settings import Settings
from app.till.locale import terminal_language, terminal_locale
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


def _in_abidjan(activation: dict[str, Any]) -> dict[str, Any]:
    raw = copy.deepcopy(activation)
    raw.setdefault("utility", {}).update(
        {"language": "fr", "locale": "fr_CI", "time_zone": "Africa/Abidjan"})
    return raw


def test_a_terminal_left_at_its_defaults_follows_the_utilitys_language_and_locale(
        env: Env) -> None:
    core = env.core(terminal=_in_abidjan(env.activation))
    try:
        assert core.till.language == "fr"
        assert display_locale() == "fr_CI"
        assert core.till.supervisor.terminal.amount_format.decimal == ","
        # Receipts are the customer's: the terminal's language unless set on their own.
        assert core.till.documents.customer_language() == "fr"
    finally:
        core.close()
        set_display_locale("en")


def test_settings_given_win_over_the_utility_even_when_they_are_the_defaults(
        env: Env, tmp_path: Path) -> None:
    given = Settings({"ui.language": "en", "ui.locale": "en_ZA", "receipt.language": "pt"})
    core = env.core(terminal=_in_abidjan(env.activation), settings=given)
    try:
        assert core.till.language == "en"
        assert display_locale() == "en_ZA"
        assert core.till.documents.customer_language() == "pt"
    finally:
        core.close()
        set_display_locale("en")
    # Saved and read back, a language set to the default is still set (not the utility's).
    path = tmp_path / "settings.toml"
    given.save(path)
    again = Settings.load(path)
    assert again.is_given("ui.language") and again.is_given("ui.locale")
    assert not Settings.load(tmp_path / "none.toml").is_given("ui.language")


def test_a_language_or_locale_the_client_cannot_use_is_ignored() -> None:
    raw = {"utility": {"language": "sw", "locale": "xx_YY"}}
    assert terminal_language(Settings({}), raw) == "en"
    assert terminal_locale(Settings({}), raw) == "en_ZA"
    assert terminal_language(Settings({}), {}) == "en"
