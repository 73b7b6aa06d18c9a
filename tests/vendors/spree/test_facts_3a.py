"""One test per rule of FACTS.md section 3a: what Spree 4.10.1's source does, on the mock.

Each test names its rule. The quirk that reproduces Spree's 500 for a credit without a user is
tested both ways: with the quirk (vendor fidelity) and without it (spec conformance).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from mockserver.openapi import load_spec
from mockserver.vendors.spree import VENDOR
from tests.vendors.spree.conftest import CREDITS, bearer, issue_token

JSONAPI = "application/vnd.api+json"


def post(spree: Any, auth: dict[str, str], **attributes: Any) -> Any:
    return spree.post(CREDITS, headers=auth, json={"store_credit": attributes})


def errors_of(response: Any) -> Any:
    assert response.status_code == 422, response.get_json()
    return response.get_json()["errors"]


def ids(spree: Any, auth: dict[str, str], query: str) -> list[str]:
    response = spree.get(f"{CREDITS}?{query}", headers=auth)
    assert response.status_code == 200, response.get_json()
    return [c["id"] for c in response.get_json()["data"]]


# -- create requires far less than the published spec ------------------------------------


def test_create_with_only_user_amount_and_currency_is_201(spree: Any, auth: dict[str, str]):
    response = post(spree, auth, user_id="1", amount=10, currency="USD")
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["attributes"]["amount"] == "10.0"
    relationships = data["relationships"]
    for name in ("created_by", "store_credit_category", "store_credit_type"):
        assert relationships[name] == {"data": None}, name  # empty relations render null


def test_only_currency_and_amount_are_validated(spree: Any, auth: dict[str, str]):
    body = errors_of(post(spree, auth, user_id="1", memo="no amount, no currency"))
    assert body == {"currency": ["can't be blank"], "amount": ["must be greater than 0"]}


def test_a_currency_that_is_no_currency_code_is_refused(spree: Any, auth: dict[str, str]):
    """Spree would save it and then fail to show it; the mock refuses it up front, in a JSON
    body (its schema's pattern) and in a form body (the model) alike."""
    assert errors_of(post(spree, auth, user_id="1", amount=5, currency="$,./")) == {
        "currency": ["is invalid"]
    }
    form = {"store_credit[user_id]": "1", "store_credit[amount]": "5"}
    refused = spree.post(CREDITS, headers=auth, data=form | {"store_credit[currency]": "$,./"})
    assert errors_of(refused) == {"currency": ["is invalid"]}
    accepted = spree.post(CREDITS, headers=auth, data=form | {"store_credit[currency]": "eur"})
    assert accepted.status_code == 201


def test_unknown_optional_ids_are_no_error_and_never_must_exist(spree: Any, auth: dict[str, str]):
    response = post(
        spree, auth, user_id="1", amount=5, currency="USD", category_id="404", type_id="405"
    )
    assert response.status_code == 201, response.get_json()
    relationships = response.get_json()["data"]["relationships"]
    assert relationships["store_credit_category"] == {
        "data": {"id": "404", "type": "store_credit_category"}
    }
    failed = post(spree, auth, user_id="1", amount=0, currency="USD", created_by_id="999")
    assert "must exist" not in failed.get_json()["error"]


def test_store_id_is_replaced_by_the_current_store(spree: Any, auth: dict[str, str]):
    response = post(spree, auth, user_id="1", amount=5, currency="USD", store_id="77")
    assert response.status_code == 201
    exported = spree.get("/__admin/state?tenant=spree:test_client").get_json()
    records = exported["tenants"]["spree:test_client"]["records"]["store_credit"]
    assert {r["data"]["store_id"] for r in records} == {"1"}


@pytest.fixture
def quirky(make_app: Any) -> Any:
    """The mock reproducing Spree 4.10.1's defects (vendor fidelity)."""
    app: Flask = make_app(vendors=[VENDOR], fidelity="vendor")
    return app.test_client()


@pytest.mark.parametrize("user", [None, "404"])
def test_missing_user_is_a_500_in_vendor_fidelity(quirky: Any, user: str | None):
    auth = bearer(issue_token(quirky))
    attributes = {"amount": 10, "currency": "USD"} | ({"user_id": user} if user else {})
    response = post(quirky, auth, **attributes)
    assert (response.status_code, response.get_json()) == (
        500,
        {"status": 500, "error": "Internal Server Error"},
    )
    assert quirky.get(CREDITS, headers=auth).get_json()["meta"]["total_count"] == 1


def test_missing_user_is_user_cant_be_blank_in_spec_fidelity(spree: Any, auth: dict[str, str]):
    response = post(spree, auth, amount=10, currency="USD")
    assert response.get_json() == {
        "error": "User can't be blank",
        "errors": {"user": ["can't be blank"]},
    }


# -- Rails casts input ----------------------------------------------------------------------


def test_integer_ids_numeric_strings_and_lowercase_currency(spree: Any, auth: dict[str, str]):
    response = post(spree, auth, user_id=1, created_by_id=2, amount="10", currency="usd")
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["attributes"]["amount"], data["attributes"]["currency"]) == ("10.0", "usd")
    assert data["attributes"]["display_amount"] == "$10.00"
    assert data["relationships"]["created_by"] == {"data": {"id": "2", "type": "admin_user"}}


