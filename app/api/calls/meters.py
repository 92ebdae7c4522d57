"""Calls about meters: confirming the customer and searching for one."""

from __future__ import annotations

from urllib.parse import quote

from app.api.checks import check_int
from app.api.models import MeterInfo, MeterSearchHit, parse_meter, parse_meter_search
from app.api.transport import Transport
from common.errors import InvalidInput
from common.i18n import _

__all__ = ["MAX_SEARCH_LIMIT", "SEARCH_QUERY_LENGTH", "MeterCalls"]

#: The server's limits for `GET /v1/meters?q=&limit=` (docs/api.md).
SEARCH_QUERY_LENGTH = (2, 64)
MAX_SEARCH_LIMIT = 50


class MeterCalls(Transport):
    """`GET /v1/meters/{n}` and `GET /v1/meters?q=&limit=`."""

    def meter(self, meter_number: str) -> MeterInfo:
        """`GET /v1/meters/{n}`: confirm the customer."""
        path = f"/v1/meters/{quote(meter_number, safe='')}"
        info = self._parsed(parse_meter, "GET", path)
        if info.meter_number != meter_number:
            raise self._malformed("answer is for another meter", "GET", path, 200, None, b"")
        return info

    def search_meters(self, query: str, limit: int = 20) -> list[MeterSearchHit]:
        """`GET /v1/meters?q=&limit=`: meters whose customer name, account, address or meter
        number prefix matches `query` (case- and accent-insensitive on the server).

        `query` is what the cashier typed: it is stripped, and one of fewer than 2 or more
        than 64 characters is `InvalidInput` (nothing is sent). `limit` outside 1..50 is a
        `ValueError`. The answer must have at most `limit` results with well-formed, unique
        meter numbers.
        """
        text = query.strip() if isinstance(query, str) else ""
        low, high = SEARCH_QUERY_LENGTH
        if not low <= len(text) <= high:
            raise InvalidInput(_("Type {low} to {high} characters to search for a customer.")
                .format(low=low, high=high),
                               hint=_("A name, an account, an address or the start of a meter "
                                    "number."))
        check_int(limit, 1, MAX_SEARCH_LIMIT, f"limit must be 1..{MAX_SEARCH_LIMIT}")
        path = f"/v1/meters?q={quote(text, safe='')}&limit={limit:d}"
        return self._parsed(lambda d: parse_meter_search(d, limit), "GET", path)
