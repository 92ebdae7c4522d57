"""Suite-wide fixtures: headless Qt, and an error presenter that records instead of blocking."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@dataclass
class ShownErrors:
    """What `ui.errors.show_error` would have shown: (title, text, is_bug) tuples."""

    shown: list[tuple[str, str, bool]] = field(default_factory=list)


@pytest.fixture
def shown_errors() -> Iterator[ShownErrors]:
    """Replace the modal error dialog with a recorder for the duration of a test."""
    from ui import errors

    record = ShownErrors()

    def presenter(title: str, text: str, is_bug: bool, parent: object) -> None:
        record.shown.append((title, text, is_bug))

    previous = errors.set_presenter(presenter)
    try:
        yield record
    finally:
        errors.set_presenter(previous)
