"""Declarative, typed application settings.

Every setting is declared once in `SETTINGS` with its type, default, allowed values and a
description. Values come from a TOML file in the platform config dir (or `--config PATH`);
command-line flags override the file. A bad value names the key and what is allowed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from app.version import APP_ID
from common.amounts import AMOUNT_FORMATS
from common.errors import ConfigError
from common.files import replace_file
from common.i18n import _


@dataclass(frozen=True)
class Setting:
    """One declared setting: dotted key, type, default, description, optional validator."""

    key: str
    type: type
    default: Any
    description: str
    choices: tuple[Any, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)

    def allowed(self) -> str:
        """Describe the allowed values for an error message."""
        if self.choices:
            return _("one of {choices}").format(
                choices=", ".join(repr(c) for c in self.choices))
        kind = {bool: _("true or false"), int: _("a whole number"), str: _("text")}.get(
            self.type, self.type.__name__
        )
        if self.minimum is not None and self.maximum is not None:
            return _("{kind} from {minimum} to {maximum}").format(
                kind=kind, minimum=self.minimum, maximum=self.maximum)
        if self.minimum is not None:
            return _("{kind} of at least {minimum}").format(kind=kind, minimum=self.minimum)
        return kind

    def validate(self, value: Any) -> Any:
        """Return `value` if it is allowed for this setting, else raise ConfigError."""
        # bool is an int in Python; do not let `true` pass as a number or 1 as a flag.
        ok_type = type(value) is self.type or (self.type is float and type(value) is int)
        if not ok_type:
            raise ConfigError(
                _("Setting '{key}' has the value {value!r}, but it must be {allowed}.")
                    .format(key=self.key, value=value, allowed=self.allowed())
            )
        if self.choices and value not in self.choices:
            raise ConfigError(
                _("Setting '{key}' has the value {value!r}, but it must be {allowed}.")
                    .format(key=self.key, value=value, allowed=self.allowed())
            )
        if self.minimum is not None and value < self.minimum:
            raise ConfigError(
                _("Setting '{key}' is {value!r}, but it must be {allowed}.")
                    .format(key=self.key, value=value, allowed=self.allowed())
            )
        if self.maximum is not None and value > self.maximum:
            raise ConfigError(
                _("Setting '{key}' is {value!r}, but it must be {allowed}.")
                    .format(key=self.key, value=value, allowed=self.allowed())
            )
        if self.check is not None:
            problem = self.check(value)
            if problem:
                raise ConfigError(_("Setting '{key}' is {value!r}: {problem}")
                    .format(key=self.key, value=value, problem=problem))
        return value


def _check_url(value: str) -> str | None:
    if value and not value.startswith(("http://", "https://")):
        return "it must start with http:// or https://"
    return None


SETTINGS: tuple[Setting, ...] = (
    Setting("server.url", str, "", "Base URL of the central vending API (empty: not set up).",
            check=_check_url),
    Setting("server.connect_timeout", int, 5, "Seconds to wait for a connection to the server.",
            minimum=1, maximum=60),
    Setting("server.read_timeout", int, 8,
            "Seconds of silence allowed between two parts of the server's answer.",
            minimum=1, maximum=120),
    Setting("server.call_deadline", int, 9,
            "Seconds one call to the server may take in all, connecting and the whole answer "
            "(however slowly it trickles in). A sale attempt is a sale and at most one "
            "look-up of the same sale, so the cashier knows within about twice this.",
            minimum=2, maximum=120),
    Setting("server.batch_deadline", int, 30,
            "Seconds one upload of up to 200 offline sales may take in all.",
            minimum=5, maximum=600),
    Setting("server.cert_sha256", str, "",
            "Optional certificate pin: SHA-256 of the server certificate (hex)."),
    Setting("server.backend", str, "rest",
            "Which protocol the vending server speaks: the reference REST API, or XMLVend 2.1 "
            "SOAP (docs/xmlvend.md).", choices=("rest", "xmlvend")),
    Setting("xmlvend.url", str, "", "XMLVend: the SOAP endpoint's URL.", check=_check_url),
    Setting("xmlvend.client_ean", str, "", "XMLVend: this client's EAN (clientID)."),
    Setting("xmlvend.terminal_id", str, "", "XMLVend: this terminal's id (terminalID)."),
    Setting("xmlvend.operator", str, "", "XMLVend: the operator name sent in authCred."),
    Setting("xmlvend.currency", str, "ZAR",
            "XMLVend: the server's currency (the symbols on the wire are not reliable)."),
    Setting("xmlvend.soap_version", str, "1.1", "XMLVend: SOAP version of the requests.",
            choices=("1.1", "1.2")),
    Setting("xmlvend.soap_action", str, "",
            "XMLVend: the SOAPAction header: empty, 'none' (no header), 'operation' (the "
            "request's name) or a fixed value."),
    Setting("xmlvend.reused_msgid", str, "replay",
            "XMLVend: what the server does with a msgID it has seen: 'replay' (returns the "
            "first answer) or 'refuse'.", choices=("replay", "refuse")),
    Setting("xmlvend.ca_bundle", str, "",
            "XMLVend: CA certificate file to verify the server with (empty: the system's)."),
    Setting("xmlvend.client_cert", str, "",
            "XMLVend: client certificate file (PEM) for mutual TLS (empty: none)."),
    Setting("xmlvend.client_key", str, "", "XMLVend: the client certificate's key file."),
    Setting("xmlvend.reversal_advice", bool, False,
            "XMLVend: the server reverses sales on reversal advice (many do not)."),
    Setting("xmlvend.confirm_advice", bool, False,
            "XMLVend: send confirmation advice after each tokened sale."),
    Setting("xmlvend.server_reprint", bool, True,
            "XMLVend: reprint from the server's copy (reprintReq) when it has the receipt."),
    Setting("xmlvend.demo_personality", str, "hexing",
            "XMLVend demo: which real server the reference server imitates.",
            choices=("hexing", "conlog")),
    Setting("ui.language", str, "en",
            "The terminal's language: of the screens and messages until an operator picks "
            "their own at sign-in (not set: the utility's language from the terminal facts).",
            choices=("en", "fr", "pt")),
    Setting("receipt.language", str, "",
            "Language of the receipts, the customer's (empty: the terminal's ui.language).",
            choices=("", "en", "fr", "pt")),
    Setting("ui.locale", str, "en_ZA",
            "Terminal locale: how amounts and numbers are shown, printed and typed (CLDR's "
            "decimal point or comma, grouping, the currency code before or after the number); "
            "amounts that could be read two ways are refused (not set: the utility's locale "
            "from the terminal facts).",
            choices=tuple(AMOUNT_FORMATS)),
    Setting("ui.idle_lock_minutes", int, 5,
            "Lock the till after this many idle minutes (0 = never).", minimum=0, maximum=240),
    Setting("ui.quick_amounts", str, "20,50,100,200,500",
            "Quick-amount keys on the sale screen, comma separated, in major currency units."),
    Setting("printer.connection", str, "none", "How the receipt printer is connected.",
            choices=("none", "network", "usb", "serial", "file", "cups", "windows")),
    Setting("printer.address", str, "",
            "Printer address: host:port, USB vid:pid, serial device, file path, CUPS queue or "
            "Windows printer name."),
    Setting("printer.columns", int, 48,
            "Characters per line: 32 for 58 mm paper, 42 or 48 for 80 mm.",
            choices=(32, 42, 48)),
    Setting("printer.profile", str, "default",
            "python-escpos capabilities profile of the printer (code pages, cutter), "
            "e.g. TM-T20II; 'default' suits most ESC/POS printers."),
    Setting("printer.code_page", str, "",
            "ESC/POS code page receipts are printed in, e.g. CP858 (French, Portuguese) or "
            "CP860; empty: chosen per character from the printer profile's tables."),
    Setting("printer.qr_code", bool, False,
            "Print the meter and tokens as a QR code (an image where the printer has no QR)."),
    Setting("printer.logo", str, "", "Image file printed at the top of receipts (empty: none)."),
    Setting("printer.cash_drawer", str, "none",
            "Cash drawer on the printer's drawer port: opened after a cash sale's receipt.",
            choices=("none", "pin2", "pin5")),
    Setting("printer.drawer_pulse_ms", int, 100,
            "How long the drawer's opening pulse lasts.", minimum=10, maximum=510),
    Setting("log.json", bool, False, "Write the log file as JSON lines."),
    Setting("log.level", str, "INFO", "Least important log level written.",
            choices=("DEBUG", "INFO", "WARNING", "ERROR")),
)

_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def default_config_path() -> Path:
    """The settings file in the platform's config directory."""
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False)) / "settings.toml"


