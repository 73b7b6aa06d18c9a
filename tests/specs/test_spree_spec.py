"""The Spree spec against Spree's own documentation page (the seed page of this project,
"Create a Store Credit") and FACTS.md section 3.

The field lists below are copied from that page by hand, so the test needs nothing outside
the repository: every documented field must be in the spec with the documented type, and the
page's own request and response bodies must satisfy the spec's schemas.
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

# Request body `store_credit` object: field -> JSON type (ids are strings, amounts numbers).
REQUEST_FIELDS = {
    "user_id": "string",
    "category_id": "string",
    "created_by_id": "string",
    "amount": "number",
    "currency": "string",
    "type_id": "string",
    "store_id": "string",
    "amount_used": "number",
    "memo": "string",
    "amount_authorized": "number",
    "originator_id": "string",
    "originator_type": "string",
    "public_metadata": "object",
    "private_metadata": "object",
}
CREATE_REQUIRED = {
    "user_id",
    "category_id",
    "type_id",
    "created_by_id",
    "currency",
    "store_id",
    "amount",
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
    "filter[currency_eq]",
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


def test_request_fields_have_the_documented_types(spec: dict[str, Any]) -> None:
    wrapper = request_schema(spec, "post", CREDITS)
    assert wrapper["required"] == ["store_credit"]
    fields = wrapper["properties"]["store_credit"]
    assert set(fields["properties"]) == set(REQUEST_FIELDS)
    for name, json_type in REQUEST_FIELDS.items():
        assert resolve(spec, fields["properties"][name])["type"] == json_type, name
    assert set(fields["required"]) == CREATE_REQUIRED


def test_update_takes_the_same_fields_none_required(spec: dict[str, Any]) -> None:
    fields = request_schema(spec, "patch", f"{CREDITS}/{{id}}")["properties"]["store_credit"]
    assert set(fields["properties"]) == set(REQUEST_FIELDS)
    assert "required" not in fields


def test_request_bodies_accept_json_and_jsonapi(spec: dict[str, Any]) -> None:
    for method, path in (("post", CREDITS), ("patch", f"{CREDITS}/{{id}}")):
        content = operation(spec, method, path)["requestBody"]["content"]
        assert set(content) == {"application/json", "application/vnd.api+json"}


def test_response_attributes_have_the_documented_types(spec: dict[str, Any]) -> None:
    attributes = resolve(spec, spec["components"]["schemas"]["StoreCreditAttributes"])
    assert set(attributes["properties"]) == set(RESPONSE_ATTRIBUTES)
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


def test_amounts_sent_as_strings_or_zero_are_refused(spec: dict[str, Any]) -> None:
    validator = schema_validator(spec, request_schema(spec, "post", CREDITS))
    for changes in ({"amount": "25"}, {"amount": 0}, {"user_id": 2}, {"amount_used": -1}):
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
    assert not validator.is_valid("user,orders")


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
    assert set(answer["required"]) == {
        "access_token",
        "token_type",
        "expires_in",
        "refresh_token",
        "scope",
        "created_at",
    }
