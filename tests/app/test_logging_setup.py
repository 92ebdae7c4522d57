from __future__ import annotations

import json
import logging
from pathlib import Path

from app.logging_setup import mask_secrets, setup_logging


def test_tokens_and_pins_are_masked() -> None:
    text = mask_secrets("token 66493961688496658576 and 5938 6323 4721 3742 6967 pin=1234")
    assert "66493961688496658576" not in text
    assert "6649 **** **** **** 8576" in text
    assert "5938 **** **** **** 6967" in text
    assert "1234" not in text


def test_meter_numbers_are_not_masked() -> None:
    assert mask_secrets("meter 14339800360") == "meter 14339800360"


def test_json_log_file_masks_tokens(tmp_path: Path) -> None:
    setup_logging(tmp_path, json_lines=True)
    try:
        logging.getLogger("vendpoint.test").warning("sold %s", "66493961688496658576")
        for handler in logging.getLogger().handlers:
            handler.flush()
        lines = (tmp_path / "vendpoint.log").read_text().splitlines()
        entry = json.loads(lines[-1])
        assert entry["logger"] == "vendpoint.test"
        assert entry["message"] == "sold 6649 **** **** **** 8576"
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "_vendpoint", False):
                root.removeHandler(handler)
                handler.close()
