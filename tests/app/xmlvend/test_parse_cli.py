"""`python -m app.xmlvend parse FILE`: one JSON object, or exit 2 with one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "xmlvend"


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.xmlvend", "parse", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_parse_prints_the_receipt_in_entry_order() -> None:
    out = _run(FIXTURES / "hexing_credit_vend_fbe_kct.xml")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["message"] == "creditVendResp"
    assert data["receipt_no"] == "1234567890123456"
    assert (data["currency"], data["vendor_credit"], data["tendered"]) == ("R", "999255.5",
                                                                          "100.00")
    assert [t["kind"] for t in data["tokens"]] == ["key_change_1", "key_change_2", "credit",
                                                   "fbe"]
    assert data["tokens"][2] == {"kind": "credit", "digits": "4" * 20, "units": "60.5"}
    assert data["customer"] == {"name": "MR J DOE", "account": "1000234",
                                "meter": "04040404040"}
    assert data["charges"] == [] and data["fault"] is None


def test_parse_a_fault_and_charges() -> None:
    data = json.loads(_run(FIXTURES / "hexing_fault_vendor_credit.xml").stdout)
    assert data["message"] == "fault"
    assert data["fault"] == {"type": "BusinessRuleEx", "code": "VD.17020006",
                             "desc": "Agent float too low"}
    data = json.loads(_run(FIXTURES / "gecol_credit_vend_lyd.xml").stdout)
    assert data["charges"][0] == {"kind": "service", "amount": "2.500"}


@pytest.mark.parametrize("content", [
    b'<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>',
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Bo',
    b"{}",
])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "in.xml"
    path.write_bytes(content)
    out = _run(path)
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    out = _run(tmp_path / "absent.xml")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
