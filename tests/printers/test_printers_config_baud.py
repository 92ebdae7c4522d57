"""A serial address with baud rate 0 is a configuration error, not a printer that never prints.

Found fuzzing `config_from_settings`: "/dev/ttyUSB0@0" was accepted.
"""

from __future__ import annotations

import pytest

from common.errors import ConfigError
from printers.config import config_from_settings
from printers.connections import SerialConfig


@pytest.mark.parametrize("address", ["/dev/ttyUSB0@0", "COM3@00", "/dev/ttyS0@99999999"])
def test_impossible_baud_rates_are_refused(address: str) -> None:
    with pytest.raises(ConfigError, match="baud"):
        config_from_settings("serial", address)


def test_usual_baud_rates_still_work() -> None:
    assert config_from_settings("serial", "/dev/ttyS0@115200") == SerialConfig("/dev/ttyS0",
                                                                                115200)
