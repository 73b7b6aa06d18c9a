"""The request pipeline, through a toy vendor: routing, bodies, auth, validation, state."""

from __future__ import annotations

import json
from typing import Any

from tests.core.conftest import KEY


def test_valid_write_is_created_and_readable(toy: Any) -> None:
    created = toy.post("/toy/items", json={"name": "pear", "qty": 2}, headers=KEY)
    assert created.status_code == 201
    assert created.get_json() == {"id": "100", "name": "pear", "qty": 2}
    assert toy.get("/toy/items/100", headers=KEY).get_json()["name"] == "pear"


def test_fixtures_seed_each_new_tenant(toy: Any) -> None:
    assert toy.get("/toy/items/1", headers=KEY).get_json() == {"id": "1", "name": "apple", "qty": 3}


def test_every_problem_is_reported_not_only_the_first(toy: Any) -> None:
    response = toy.post("/toy/items?zz=1", json={"name": 5, "qty": 0, "extra": True}, headers=KEY)
    assert response.status_code == 400
    assert sorted(response.get_json()["problems"]) == [
        "body::unknown",
        "body:name:type",
        "body:qty:constraint",
        "query::unknown",
    ]


def test_missing_required_field_and_body(toy: Any) -> None:
    assert toy.post("/toy/items", json={"qty": 1}, headers=KEY).get_json()["problems"] == [
        "body:name:required"
    ]
    assert toy.post("/toy/items", headers=KEY).get_json()["problems"] == ["body::required"]


def test_query_parameter_of_wrong_type(toy: Any) -> None:
    response = toy.get("/toy/items?limit=abc", headers=KEY)
    assert response.status_code == 400
    assert response.get_json()["problems"] == ["query:limit:type"]


def test_auth_required_and_sandbox_tenants_are_isolated(toy: Any) -> None:
    assert toy.get("/toy/items").status_code == 401
    assert toy.get("/toy/items", headers={"X-Key": "nope"}).status_code == 401
    a, b = {"X-Key": "toy_test_a"}, {"X-Key": "toy_test_b"}
    toy.post("/toy/items", json={"name": "only-a", "qty": 1}, headers=a)
    names_a = [i["name"] for i in toy.get("/toy/items", headers=a).get_json()["items"]]
    names_b = [i["name"] for i in toy.get("/toy/items", headers=b).get_json()["items"]]
    assert names_a == ["apple", "only-a"]
    assert names_b == ["apple"]


def test_public_operation_needs_no_credentials(toy: Any) -> None:
    assert toy.get("/toy/ping").get_json() == {"pong": True}


def test_unknown_path_and_undeclared_method(toy: Any) -> None:
    missing = toy.get("/toy/nothing", headers=KEY)
    assert (missing.status_code, missing.get_json()) == (
        404,
        {"error": "no route GET /toy/nothing"},
    )
    wrong = toy.delete("/toy/items", headers=KEY)
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "GET, POST"
    options = toy.open("/toy/items", method="OPTIONS")
    assert options.status_code == 405


def test_path_outside_every_vendor_is_a_json_404(toy: Any) -> None:
    response = toy.get("/elsewhere")
    assert response.status_code == 404
    assert response.is_json


def test_refused_request_rolls_back_its_writes(toy: Any) -> None:
    response = toy.post("/toy/items", json={"name": "boom", "qty": 1}, headers=KEY)
    assert response.status_code == 400
    assert toy.get("/toy/items/partial", headers=KEY).status_code == 404


def test_response_breaking_the_spec_fails_loudly_in_strict_mode(toy: Any) -> None:
    response = toy.get("/toy/items?limit=7", headers=KEY)
    assert response.status_code == 500
    assert "breaks the spec" in response.get_json()["mock_error"]


def test_response_breaking_the_spec_is_passed_through_when_not_strict(make_app: Any) -> None:
    from tests.core.toy import VENDOR

    lenient = make_app(vendors=[VENDOR], strict_responses=False).test_client()
    assert lenient.get("/toy/items?limit=7", headers=KEY).status_code == 200


def test_idempotency_key_replays_and_conflicts(toy: Any) -> None:
    headers = {**KEY, "Idempotency-Key": "k1"}
    first = toy.post("/toy/items", json={"name": "once", "qty": 1}, headers=headers)
    again = toy.post("/toy/items", json={"name": "once", "qty": 1}, headers=headers)
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    items = toy.get("/toy/items", headers=KEY).get_json()["items"]
    assert [i["name"] for i in items].count("once") == 1
    other = toy.post("/toy/items", json={"name": "twice", "qty": 1}, headers=headers)
    assert (other.status_code, other.get_json()) == (409, {"error": "idempotency conflict"})


