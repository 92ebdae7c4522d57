"""Fixtures for the vending server tests: the real server on a random loopback port, over
each store: the SQLite file (the embedded default) and a real PostgreSQL database (a
throw-away cluster on 127.0.0.1 started once per session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.vendserver.vs_helpers import Api
from vendserver.testing import RunningServer, TempCluster, postgres_binaries, running_server

STORES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[TempCluster]:
    """A PostgreSQL cluster for the whole session (fsync off: the same SQL, faster)."""
    if postgres_binaries() is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) on this machine; "
                    ".ci/run installs Debian's postgresql so CI runs these")
    cluster = TempCluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: TempCluster) -> str:
    """A new empty PostgreSQL database for one test."""
    return pg_cluster.new_database()


@pytest.fixture(params=STORES)
def db_url(request: pytest.FixtureRequest) -> str | None:
    """The store a test's server uses: None (the SQLite file in tmp_path) or a new
    PostgreSQL database's URL."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def srv(tmp_path: Path, db_url: str | None) -> Iterator[RunningServer]:
    """A fresh demo server (short SSE heartbeat) for one test, on each store."""
    with running_server(tmp_path, demo=True, heartbeat=0.3, db=db_url) as server:
        yield server


@pytest.fixture
def api(srv: RunningServer) -> Iterator[Api]:
    """An activated terminal on `srv`, operator thandi (cashier)."""
    client = Api(srv)
    yield client
    client.close()
