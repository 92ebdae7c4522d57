"""The encrypted offline store (SQLCipher): one owner thread, migrations, journal, backups.

`open_store(path, key, create=...)` returns a `Store`; all database work goes through
`Store.call(fn)` / `Store.submit(fn)`, which run `fn(conn)` on the owner thread in a
transaction. See docs/client-core.md.
"""

from offline_store.backup import backup_store
from offline_store.errors import (
    DiskFull,
    ForeignFile,
    StoreClosed,
    StoreDamaged,
    StoreIOError,
    StoreMissing,
    StoreTimeout,
    WrongKeyOrCorrupt,
)
from offline_store.store import (
    Connection,
    ConstraintError,
    Store,
    latest_schema_version,
    open_store,
)

__all__ = [
    "Connection",
    "ConstraintError",
    "DiskFull",
    "ForeignFile",
    "Store",
    "StoreClosed",
    "StoreDamaged",
    "StoreIOError",
    "StoreMissing",
    "StoreTimeout",
    "WrongKeyOrCorrupt",
    "backup_store",
    "latest_schema_version",
    "open_store",
]
