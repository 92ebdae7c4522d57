"""Random fault scenarios against the real server (the same code as `bench/faults.py`), and
proof that the judgement can fail: a reversed token, a lost, a doubled and a stuck sale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.api import Money
from tests.reliability.records import ClientSale, Issued
from tests.reliability.scenarios import ALL_KINDS, CustomerSale, Tally, judge, run

#: The fault kinds the client core survives, run with a fixed seed: every kind the proxy
#: has, plus an outage and a server restart (`bench/faults.py` runs many more scenarios).
SURVIVED = ("reset_before", "reset_after", "truncate_fin", "truncate_rst", "error_html",
            "error_json", "error_empty", "gateway_502", "gateway_504", "stall", "latency",
            "trickle", "html_200", "oversized", "deep_json", "outage", "restart")
SEED = 20261203


def _explain(tally: Tally) -> str:
    return "\n".join([tally.line(), *tally.problems[:20]])


def test_every_kind_is_survived() -> None:
    assert set(SURVIVED) == set(ALL_KINDS)


@pytest.mark.slow
def test_fault_scenarios_lose_double_or_wedge_nothing(tmp_path: Path) -> None:
    tally = run(20, SEED, tmp_path, kinds=SURVIVED)
    assert tally.scenarios == 20
    assert tally.clean, _explain(tally)
    assert tally.line() == "20 scenarios: 0 lost, 0 duplicated, 0 wrong tokens, 0 stuck"


def _reverse_one_token(conn: Any) -> None:
    key, position, digits = conn.execute(
        "SELECT idem_key, position, digits FROM tokens ORDER BY idem_key LIMIT 1").fetchone()
    assert digits[::-1] != digits
    conn.execute("UPDATE tokens SET digits = ? WHERE idem_key = ? AND position = ?",
                 (digits[::-1], key, position))


def test_a_client_that_stored_a_token_reversed_is_caught(tmp_path: Path) -> None:
    tally = run(2, SEED, tmp_path, kinds=(), tamper_first=_reverse_one_token)
    assert (tally.lost, tally.duplicated, tally.wrong, tally.stuck) == (0, 0, 1, 0), \
        _explain(tally)
    assert "stored tokens differ" in tally.problems[0]
    assert tally.line().endswith("0 lost, 0 duplicated, 1 wrong tokens, 0 stuck")


RECORD = Issued("VP00000001", 10000, 555, ("1" * 20,))


def _sale(keys: list[str], told: list[str]) -> CustomerSale:
    return CustomerSale(0, ("reset_after",), "01234567890", Money(10000, "ZAR"), keys, told,
                        started=True, finished=True)


def _client(state: str, key: str, stored: Issued | None = None) -> ClientSale:
    sale = ClientSale(key, state, state in ("sending", "pending", "unresolved",
                                            "needs_attention"), stored)
    if stored is not None:
        sale.shown_receipts.append(stored)
    return sale


def test_judge_counts_a_sale_the_server_never_made_and_the_client_dropped() -> None:
    tally = Tally()
    judge([_sale(["k1"], ["pending"])], {"k1": _client("void", "k1")}, {}, tally)
    assert (tally.lost, tally.duplicated, tally.wrong, tally.stuck) == (1, 0, 0, 0)


def test_judge_counts_two_server_sales_for_one_customer() -> None:
    tally = Tally()
    other = Issued("VP00000002", 10000, 555, ("2" * 20,))
    judge([_sale(["k1", "k2"], ["unclear:MalformedResponse", "tokened"])],
          {"k1": _client("needs_attention", "k1"), "k2": _client("tokened", "k2", other)},
          {"k1": RECORD, "k2": other}, tally)
    assert (tally.duplicated, tally.stuck) == (1, 1)
    assert tally.by_kind["reset_after"]["duplicated"] == 1


def test_judge_counts_a_sale_left_open_and_a_call_that_never_returned() -> None:
    tally = Tally()
    hung = _sale([], [])
    hung.finished = False
    judge([_sale(["k1"], ["pending"]), hung], {"k1": _client("pending", "k1")}, {}, tally)
    assert (tally.lost, tally.stuck) == (0, 2)


def test_judge_counts_tokens_shown_that_differ_from_the_server() -> None:
    tally = Tally()
    sale = _sale(["k1"], ["tokened"])
    sale.shown.append(Issued(RECORD.receipt_no, RECORD.amount_minor, RECORD.units_tenths,
                             (RECORD.tokens[0][::-1].replace("1", "3"),)))
    judge([sale], {"k1": _client("tokened", "k1", RECORD)}, {"k1": RECORD}, tally)
    assert tally.wrong == 1 and "shown tokens differ" in tally.problems[0]
    assert "1" * 20 not in tally.problems[0]  # never the digits
