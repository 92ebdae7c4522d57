from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import SETTINGS, Settings, describe_settings
from common.errors import ConfigError


def test_defaults_are_valid_for_their_own_declaration() -> None:
    settings = Settings()
    for s in SETTINGS:
        assert s.validate(settings[s.key]) == s.default
        assert s.description


def test_file_values_override_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[server]\nurl = "https://vend.example"\nread_timeout = 30\n')
    settings = Settings.load(path)
    assert settings["server.url"] == "https://vend.example"
    assert settings["server.read_timeout"] == 30
    assert settings["printer.columns"] == 48


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        ('[printer]\ncolumns = 40\n', "'printer.columns'"),
        ('[printer]\ncolumns = 40\n', "one of 32, 42, 48"),
        ('[server]\nread_timeout = "20"\n', "a whole number from 1 to 120"),
        ('[server]\nread_timeout = 0\n', "'server.read_timeout'"),
        ('[log]\njson = 1\n', "true or false"),
        ('[server]\nurl = "ftp://x"\n', "http:// or https://"),
        ('[nonsense]\nthing = 1\n', "Unknown setting 'nonsense.thing'"),
        ('[server\n', "not valid TOML"),
    ],
)
def test_bad_values_name_the_key_and_what_is_allowed(
    tmp_path: Path, toml: str, fragment: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as info:
        Settings.load(path)
    assert fragment in str(info.value)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.toml"
    settings = Settings({"server.url": 'https://a"b', "log.json": True, "printer.columns": 32})
    settings.save(path)
    again = Settings.load(path)
    assert again.as_dict() == settings.as_dict()


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert Settings.load(tmp_path / "nope.toml").as_dict() == Settings().as_dict()


def test_describe_lists_every_setting() -> None:
    text = describe_settings()
    for s in SETTINGS:
        assert s.key in text


def test_a_copy_keeps_which_settings_were_given() -> None:
    # The Settings dialog edits a copy: what was left to follow the utility must stay so.
    original = Settings({"server.url": "http://127.0.0.1:8080"})
    copy = original.copy()
    copy.set("printer.columns", 32)
    assert copy.is_given("server.url") and copy.is_given("printer.columns")
    assert not copy.is_given("ui.language") and not copy.is_given("ui.locale")
    assert not original.is_given("printer.columns")
