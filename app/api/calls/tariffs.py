"""Calls about tariffs and events: the tariff list, one signed version, the event poll."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from app.api.checks import check_id, check_int
from app.api.models import EventPage, TariffSummary, obj, parse_event_page, parse_tariffs
from app.api.transport import Transport

__all__ = ["MAX_POLL_LIMIT", "TariffCalls"]

#: The server's limit for `GET /v1/events/poll?limit=` (docs/api.md).
MAX_POLL_LIMIT = 500


class TariffCalls(Transport):
    """`GET /v1/tariffs`, `GET /v1/tariffs/{id}/versions/{n}`, `GET /v1/events/poll`."""

    def tariffs(self) -> list[TariffSummary]:
        """`GET /v1/tariffs`: every tariff with its versions and the one in force now."""
        return self._parsed(parse_tariffs, "GET", "/v1/tariffs")

    def tariff_version(self, tariff_id: str, version: int) -> dict[str, Any]:
        """`GET /v1/tariffs/{id}/versions/{n}`: the signed envelope, as the server sent it.

        Only the transport is checked here (a JSON object, with the usual error mapping: an
        unknown version is `ApiRejected` code `TARIFF_NOT_FOUND`). The content is deliberately
        NOT judged here: `app.tariffs.verify_envelope` is the one place that checks the
        signature, the envelope against the signed payload and the asked-for version, so that
        every bad document — a replayed old version, a missing signature — is recorded there as
        a refused (attacking) document instead of vanishing as an unreadable answer.
        """
        check_id(tariff_id, "tariff id")
        check_int(version, 1, None, "tariff version must be a positive integer")
        path = f"/v1/tariffs/{quote(tariff_id, safe='')}/versions/{version:d}"
        return self._parsed(lambda d: dict(obj(d, "envelope")), "GET", path)

    def poll_events(self, after_id: int, limit: int = 100) -> EventPage:
        """`GET /v1/events/poll?after=&limit=`: events after `after_id` (the SSE fallback).

        The answer must list ids above `after_id`, strictly increasing, at most `limit`, with
        `last_id` the last one returned (or `after_id`), so a caller that resumes from
        `last_id` can neither skip nor repeat an event.
        """
        check_int(after_id, 0, None, "after_id must be a non-negative integer")
        check_int(limit, 1, MAX_POLL_LIMIT, f"limit must be 1..{MAX_POLL_LIMIT}")
        path = f"/v1/events/poll?after={after_id:d}&limit={limit:d}"
        return self._parsed(lambda d: parse_event_page(d, after_id, limit), "GET", path)
