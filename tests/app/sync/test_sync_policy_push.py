"""A policy change pushed by the server (`terminal.policy`) is saved at once and governs the
next offline sale. Real server, real push listener (app/push.py), real SQLCipher file."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.api import Money
from app.push import Backoff, PushConfig, PushListener
from app.push.events import PushConnected
from app.push.handlers import handle_event
from app.push.sse import SseEvent
from app.sales import OfflineRefused
from app.sales import repository as repo
from app.sync.events import OfflinePolicyChanged
from common.events import CoreEvent
from tests.reliability.harness import Core, Env, environment

ZAR = "ZAR"


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    with environment(tmp_path) as e:
        yield e


@pytest.fixture
def core(env: Env) -> Iterator[Core]:
    c = env.core()
    assert c.sync.refresh_terminal()
    yield c
    c.close()


def _waiter(core: Core, kind: type[CoreEvent]) -> threading.Event:
    seen = threading.Event()
    core.bus.subscribe(kind, lambda _event: seen.set())
    return seen


def _push(core: Core, event_id: int, data: dict[str, Any]) -> None:
    """What the push listener does with a `terminal.policy` event from the stream."""
    handle_event(SseEvent("terminal.policy", json.dumps(data), str(event_id)), event_id,
                 core.bus, queue.Queue())


def test_pushed_policy_is_saved_and_caps_the_next_offline_sale(env: Env, core: Core) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    before = core.store.call(repo.load_policy)
    assert before is not None and before.max_count > 1
    connected, changed = _waiter(core, PushConnected), _waiter(core, OfflinePolicyChanged)
    credential = env.credential
    listener = PushListener(PushConfig(env.server.base_url, lambda: credential,
                                       read_timeout=5.0, backoff=Backoff(0.05, 0.5)),
                            core.bus, None, core.store)
    listener.start()
    try:
        assert connected.wait(30)
        env.server.service.set_policy(env.activation["terminal_id"], {"max_count": 1})
        assert changed.wait(30)
    finally:
        assert listener.stop(timeout=10.0)
    after = core.store.call(repo.load_policy)
    assert after is not None and after.max_count == 1
    (event,) = core.names("offline_policy.changed")
    assert event.data["source"] == "push" and event.data["max_count"] == 1
    core.service.confirm_customer(meter)
    env.cut(core)
    core.connectivity.set(False)
    assert core.service.sell(meter, Money(2000, ZAR), "thandi").state == "pending"
    with pytest.raises(OfflineRefused) as info:
        core.service.sell(meter, Money(2000, ZAR), "thandi")
    assert info.value.code == "OFFLINE_MAX_COUNT"


def test_a_malformed_pushed_policy_keeps_the_cached_one(core: Core) -> None:
    before = core.store.call(repo.load_policy)
    assert before is not None
    bad = before.to_json() | {"max_count": "1"}  # a string where the contract has a number
    _push(core, 7, {"terminal_id": "T0001", "offline_policy": bad})
    _push(core, 8, {"terminal_id": "T0001"})
    assert core.store.call(repo.load_policy) == before
    assert core.names("offline_policy.changed") == []
    good = before.to_json() | {"max_count": 4}
    _push(core, 9, {"terminal_id": "T0001", "offline_policy": good})
    saved = core.store.call(repo.load_policy)
    assert saved is not None and saved.max_count == 4


def test_detached_engine_no_longer_follows_pushed_policies(core: Core) -> None:
    before = core.store.call(repo.load_policy)
    assert before is not None
    core.sync.detach()
    changed = before.to_json() | {"max_count": 3}
    _push(core, 9, {"terminal_id": "T0001", "offline_policy": changed})
    assert core.store.call(repo.load_policy) == before
