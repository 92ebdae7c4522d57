"""An XMLVend 2.1 SOAP face on the reference server, over the same `VendingService`.

`mount(app, service, personality)` adds `POST /xmlvend/2.1` to the FastAPI app; the face's
personality (`PERSONALITIES`: `conlog`, `hexing`) is `app.state.xmlvend.personality` and can
be switched while serving. See `vendserver.xmlvend.face` and docs/xmlvend.md.
"""

from __future__ import annotations

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import Response

from vendserver.service import VendingService
from vendserver.xmlvend.face import PERSONALITIES, Personality, XmlVendFace

__all__ = ["PATH", "PERSONALITIES", "Personality", "XmlVendFace", "mount"]

#: Where the SOAP endpoint listens.
PATH = "/xmlvend/2.1"


def mount(app: FastAPI, service: VendingService, personality: str = "hexing") -> XmlVendFace:
    """Add the SOAP endpoint to `app` with the named personality; returns the face."""
    face = XmlVendFace(service, PERSONALITIES[personality])
    app.state.xmlvend = face

    @app.post(PATH, include_in_schema=False)
    async def xmlvend(request: Request) -> Response:
        data = await request.body()
        status, body, headers = await anyio.to_thread.run_sync(
            face.handle, data, request.headers.get("accept-encoding", ""))
        return Response(body, status_code=status, headers=headers)

    return face
