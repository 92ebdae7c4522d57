from __future__ import annotations

from app.selftest import CORE_CHECKS, CheckResult, run_checks


def test_core_checks_pass_in_source_tree() -> None:
    results = run_checks(CORE_CHECKS)
    assert [r.name for r in results] == ["encrypted store", "receipt", "STS engine", "languages"]
    assert all(r.ok for r in results), [r.line() for r in results]


def test_a_failing_check_is_reported_not_raised() -> None:
    def broken() -> str:
        raise RuntimeError("no capabilities.json")

    results = run_checks([("receipt", broken), ("fine", lambda: "ok")])
    assert results[0] == CheckResult(
        "receipt", False, results[0].detail
    ) and results[0].detail.startswith("RuntimeError: no capabilities.json at ")
    assert results[0].line().startswith("FAIL receipt:")
    assert results[1].ok
