"""Meter look-up (customer, warnings, number errors) and search over real HTTP."""

from __future__ import annotations

from tests.vendserver.vs_helpers import assert_error


def test_meter_lookup_shows_customer_and_warnings(srv, api):
    m = srv.meter("arrears")
    info = api.http.get(f"/v1/meters/{m['meter_number']}").json()
    assert info["customer"]["name"] == m["customer_name"]
    assert info["arrears"] == m["arrears"]
    assert info["key"]["ea"] == 11 and info["key"]["dkga"] == 4
    assert [w["code"] for w in info["warnings"]] == ["ARREARS"]
    blocked = api.http.get(f"/v1/meters/{srv.meter('blocked')['meter_number']}").json()
    assert blocked["blocked"] is True and "Tamper" in blocked["blocked_reason"]
    kc = api.http.get(f"/v1/meters/{srv.meter('tid_rollover')['meter_number']}").json()
    assert kc["key_change_due"]["reason"] == "TID_ROLLOVER"
    assert kc["key_change_due"]["new_key"]["base_date"] == 2014
    notify = api.http.get(f"/v1/meters/{srv.meter('two_way')['meter_number']}").json()
    assert notify["customer"]["phone"] == "+2782*****67"  # masked, never in full


def test_meter_number_errors(api):
    assert_error(api.http.get("/v1/meters/1234"), "METER_NUMBER_INVALID")
    assert_error(api.http.get("/v1/meters/1433980036x"), "METER_NUMBER_INVALID")
    assert_error(api.http.get("/v1/meters/12345678901"), "METER_CHECK_DIGIT")
    assert_error(api.http.get("/v1/meters/14339800360"), "UNKNOWN_METER")


def test_search_by_name_account_address_accent_insensitive(srv, api):
    def find(q: str) -> list[str]:
        r = api.http.get("/v1/meters", params={"q": q})
        return [x["customer_name"] for x in r.json()["results"]]

    assert find("jose") == ["José Fernandes da Conceição"]
    assert find("ZOE MULLER") == ["Zoë Müller-Öztürk"]
    assert find("ACC-100103") == ["Nomvula Khumalo"]
    assert set(find("Jacaranda")) == {"Thabo Mokoena", "Refilwe Mokoena"}
    drn = srv.meter("water")["meter_number"]
    assert find(drn[:10]) == ["Grace Mahlangu"]
    assert find("100%") == []
    assert_error(api.http.get("/v1/meters", params={"q": "x"}), "VALIDATION_ERROR")
