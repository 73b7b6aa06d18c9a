"""The Spree spec against Spree's own documentation page (the seed page of this project,
"Create a Store Credit") and FACTS.md sections 3 and 3a (what Spree 4.10.1's source does).

The field lists below are copied from that page by hand, so the test needs nothing outside
the repository: every documented field must be in the spec, the page's own request and
response bodies must satisfy the spec's schemas, and where 3a says Spree accepts more than
the page (optional ids, integer ids, numeric strings, any-case currency) the spec does too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from tests.specs.specdoc import resolve

SPEC = Path(__file__).resolve().parents[2] / "specs" / "spree-platform-store-credits.yaml"
CREDITS = "/api/v2/platform/store_credits"
ITEM = f"{CREDITS}/{{id}}"

# Request body `store_credit` attributes Spree permits.
REQUEST_FIELDS = {
    "user_id",
    "category_id",
    "created_by_id",
    "amount",
    "currency",
    "type_id",
    "store_id",
    "amount_used",
    "memo",
    "amount_authorized",
    "originator_id",
    "originator_type",
    "public_metadata",
    "private_metadata",
}

# Response `data.attributes`: field -> (JSON type, nullable).
RESPONSE_ATTRIBUTES = {
    "amount": ("string", False),
    "amount_used": ("string", False),
    "memo": ("string", True),
    "deleted_at": ("string", True),
    "currency": ("string", False),
    "amount_authorized": ("string", False),
    "originator_type": ("string", True),
    "created_at": ("string", False),
    "updated_at": ("string", False),
    "public_metadata": ("object", False),
    "private_metadata": ("object", False),
    "display_amount": ("string", False),
    "display_amount_used": ("string", False),
}
DECIMAL_ATTRIBUTES = {"amount", "amount_used", "amount_authorized"}
TO_ONE = {"user", "created_by", "store_credit_category", "store_credit_type"}
TO_MANY = {"store_credit_events"}

# The seed page's own example request and 201 answer (ids as the page shows them).
SEED_REQUEST = {
    "store_credit": {
        "user_id": "2",
        "category_id": "4",
        "created_by_id": "5",
        "amount": 25,
        "currency": "USD",
        "type_id": "1",
        "store_id": "2",
        "amount_used": 10,
        "memo": "This credit was given as a refund",
        "amount_authorized": 15.5,
        "originator_id": "3",
        "originator_type": "Refund",
        "public_metadata": {},
        "private_metadata": {},
    }
}
SEED_RESPONSE = {
    "data": {
        "id": "6",
        "type": "store_credit",
        "attributes": {
            "amount": "150.0",
            "amount_used": "0.0",
            "memo": None,
            "deleted_at": None,
            "currency": "USD",
            "amount_authorized": "0.0",
            "originator_type": None,
            "created_at": "2022-11-08T19:35:39.272Z",
            "updated_at": "2022-11-08T19:35:39.272Z",
            "public_metadata": {},
            "private_metadata": {},
            "display_amount": "$150.00",
            "display_amount_used": "$0.00",
        },
        "relationships": {
            "user": {"data": {"id": "113", "type": "user"}},
            "created_by": {"data": {"id": "114", "type": "user"}},
            "store_credit_category": {"data": {"id": "18", "type": "store_credit_category"}},
            "store_credit_type": {"data": {"id": "18", "type": "store_credit_type"}},
            "store_credit_events": {"data": [{"id": "7", "type": "store_credit_event"}]},
        },
    }
}

# FACTS.md section 3: documented statuses per operation (the mock may add 409/415/400).
DOCUMENTED_STATUSES = {
    ("get", CREDITS): {"200", "401"},
    ("post", CREDITS): {"201", "400", "401", "422"},
    ("get", f"{CREDITS}/{{id}}"): {"200", "401", "404"},
    ("patch", f"{CREDITS}/{{id}}"): {"200", "401", "404", "422"},
    ("delete", f"{CREDITS}/{{id}}"): {"204", "401", "404", "422"},
}
LIST_QUERY = {
    "include",
    "page",
    "per_page",
    "filter[user_id_eq]",
    "filter[created_by_id_eq]",
    "filter[amount_gteq]",
    "filter[amount_lt]",
    "filter[currency_eq]",
    "filter[type_id_eq]",
    "sort",
    "fields[store_credit]",
}
INCLUDABLE = [
    "user",
    "created_by",
    "store_credit_category",
    "store_credit_type",
    "store_credit_events",
]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def schema_validator(spec: dict[str, Any], schema: dict[str, Any]) -> OAS30Validator:
    """A validator that resolves the spec's `#/components/...` references."""
    return OAS30Validator({**schema, "components": spec["components"]})


