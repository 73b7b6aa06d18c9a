"""The Medusa spec against the vendor's own documentation page and against the query strings
real clients send (parsed by openapi-core, as the mock's validation does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
import yaml
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest
from werkzeug.datastructures import MultiDict

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "medusa-store-credit.yaml"
SERVER = "https://demo.api.myxclade.com"

# From seed-docs/medusa-create-store-credit-account.txt (the vendor's page), as literals.
SEED_REQUEST_FIELDS = {"currency_code": "string", "customer_id": "string", "metadata": "object"}
SEED_ACCOUNT_FIELDS = {
    "customer": "object",
    "id": "string",
    "customer_id": "string",
    "currency_code": "string",
    "credits": "number",
    "debits": "number",
    "balance": "number",
    "metadata": "object",
    "created_at": "string",
    "updated_at": "string",
}
SEED_CUSTOMER_FIELDS = {
    "id": "string",
    "has_account": "boolean",
    "email": "string",
    "company_name": "string",
    "first_name": "string",
    "last_name": "string",
    "phone": "string",
    "metadata": "object",
    "created_by": "string",
    "created_at": "string",
    "updated_at": "string",
    "deleted_at": "string",
}
SEED_ERROR_EXAMPLES = [
    {"message": "Discount must be set to dynamic", "type": "not_allowed"},
    {"message": "Entity with id 1 was not found", "type": "not_found"},
    {
        "code": "invalid_request_error",
        "message": "Discount with code TEST already exists.",
        "type": "duplicate_error",
    },
    {
        "code": "api_error",
        "message": "An error occured while hashing password",
        "type": "database_error",
    },
]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH))


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return spec["components"]["schemas"][name]


def test_seed_request_fields_and_types(spec):
    body = schema(spec, "CreateStoreCreditAccount")
    for name, type_ in SEED_REQUEST_FIELDS.items():
        assert body["properties"][name]["type"] == type_
    assert body["required"] == ["currency_code"]  # the recording: customer_id is optional
    assert body["additionalProperties"] is False


def test_seed_account_and_customer_fields(spec):
    account = schema(spec, "StoreCreditAccount")["properties"]
    for name, type_ in SEED_ACCOUNT_FIELDS.items():
        prop = account[name]
        assert prop.get("type", "object") == type_ or "$ref" in prop, name
    customer = schema(spec, "Customer")["properties"]
    for name, type_ in SEED_CUSTOMER_FIELDS.items():
        assert customer[name]["type"] == type_, name
    assert schema(spec, "StoreCreditAccount")["required"] == ["id"]  # `fields` trims the rest


def test_seed_error_examples_fit_the_error_schema(spec):
    error = schema(spec, "Error")
    for example in SEED_ERROR_EXAMPLES:
        assert set(error["required"]) <= set(example)
        assert set(example) <= set(error["properties"])


def test_every_post_documents_200_not_201(spec):
    for item in spec["paths"].values():
        if "post" in item:
            assert "200" in item["post"]["responses"] and "201" not in item["post"]["responses"]


def test_security_schemes(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["jwtBearer"] == {
        **schemes["jwtBearer"],
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert (schemes["secretKeyBasic"]["type"], schemes["secretKeyBasic"]["scheme"]) == (
        "http",
        "basic",
    )
    assert spec["paths"]["/auth/user/emailpass"]["post"]["security"] == []


def _query(openapi: OpenAPI, query: str, path: str = "/admin/store-credit-accounts") -> Any:
    request = MockRequest(
        SERVER,
        "get",
        path,
        args=MultiDict(parse_qsl(query, keep_blank_values=True)),
        headers={"Authorization": "Basic c2tfdGVzdF9kZW1vOg=="},
    )
    return openapi.unmarshal_request(request)


@pytest.mark.parametrize(
    ("query", "parsed"),
    [
        ("customer_id=a&customer_id=b", {"customer_id": "a"}),  # the mock reads all values
        ("customer_id=a", {"customer_id": "a"}),
        ("limit=1.5&offset=0", {"limit": 1.5, "offset": 0}),
        ("with_deleted=true", {"with_deleted": True}),
        (
            "fields=id,*customer&order=-created_at",
            {"fields": "id,*customer", "order": "-created_at"},
        ),
    ],
)
def test_openapi_core_parses_the_plain_forms(openapi, query, parsed):
    result = _query(openapi, query)
    assert not result.errors
    assert {k: result.parameters.query[k] for k in parsed} == parsed


@pytest.mark.parametrize(
    "query",
    [
        "customer_id[]=a&customer_id[]=b",
        "id[$in][]=sc_acc_1",
        "currency_code[$ne]=usd",
        "created_at[$gt]=2025-01-01T00:00:00Z",
    ],
)
def test_openapi_core_lets_the_bracket_forms_through_for_the_mock(openapi, query):
    """openapi-core cannot model these (its deepObject reads `\\w+` keys only): it must not
    refuse them, and leaves them to the mock's own parser."""
    result = _query(openapi, query)
    assert not result.errors
    assert "customer_id" not in result.parameters.query
    assert "id" not in result.parameters.query


@pytest.mark.parametrize(
    "query",
    ["limit=-1", "offset=-1", "limit=abc", "order=nope", "with_deleted=maybe", "created_at[foo]=x"],
)
def test_openapi_core_refuses_what_the_mock_refuses(openapi, query):
    assert _query(openapi, query).errors


def test_spec_is_pinned_to_the_vendor_version_it_was_checked_against() -> None:
    info = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))["info"]
    assert info["x-vendor-version"]["medusa"] == "2.21.1"
    assert info["x-vendor-version"]["loyalty-plugin"] == "2.21.1"