def test_form_encoded_bodies_are_accepted(spree: Any, auth: dict[str, str]):
    response = spree.post(
        CREDITS,
        headers=auth,
        data={
            "store_credit[user_id]": "1",
            "store_credit[amount]": "12.5",
            "store_credit[currency]": "EUR",
        },
    )
    assert response.status_code == 201, response.get_json()
    attributes = response.get_json()["data"]["attributes"]
    assert (attributes["amount"], attributes["currency"]) == ("12.5", "EUR")
    word = spree.post(CREDITS, headers=auth, data={"store_credit[amount]": "lots"})
    assert errors_of(word)["amount"] == ["is not a number"]


def test_scalar_metadata_and_unpermitted_keys_are_dropped(spree: Any, auth: dict[str, str]):
    response = post(
        spree, auth, user_id="1", amount=5, currency="USD", public_metadata="x", id="999", foo=1
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["id"] == "2"
    assert data["attributes"]["public_metadata"] == {}


def test_amount_is_rounded_to_cents_before_validation(spree: Any, auth: dict[str, str]):
    assert errors_of(post(spree, auth, user_id="1", amount=0.004, currency="USD")) == {
        "amount": ["must be greater than 0"]
    }
    response = post(spree, auth, user_id="1", amount=10, amount_used=10.004, currency="USD")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["attributes"]["amount_used"] == "10.0"
    assert spree.get(CREDITS, headers=auth).get_json()["meta"]["total_count"] == 2


def test_amount_authorized_has_no_lower_bound(spree: Any, auth: dict[str, str]):
    response = post(
        spree, auth, user_id="1", amount=10, amount_used=10, amount_authorized=-2.5, currency="USD"
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["attributes"]["amount_authorized"] == "-2.5"


# -- PUT is PATCH ----------------------------------------------------------------------------


def test_put_updates_like_patch(spree: Any, auth: dict[str, str]):
    response = spree.put(f"{CREDITS}/1", headers=auth, json={"store_credit": {"memo": "via PUT"}})
    assert response.status_code == 200, response.get_json()
    attributes = response.get_json()["data"]["attributes"]
    assert (attributes["memo"], attributes["amount"]) == ("via PUT", "100.0")  # partial


# -- query ---------------------------------------------------------------------------------


def test_empty_include_means_no_included(spree: Any, auth: dict[str, str]):
    for path in (f"{CREDITS}?include=", f"{CREDITS}/1?include="):
        response = spree.get(path, headers=auth)
        assert response.status_code == 200, path
        assert "included" not in response.get_json()


@pytest.mark.parametrize(
    ("query", "count", "page_size"),
    [("page=abc", 3, 25), ("page=-4", 3, 25), ("per_page=abc", 3, 25), ("per_page=2x", 2, 2)],
)
def test_page_and_per_page_go_through_to_i(
    spree: Any, auth: dict[str, str], query: str, count: int, page_size: int
):
    for _ in range(2):
        post(spree, auth, user_id="1", amount=5, currency="USD")
    payload = spree.get(f"{CREDITS}?{query}", headers=auth).get_json()
    assert payload["meta"]["count"] == count
    assert payload["meta"]["total_pages"] == -(-3 // page_size)


def test_ransack_predicates_on_the_whitelist(spree: Any, auth: dict[str, str]):
    post(spree, auth, user_id="2", amount=300, currency="EUR", type_id="2")  # 2
    post(spree, auth, user_id="1", amount=50, currency="USD", created_by_id="2")  # 3
    assert ids(spree, auth, "filter[amount_lt]=100") == ["3"]
    assert ids(spree, auth, "filter[amount_lteq]=100") == ["1", "3"]
    assert ids(spree, auth, "filter[amount_gt]=100") == ["2"]
    assert ids(spree, auth, "filter[amount_not_eq]=100") == ["2", "3"]
    assert ids(spree, auth, "filter[user_id_in][]=2&filter[user_id_in][]=9") == ["2"]
    assert ids(spree, auth, "filter[user_id_not_in][]=2") == ["1", "3"]
    assert ids(spree, auth, "filter[currency_cont]=U") == ["1", "2", "3"]
    assert ids(spree, auth, "filter[currency_start]=E") == ["2"]
    assert ids(spree, auth, "filter[currency_end]=D") == ["1", "3"]
    assert ids(spree, auth, "filter[type_id_null]=1") == ["3"]
    assert ids(spree, auth, "filter[type_id_not_null]=true") == ["1", "2"]
    assert ids(spree, auth, "filter[currency_present]=1") == ["1", "2", "3"]
    assert ids(spree, auth, "filter[created_by_id_eq]=2&filter[user_id_eq]=1") == ["1", "3"]
    assert ids(spree, auth, "filter[amount_gteq_any][]=300&filter[amount_gteq_any][]=90") == [
        "1",
        "2",
    ]


def test_blank_and_unknown_filters_are_ignored(spree: Any, auth: dict[str, str]):
    post(spree, auth, user_id="2", amount=30, currency="EUR")
    every = ["1", "2"]
    for query in (
        "filter[currency_eq]=",
        "filter[user_id_eq]=%20",
        "filter[memo_eq]=x",  # not ransackable
        "filter[amount_bogus]=1",  # no such predicate
        "filter[user_id_cont]=1",  # a text predicate on a number
        "filter=abc",
    ):
        assert ids(spree, auth, query) == every, query


def test_sort_only_on_id_and_timestamps(spree: Any, auth: dict[str, str]):
    post(spree, auth, user_id="1", amount=500, currency="AAA")
    post(spree, auth, user_id="1", amount=1, currency="ZZZ")
    assert ids(spree, auth, "sort=-id") == ["3", "2", "1"]
    assert ids(spree, auth, "sort=-created_at,-id") == ["3", "2", "1"]
    for ignored in ("amount", "-amount", "currency", "-currency", "memo"):
        assert ids(spree, auth, f"sort={ignored}") == ["1", "2", "3"], ignored


# -- auth ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "The access token is invalid"),
        ("nonsense", "The access token is invalid"),
    ],
)
def test_doorkeeper_errors_are_401_with_its_message(spree: Any, token: Any, message: str):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = spree.get(CREDITS, headers=headers)
    assert (response.status_code, response.get_json()) == (401, {"error": message})


def test_a_read_scope_token_writing_is_401(spree: Any):
    read = bearer(issue_token(spree, scope="read"))
    response = spree.patch(f"{CREDITS}/1", headers=read, json={"store_credit": {"memo": "x"}})
    assert (response.status_code, response.get_json()) == (
        401,
        {"error": 'Access to this resource requires scope "write admin".'},
    )


def test_a_customer_password_token_is_401(spree: Any):
    response = spree.post(
        "/spree_oauth/token",
        json={
            "grant_type": "password",
            "username": "demo@example.com",
            "password": "spree123",
            "scope": "admin",
            "client_id": "test_client",
            "client_secret": "test_secret",
        },
    )
    listing = spree.get(CREDITS, headers=bearer(response.get_json()))
    assert listing.status_code == 401


def test_the_token_may_come_as_access_token_parameter(spree: Any):
    token = issue_token(spree)["access_token"]
    assert spree.get(f"{CREDITS}?access_token={token}").status_code == 200


def test_client_credentials_issue_no_refresh_token(spree: Any):
    token = issue_token(spree)
    assert "refresh_token" not in token
    assert token["expires_in"] == 7200  # the configured lifetime (`--token-ttl`)


# -- serializer ----------------------------------------------------------------------------


def test_created_by_is_an_admin_user_and_included_users_carry_more(
    spree: Any, auth: dict[str, str]
):
    response = spree.get(f"{CREDITS}/1?include=user,created_by", headers=auth)
    payload = response.get_json()
    assert payload["data"]["relationships"]["created_by"]["data"]["type"] == "admin_user"
    kinds = {r["type"]: r for r in payload["included"]}
    assert set(kinds) == {"user", "admin_user"}
    user = kinds["user"]
    assert {"selected_locale", "average_order_value", "lifetime_value", "store_credits"} <= set(
        user["attributes"]
    )
    assert set(user["relationships"]) == {"bill_address", "ship_address"}


def test_included_event_has_display_fields_and_no_amount_remaining(
    spree: Any, auth: dict[str, str]
):
    payload = spree.get(f"{CREDITS}/1?include=store_credit_events", headers=auth).get_json()
    (event,) = payload["included"]
    attributes = event["attributes"]
    assert "amount_remaining" not in attributes
    assert (attributes["display_action"], attributes["display_user_total_amount"]) == (
        "Added",
        "$100.00",
    )
    assert set(event["relationships"]) == {"store_credit", "originator"}


def test_response_schema_is_open_to_attributes_later_versions_add():
    """Spree 5.x adds `display_amount_remaining`/`display_amount_authorized`: the spec's
    store credit must still accept such a resource."""
    spec = load_spec(VENDOR.spec_file)
    schema = spec.document["components"]["schemas"]["StoreCreditAttributes"]
    assert schema.get("additionalProperties", True) is not False
    assert {"display_amount_remaining", "display_amount_authorized"} <= set(schema["properties"])
