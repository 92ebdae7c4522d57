"""Shared fixtures of the till tests: the real reference server on loopback (through the fault
proxy) and a core on a real SQLCipher store (`tests.reliability.harness`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.harness import Core, Env, environment


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    with environment(tmp_path) as e:
        yield e


@pytest.fixture
def core(env: Env) -> Iterator[Core]:
    c = env.core()
    yield c
    c.close()
