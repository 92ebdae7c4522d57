"""Terminal activation, the terminal's state, operators and online PIN checks over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import httpx

from tests.vendserver.vs_helpers import Api, assert_error, money


def test_activation_gives_credential_key_and_policy(srv):
    act = srv.activate("Till 7")
    assert act["credential"].startswith("vpt_") and len(act["credential"]) == 47
    assert act["vendor"]["id"] == "V001"
    assert act["utility"]["currency"] == "ZAR" and act["utility"]["utc_offset"] == "+02:00"
    key = act["tariff_signing_keys"][0]
    assert key["alg"] == "Ed25519" and len(base64.b64decode(key["public_key"])) == 32
    assert act["offline_policy"]["refuse_after_hours"] == 72
    second = srv.activate("Till 8")
    assert second["terminal_id"] != act["terminal_id"]
    assert second["credential"] != act["credential"]


def test_activation_code_invalid_then_attempt_limit(srv):
    url = f"{srv.base_url}/v1/terminals/activate"
    for _ in range(5):
        r = httpx.post(url, json={"activation_code": "WRONG", "terminal_name": "x"})
        assert_error(r, "ACTIVATION_CODE_INVALID")
    r = httpx.post(url, json={"activation_code": srv.demo["activation_code"],
                              "terminal_name": "x"})
    err = assert_error(r, "TOO_MANY_ATTEMPTS")
    assert int(r.headers["Retry-After"]) == err["details"]["retry_after_seconds"] > 0


def test_used_up_activation_code(srv):
    srv.service.store.add_activation_code("ONCE-ONLY", "V001", 1)
    url = f"{srv.base_url}/v1/terminals/activate"
    assert httpx.post(url, json={"activation_code": "ONCE-ONLY",
                                 "terminal_name": "a"}).status_code == 200
    assert_error(httpx.post(url, json={"activation_code": "ONCE-ONLY", "terminal_name": "b"}),
                 "ACTIVATION_CODE_INVALID")


def test_the_same_code_and_fingerprint_activate_again_until_the_credential_is_used(srv):
    srv.service.store.add_activation_code("ONCE-RETRY", "V001", 1)
    url = f"{srv.base_url}/v1/terminals/activate"
    body = {"activation_code": "ONCE-RETRY", "terminal_name": "a",
            "terminal_fingerprint": "f" * 32}
    first = httpx.post(url, json=body)
    assert first.status_code == 200
    again = httpx.post(url, json=body)  # the answer was lost, or keeping it failed
    assert again.status_code == 200
    assert again.json()["credential"] == first.json()["credential"]
    assert again.json()["terminal_id"] == first.json()["terminal_id"]
    assert srv.service.store.activation_code("ONCE-RETRY")["uses"] == 1
    # Another terminal with the used code: refused, as before.
    assert_error(httpx.post(url, json={**body, "terminal_fingerprint": "g" * 32}),
                 "ACTIVATION_CODE_INVALID")
    # The terminal uses its credential: from then on the code is spent for it too.
    auth = {"Authorization": f"Bearer {first.json()['credential']}"}
    assert httpx.get(f"{srv.base_url}/v1/terminal", headers=auth).status_code == 200
    assert_error(httpx.post(url, json=body), "ACTIVATION_CODE_INVALID")
    row = srv.service.store.terminal(first.json()["terminal_id"])
    assert row["pending_credential"] is None  # no longer kept in clear


def test_a_malformed_fingerprint_is_a_validation_error(srv):
    r = httpx.post(f"{srv.base_url}/v1/terminals/activate",
                   json={"activation_code": srv.demo["activation_code"], "terminal_name": "a",
                         "terminal_fingerprint": "short"})
    assert_error(r, "VALIDATION_ERROR")


def test_credential_required_and_checked(srv, api):
    assert_error(httpx.get(f"{srv.base_url}/v1/terminal"), "TERMINAL_UNAUTHENTICATED")
    assert_error(httpx.get(f"{srv.base_url}/v1/terminal",
                           headers={"Authorization": "Bearer vpt_nope"}),
                 "TERMINAL_UNAUTHENTICATED")
    srv.service.store.set_terminal_disabled(api.activation["terminal_id"], True)
    assert_error(api.http.get("/v1/terminal"), "TERMINAL_DISABLED")


def test_terminal_state(api):
    t = api.http.get("/v1/terminal").json()
    assert t["terminal_id"] == api.activation["terminal_id"]
    assert t["vendor_credit"] == money("50000.00")
    skew = abs(datetime.fromisoformat(t["server_time"]) - datetime.now(UTC))
    assert skew < timedelta(minutes=1)
    assert t["sale_limits"] == {"minimum": money("5.00"), "maximum": money("5000.00")}


def test_operators_carry_per_terminal_argon2id_material_not_the_scrypt_hash(srv, api):
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    ops = {o["id"]: o for o in api.http.get("/v1/operators").json()["operators"]}
    assert {o["role"] for o in ops.values()} == {"cashier", "supervisor", "admin"}
    other = Api(srv)  # a second terminal of the same vendor
    try:
        theirs = {o["id"]: o for o in other.http.get("/v1/operators").json()["operators"]}
    finally:
        other.close()
    for demo_op in srv.demo["operators"]:
        o = ops[demo_op["id"]]
        kdf = o["pin_kdf"]
        assert kdf["alg"] == "scrypt+argon2id"
        scrypt = hashlib.scrypt(demo_op["pin"].encode(), salt=bytes.fromhex(kdf["salt"]),
                                n=kdf["n"], r=kdf["r"], p=kdf["p"], dklen=kdf["dklen"])
        assert scrypt.hex() != o["pin_hash"]  # the server's scrypt hash is never handed out
        argon = kdf["argon2id"]
        material = Argon2id(salt=bytes.fromhex(argon["salt"]), length=32,
                            iterations=argon["iterations"], lanes=argon["lanes"],
                            memory_cost=argon["memory_kib"]).derive(scrypt)
        assert hmac.compare_digest(material.hex(), o["pin_hash"])
        # Another terminal gets other material for the same PIN.
        assert theirs[demo_op["id"]]["pin_hash"] != o["pin_hash"]


def test_operator_restricted_to_other_terminal_is_not_listed(srv, api):
    srv.service.store.restrict_operator("admin", "T9999")
    ids = {o["id"] for o in api.http.get("/v1/operators").json()["operators"]}
    assert ids == {"thandi", "sipho"}
    r = api.http.post("/v1/operators/login", json={"operator_id": "admin", "pin": "9999"})
    assert_error(r, "OPERATOR_NOT_ALLOWED")


def test_login_pin_invalid_then_locked(api):
    ok = api.http.post("/v1/operators/login", json={"operator_id": "thandi", "pin": "1234"})
    assert ok.json()["operator"] == {"id": "thandi", "name": "Thandi Nkosi", "role": "cashier"}
    lefts = []
    for _ in range(5):
        r = api.http.post("/v1/operators/login", json={"operator_id": "thandi", "pin": "1111"})
        lefts.append(assert_error(r, "PIN_INVALID")["details"]["attempts_left"])
    assert lefts == [4, 3, 2, 1, 0]
    r = api.http.post("/v1/operators/login", json={"operator_id": "thandi", "pin": "1234"})
    assert "locked_until" in assert_error(r, "OPERATOR_LOCKED")["details"]
