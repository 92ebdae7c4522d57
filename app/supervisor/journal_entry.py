"""One journal entry as the viewer and the journal export see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["JournalEntry"]


@dataclass(frozen=True)
class JournalEntry:
    """One journal entry as the viewer shows it."""

    seq: int
    at: str
    kind: str
    ref: str
    body: dict[str, Any]
