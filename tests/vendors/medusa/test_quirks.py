"""The real Medusa's defects: reproduced in the default (vendor) fidelity, off in spec mode."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.vendors.medusa import VENDOR
from tests.vendors.medusa.conftest import ACCOUNTS, DEMO_ACCOUNT, basic

UNKNOWN_ERROR = {
    "code": "unknown_error",
    "type": "unknown_error",
    "message": "An unknown error occurred.",
}
KEY = basic("sk_test_demo")


@pytest.fixture
def vendor_mode(make_app: Any) -> Any:
    return make_app(vendors=[VENDOR]).test_client()  # the default fidelity


@pytest.fixture
def spec_mode(make_app: Any) -> Any:
    return make_app(vendors=[VENDOR], fidelity="spec").test_client()


@pytest.mark.parametrize(
    "path",
    [
        f"{ACCOUNTS}?limit=-1",
        f"{ACCOUNTS}?offset=-1",
        f"{ACCOUNTS}?order=nope",
        f"{ACCOUNTS}/{DEMO_ACCOUNT}/transactions?limit=-1",
        f"{ACCOUNTS}?limit=-0x2",  # parseInt reads -2
        f"{ACCOUNTS}?%5Blimit%5D=-1",  # the query parser reads `[limit]` as `limit`
    ],
)
def test_query_defects_are_500_in_vendor_mode_and_400_in_spec_mode(vendor_mode, spec_mode, path):
    response = vendor_mode.get(path, headers=KEY)
    assert (response.status_code, response.get_json()) == (500, UNKNOWN_ERROR)
    clean = spec_mode.get(path, headers=KEY)
    assert clean.status_code == 400
    assert clean.get_json()["type"] == "invalid_data"


@pytest.mark.parametrize(
    ("query", "offset", "limit"),
    [
        ("limit=3abc", 0, 3),
        ("offset=0x10&limit=1", 16, 1),
        ("limit=%20%205x", 0, 5),
        ("limit=%2B4z", 0, 4),
        ("offset=12abc", 12, 15),
        ("%5Blimit%5D=3abc", 0, 3),
    ],
)
@pytest.mark.parametrize("listing", [ACCOUNTS, f"{ACCOUNTS}/{DEMO_ACCOUNT}/transactions"])
def test_paging_is_read_by_parse_int_before_it_is_checked_in_vendor_mode(
    vendor_mode, spec_mode, listing, query, offset, limit
):
    answer = vendor_mode.get(f"{listing}?{query}", headers=KEY)
    assert answer.status_code == 200, answer.get_json()
    assert (answer.get_json()["offset"], answer.get_json()["limit"]) == (offset, limit)
    refused = spec_mode.get(f"{listing}?{query}", headers=KEY)
    assert (refused.status_code, refused.get_json()["type"]) == (400, "invalid_data")


@pytest.mark.parametrize(
    ("sent", "key"),
    [
        ("a.b.c", "a.b.c"),
        ("fields.a.b", "fields.a.b"),
        ("limit.x.y", "limit.x.y"),
        ("a.b.c%5Bx%5D", "a.b.c"),
        ("%5Ba.b.c%5D", "a.b.c"),  # the query parser reads `[a.b.c]` as the key `a.b.c`
    ],
)
def test_a_query_key_too_deep_is_500_in_vendor_mode_and_400_in_spec_mode(
    vendor_mode, spec_mode, sent, key
):
    body = {"type": "invalid_argument", "message": f"Key accessor more than 2 levels deep: {key}"}
    answer = vendor_mode.get(f"{ACCOUNTS}?{sent}=1", headers=KEY)
    assert (answer.status_code, answer.get_json()) == (500, body)
    clean = spec_mode.get(f"{ACCOUNTS}?{sent}=1", headers=KEY)
    assert (clean.status_code, clean.get_json()) == (400, body)


@pytest.mark.parametrize(
    ("query", "unknown"),
    [
        ("created_at[x]=1", "x"),
        ("updated_at[foo]=1", "foo"),
        ("created_at[x][y]=1", "x"),
        ("created_at[$gt]=2024-01-01T00:00:00Z&created_at[x]=1", "x"),
        # Keys openapi-core's deepObject reader does not see (not word characters): plain
        # Schemathesis found `created_at[\x85...]` accepted in spec mode.
        ("created_at[%C2%85]=1", "\x85"),
        ("created_at[$eq]=2024-01-01T00:00:00Z&updated_at[$foo]=1", "$foo"),
    ],
)
def test_date_keys_naming_no_operator_are_ignored_in_vendor_mode(
    vendor_mode, spec_mode, query, unknown
):
    assert vendor_mode.get(f"{ACCOUNTS}?{query}", headers=KEY).status_code == 200
    refused = spec_mode.get(f"{ACCOUNTS}?{query}", headers=KEY)
    assert (refused.status_code, refused.get_json()) == (
        400,
        {"type": "invalid_data", "message": f"Invalid request: Unrecognized fields: '{unknown}'"},
    )


@pytest.mark.parametrize(("sent", "shown"), [("0x", "0x"), ("0xg", "0xg"), ("%1C5", "\x1c5")])
def test_what_parse_int_cannot_read_is_refused_naming_it(vendor_mode, sent, shown):
    answer = vendor_mode.get(f"{ACCOUNTS}?limit={sent}", headers=KEY)
    assert answer.status_code == 400
    expected = f"Invalid request: Expected type: 'number' for field 'limit', got: '{shown}'"
    assert answer.get_json()["message"] == expected


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/admin/nope"), ("DELETE", ACCOUNTS), ("PUT", f"{ACCOUNTS}/{DEMO_ACCOUNT}")],
)
def test_unrouted_requests_get_express_html_page_in_vendor_mode(vendor_mode, method, path):
    response = vendor_mode.open(path, method=method, headers=KEY)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Allow" not in response.headers
    assert f"<pre>Cannot {method} {path}</pre>" in response.get_data(as_text=True)


def test_express_page_encodes_the_path_as_express_does(vendor_mode):
    response = vendor_mode.get('/admin/a%20b<x>"', headers=KEY)
    assert "<pre>Cannot GET /admin/a%20b%3Cx%3E%22</pre>" in response.get_data(as_text=True)


def test_spec_mode_answers_json_404_and_405(spec_mode):
    missing = spec_mode.get("/admin/nope", headers=KEY)
    assert missing.get_json() == {"type": "not_found", "message": "Cannot GET /admin/nope"}
    wrong = spec_mode.delete(ACCOUNTS, headers=KEY)
    assert (wrong.status_code, wrong.headers["Allow"]) == (405, "GET, POST")


@pytest.mark.parametrize("client", ["vendor_mode", "spec_mode"])
def test_unknown_admin_route_checks_credentials_first(request, client):
    response = request.getfixturevalue(client).get("/admin/nope")
    assert (response.status_code, response.get_json()) == (401, {"message": "Unauthorized"})


def test_health_names_the_mode_and_the_quirks(vendor_mode, spec_mode):
    health = vendor_mode.get("/__admin/health").get_json()
    assert health["fidelity"] == "vendor"
    assert health["vendors"]["medusa"]["quirks"] == [q.name for q in VENDOR.quirks]
    assert spec_mode.get("/__admin/health").get_json()["fidelity"] == "spec"


@pytest.mark.parametrize(
    ("query", "spec_count"),
    [
        ("id[$eq]=a&id[$eq]=b", 0),
        ("customer_id[$ne]=a&customer_id[$ne]=b", 1),
        ("currency_code[$eq][]=usd&currency_code[$eq][]=eur", 1),
        ("customer_id[$contains]=x", 1),
        ("created_at[$ne][]=2025-01-01T00:00:00Z&created_at[$ne][]=2025-01-02T00:00:00Z", 1),
    ],
)
def test_list_equality_and_contains_crash_the_query_in_vendor_mode(
    vendor_mode, spec_mode, query, spec_count
):
    crashed = vendor_mode.get(f"{ACCOUNTS}?{query}", headers=KEY)
    assert (crashed.status_code, crashed.get_json()["type"]) == (500, "unknown_error")
    answered = spec_mode.get(f"{ACCOUNTS}?{query}", headers=KEY)
    assert (answered.status_code, answered.get_json()["count"]) == (200, spec_count)


@pytest.mark.parametrize(
    "query",
    [
        "id[$eq][]=a",
        "id[$eq]=a,b",
        "id[$re]=a",
        "id[$eq]=a&id[$eq]=a",
        "updated_at[$ne]=null&updated_at[$ne]=null",
    ],
)
def test_one_equality_value_is_no_crash(vendor_mode, query):
    assert vendor_mode.get(f"{ACCOUNTS}?{query}", headers=KEY).status_code == 200