def test_idempotency_keys_are_per_tenant(toy: Any) -> None:
    body = {"name": "x", "qty": 1}
    toy.post("/toy/items", json=body, headers={"X-Key": "toy_test_a", "Idempotency-Key": "k"})
    other = toy.post(
        "/toy/items",
        json={"name": "y", "qty": 1},
        headers={"X-Key": "toy_test_b", "Idempotency-Key": "k"},
    )
    assert other.status_code == 201


def post_raw(toy: Any, data: bytes, content_type: str = "application/json") -> Any:
    return toy.post("/toy/items", data=data, content_type=content_type, headers=KEY)


def test_malformed_json(toy: Any) -> None:
    response = post_raw(toy, b'{"name": "x",')
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("malformed: ")


def test_invalid_utf8(toy: Any) -> None:
    response = post_raw(toy, b'{"name": "\xff\xfe", "qty": 1}')
    assert response.status_code == 400
    assert "UTF-8" in response.get_json()["error"]


def test_deep_nesting(toy: Any) -> None:
    deep = b"[" * 10_000 + b"]" * 10_000
    response = post_raw(toy, deep)
    assert response.status_code == 400
    assert "nesting" in response.get_json()["error"]


def test_nan_is_not_json(toy: Any) -> None:
    assert post_raw(toy, b'{"name": "x", "qty": NaN}').status_code == 400


def test_huge_body(toy: Any) -> None:
    response = post_raw(toy, b'{"name": "' + b"x" * 10_000_000 + b'", "qty": 1}')
    assert response.status_code == 413
    assert response.get_json() == {"error": "over 1048576 bytes"}


def test_wrong_content_type(toy: Any) -> None:
    response = post_raw(toy, b"name=x", "text/plain")
    assert response.status_code == 400
    assert response.get_json()["error"] == "media type text/plain"


def test_bad_input_changes_nothing(toy: Any) -> None:
    before = toy.get("/toy/items", headers=KEY).get_json()
    for data in (b"{", b"\xff", b"[" * 5000, b'{"name": 1, "qty": 1}'):
        post_raw(toy, data)
    assert toy.get("/toy/items", headers=KEY).get_json() == before


def test_journal_records_requests(toy: Any) -> None:
    toy.get("/toy/items", headers=KEY)
    toy.get("/toy/items/404", headers=KEY)
    entries = toy.get("/__admin/requests?status=404").get_json()["requests"]
    assert [(e["method"], e["path"], e["tenant"]) for e in entries] == [
        ("GET", "/toy/items/404", "toy:demo")
    ]
    assert toy.get("/__admin/requests/count?path=/toy/items").get_json() == {"count": 2}
    assert toy.delete("/__admin/requests").status_code == 204
    assert toy.get("/__admin/requests/count").get_json() == {"count": 0}


def test_journal_is_bounded(make_app: Any) -> None:
    from tests.core.toy import VENDOR

    client = make_app(vendors=[VENDOR], journal_size=3).test_client()
    for _ in range(5):
        client.get("/toy/ping")
    assert client.get("/__admin/requests/count").get_json() == {"count": 3}


def test_state_survives_a_restart_with_a_state_file(make_app: Any, tmp_path: Any) -> None:
    from tests.core.toy import VENDOR

    path = str(tmp_path / "state.sqlite3")
    first = make_app(vendors=[VENDOR], state_path=path).test_client()
    first.post("/toy/items", json={"name": "kept", "qty": 4}, headers=KEY)
    first.application.extensions["mockserver"].store.close()
    second = make_app(vendors=[VENDOR], state_path=path).test_client()
    assert second.get("/toy/items/100", headers=KEY).get_json()["name"] == "kept"


def test_json_body_of_error_has_vendor_content_type(toy: Any) -> None:
    response = toy.get("/toy/items/404", headers=KEY)
    assert response.mimetype == "application/json"
    assert json.loads(response.data) == {"error": "not found"}


def test_credentials_are_checked_before_the_body(toy: Any) -> None:
    """An anonymous caller learns nothing about body parsing: 401 comes first."""
    response = toy.post("/toy/items", data=b"{", content_type="application/json")
    assert response.status_code == 401
