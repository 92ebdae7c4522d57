"""Shared fixtures for the sale service tests: ONE real server per test module, and per test a
newly activated terminal (its own proxy, store and server-side sales), a wired core."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.harness import Core, Env, terminal_on
from vendserver.testing import RunningServer, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """The reference server on loopback, shared by the tests of one module."""
    with running_server(tmp_path_factory.mktemp("server"), demo=True) as srv:
        srv.service.top_up("V001", 10**9)  # the module's terminals share the vendor's float
        yield srv


@pytest.fixture
def env(server: RunningServer, tmp_path: Path) -> Iterator[Env]:
    """A terminal of its own on the module's server, plus a data folder for the client."""
    with terminal_on(server, tmp_path / "client") as e:
        yield e


@pytest.fixture
def core(env: Env) -> Iterator[Core]:
    """A client core whose offline policy (with the server's sale limits) is cached."""
    c = env.core()
    assert c.sync.refresh_terminal()
    yield c
    c.close()
