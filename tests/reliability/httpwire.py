"""HTTP/1.1 framing on raw sockets for the fault proxy: read one message, know where it ends,
and the bodies of the answers the proxy makes up itself (error pages, a captive portal, an
oversized or too deeply nested JSON answer).

Only what the vending API uses is supported: `Content-Length` bodies, chunked bodies and
bodies that end with the connection.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

_MAX_HEAD = 64 * 1024


class ConnectionEnded(Exception):
    """The peer closed (or reset) the connection before a whole message arrived."""


@dataclass
class Message:
    """One HTTP message as raw bytes: the head (start line and headers, with the blank line)
    and the body as it came on the wire (chunk framing kept)."""

    head: bytes
    body: bytes

    @property
    def start_line(self) -> bytes:
        """b"POST /v1/sales HTTP/1.1" or b"HTTP/1.1 200 OK"."""
        return self.head.split(b"\r\n", 1)[0]

    @property
    def wire(self) -> bytes:
        """The message exactly as it is sent."""
        return self.head + self.body

    def header(self, name: bytes) -> bytes | None:
        """A header's value (first one, case-insensitive), or None."""
        wanted = name.lower()
        for line in self.head.split(b"\r\n")[1:]:
            key, sep, value = line.partition(b":")
            if sep and key.strip().lower() == wanted:
                return value.strip()
        return None


class Reader:
    """Reads whole HTTP messages from a socket, keeping what arrived beyond one message."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _more(self) -> bytes:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionEnded
        self.buffer += data
        return data

    def read(self, *, response: bool = False) -> Message:
        """The next message; ConnectionEnded when the peer closed first (for an answer that
        ends with the connection, the close ends the body instead)."""
        while b"\r\n\r\n" not in self.buffer:
            if len(self.buffer) > _MAX_HEAD:
                raise ConnectionEnded
            self._more()
        end = self.buffer.index(b"\r\n\r\n") + 4
        head, self.buffer = self.buffer[:end], self.buffer[end:]
        message = Message(head, b"")
        length = message.header(b"content-length")
        chunked = (message.header(b"transfer-encoding") or b"").lower() == b"chunked"
        if length is not None:
            size = int(length)
            while len(self.buffer) < size:
                self._more()
            message.body, self.buffer = self.buffer[:size], self.buffer[size:]
        elif chunked:
            while not _chunked_complete(self.buffer):
                self._more()
            size = _chunked_length(self.buffer)
            message.body, self.buffer = self.buffer[:size], self.buffer[size:]
        elif response and not _bodiless(message.start_line):
            try:
                while True:
                    self._more()
            except (ConnectionEnded, OSError):
                pass
            message.body, self.buffer = self.buffer, b""
        return message


    def relay(self, dest: socket.socket) -> Message:
        """Forward the next answer to `dest` as it arrives (an event stream is never held
        back); the message's head, with the body left empty."""
        while b"\r\n\r\n" not in self.buffer:
            if len(self.buffer) > _MAX_HEAD:
                raise ConnectionEnded
            self._more()
        end = self.buffer.index(b"\r\n\r\n") + 4
        head, self.buffer = self.buffer[:end], self.buffer[end:]
        message = Message(head, b"")
        dest.sendall(head)
        length = message.header(b"content-length")
        chunked = (message.header(b"transfer-encoding") or b"").lower() == b"chunked"
        if length is not None:
            left = int(length)
            while left > 0:
                if not self.buffer:
                    self._more()
                part, self.buffer = self.buffer[:left], self.buffer[left:]
                dest.sendall(part)
                left -= len(part)
        elif chunked:
            seen = b""
            while True:
                if self.buffer:
                    seen += self.buffer
                    dest_part, self.buffer = self.buffer, b""
                    if _chunked_complete(seen):
                        size = _chunked_length(seen)
                        extra = len(seen) - size
                        dest.sendall(dest_part[:len(dest_part) - extra])
                        self.buffer = seen[size:]
                        break
                    dest.sendall(dest_part)
                self._more()
        elif not _bodiless(message.start_line):
            try:
                while True:
                    if self.buffer:
                        dest.sendall(self.buffer)
                        self.buffer = b""
                    self._more()
            except ConnectionEnded:
                pass
        return message


def _bodiless(start_line: bytes) -> bool:
    parts = start_line.split(b" ")
    return len(parts) > 1 and parts[1] in (b"204", b"304")


def _chunked_length(data: bytes) -> int:
    """Bytes of a complete chunked body at the start of `data` (ValueError if incomplete)."""
    pos = 0
    while True:
        eol = data.index(b"\r\n", pos)
        size = int(data[pos:eol].split(b";")[0], 16)
        pos = eol + 2
        if size == 0:
            trailer_end = data.index(b"\r\n\r\n", pos - 2) + 4
            return trailer_end
        pos += size + 2
        if pos > len(data):
            raise ValueError("incomplete")


def _chunked_complete(data: bytes) -> bool:
    try:
        _chunked_length(data)
    except ValueError:
        return False
    return True


def answer(status: int, reason: str, content_type: str | None, body: bytes, *,
           length: int | None = None) -> bytes:
    """A whole answer with `Connection: close` (`length` may announce more than `body`)."""
    head = [f"HTTP/1.1 {status} {reason}", "Server: fault-proxy", "Connection: close",
            f"Content-Length: {len(body) if length is None else length}"]
    if content_type is not None:
        head.insert(2, f"Content-Type: {content_type}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


HTML_ERROR = (b"<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
              b"<center><h1>503 Service Temporarily Unavailable</h1></center><hr>"
              b"<center>nginx</center></body></html>")
JSON_ERROR = (b'{"error": {"code": "INTERNAL", "message": "The server failed; try again.", '
              b'"retryable": true, "details": {}}}')
CAPTIVE_PORTAL = (b"<!DOCTYPE html><html><head><title>Wi-Fi login</title></head><body>"
                  b"<h1>Welcome to CityNet free Wi-Fi</h1><form method='post' action='/login'>"
                  b"<input name='voucher'><button>Connect</button></form></body></html>")


def gateway_page(status: int) -> bytes:
    """The HTML a reverse proxy shows for 502/504."""
    title = {502: "502 Bad Gateway", 504: "504 Gateway Time-out"}[status]
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>" \
        .encode("ascii")


def oversized_json(size: int) -> bytes:
    """A syntactically valid JSON object of about `size` bytes (one huge string)."""
    prefix, suffix = b'{"receipt_no": "', b'"}'
    return prefix + b"9" * max(0, size - len(prefix) - len(suffix)) + suffix


def deep_json(depth: int) -> bytes:
    """Valid JSON nested `depth` levels deep: a decoder that recurses runs out of stack."""
    return b'{"a":' * depth + b"1" + b"}" * depth