def operation(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return spec["paths"][path][method]


def request_schema(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    content = operation(spec, method, path)["requestBody"]["content"]
    return resolve(spec, content["application/json"]["schema"])


def created_schema(spec: dict[str, Any]) -> dict[str, Any]:
    content = operation(spec, "post", CREDITS)["responses"]["201"]["content"]
    return content["application/vnd.api+json"]["schema"]


def test_request_fields_are_what_spree_permits_none_required(spec: dict[str, Any]) -> None:
    """FACTS 3a: the model validates only currency and amount (422), nothing is required on
    the wire but the `store_credit` wrapper."""
    for method, path in (("post", CREDITS), ("patch", ITEM), ("put", ITEM)):
        wrapper = request_schema(spec, method, path)
        assert wrapper["required"] == ["store_credit"]
        fields = wrapper["properties"]["store_credit"]
        assert set(fields["properties"]) == REQUEST_FIELDS, method
        assert "required" not in fields, method


def test_request_bodies_accept_json_jsonapi_and_forms(spec: dict[str, Any]) -> None:
    for method, path in (("post", CREDITS), ("patch", ITEM), ("put", ITEM)):
        content = operation(spec, method, path)["requestBody"]["content"]
        assert set(content) == {
            "application/json",
            "application/vnd.api+json",
            "application/x-www-form-urlencoded",
        }


def test_put_is_documented_like_patch(spec: dict[str, Any]) -> None:
    put, patch = operation(spec, "put", ITEM), operation(spec, "patch", ITEM)
    assert set(put["responses"]) == set(patch["responses"])
    assert put["requestBody"]["content"] == patch["requestBody"]["content"]


def test_response_attributes_have_the_documented_types(spec: dict[str, Any]) -> None:
    attributes = resolve(spec, spec["components"]["schemas"]["StoreCreditAttributes"])
    added_in_5x = {"display_amount_remaining", "display_amount_authorized"}
    assert set(attributes["properties"]) == set(RESPONSE_ATTRIBUTES) | added_in_5x
    assert attributes.get("additionalProperties", True) is not False  # open across versions
    for name, (json_type, nullable) in RESPONSE_ATTRIBUTES.items():
        field = resolve(spec, attributes["properties"][name])
        assert field["type"] == json_type, name
        assert field.get("nullable", False) is nullable, name
    for name in DECIMAL_ATTRIBUTES:
        assert resolve(spec, attributes["properties"][name])["pattern"] == r"^-?\d+\.\d+$"


def test_relationships_are_documented(spec: dict[str, Any]) -> None:
    relationships = spec["components"]["schemas"]["StoreCreditRelationships"]["properties"]
    assert set(relationships) == TO_ONE | TO_MANY
    for name in TO_ONE:
        assert relationships[name]["$ref"].endswith("/ToOne"), name
    for name in TO_MANY:
        assert relationships[name]["$ref"].endswith("/ToMany"), name


def test_the_seed_pages_example_bodies_fit_the_spec(spec: dict[str, Any]) -> None:
    request = schema_validator(spec, request_schema(spec, "post", CREDITS))
    assert list(request.iter_errors(SEED_REQUEST)) == []
    response = schema_validator(spec, created_schema(spec))
    assert list(response.iter_errors(SEED_RESPONSE)) == []


def test_what_rails_casts_is_accepted(spec: dict[str, Any]) -> None:
    validator = schema_validator(spec, request_schema(spec, "post", CREDITS))
    for changes in (
        {"amount": "25"},
        {"amount": " 1e1 "},
        {"user_id": 2},
        {"category_id": None},
        {"currency": "usd"},
        {"amount_authorized": -5},
    ):
        body = {"store_credit": {**SEED_REQUEST["store_credit"], **changes}}
        assert list(validator.iter_errors(body)) == [], changes
    only_three = {"store_credit": {"user_id": "1", "amount": 10, "currency": "USD"}}
    assert list(validator.iter_errors(only_three)) == []


def test_what_spree_refuses_with_422_stays_out_of_the_schema(spec: dict[str, Any]) -> None:
    validator = schema_validator(spec, request_schema(spec, "post", CREDITS))
    for changes in ({"amount": 0}, {"amount": "abc"}, {"amount_used": -1}, {"user_id": "x"}):
        body = {"store_credit": {**SEED_REQUEST["store_credit"], **changes}}
        assert list(validator.iter_errors(body)), changes


def test_operations_document_the_facts_statuses(spec: dict[str, Any]) -> None:
    for (method, path), statuses in DOCUMENTED_STATUSES.items():
        documented = set(operation(spec, method, path)["responses"])
        assert statuses <= documented, (method, path, statuses - documented)
    delete = operation(spec, "delete", f"{CREDITS}/{{id}}")["responses"]["204"]
    assert "content" not in delete


def test_error_bodies_match_facts(spec: dict[str, Any]) -> None:
    responses = spec["components"]["responses"]

    def example(name: str) -> Any:
        return responses[name]["content"]["application/vnd.api+json"]["example"]

    assert example("Unauthorized") == {"error": "The access token is invalid"}
    assert example("NotFound") == {"error": "The resource you were looking for could not be found."}
    unprocessable = example("UnprocessableEntity")
    assert set(unprocessable) == {"error", "errors"}
    assert unprocessable["errors"]["amount"] == ["must be greater than 0"]


def test_list_query_parameters(spec: dict[str, Any]) -> None:
    params = [resolve(spec, p) for p in operation(spec, "get", CREDITS)["parameters"]]
    assert {p["name"] for p in params} == LIST_QUERY
    include = next(p for p in params if p["name"] == "include")
    validator = OAS30Validator(include["schema"])
    assert validator.is_valid(",".join(INCLUDABLE))
    assert validator.is_valid("")  # `include=` means none
    assert not validator.is_valid("user,orders")
    for name in ("page", "per_page"):  # read with `to_i`: any string
        param = next(p for p in params if p["name"] == name)
        assert OAS30Validator(param["schema"]).is_valid("abc"), name


def test_every_operation_is_secured_except_the_token_endpoint(spec: dict[str, Any]) -> None:
    assert spec["security"] == [{"bearerAuth": []}]
    token = operation(spec, "post", "/spree_oauth/token")
    assert token["security"] == []
    grants = resolve(spec, token["requestBody"]["content"]["application/json"]["schema"])
    assert grants["properties"]["grant_type"]["enum"] == [
        "client_credentials",
        "password",
        "refresh_token",
    ]
    answer = spec["components"]["schemas"]["OAuthToken"]
    # no refresh_token for client credentials; no scope when none was asked for
    assert set(answer["required"]) == {"access_token", "token_type", "expires_in", "created_at"}


def test_pinned_to_the_vendor_version(spec: dict[str, Any]) -> None:
    assert spec["info"]["x-vendor-version"] == "Spree 4.10.1"
    assert "display_amount_remaining" in spec["info"]["description"]  # what 5.x adds
