"""Token notifications go out through SMTP when one is configured."""

from __future__ import annotations

import socketserver
import threading
import uuid
from email import message_from_bytes

import httpx

from vendserver.mailer import SmtpConfig
from vendserver.testing import running_server


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept one message per connection."""

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        data: list[bytes] = []
        in_data = False
        for line in self.rfile:
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    self.server.messages.append(b"".join(data))  # type: ignore[attr-defined]
                    self.wfile.write(b"250 queued\r\n")
                    self.server.got.set()  # type: ignore[attr-defined]
                else:
                    data.append(line)
                continue
            cmd = line[:4].upper()
            if cmd == b"EHLO" or cmd == b"HELO":
                self.wfile.write(b"250 test\r\n")
            elif cmd == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif cmd == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_email_notification_is_sent(tmp_path):
    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    smtp.messages = []  # type: ignore[attr-defined]
    smtp.got = threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=smtp.serve_forever, daemon=True).start()
    try:
        config = SmtpConfig("127.0.0.1", smtp.server_address[1], "tokens@example.org")
        with running_server(tmp_path, smtp=config) as srv:
            act = srv.activate()
            drn = srv.meter("notify")["meter_number"]
            r = httpx.post(f"{srv.base_url}/v1/sales", json={
                "meter_number": drn, "amount": {"amount": "80.00", "currency": "ZAR"},
                "notify": ["email"]}, headers=srv.headers(act["credential"], "thandi",
                                                          str(uuid.uuid4())))
            sale = r.json()
            assert sale["notifications"][0]["status"] == "queued"
            assert smtp.got.wait(30)  # type: ignore[attr-defined]
            assert srv.service.wait_idle()
            row = srv.service.store.outbox()[0]
            assert row["status"] == "sent" and row["sent_at"]
        msg = message_from_bytes(smtp.messages[0])  # type: ignore[attr-defined]
        assert msg["To"] == "ayesha.patel@example.org"
        assert sale["receipt_no"] in msg["Subject"]
        assert sale["tokens"][0]["display"] in msg.get_payload()
    finally:
        smtp.shutdown()
        smtp.server_close()
