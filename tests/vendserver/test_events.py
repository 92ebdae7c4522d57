"""The SSE event stream: heartbeats, ids, resume after a drop and after a restart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.vendserver.vs_helpers import Api, SseReader
from vendserver.demo import TARIFFS
from vendserver.testing import running_server

ROOT = Path(__file__).resolve().parents[2]


def open_stream(srv, api: Api, last_id: int | None = None) -> SseReader:
    headers = srv.headers(api.credential)
    if last_id is not None:
        headers["Last-Event-ID"] = str(last_id)
    return SseReader(f"{srv.base_url}/v1/events", headers)


def test_stream_heartbeats_and_live_events(srv, api):
    stream = open_stream(srv, api)
    try:
        assert stream.status == 200
        assert stream.headers_seen["content-type"].startswith("text/event-stream")
        assert stream.next_item() == {"retry": 3000}
        item = stream.next_item()
        assert item is not None and item["comment"].startswith("heartbeat")
        sale = api.ok_sale(srv.meter("two_way")["meter_number"])
        credit = stream.next_event()
        assert credit["event"] == "vendor.credit"
        assert credit["data"]["vendor_credit"] == sale["vendor_credit"]
        delivered = stream.next_event()
        assert delivered["event"] == "sale.delivered" and delivered["id"] > credit["id"]
        assert delivered["data"]["receipt_no"] == sale["receipt_no"]
        assert delivered["data"]["accepted"] is True and delivered["data"]["balance"] == "27.5"
        srv.service.set_policy(api.activation["terminal_id"], {"max_count": 10})
        policy = stream.next_event()
        assert policy["event"] == "terminal.policy"
        assert policy["data"]["offline_policy"]["max_count"] == 10
        srv.service.publish_tariff(dict(TARIFFS[1]))
        tariff = stream.next_event()
        assert tariff["event"] == "tariff.published" and tariff["data"]["version"] == 2
        assert policy["id"] < tariff["id"]
    finally:
        stream.close()


def test_other_terminals_policy_is_not_sent(srv, api):
    other = Api(srv)
    stream = open_stream(srv, api)
    try:
        srv.service.set_policy(other.activation["terminal_id"], {"max_count": 1})
        srv.service.set_policy(api.activation["terminal_id"], {"max_count": 2})
        event = stream.next_event()
        assert event["data"]["terminal_id"] == api.activation["terminal_id"]
    finally:
        stream.close()
        other.close()


def test_resume_after_dropped_connection_misses_nothing(srv, api):
    drn = srv.meter("normal")["meter_number"]
    stream = open_stream(srv, api)
    api.ok_sale(drn)
    first = stream.next_event()
    stream.close()  # the connection drops
    sales = [api.ok_sale(drn) for _ in range(3)]
    srv.service.top_up("V001", 100)
    resumed = open_stream(srv, api, first["id"])
    try:
        got = [resumed.next_event() for _ in range(4)]
        assert [e["data"]["vendor_credit"] for e in got[:3]] == [
            s["vendor_credit"] for s in sales]
        assert got[3]["data"]["reason"] == "top_up"
        ids = [first["id"]] + [e["id"] for e in got]
        assert ids == sorted(ids) and len(set(ids)) == 5
    finally:
        resumed.close()
    poll = api.http.get("/v1/events/poll", params={"after": first["id"]}).json()
    assert [e["id"] for e in poll["events"]] == [e["id"] for e in got]
    assert poll["last_id"] == got[-1]["id"]


def test_resume_after_server_restart_misses_nothing(tmp_path, db_url):
    with running_server(tmp_path, heartbeat=0.3, db=db_url) as srv:
        api = Api(srv)
        drn = srv.meter("normal")["meter_number"]
        stream = open_stream(srv, api)
        api.ok_sale(drn)
        seen = stream.next_event()
        stream.close()
        missed = [api.ok_sale(drn)["vendor_credit"] for _ in range(2)]
        api.close()
        credential = api.credential
    with running_server(tmp_path, heartbeat=0.3, db=db_url) as srv:  # same database: a restart
        srv.service.top_up("V001", 500)
        headers = {**srv.headers(credential), "Last-Event-ID": str(seen["id"])}
        stream = SseReader(f"{srv.base_url}/v1/events", headers)
        try:
            got = [stream.next_event() for _ in range(3)]
        finally:
            stream.close()
    assert [e["data"]["vendor_credit"] for e in got[:2]] == missed
    assert got[2]["data"]["reason"] == "top_up"
    assert [e["id"] for e in got] == sorted(e["id"] for e in got)
    assert got[0]["id"] > seen["id"]


def test_bad_last_event_id(srv, api):
    r = api.http.get("/v1/events", headers={"Last-Event-ID": "abc"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "VALIDATION_ERROR"


def test_tariff_published_by_the_cli_reaches_a_running_server(srv, api, tmp_path):
    stream = open_stream(srv, api)
    try:
        doc = dict(TARIFFS[2], name="Domestic water 2027")
        path = tmp_path / "tariff.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-m", "vendserver", "publish-tariff", str(path), "--db",
             srv.db], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["document"]["name"] == "Domestic water 2027"
        event = stream.next_event()
        assert event["event"] == "tariff.published"
        assert event["data"] == {"tariff_id": "WAT-DOM", "version": 2,
                                 "name": "Domestic water 2027",
                                 "effective_from": "2026-01-01T00:00:00Z"}
    finally:
        stream.close()


def test_smart_meter_takes_key_change_and_credit_from_the_server(srv, api):
    mandla = next(m for m in srv.demo["meters"] if m["customer_name"] == "Mandla Zulu")
    assert mandla["two_way"] and mandla["base_date"] == 1993
    stream = open_stream(srv, api)
    try:
        sale = api.ok_sale(mandla["meter_number"], "100.00")
        assert [t["kind"] for t in sale["tokens"]] == ["key_change"] * 4 + ["credit"]
        event = stream.next_event()
        while event["event"] != "sale.delivered":
            event = stream.next_event()
        assert event["data"]["accepted"] is True
        assert event["data"]["balance"] == sale["units"]
    finally:
        stream.close()
