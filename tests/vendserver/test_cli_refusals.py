"""Back-office commands: a wrong path, id or value gets a clear refusal, never a false OK.

Found by running the commands with typos: `audit --db <typo>` created an empty database and
printed "audit: OK" (a false all-clear for illegal vending); `meter-enter` for an unknown
meter and `publish-tariff` with an absurdly nested file crashed with tracebacks; unknown
vendor/terminal ids were reported as a bare "'NOPE'"; and `set-policy` stored any value, so
`{"max_sale_cents": "abc"}` made every `GET /v1/terminal` of that terminal a 500 and
`{"offline_allowed": "no"}` read as true.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vendserver.db import SqliteStore
from vendserver.demo import seed
from vendserver.service import VendingService

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vendserver", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "v.db"
    store = SqliteStore(path)
    service = VendingService(store)
    seed(service)
    from vendserver.demo import ACTIVATION_CODE

    service.activate(ACTIVATION_CODE, "Counter", "127.0.0.1")
    store.close()
    return path


@pytest.mark.parametrize("command", [
    ["audit"], ["vendor-topup", "--vendor", "V001", "--amount", "1.00"],
    ["meter-enter", "04200000117", "12345678901234567890"],
    ["set-policy", "--terminal", "T0001", '{"max_count": 1}'], ["rotate-signing-key"],
])
def test_missing_database_is_refused_not_created(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo.db"
    r = run(*command, "--db", str(missing))
    assert r.returncode == 2, r.stdout
    assert "no vending database" in r.stderr and "Traceback" not in r.stderr
    assert "OK" not in r.stdout
    assert not missing.exists()


def test_publish_to_a_missing_database_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "t.json"
    doc.write_text("{}")
    r = run("publish-tariff", str(doc), "--db", str(tmp_path / "typo.db"))
    assert r.returncode == 2 and "no vending database" in r.stderr
    assert not (tmp_path / "typo.db").exists()


def test_unknown_meter_vendor_and_terminal_are_named(db: Path) -> None:
    r = run("meter-enter", "--db", str(db), "14339800360", "12345678901234567890")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "14339800360" in r.stderr and "two-way" in r.stderr
    r = run("meter-enter", "--db", str(db), "12345678901", "12345678901234567890")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run("vendor-topup", "--db", str(db), "--vendor", "NOPE", "--amount", "1.00")
    assert r.returncode == 1 and "no vendor NOPE" in r.stderr
    r = run("set-policy", "--db", str(db), "--terminal", "NOPE", '{"max_count": 1}')
    assert r.returncode == 1 and "no terminal NOPE" in r.stderr


def test_deeply_nested_tariff_file_is_refused(db: Path, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    r = run("publish-tariff", str(deep), "--db", str(db))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "cannot read tariff file" in r.stderr


@pytest.mark.parametrize("changes", [
    '{"max_sale_cents": "abc"}', '{"max_count": -1}', '{"offline_allowed": "no"}',
    '{"max_total_cents": 1.5}', '{"refuse": ["fbe", "lottery"]}', '{"refuse": "fbe"}',
    '{"warn_after_hours": 100, "refuse_after_hours": 72}', '{"max_count": true}',
])
def test_bad_policy_values_are_refused(db: Path, changes: str) -> None:
    r = run("set-policy", "--db", str(db), "--terminal", "T0001", changes)
    assert r.returncode == 1, r.stdout
    assert r.stderr.startswith("policy refused: ") and "Traceback" not in r.stderr
    store = SqliteStore(db)
    try:
        policy = VendingService(store).policy(store.terminal("T0001") or {})
    finally:
        store.close()
    assert policy["max_count"] >= 0 and policy["offline_allowed"] in (True, False)


def test_good_policy_change_still_works(db: Path) -> None:
    r = run("set-policy", "--db", str(db), "--terminal", "T0001",
            '{"max_count": 10, "offline_allowed": false, "refuse": ["fbe"]}')
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(("extra", "expected"), [
    (["--port", "99999"], "cannot listen"),
    (["--host", "no.such.host.invalid", "--port", "0"], "cannot listen"),
    (["--smtp", "localhost:abc"], "--smtp"),
])
def test_serve_bad_options_are_one_line_errors(db: Path, extra: list[str], expected: str
                                               ) -> None:
    r = run("serve", "--db", str(db), *extra)
    assert r.returncode == 2, r.stdout
    assert "Traceback" not in r.stderr and expected in r.stderr


def test_serve_with_an_unopenable_database_is_a_one_line_error(tmp_path: Path) -> None:
    r = run("serve", "--port", "0", "--db", str(tmp_path / "no" / "such" / "dir" / "v.db"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "cannot open" in r.stderr
