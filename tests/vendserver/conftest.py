"""Fixtures for the vending server tests: the real server on a random loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.vendserver.vs_helpers import Api
from vendserver.testing import RunningServer, running_server


@pytest.fixture
def srv(tmp_path: Path) -> Iterator[RunningServer]:
    """A fresh demo server (short SSE heartbeat) for one test."""
    with running_server(tmp_path, demo=True, heartbeat=0.3) as server:
        yield server


@pytest.fixture
def api(srv: RunningServer) -> Iterator[Api]:
    """An activated terminal on `srv`, operator thandi (cashier)."""
    client = Api(srv)
    yield client
    client.close()
