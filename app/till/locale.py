"""The terminal's language and locale: the settings where given, else the utility's.

A utility's server names its customer-facing language and counter locale in the terminal facts
(`utility.language`, `utility.locale`); a terminal whose settings leave `ui.language` /
`ui.locale` unset follows them, so a till activated in Abidjan speaks French and writes
"12 500 XOF" without anyone touching Settings. A value given in the settings (file, command
line, the Settings dialog) always wins, and a value the client cannot use (a language it has
no catalog for, a locale Babel does not know) is ignored in favour of the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from common.amounts import amount_format
from common.i18n import LANGUAGES


def _utility(raw: Mapping[str, Any] | None) -> Mapping[str, Any]:
    utility = (raw or {}).get("utility") or {}
    return utility if isinstance(utility, Mapping) else {}


def terminal_language(settings: Any, raw: Mapping[str, Any] | None) -> str:
    """The terminal's language: `ui.language` if given, else the utility's if VendPoint
    speaks it, else the default."""
    if settings.is_given("ui.language"):
        return str(settings["ui.language"])
    lang = str(_utility(raw).get("language") or "")
    return lang if lang in LANGUAGES else str(settings["ui.language"])


def terminal_locale(settings: Any, raw: Mapping[str, Any] | None) -> str:
    """The terminal's locale: `ui.locale` if given, else the utility's if it is a locale
    whose numbers can be read, else the default."""
    if settings.is_given("ui.locale"):
        return str(settings["ui.locale"])
    locale = str(_utility(raw).get("locale") or "")
    if locale:
        try:
            amount_format(locale)
        except ValueError:
            locale = ""
    return locale or str(settings["ui.locale"])


def customer_language(settings: Any, raw: Mapping[str, Any] | None) -> str:
    """The receipts' language: `receipt.language` if set, else the terminal's."""
    return str(settings["receipt.language"] or "") or terminal_language(settings, raw)
