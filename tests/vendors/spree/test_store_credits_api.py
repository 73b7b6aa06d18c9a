"""Store credits over HTTP: every operation's answers and error bodies, JSON:API shapes,
include, pagination, filters, sort and sparse fieldsets. Responses are also checked against
the spec by the app itself (strict mode turns a drift into a 500)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.vendors.spree.conftest import CREDITS, new_credit

JSONAPI = "application/vnd.api+json"
NOT_FOUND = {"error": "The resource you were looking for could not be found."}
DECIMAL = re.compile(r"^-?\d+\.\d+$")
RELATIONSHIPS = {
    "user",
    "created_by",
    "store_credit_category",
    "store_credit_type",
    "store_credit_events",
}


def create(spree: Any, auth: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = spree.post(CREDITS, headers=auth, json=new_credit(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def test_create_answers_201_with_the_resource(spree: Any, auth: dict[str, str]) -> None:
    response = spree.post(
        CREDITS,
        headers=auth,
        json=new_credit(
            amount=25,
            amount_used=10,
            amount_authorized=5.5,
            memo="This credit was given as a refund",
            originator_id="3",
            originator_type="Spree::Refund",
            public_metadata={"source": "support"},
        ),
    )
    assert response.status_code == 201
    assert response.mimetype == JSONAPI
    data = response.get_json()["data"]
    assert (data["id"], data["type"]) == ("2", "store_credit")
    attributes = data["attributes"]
    assert list(attributes) == [
        "amount",
        "amount_used",
        "memo",
        "deleted_at",
        "currency",
        "amount_authorized",
        "originator_type",
        "created_at",
        "updated_at",
        "public_metadata",
        "private_metadata",
        "display_amount",
        "display_amount_used",
    ]
    assert attributes["amount"] == "25.0"
    assert attributes["amount_used"] == "10.0"
    assert attributes["amount_authorized"] == "5.5"
    assert attributes["display_amount"] == "$25.00"
    assert attributes["display_amount_used"] == "$10.00"
    assert attributes["memo"] == "This credit was given as a refund"
    assert attributes["originator_type"] == "Spree::Refund"
    assert attributes["public_metadata"] == {"source": "support"}
    assert attributes["private_metadata"] == {}
    assert attributes["deleted_at"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", attributes["created_at"])
    assert data["relationships"] == {
        "user": {"data": {"id": "1", "type": "user"}},
        "created_by": {"data": {"id": "2", "type": "admin_user"}},
        "store_credit_category": {"data": {"id": "1", "type": "store_credit_category"}},
        "store_credit_type": {"data": {"id": "1", "type": "store_credit_type"}},
        "store_credit_events": {"data": [{"id": "2", "type": "store_credit_event"}]},
    }


def test_create_accepts_jsonapi_content_type(spree: Any, auth: dict[str, str]) -> None:
    response = spree.post(
        CREDITS,
        headers=auth,
        data=json.dumps(new_credit()),
        content_type="application/vnd.api+json",
    )
    assert response.status_code == 201


def test_amounts_are_decimal_strings(spree: Any, auth: dict[str, str]) -> None:
    data = create(spree, auth, amount=0.1, amount_used=0.1, currency="EUR")
    attributes = data["attributes"]
    for name in ("amount", "amount_used", "amount_authorized"):
        assert DECIMAL.fullmatch(attributes[name]), attributes[name]
    assert (attributes["amount"], attributes["display_amount"]) == ("0.1", "€0.10")


def test_create_with_include_returns_included(spree: Any, auth: dict[str, str]) -> None:
    response = spree.post(
        f"{CREDITS}?include=user,store_credit_events", headers=auth, json=new_credit()
    )
    assert response.status_code == 201
    included = response.get_json()["included"]
    assert [(r["type"], r["id"]) for r in included] == [("user", "1"), ("store_credit_event", "2")]
    user = included[0]
    assert user["attributes"]["store_credits"] == [{"currency": "USD", "amount": "250.00"}]
    assert user["attributes"]["average_order_value"] == []
    assert user["relationships"] == {"bill_address": {"data": None}, "ship_address": {"data": None}}
    event = included[1]
    assert "amount_remaining" not in event["attributes"]  # no such column in 4.10
    assert event["attributes"] | {
        "authorization_code": "-",
        "created_at": "-",
        "updated_at": "-",
    } == {
        "action": "allocation",
        "amount": "150.0",
        "authorization_code": "-",
        "user_total_amount": "250.0",
        "originator_type": None,
        "deleted_at": None,
        "created_at": "-",
        "updated_at": "-",
        "display_amount": "$150.00",
        "display_user_total_amount": "$250.00",
        "display_action": "Added",
    }
    assert event["relationships"] == {
        "store_credit": {"data": {"id": "2", "type": "store_credit"}},
        "originator": {"data": None},
    }


def test_create_validation_failure_lists_everything(spree: Any, auth: dict[str, str]) -> None:
    response = spree.post(
        CREDITS,
        headers=auth,
        json=new_credit(user_id="404", amount=10, amount_used=12, amount_authorized=1),
    )
    assert response.status_code == 422
    assert response.mimetype == JSONAPI
    assert response.get_json() == {
        "error": (
            "User can't be blank, Amount used Cannot be greater than amount., "
            "and Amount authorized Exceeds total credits."
        ),
        "errors": {
            "user": ["can't be blank"],
            "amount_used": ["Cannot be greater than amount."],
            "amount_authorized": ["Exceeds total credits."],
        },
    }
    assert spree.get(CREDITS, headers=auth).get_json()["meta"]["total_count"] == 1


def test_schema_problems_become_one_422(spree: Any, auth: dict[str, str]) -> None:
    body = new_credit(amount=0, currency="")
    del body["store_credit"]["user_id"]
    body["store_credit"]["memo"] = 5
    response = spree.post(CREDITS, headers=auth, json=body)
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["errors"] == {  # what the schema refuses is reported without the model's
        "amount": ["must be greater than 0"],
        "currency": ["can't be blank"],
        "memo": ["is invalid"],
    }
    for sentence in (
        "Amount must be greater than 0",
        "Currency can't be blank",
        "Memo is invalid",
    ):
        assert sentence in payload["error"]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"amount": "abc"}, {"amount": ["is not a number"]}),
        ({"amount": 1_000_000}, {"amount": ["must be less than or equal to 999999.99"]}),
        ({"amount_used": -1}, {"amount_used": ["must be greater than or equal to 0"]}),
        ({"amount_authorized": "x"}, {"amount_authorized": ["is not a number"]}),
        (
            {"amount_authorized": "1e999999999"},
            {"amount_authorized": ["must be less than or equal to 999999.99"]},
        ),
        ({"user_id": "abc"}, {"user_id": ["is invalid"]}),  # Rails: 0, then a 500
        ({"currency": "US Dollar"}, {"currency": ["is invalid"]}),
        ({"currency": " "}, {"currency": ["can't be blank"]}),
    ],
)
def test_attribute_problems(spree: Any, auth: dict[str, str], changes: Any, errors: Any) -> None:
    response = spree.post(CREDITS, headers=auth, json=new_credit(**changes))
    assert response.status_code == 422
    assert response.get_json()["errors"] == errors


@pytest.mark.parametrize(
    "body", [{}, {"store_credit": {}}, {"store_credit": "x"}, {"credit": {"amount": 1}}, [], "usd"]
)
def test_missing_wrapper_is_400(spree: Any, auth: dict[str, str], body: Any) -> None:
    response = spree.post(CREDITS, headers=auth, json=body)
    assert response.status_code == 400
    assert response.get_json() == {"error": "param is missing or the value is empty: store_credit"}


def test_unparsable_json_is_400(spree: Any, auth: dict[str, str]) -> None:
    response = spree.post(CREDITS, headers=auth, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(
        "Error occurred while parsing request parameters:"
    )


def test_unsupported_body_type_is_415(spree: Any, auth: dict[str, str]) -> None:
    response = spree.post(CREDITS, headers=auth, data="amount=1", content_type="text/plain")
    assert response.status_code == 415
    assert response.get_json() == {
        "error": (
            "Unsupported media type: text/plain. Send application/json or application/vnd.api+json."
        )
    }


def test_show(spree: Any, auth: dict[str, str]) -> None:
    response = spree.get(f"{CREDITS}/1", headers=auth)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["attributes"]["amount"] == "100.0"
    assert data["attributes"]["memo"] == "Welcome credit"
    assert "included" not in response.get_json()


def test_show_with_every_include(spree: Any, auth: dict[str, str]) -> None:
    response = spree.get(
        f"{CREDITS}/1?include=user,created_by,store_credit_category,store_credit_type,"
        "store_credit_events",
        headers=auth,
    )
    assert response.status_code == 200
    included = {(r["type"], r["id"]): r["attributes"] for r in response.get_json()["included"]}
    assert set(included) == {
        ("user", "1"),
        ("admin_user", "2"),
        ("store_credit_category", "1"),
        ("store_credit_type", "1"),
        ("store_credit_event", "1"),
    }
    assert included[("admin_user", "2")]["email"] == "admin@example.com"
    assert included[("store_credit_category", "1")]["name"] == "Default"
    assert included[("store_credit_type", "1")] == {
        "name": "Expiring",
        "priority": 1,
        "created_at": "2024-01-01T09:00:00.000Z",
        "updated_at": "2024-01-01T09:00:00.000Z",
    }


def test_unknown_include_is_400(spree: Any, auth: dict[str, str]) -> None:
    response = spree.get(f"{CREDITS}/1?include=user,orders", headers=auth)
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "orders is not specified as a relationship on "
        "Spree::Api::V2::Platform::StoreCreditSerializer"
    }


def test_unknown_id_is_404(spree: Any, auth: dict[str, str]) -> None:
    for method in ("get", "patch", "delete"):
        kwargs = {"json": {"store_credit": {"memo": "x"}}} if method == "patch" else {}
        response = getattr(spree, method)(f"{CREDITS}/999", headers=auth, **kwargs)
        assert (response.status_code, response.get_json()) == (404, NOT_FOUND), method


def test_sparse_fieldset(spree: Any, auth: dict[str, str]) -> None:
    response = spree.get(
        f"{CREDITS}/1?fields[store_credit]=amount,display_amount,user", headers=auth
    )
    data = response.get_json()["data"]
    assert data["attributes"] == {"amount": "100.0", "display_amount": "$100.00"}
    assert data["relationships"] == {"user": {"data": {"id": "1", "type": "user"}}}


def test_update_is_partial(spree: Any, auth: dict[str, str]) -> None:
    response = spree.patch(
        f"{CREDITS}/1", headers=auth, json={"store_credit": {"amount": 200, "memo": "raised"}}
    )
    assert response.status_code == 200
    attributes = response.get_json()["data"]["attributes"]
    assert (attributes["amount"], attributes["memo"], attributes["currency"]) == (
        "200.0",
        "raised",
        "USD",
    )
    shown = spree.get(f"{CREDITS}/1?include=store_credit_events", headers=auth).get_json()
    assert shown["data"]["attributes"]["display_amount"] == "$200.00"
    (event,) = shown["included"]
    assert (event["attributes"]["amount"], event["attributes"]["user_total_amount"]) == (
        "200.0",
        "200.0",
    )


def test_update_validation_failure(spree: Any, auth: dict[str, str]) -> None:
    response = spree.patch(
        f"{CREDITS}/1",
        headers=auth,
        json={"store_credit": {"amount_used": 60, "amount_authorized": 50, "category_id": "9"}},
    )
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "Amount authorized Exceeds total credits.",
        "errors": {"amount_authorized": ["Exceeds total credits."]},
    }
    assert (
        spree.get(f"{CREDITS}/1", headers=auth).get_json()["data"]["attributes"]["amount_used"]
        == "0.0"
    )


def test_empty_update_is_400(spree: Any, auth: dict[str, str]) -> None:
    response = spree.patch(f"{CREDITS}/1", headers=auth, json={"store_credit": {}})
    assert response.status_code == 400
    assert response.get_json() == {"error": "param is missing or the value is empty: store_credit"}


def test_delete_is_soft_and_final(spree: Any, auth: dict[str, str]) -> None:
    response = spree.delete(f"{CREDITS}/1", headers=auth)
    assert response.status_code == 204
    assert response.data == b""
    assert "Content-Type" not in response.headers
    assert (spree.get(f"{CREDITS}/1", headers=auth).get_json()) == NOT_FOUND
    assert spree.get(CREDITS, headers=auth).get_json()["data"] == []
    assert spree.delete(f"{CREDITS}/1", headers=auth).status_code == 404
    exported = spree.get("/__admin/state?tenant=spree:test_client").get_json()
    (record,) = exported["tenants"]["spree:test_client"]["records"]["store_credit"]
    assert record["data"]["deleted_at"] is not None  # kept, only marked deleted


def test_delete_of_a_used_credit_is_refused(spree: Any, auth: dict[str, str]) -> None:
    spree.patch(f"{CREDITS}/1", headers=auth, json={"store_credit": {"amount_used": 1}})
    response = spree.delete(f"{CREDITS}/1", headers=auth)
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "Amount used is greater than zero. Can not delete store credit.",
        "errors": {"amount_used": ["is greater than zero. Can not delete store credit."]},
    }
    assert spree.get(f"{CREDITS}/1", headers=auth).status_code == 200


def test_pagination_meta_and_links(spree: Any, auth: dict[str, str]) -> None:
    for amount in (10, 20, 30, 40):
        create(spree, auth, amount=amount)
    response = spree.get(f"{CREDITS}?per_page=2&page=2", headers=auth)
    payload = response.get_json()
    assert [c["id"] for c in payload["data"]] == ["3", "4"]
    assert payload["meta"] == {"count": 2, "total_count": 5, "total_pages": 3}
    base = "http://localhost/api/v2/platform/store_credits"
    assert payload["links"] == {
        "self": f"{base}?per_page=2&page=2",
        "next": f"{base}?per_page=2&page=3",
        "prev": f"{base}?per_page=2&page=1",
        "last": f"{base}?per_page=2&page=3",
        "first": f"{base}?per_page=2&page=1",
    }
    last = spree.get(f"{CREDITS}?per_page=2&page=3", headers=auth).get_json()
    assert last["meta"]["count"] == 1
    assert last["links"]["next"] == f"{base}?per_page=2&page=3"
    beyond = spree.get(f"{CREDITS}?per_page=2&page=9", headers=auth).get_json()
    assert (beyond["data"], beyond["meta"]["count"]) == ([], 0)


def test_the_unfiltered_pages_agree_with_the_sorted_list(spree: Any, auth: dict[str, str]) -> None:
    """The unfiltered list in its default order reads one page from the store and counts
    the live credits; sorted by id it decodes every credit. With deleted credits between
    the live ones, both must show the same pages and the same counts."""
    for number in range(11):
        credit = create(spree, auth, amount=number + 1)
        if number % 3 == 1:
            assert spree.delete(f"{CREDITS}/{credit['id']}", headers=auth).status_code == 204

    def pages(extra: str) -> list[tuple[list[str], dict[str, Any]]]:
        answers = []
        for page in range(1, 6):
            url = f"{CREDITS}?per_page=3&page={page}{extra}"
            payload = spree.get(url, headers=auth).get_json()
            answers.append(([c["id"] for c in payload["data"]], payload["meta"]))
        return answers

    default = pages("")
    assert default[0][1] == {"count": 3, "total_count": 8, "total_pages": 3}
    assert default == pages("&sort=id") == pages("&sort=unsortable")
    assert [i for ids, _ in default for i in ids] == ["1", "2", "4", "5", "7", "8", "10", "11"]


@pytest.mark.parametrize(("per_page", "size"), [("0", 25), ("501", 25), ("500", 500), ("1", 1)])
def test_per_page_outside_range_falls_back(
    spree: Any, auth: dict[str, str], per_page: str, size: int
) -> None:
    for _ in range(25):
        create(spree, auth)
    payload = spree.get(f"{CREDITS}?per_page={per_page}", headers=auth).get_json()
    assert payload["meta"]["count"] == min(size, 26)
    assert payload["meta"]["total_pages"] == -(-26 // size)


def test_filters_sort_and_include_on_the_index(spree: Any, auth: dict[str, str]) -> None:
    create(spree, auth, amount=300, user_id="2")
    create(spree, auth, amount=50, currency="EUR")
    create(spree, auth, amount=75, created_by_id="1")

    def ids(query: str) -> list[str]:
        response = spree.get(f"{CREDITS}?{query}", headers=auth)
        assert response.status_code == 200, response.get_json()
        return [c["id"] for c in response.get_json()["data"]]

    assert ids("filter[user_id_eq]=2") == ["2"]
    assert ids("filter[created_by_id_eq]=1") == ["4"]
    assert ids("filter[currency_eq]=EUR") == ["3"]
    assert ids("filter[amount_gteq]=75") == ["1", "2", "4"]
    assert ids("filter[amount_gteq]=75&filter[user_id_eq]=1") == ["1", "4"]
    assert ids("sort=-id") == ["4", "3", "2", "1"]
    assert ids("sort=-amount") == ["1", "2", "3", "4"]  # only id and timestamps sort
    assert ids("sort=bogus,-id") == ["4", "3", "2", "1"]
    listing = spree.get(f"{CREDITS}?filter[user_id_eq]=2&include=user", headers=auth).get_json()
    assert [(r["type"], r["id"]) for r in listing["included"]] == [("user", "2")]


def test_categories_and_types(spree: Any, auth: dict[str, str]) -> None:
    categories = spree.get("/api/v2/platform/store_credit_categories", headers=auth).get_json()
    assert [(c["id"], c["attributes"]["name"]) for c in categories["data"]] == [
        ("1", "Default"),
        ("2", "Gift Card"),
    ]
    assert categories["meta"] == {"count": 2, "total_count": 2, "total_pages": 1}
    kind = spree.get("/api/v2/platform/store_credit_types/2", headers=auth)
    assert kind.get_json()["data"]["attributes"]["name"] == "Non-expiring"
    missing = spree.get("/api/v2/platform/store_credit_categories/9", headers=auth)
    assert (missing.status_code, missing.get_json()) == (404, NOT_FOUND)
    assert spree.get("/api/v2/platform/store_credit_types").status_code == 401


def test_unknown_route_and_method(spree: Any, auth: dict[str, str]) -> None:
    response = spree.get("/api/v2/platform/orders", headers=auth)
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)
    response = spree.post(f"{CREDITS}/1", headers=auth, json=new_credit())
    assert response.status_code == 405
    assert response.headers["Allow"] == "DELETE, GET, PATCH, PUT"


def test_idempotency_key_replays_and_conflicts(spree: Any, auth: dict[str, str]) -> None:
    headers = {**auth, "Idempotency-Key": "k-1"}
    first = spree.post(CREDITS, headers=headers, json=new_credit(amount=5))
    again = spree.post(CREDITS, headers=headers, json=new_credit(amount=5))
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    conflict = spree.post(CREDITS, headers=headers, json=new_credit(amount=6))
    assert conflict.status_code == 409
    assert conflict.get_json() == {
        "error": "Idempotency-Key was already used for a different request."
    }
    assert spree.get(CREDITS, headers=auth).get_json()["meta"]["total_count"] == 2


def test_links_are_percent_encoded_uris(spree: Any, auth: dict[str, str]) -> None:
    response = spree.get(f"{CREDITS}?filter[user_id_eq]=1&include=user,created_by", headers=auth)
    links = response.get_json()["links"]
    base = "http://localhost/api/v2/platform/store_credits"
    query = "filter%5Buser_id_eq%5D=1&include=user%2Ccreated_by"
    assert links["self"] == f"{base}?{query}"
    assert links["first"] == f"{base}?{query}&page=1"
