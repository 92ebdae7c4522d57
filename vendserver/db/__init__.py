"""All of the vending server's SQL, in one place, over SQLite (stdlib, WAL).

`Store` is the only code that speaks SQL; the service layer calls its methods with plain
values and gets plain dicts back, so a PostgreSQL backend can implement the same methods.
One connection is shared by the server's threads behind a re-entrant lock (SQLite serialises
writers anyway); `transaction()` wraps a unit of work in ``BEGIN IMMEDIATE`` so a second
process (the CLI publishing a tariff) waits instead of failing. The schema version lives in
``PRAGMA user_version`` and is moved forward by `MIGRATIONS`.

The queries are grouped by the tables they touch, one module each over `StoreBase` (the
connection, transactions and migrations): `catalog` (tariffs, customers, meters),
`terminals` (vendors, activation, terminals, operators), `sales` (sales, engineering
tokens), `events` (event log, Z reports) and `outbox` (notifications, virtual meters).
"""

from __future__ import annotations

from vendserver.db.base import Row, StoreBase
from vendserver.db.catalog import CatalogQueries
from vendserver.db.events import EventQueries
from vendserver.db.outbox import OutboxQueries
from vendserver.db.sales import SaleQueries
from vendserver.db.schema import MIGRATIONS
from vendserver.db.terminals import TerminalQueries

__all__ = ["MIGRATIONS", "Row", "Store", "StoreBase"]


class Store(CatalogQueries, TerminalQueries, SaleQueries, EventQueries, OutboxQueries):
    """The server's database: every query the server runs is a method here."""
