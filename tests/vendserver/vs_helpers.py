"""Helpers for the vending server tests: a terminal client, error checks, an SSE reader."""

from __future__ import annotations

import json
import queue
import threading
import uuid
from typing import Any

import httpx

from sts.virtual_meter import VirtualMeter
from vendserver import engine
from vendserver.engine import MeterKey
from vendserver.errors import ERROR_CODES
from vendserver.testing import RunningServer


class Api:
    """A terminal's HTTP client for tests: activated, with helpers for common calls."""

    def __init__(self, srv: RunningServer, operator: str = "thandi") -> None:
        self.srv = srv
        self.activation = srv.activate("Counter 1")
        self.credential = self.activation["credential"]
        self.operator = operator
        self.http = httpx.Client(base_url=srv.base_url, timeout=30,
                                 headers=srv.headers(self.credential, operator))

    def close(self) -> None:
        self.http.close()

    def sale(self, meter: str, amount: str = "100.00", key: str | None = None,
             **extra: Any) -> httpx.Response:
        body = {"meter_number": meter, "amount": {"amount": amount, "currency": "ZAR"}, **extra}
        return self.http.post("/v1/sales", json=body,
                              headers={"Idempotency-Key": key or str(uuid.uuid4())})

    def ok_sale(self, meter: str, amount: str = "100.00", **extra: Any) -> dict[str, Any]:
        r = self.sale(meter, amount, **extra)
        assert r.status_code == 200, r.text
        result: dict[str, Any] = r.json()
        return result

    def quote(self, meter: str, amount: str = "100.00") -> httpx.Response:
        return self.http.post("/v1/quotes", json={
            "meter_number": meter, "amount": {"amount": amount, "currency": "ZAR"}})

    def quote_units(self, meter: str, units: Any) -> httpx.Response:
        return self.http.post("/v1/quotes", json={"meter_number": meter, "units": units})


def assert_error(r: httpx.Response, code: str) -> dict[str, Any]:
    """The response is the contract's error body with `code` and its status."""
    assert r.headers["content-type"].startswith("application/json"), r.text
    body = r.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert set(err) == {"code", "message", "retryable", "details"}, err
    assert err["code"] == code, body
    status, retryable = ERROR_CODES[code]
    assert r.status_code == status, (r.status_code, body)
    assert err["retryable"] is retryable
    assert isinstance(err["message"], str) and err["message"]
    assert isinstance(err["details"], dict)
    result: dict[str, Any] = err
    return result


class SseReader:
    """Reads an SSE stream in a thread; events and comments arrive on a queue."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.items: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.headers_seen: dict[str, str] = {}
        self._client = httpx.Client(timeout=httpx.Timeout(30.0))
        self._stop = threading.Event()
        self.connected = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(url, headers), daemon=True)
        self._thread.start()
        assert self.connected.wait(30), "SSE stream did not open"

    def _run(self, url: str, headers: dict[str, str]) -> None:
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                self.status = r.status_code
                self.headers_seen = dict(r.headers)
                self.connected.set()
                event: dict[str, Any] = {}
                for line in r.iter_lines():
                    if self._stop.is_set():
                        break
                    if line.startswith(":"):
                        self.items.put({"comment": line[1:].strip()})
                    elif line.startswith("retry:"):
                        self.items.put({"retry": int(line[6:].strip())})
                    elif line == "":
                        if event:
                            self.items.put(event)
                            event = {}
                    else:
                        name, _, value = line.partition(":")
                        value = value[1:] if value.startswith(" ") else value
                        event[name] = int(value) if name == "id" else (
                            json.loads(value) if name == "data" else value)
        except (httpx.HTTPError, RuntimeError):
            pass
        finally:
            self.connected.set()
            self.items.put(None)

    def next_event(self, timeout: float = 15.0) -> dict[str, Any]:
        """The next real event (comments and retry skipped)."""
        while True:
            item = self.items.get(timeout=timeout)
            assert item is not None, "stream ended"
            if "event" in item:
                return item

    def next_item(self, timeout: float = 15.0) -> dict[str, Any] | None:
        """The next event, comment or retry line (None = stream ended)."""
        return self.items.get(timeout=timeout)

    def close(self) -> None:
        self._stop.set()
        self._client.close()
        self._thread.join(timeout=15)


def money(amount: str) -> dict[str, str]:
    """An amount in rand, as the API takes it."""
    return {"amount": amount, "currency": "ZAR"}


def meter_key(srv: RunningServer, drn: str) -> tuple[MeterKey, bytes, bytes]:
    """The meter's stored key data and the supply group's vending keys (server side)."""
    row = srv.service.store.meter(drn)
    assert row is not None
    sg = srv.service.store.supply_group(row["sgc"])
    assert sg is not None
    return MeterKey.from_row(row), bytes(sg["vk160"]), bytes(sg["vk64"])


def virtual_meter(srv: RunningServer, drn: str) -> VirtualMeter:
    """A fresh virtual meter holding the meter's CURRENT key (as installed in the field)."""
    key, vk160, vk64 = meter_key(srv, drn)
    row = srv.service.store.meter(drn)
    assert row is not None
    return engine.new_virtual_meter(drn, row["service"], key, vk160, vk64)


def sup(pin: str = "4321", who: str = "sipho") -> dict[str, str]:
    """A supervisor's approval (the demo supervisor by default)."""
    return {"operator_id": who, "pin": pin}
