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


_TOKEN = "66493961688496658576"
_CREDENTIAL = "vpt_Zm9vYmFyYmF6cXV4c2VjcmV0Y3JlZGVudGlhbA"


def _written(tmp_path: Path, *, json_lines: bool, emit) -> str:
    setup_logging(tmp_path, json_lines=json_lines)
    try:
        emit(logging.getLogger("vendpoint.test"))
        for handler in logging.getLogger().handlers:
            handler.flush()
        return (tmp_path / "vendpoint.log").read_text(encoding="utf-8")
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "_vendpoint", False):
                root.removeHandler(handler)
                handler.close()


def _fail_with_secrets() -> None:
    try:
        raise KeyError(f"credential {_CREDENTIAL}")
    except KeyError as inner:
        raise RuntimeError(f"token {_TOKEN} refused; Authorization: Bearer {_CREDENTIAL}") \
            from inner


def test_secrets_inside_a_traceback_are_masked_in_text_and_json(tmp_path: Path) -> None:
    def emit(log: logging.Logger) -> None:
        try:
            _fail_with_secrets()
        except RuntimeError:
            log.exception("sale failed for %s", _CREDENTIAL)
        log.warning("stack here", stack_info=True)

    for json_lines in (False, True):
        folder = tmp_path / str(json_lines)
        text = _written(folder, json_lines=json_lines, emit=emit)
        assert "RuntimeError" in text and "KeyError" in text  # the traceback is written
        assert _TOKEN not in text and _CREDENTIAL not in text
        assert "vpt_***" in text and "6649 **** **** **** 8576" in text


def test_credentials_bearer_and_secret_fields_are_masked() -> None:
    text = mask_secrets(f"Bearer abc.def-123 {_CREDENTIAL} passphrase='correct horse' "
                        "activation_code=ACT-1234 key_id=tsk-1 code=UNKNOWN_METER")
    assert "abc.def-123" not in text and _CREDENTIAL not in text
    assert "correct" not in text and "ACT-1234" not in text
    assert "key_id=tsk-1" in text and "code=UNKNOWN_METER" in text  # ids are not secrets


def test_rotation_while_another_process_holds_the_log_loses_nothing(
        tmp_path, monkeypatch, capsys) -> None:
    import os

    from app.logging_setup import SharedRotatingFileHandler

    path = tmp_path / "vendpoint.log"
    held = {str(path)}
    real_rename = os.rename

    def windows_rename(src, dst):  # Windows: a file open in another process cannot move
        if str(src) in held:
            raise PermissionError(32, "The process cannot access the file", str(src))
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", windows_rename)
    handler = SharedRotatingFileHandler(path, max_bytes=300, backup_count=2, retry_s=0.0)
    logger = logging.getLogger("vendpoint.test.rotation")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for n in range(40):
            logger.warning("record %03d", n)
        assert handler.rotation_failures > 0
        text = path.read_text(encoding="utf-8")
        assert all(f"record {n:03d}" in text for n in range(40))  # kept writing, in the file
        assert not (tmp_path / "vendpoint.log.1").exists()
        held.clear()  # the other process let go: the next record rotates
        logger.warning("after release")
        assert (tmp_path / "vendpoint.log.1").exists()
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert "Logging error" not in capsys.readouterr().err
