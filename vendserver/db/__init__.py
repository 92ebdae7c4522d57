"""All of the vending server's SQL, in one place, over SQLite (the embedded default) or
PostgreSQL (production: several server processes over one database).

`Store` is the only code that speaks SQL; the service layer calls its methods with plain
values and gets plain dicts back. The queries are grouped by the tables they touch, one
module each over `StoreBase` (what an engine provides): `catalog` (tariffs, customers,
meters), `terminals` (vendors, activation, terminals, operators), `sales` (sales,
engineering tokens), `events` (event log, Z reports) and `outbox` (notifications, virtual
meters). The engines are `sqlite` (one file, one process) and `postgres` (a connection pool,
row locks, sequences, LISTEN/NOTIFY); `open_store` picks one from ``--db``. The schema and
its migrations are shared (`schema`).
"""

from __future__ import annotations

from pathlib import Path

from vendserver.db.base import Conflict, Row, StoreBase, StoreUnavailable
from vendserver.db.catalog import CatalogQueries
from vendserver.db.events import EventQueries
from vendserver.db.outbox import OutboxQueries
from vendserver.db.sales import SaleQueries
from vendserver.db.schema import MIGRATIONS
from vendserver.db.sqlite import SqliteEngine
from vendserver.db.terminals import TerminalQueries

__all__ = ["MIGRATIONS", "Conflict", "Row", "SqliteStore", "Store",
           "StoreBase", "StoreUnavailable", "is_postgres_url", "open_store"]


class Store(CatalogQueries, TerminalQueries, SaleQueries, EventQueries, OutboxQueries):
    """The server's database: every query the server runs is a method here (on an engine)."""


class SqliteStore(Store, SqliteEngine):
    """The store in one SQLite file."""


def is_postgres_url(target: str) -> bool:
    """Whether `--db` names a PostgreSQL database rather than an SQLite file."""
    return target.startswith(("postgresql://", "postgres://"))


def open_store(target: str | Path) -> Store:
    """The store `--db` names: a postgresql:// URL or an SQLite file path."""
    if isinstance(target, str) and is_postgres_url(target):
        # Imported here: psycopg is needed only by a server that uses PostgreSQL.
        from vendserver.db.postgres import PostgresStore

        return PostgresStore(target)
    return SqliteStore(Path(target))
