"""Shared fixtures for the offline store tests: a fresh key and store in tmp_path."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from offline_store import Store, open_store


@pytest.fixture
def key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def store(tmp_path: Path, key: bytes) -> Iterator[Store]:
    s = open_store(tmp_path / "vend.db", key, create=True)
    yield s
    s.close()
