"""Shared fixtures for the sale service tests: a real server, a real store, a wired core."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.harness import Core, Env, environment


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    """The reference server on loopback plus a data folder for the client."""
    with environment(tmp_path) as e:
        yield e


@pytest.fixture
def core(env: Env) -> Iterator[Core]:
    """A client core whose offline policy (with the server's sale limits) is cached."""
    c = env.core()
    assert c.sync.refresh_terminal()
    yield c
    c.close()
