"""Typed storage errors: every way the local store can be unusable, each with a plain message.

All are `common.errors.StorageError`, so the UI shows them as a "Local storage problem" and stops;
none of them ever leads to the database file being recreated, truncated or overwritten.
"""

from __future__ import annotations

from common.errors import StorageError


class StoreMissing(StorageError):
    """The store file does not exist and we were not asked to create it."""


class WrongKeyOrCorrupt(StorageError):
    """The file exists but cannot be decrypted: wrong key, or the file is damaged."""


class ForeignFile(StorageError):
    """The file is not a VendPoint store (a plain SQLite file, or from a newer version)."""


class DiskFull(StorageError):
    """The disk is full: the operation was refused and nothing was half-written."""


class StoreClosed(StorageError):
    """The store was closed (application shutting down)."""


class StoreTimeout(StorageError):
    """The store's owner thread did not answer in time (the work may still complete)."""


class StoreIOError(StorageError):
    """A disk read/write error or a locked file outside VendPoint's control."""


class StoreDamaged(WrongKeyOrCorrupt):
    """The key is right (it read the first page) but pages past it fail their check: the
    file is damaged. Found by `PRAGMA cipher_integrity_check` at open and before backups, or
    by a read of a damaged page later."""
