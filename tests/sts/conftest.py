"""Shared fixtures for the STS engine tests: the PUBLIC sample STA tables (test fixture only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sts.sta import StaTables

SAMPLE_TABLES_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "sts_sample_tables.json"


@pytest.fixture(scope="session")
def sample_tables() -> StaTables:
    """The public sample S1/S2/P tables from the project's STS notes."""
    return StaTables.from_json_file(SAMPLE_TABLES_PATH)


@pytest.fixture(scope="session")
def sample_tables_path() -> Path:
    """Path of the sample table JSON file (for CLI tests)."""
    return SAMPLE_TABLES_PATH