def default_data_dir() -> Path:
    """The platform's per-user data directory (store, logs)."""
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, Any]) -> None:
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            _flatten(key + ".", value, out)
        else:
            out[key] = value


FOLLOW_THE_UTILITY = frozenset({"ui.language", "ui.locale"})
"""Settings that, left unset, follow the utility's terminal facts (its language, its locale);
set, even to their default, they are kept as set."""


class Settings:
    """Validated setting values; read with `settings["server.url"]`."""

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self._values: dict[str, Any] = {s.key: s.default for s in SETTINGS}
        #: the keys given a value (file, command line, Settings dialog), not left at default
        self._given: set[str] = set()
        for key, value in (values or {}).items():
            self.set(key, value)

    def __getitem__(self, key: str) -> Any:
        if key not in _BY_KEY:
            raise KeyError(key)
        return self._values[key]

    def set(self, key: str, value: Any) -> None:
        """Validate and store one value; an unknown key is a ConfigError naming it."""
        setting = _BY_KEY.get(key)
        if setting is None:
            known = ", ".join(sorted(_BY_KEY))
            raise ConfigError(_("Unknown setting '{key}'. Known settings: {known}.")
                .format(key=key, known=known))
        self._values[key] = setting.validate(value)
        self._given.add(key)

    def is_given(self, key: str) -> bool:
        """True if `key` was given a value rather than left at its default: a terminal's
        language and locale left at their defaults follow the utility's."""
        return key in self._given

    def copy(self) -> Settings:
        """The same values, and the same keys given: a copy to edit (the Settings dialog's)
        still follows the utility where this one does."""
        other = Settings()
        other._values = dict(self._values)
        other._given = set(self._given)
        return other

    def as_dict(self) -> dict[str, Any]:
        """All values by key (a copy)."""
        return dict(self._values)

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read a TOML file; a missing file gives the defaults."""
        if not path.exists():
            return cls()
        try:
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(_("The settings file {path} is not valid TOML: {exc}.")
                .format(path=path, exc=exc)) from exc
        except OSError as exc:
            raise ConfigError(_("The settings file {path} cannot be read: {strerror}.")
                .format(path=path, strerror=exc.strerror)) from exc
        flat: dict[str, Any] = {}
        _flatten("", raw, flat)
        return cls(flat)

    def save(self, path: Path) -> None:
        """Write the non-default values as TOML, atomically."""
        groups: dict[str, dict[str, Any]] = {}
        for key, value in self._values.items():
            if value == _BY_KEY[key].default and not (
                    key in FOLLOW_THE_UTILITY and key in self._given):
                continue
            section, _dot, name = key.partition(".")
            groups.setdefault(section, {})[name] = value
        lines: list[str] = []
        for section, items in groups.items():
            lines.append(f"[{section}]")
            for name, value in items.items():
                lines.append(f"{name} = {_toml_value(value)}")
            lines.append("")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines), encoding="utf-8")
        replace_file(tmp, path)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def describe_settings() -> str:
    """A plain-text table of every setting, for `--help-settings` and the docs."""
    rows = []
    for s in SETTINGS:
        rows.append(f"{s.key} ({s.allowed()}; default {s.default!r})\n    {s.description}")
    return "\n".join(rows)
