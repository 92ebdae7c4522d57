"""The HTTP/1.1 protocol the server runs under uvicorn: h11, with the contract's error body.

A request the HTTP parser refuses (a NUL, CR or LF inside a header value, a malformed request
line) never reaches the application, and uvicorn answers it with a plain-text 400. Clients of
the contract read `{"error": {...}}` on every error, so this protocol answers those too with
the JSON body (`VALIDATION_ERROR`, not retryable, `details.errors` naming the request's
headers or request line) and closes the connection as before.
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from vendserver.errors import ApiError


class ContractH11Protocol(H11Protocol):
    """uvicorn's h11 protocol whose parser-level 400 carries the contract's JSON error body."""

    def send_400_response(self, msg: str) -> None:
        # The parser's own text may quote the bad bytes back: it is not echoed.
        del msg
        body = json.dumps(ApiError(
            "VALIDATION_ERROR", "The request is not valid HTTP (a header or the request line "
            "holds a forbidden character such as NUL, CR or LF).",
            {"errors": [{"field": "header", "problem": "not valid HTTP"}]}).body()).encode()
        headers = [(b"content-type", b"application/json"), (b"connection", b"close"),
                   (b"content-length", str(len(body)).encode())]
        self.transport.write(self.conn.send(h11.Response(status_code=400, headers=headers,
                                                         reason=b"Bad Request")))
        self.transport.write(self.conn.send(h11.Data(data=body)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        self.transport.close()
