"""Logging: named loggers per component, a rotating file in the data dir, stderr, optional JSON.

Secrets are never logged on purpose; `SecretFilter` is the safety net that masks anything that
looks like a 20-digit token, a terminal credential, a bearer header or a PIN/key field if it
slips into what is written: the message with its arguments, the formatted exception (its text
and every chained one) and the stack. Crash reports (`ui.crash`) are written through the same
masking.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import re
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

_TOKEN_RE = re.compile(r"(?<!\d)(\d{4})[ -]?(?:\d{4}[ -]?){3}(\d{4})(?!\d)")
_SECRET_FIELD_RE = re.compile(
    r"(?i)\b(pin|password|passphrase|credential|key|secret|activation[_ ]code)\b"
    r"(['\"]?\s*[=:]\s*['\"]?)"
    r"[^\s'\",;)}\]]+")
#: terminal credentials as the server issues them, wherever they appear
_CREDENTIAL_RE = re.compile(r"\bvpt_[A-Za-z0-9_\-]+")
_BEARER_RE = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=\-]+")


def mask_secrets(text: str) -> str:
    """Mask 20-digit tokens (keep first and last group), terminal credentials, bearer values
    and `pin=...`-style values."""
    text = _TOKEN_RE.sub(lambda m: f"{m.group(1)} **** **** **** {m.group(2)}", text)
    text = _CREDENTIAL_RE.sub("vpt_***", text)
    text = _BEARER_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    return _SECRET_FIELD_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


def masked_traceback(exc: BaseException) -> str:
    """The formatted traceback of `exc` with its chain, secrets masked (crash reports)."""
    return mask_secrets("".join(traceback.format_exception(exc)).rstrip())


_EXCEPTIONS = logging.Formatter()


class SecretFilter(logging.Filter):
    """Masks everything a record will write: the message with its arguments, the formatted
    exception (kept as `exc_text`, which every formatter prints instead of formatting it
    again) and the stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _EXCEPTIONS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, exception text."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_secrets(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = mask_secrets(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


class SharedRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that keeps writing when it cannot rotate.

    On Windows a file another process holds open (a second VendPoint, an editor, a log
    shipper, an antivirus scan) cannot be renamed or deleted: the standard handler then fails
    on every record. This one keeps appending to the current file and tries the rotation
    again after `retry_s`, so the log grows past `maxBytes` for a while but nothing is lost.
    """

    def __init__(self, filename: Path, *, max_bytes: int, backup_count: int,
                 retry_s: float = 60.0) -> None:
        super().__init__(filename, maxBytes=max_bytes, backupCount=backup_count,
                         encoding="utf-8")
        self.retry_s = retry_s
        self._retry_at = 0.0
        self.rotation_failures = 0

    def shouldRollover(self, record: logging.LogRecord) -> int:
        if time.monotonic() < self._retry_at:
            return 0
        return super().shouldRollover(record)

    def doRollover(self) -> None:
        try:
            super().doRollover()
        except PermissionError:  # held by another process: keep the current file for now
            self.rotation_failures += 1
            self._retry_at = time.monotonic() + self.retry_s
            if self.stream is None:  # the standard rollover closed it before renaming
                self.stream = self._open()


def setup_logging(log_dir: Path | None, *, json_lines: bool = False, level: str = "INFO") -> None:
    """Configure the root `vendpoint` logger: stderr plus a rotating file when `log_dir` is set."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_vendpoint", False):
            root.removeHandler(handler)
    text_format = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    handlers[0].setFormatter(JsonFormatter() if json_lines else text_format)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        file_handler = SharedRotatingFileHandler(
            log_dir / "vendpoint.log", max_bytes=5_000_000, backup_count=5)
        file_handler.setFormatter(JsonFormatter() if json_lines else text_format)
        handlers.append(file_handler)
    for handler in handlers:
        handler.addFilter(SecretFilter())
        handler._vendpoint = True  # type: ignore[attr-defined]
        root.addHandler(handler)
