"""Sends the e-mails of the notification outbox through SMTP, one worker thread.

Sales write their notifications to the outbox in the sale's transaction; with an SMTP relay
configured, e-mail rows are `queued` and this worker sends them and marks them `sent` or
`failed`. Without one, rows are only `recorded` (SMS always are: no SMS gateway here).
"""

from __future__ import annotations

import logging
import queue
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from vendserver.db import Store

log = logging.getLogger("vendserver.mailer")


@dataclass(frozen=True)
class SmtpConfig:
    """Where to send e-mail notifications (none = record them only)."""

    host: str
    port: int
    sender: str


class Mailer:
    """The outbox's e-mail sender."""

    def __init__(self, store: Store, smtp: SmtpConfig | None, now: Callable[[], str]) -> None:
        self.store = store
        self.smtp = smtp
        self._now = now
        self._queue: queue.Queue[int | threading.Event | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker; re-queue e-mails a restart left unsent."""
        self._thread = threading.Thread(target=self._loop, name="vendserver-mail", daemon=True)
        self._thread.start()
        if self.smtp:
            for item in self.store.outbox("queued"):
                self.put(int(item["id"]))

    def stop(self) -> None:
        """Stop after the e-mails already queued."""
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=15)
            self._thread = None

    def put(self, outbox_id: int) -> None:
        """Queue an outbox row for sending."""
        self._queue.put(outbox_id)

    def mark(self) -> threading.Event:
        """An event set once every e-mail queued before this call is handled."""
        done = threading.Event()
        self._queue.put(done)
        return done

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if isinstance(item, threading.Event):
                item.set()
                continue
            self._send(item)

    def _send(self, outbox_id: int) -> None:
        if self.smtp is None:
            return
        rows = [r for r in self.store.outbox("queued") if int(r["id"]) == outbox_id]
        if not rows:
            return
        row = rows[0]
        msg = EmailMessage()
        msg["From"] = self.smtp.sender
        msg["To"] = row["recipient"]
        msg["Subject"] = f"Your prepaid tokens, receipt {row['receipt_no']}"
        msg.set_content(row["body"])
        try:
            with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=10) as client:
                client.send_message(msg)
            self.store.mark_outbox(outbox_id, "sent", self._now(), None)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("e-mail for receipt %s failed: %s", row["receipt_no"], exc)
            self.store.mark_outbox(outbox_id, "failed", None, type(exc).__name__)
