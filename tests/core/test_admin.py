"""The admin API: reset, fixtures, state export/import, faults, health, admin token."""

from __future__ import annotations

from typing import Any

from tests.core.conftest import KEY
from tests.core.toy import VENDOR


def names(client: Any, headers: dict[str, str] = KEY) -> list[str]:
    return [i["name"] for i in client.get("/toy/items", headers=headers).get_json()["items"]]


def test_health_lists_vendors_and_demo_credentials(toy: Any) -> None:
    health = toy.get("/__admin/health").get_json()
    assert health["status"] == "ok"
    assert health["vendors"]["toy"]["demo_credentials"] == ["X-Key: toy_demo"]


def test_reset_all_and_one_tenant(toy: Any) -> None:
    a = {"X-Key": "toy_test_a"}
    toy.post("/toy/items", json={"name": "demo-new", "qty": 1}, headers=KEY)
    toy.post("/toy/items", json={"name": "a-new", "qty": 1}, headers=a)
    assert toy.post("/__admin/reset", json={"tenant": "toy:toy_test_a"}).status_code == 200
    assert names(toy, a) == ["apple"]
    assert names(toy) == ["apple", "demo-new"]
    toy.post("/__admin/reset")
    assert names(toy) == ["apple"]


def test_load_fixtures_reseeds_and_bad_fixtures_name_the_field(toy: Any) -> None:
    names(toy)  # create the demo tenant
    good = {"vendor": "toy", "fixtures": {"items": [{"id": "9", "name": "kiwi", "qty": 1}]}}
    assert toy.post("/__admin/fixtures", json=good).get_json()["reseeded"] == ["toy:demo"]
    assert names(toy) == ["kiwi"]
    bad = {"vendor": "toy", "fixtures": {"items": [{"id": "9", "qty": 1}]}}
    response = toy.post("/__admin/fixtures", json=bad)
    assert response.status_code == 400
    assert "items/0" in response.get_json()["error"]
    assert "'name' is a required property" in response.get_json()["error"]
    assert names(toy) == ["kiwi"]


def test_export_then_import_restores_state(toy: Any) -> None:
    toy.post("/toy/items", json={"name": "saved", "qty": 1}, headers=KEY)
    dump = toy.get("/__admin/state").get_json()
    toy.post("/toy/items", json={"name": "later", "qty": 1}, headers=KEY)
    assert toy.put("/__admin/state", json=dump).status_code == 200
    assert names(toy) == ["apple", "saved"]
    created = toy.post("/toy/items", json={"name": "next", "qty": 1}, headers=KEY).get_json()
    assert created["id"] == "101"  # sequences are part of the state


def test_import_rejects_unknown_vendor(toy: Any) -> None:
    response = toy.put("/__admin/state", json={"tenants": {"x": {"vendor": "nope"}}})
    assert response.status_code == 400


def test_fault_rule_forces_status_with_retry_after_and_is_removable(toy: Any) -> None:
    rule = toy.post(
        "/__admin/faults", json={"path": "/toy/items", "status": 429, "retry_after": 3}
    ).get_json()
    limited = toy.get("/toy/items", headers=KEY)
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "3")
    assert limited.get_json() == {"error": "injected"}
    assert toy.get("/toy/items/1", headers=KEY).status_code == 200  # other path untouched
    assert toy.delete(f"/__admin/faults/{rule['id']}").status_code == 204
    assert toy.get("/toy/items", headers=KEY).status_code == 200


def test_fault_rule_per_tenant_and_probability_zero(toy: Any) -> None:
    toy.post("/__admin/faults", json={"path": "/toy/*", "status": 503, "tenant": "toy:toy_test_a"})
    toy.post("/__admin/faults", json={"path": "/toy/*", "status": 500, "probability": 0})
    assert toy.get("/toy/items", headers={"X-Key": "toy_test_a"}).status_code == 503
    assert toy.get("/toy/items", headers=KEY).status_code == 200
    assert len(toy.get("/__admin/faults").get_json()["faults"]) == 2
    toy.delete("/__admin/faults")
    assert toy.get("/__admin/faults").get_json() == {"faults": []}


def test_injected_fault_changes_no_state(toy: Any) -> None:
    toy.post("/__admin/faults", json={"path": "/toy/items", "method": "POST", "status": 503})
    assert toy.post("/toy/items", json={"name": "x", "qty": 1}, headers=KEY).status_code == 503
    toy.delete("/__admin/faults")
    assert names(toy) == ["apple"]


def test_invalid_fault_rule_is_refused(toy: Any) -> None:
    response = toy.post("/__admin/faults", json={"path": "/toy/*"})
    assert response.status_code == 400
    assert toy.post("/__admin/faults", json={"path": "/x", "status": 200}).status_code == 400


def test_admin_token(make_app: Any) -> None:
    client = make_app(vendors=[VENDOR], admin_token="s3cret").test_client()
    assert client.get("/__admin/tenants").status_code == 401
    assert client.get("/__admin/tenants", headers={"X-Admin-Token": "s3cret"}).status_code == 200
    assert client.get("/toy/items", headers=KEY).status_code == 200  # vendor API unaffected


def test_health_is_open_but_its_details_need_the_admin_token(make_app: Any) -> None:
    """Health checks, `mockserver wait` and the suite's probe send no token."""
    client = make_app(vendors=[VENDOR], admin_token="s3cret").test_client()
    public = client.get("/__admin/health")
    assert public.status_code == 200
    assert public.get_json() == {
        "status": "ok",
        "fidelity": "vendor",
        "vendors": {"toy": {"quirks": []}},
    }
    full = client.get("/__admin/health", headers={"X-Admin-Token": "s3cret"}).get_json()
    assert full["vendors"]["toy"]["demo_credentials"] == ["X-Key: toy_demo"]
    assert "tenants" in full and "state" in full


def test_import_rejects_a_malformed_dump_and_changes_nothing(toy: Any) -> None:
    names(toy)
    before = toy.get("/__admin/state").get_json()
    bad = {"tenants": {"toy:demo": {"vendor": "toy", "records": {"item": [{"id": 1}]}}}}
    response = toy.put("/__admin/state", json=bad)
    assert response.status_code == 400
    assert "records/item/0" in response.get_json()["error"]
    assert toy.put("/__admin/state", data=b"{", content_type="application/json").status_code == 400
    assert toy.get("/__admin/state").get_json() == before
