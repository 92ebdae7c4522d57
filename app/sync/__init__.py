"""The sync engine: one cross-process worker draining the outbox to the server in order."""

from app.sync.engine import StepReport, SyncEngine
from app.sync.lock import FileLock

__all__ = ["FileLock", "StepReport", "SyncEngine"]
