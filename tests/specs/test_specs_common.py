"""Rules every vendor spec must satisfy: valid OpenAPI, examples that match their schemas,
documented errors and security on every operation, and consistent naming (a small lint)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from tests.specs.specdoc import load, resolve

SPEC_FILES = [
    "appstle-loyalty.yaml",
    "medusa-store-credit.yaml",
    "spree-platform-store-credits.yaml",
]
METHODS = ("get", "post", "put", "patch", "delete")
OPERATION_ID = re.compile(r"^[a-z][a-zA-Z0-9]+$")
SCHEMA_NAME = re.compile(r"^[A-Z][A-Za-z0-9]+$")


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def examples(spec: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(where, schema, example) for every media-type and parameter example."""
    for path, method, op in operations(spec):
        body = resolve(spec, op.get("requestBody") or {})
        for media, content in (body.get("content") or {}).items():
            for value in _media_examples(spec, content):
                yield f"{method} {path} request {media}", content.get("schema"), value
        for status, response in op["responses"].items():
            response = resolve(spec, response)
            for media, content in (response.get("content") or {}).items():
                for value in _media_examples(spec, content):
                    yield f"{method} {path} {status} {media}", content.get("schema"), value
        for param in op.get("parameters") or []:
            param = resolve(spec, param)
            if "example" in param:
                yield (
                    f"{method} {path} param {param['name']}",
                    param.get("schema"),
                    param["example"],
                )


def _media_examples(spec: dict[str, Any], content: dict[str, Any]) -> Iterator[Any]:
    if "example" in content:
        yield content["example"]
    for example in (content.get("examples") or {}).values():
        yield resolve(spec, example)["value"]


@pytest.fixture(params=SPEC_FILES, ids=lambda n: n.removesuffix(".yaml"))
def spec(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load(request.param)


def test_openapi_spec_validator_accepts_the_spec(spec: dict[str, Any]) -> None:
    validate(spec)


def test_every_example_validates_against_its_schema(spec: dict[str, Any]) -> None:
    checked, failures = 0, []
    for where, schema, value in examples(spec):
        validator = OAS30Validator({**(schema or {}), "components": spec.get("components", {})})
        errors = [e.message for e in validator.iter_errors(value)]
        checked += 1
        if errors:
            failures.append(f"{where}: {errors[0]}")
    assert checked > 0
    assert failures == []


def test_every_request_and_response_with_a_body_has_an_example(spec: dict[str, Any]) -> None:
    missing = []
    for path, method, op in operations(spec):
        body = resolve(spec, op.get("requestBody") or {})
        for media, content in (body.get("content") or {}).items():
            if not list(_media_examples(spec, content)):
                missing.append(f"{method} {path} request {media}")
        for status, response in op["responses"].items():
            for media, content in (resolve(spec, response).get("content") or {}).items():
                if not list(_media_examples(spec, content)):
                    missing.append(f"{method} {path} {status} {media}")
    assert missing == []


def test_every_operation_documents_errors_and_security(spec: dict[str, Any]) -> None:
    problems = []
    default_security = spec.get("security")
    for path, method, op in operations(spec):
        security = op.get("security", default_security)
        statuses = set(op["responses"])
        if security is None:
            problems.append(f"{method} {path}: no security declared")
        elif any(security) and "401" not in statuses:
            problems.append(f"{method} {path}: secured but no 401 response")
        if not any(s.startswith("4") for s in statuses):
            problems.append(f"{method} {path}: no 4xx response documented")
    assert problems == []


def test_lint_naming_and_descriptions(spec: dict[str, Any]) -> None:
    problems = []
    seen_ids = set()
    for path, method, op in operations(spec):
        where = f"{method} {path}"
        op_id = op.get("operationId", "")
        if not OPERATION_ID.match(op_id):
            problems.append(f"{where}: operationId {op_id!r} is not camelCase")
        if op_id in seen_ids:
            problems.append(f"{where}: duplicate operationId {op_id!r}")
        seen_ids.add(op_id)
        for key in ("summary", "description"):
            if not str(op.get(key, "")).strip():
                problems.append(f"{where}: no {key}")
        if len(op.get("tags") or []) != 1:
            problems.append(f"{where}: needs exactly one tag")
        for status, response in op["responses"].items():
            if not resolve(spec, response).get("description", "").strip():
                problems.append(f"{where} {status}: response without description")
    for name in (spec.get("components") or {}).get("schemas") or {}:
        if not SCHEMA_NAME.match(name):
            problems.append(f"schema {name!r} is not PascalCase")
    if not spec["info"].get("description", "").strip():
        problems.append("info.description is empty")
    assert problems == []


def test_stateful_links_exist(spec: dict[str, Any]) -> None:
    links = [
        name
        for _, _, op in operations(spec)
        for response in op["responses"].values()
        for name in (resolve(spec, response).get("links") or {})
    ]
    assert links, "a fuzzer needs OpenAPI links to chain calls"


def test_inferred_facts_are_marked_in_descriptions(spec: dict[str, Any]) -> None:
    """FACTS.md marks some behaviour as inferred; the spec must say where it assumes."""
    text = yaml.safe_dump(spec)
    assert re.search(r"\[I\]|inferred", text, re.IGNORECASE)
