"""The differential test of validation's hot path: for every operation of every spec (read
from specs/ when the test runs, nothing listed here), Schemathesis generates valid and invalid
requests, and bodies for every declared response, and the compiled check
(mockserver/compiled.py) must accept exactly what openapi-core accepts. Any disagreement is a
bug of the compiled check: accepting more would let bad input through, accepting less would
only be slow, and both are failures here.

Requests are built the way they reach the mock: Schemathesis' transport arguments, prepared
by `requests`, turned into a werkzeug request, then into the `SpecRequest` the pipeline makes.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from mockserver.bodies import BodyError, is_json_media_type, parse_json
from mockserver.openapi import SpecRequest, SpecResponse, VendorSpec, load_spec, spec_path

SPEC_DIR = spec_path("appstle-loyalty.yaml").parent
SPEC_FILES = sorted(path.name for path in SPEC_DIR.glob("*.yaml"))
# Examples per operation and generation mode (valid, invalid); a response gets a third of it
# per declared status and media type. COMPILED_VALIDATION_EXAMPLES scales the campaign.
EXAMPLES = int(os.environ.get("COMPILED_VALIDATION_EXAMPLES", "100"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
RESPONSE_SETTINGS = settings(SETTINGS, max_examples=max(1, EXAMPLES // 3))
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def _operations() -> list[tuple[str, str, str]]:
    return [
        (name, method, template)
        for name in SPEC_FILES
        for method, template in load_spec(name).compiled.operation_keys()
    ]


OPERATIONS = _operations()
IDS = [f"{name.split('.')[0]}:{method.upper()} {template}" for name, method, template in OPERATIONS]


def test_the_specs_have_operations() -> None:
    assert len(SPEC_FILES) >= 3 and len(OPERATIONS) >= 20


@pytest.mark.parametrize(("name", "method", "template"), OPERATIONS, ids=IDS)
def test_every_operation_is_compiled(name: str, method: str, template: str) -> None:
    compiled = load_spec(name).compiled
    assert compiled.operation(method, template) is not None, compiled.not_compiled


# --- requests ----------------------------------------------------------------------------


def _spec_request(spec: VendorSpec, case: Any) -> tuple[SpecRequest, Any]:
    """What the pipeline would validate for this case, and the body it would have parsed."""
    kwargs = case.as_transport_kwargs(base_url="http://mock.test")
    accepted = ("method", "url", "headers", "params", "data", "json", "cookies", "files")
    prepared = requests.Request(**{k: v for k, v in kwargs.items() if k in accepted}).prepare()
    path, _, query = prepared.path_url.partition("?")
    body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body or b""
    headers = {k: v for k, v in prepared.headers.items() if k.lower() != "content-length"}
    environ = EnvironBuilder(
        method=prepared.method, path=path, query_string=query, headers=headers, data=body
    ).get_environ()
    request = Request(environ)
    raw = request.get_data(cache=True)
    parsed = None
    if raw and is_json_media_type(request.mimetype):
        try:
            parsed = parse_json(raw, 64)
        except BodyError:
            parsed = None
    spec_request = SpecRequest.of(spec.server_url, request, raw)
    return spec_request, parsed


@functools.cache
def _schemathesis_schema(name: str) -> Any:
    """Loading a schema takes Schemathesis a while: once per spec and process."""
    return schemathesis.openapi.from_dict(load_spec(name).document)


def _check_request(spec: VendorSpec, case: Any) -> None:
    spec_request, parsed = _spec_request(spec, case)
    fast = spec.compiled.request_ok(spec_request)
    fast_parsed = spec.compiled.request_ok(spec_request, parsed) if parsed is not None else fast
    errors = list(spec.openapi.iter_request_errors(spec_request))
    truth = not errors
    detail = f"{spec_request.method.upper()} {spec_request.path} {case!r}: openapi-core {errors}"
    assert fast == truth, f"compiled says {fast}; {detail}"
    assert fast_parsed == truth, (
        f"compiled (body parsed by the pipeline) says {fast_parsed}; {detail}"
    )


@pytest.mark.slow
@pytest.mark.parametrize(("name", "method", "template"), OPERATIONS, ids=IDS)
@pytest.mark.parametrize("mode", MODES, ids=[m.value for m in MODES])
def test_requests_agree(name: str, method: str, template: str, mode: GenerationMode) -> None:
    spec = load_spec(name)
    operation = _schemathesis_schema(name)[template][method.upper()]

    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def agree(case: Any) -> None:
        _check_request(spec, case)

    agree()


# --- responses ---------------------------------------------------------------------------


def _declared_responses(spec: VendorSpec, method: str, template: str) -> list[tuple[str, Any]]:
    """(status, response object) of one operation, with `$ref`s resolved."""
    from mockserver.openapi import inline_local_refs

    op = inline_local_refs(spec.document)["paths"][template][method]
    return [(str(code), response) for code, response in (op.get("responses") or {}).items()]


def _status_for(code: str, declared: set[str]) -> int:
    if code == "default":
        return next(s for s in (418, 599, 299) if str(s) not in declared)
    if code.endswith("XX"):
        return int(code[0]) * 100 + 99
    return int(code)


def _body_spec(spec: VendorSpec, responses: list[tuple[str, Any]]) -> dict[str, Any]:
    """A spec whose request bodies are this operation's response bodies, so Schemathesis
    generates valid and invalid ones (one operation per status and media type)."""
    paths: dict[str, Any] = {}
    for code, response in responses:
        for index, (media, content) in enumerate((response.get("content") or {}).items()):
            if "schema" not in content:
                continue
            paths[f"/r{code}/{index}"] = {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": content["schema"]}},
                    },
                    "responses": {"200": {"description": "ok"}},
                    "x-media": media,
                    "x-status": code,
                }
            }
    document = {
        "openapi": spec.document["openapi"],
        "info": {"title": "responses", "version": "1"},
        "paths": paths,
    }
    return document


def _sample_request(spec: VendorSpec, method: str, template: str) -> SpecRequest:
    from openapi_core.datatypes import RequestParameters

    path = template.replace("{", "").replace("}", "")
    return SpecRequest(
        host_url=spec.server_url,
        path=path,
        method=method,
        body=None,
        content_type="application/json",
        parameters=RequestParameters(query={}, header=Headers(), cookie={}),
    )


def _check_response(spec: VendorSpec, request: SpecRequest, response: SpecResponse) -> None:
    fast = spec.compiled.response_ok(request, response)
    errors = list(spec.openapi.iter_response_errors(request, response))
    assert fast == (not errors), (
        f"compiled says {fast}; {request.method.upper()} {request.path} -> "
        f"{response.status_code} {response.content_type} {response.data[:300]!r}: "
        f"openapi-core {errors}"
    )


@pytest.mark.slow
@pytest.mark.parametrize(("name", "method", "template"), OPERATIONS, ids=IDS)
@pytest.mark.parametrize("mode", MODES, ids=[m.value for m in MODES])
def test_responses_agree(name: str, method: str, template: str, mode: GenerationMode) -> None:
    spec = load_spec(name)
    request = _sample_request(spec, method, template)
    responses = _declared_responses(spec, method, template)
    declared = {code for code, _ in responses}
    # Responses without a body, or an undeclared status, an empty body, another media type.
    for code, response in [*responses, ("default", {})]:
        status = _status_for(code, declared)
        for media in [*(response.get("content") or {}), "text/plain", ""]:
            for data in (b"", b"{}", b"null", b"[1]"):
                _check_response(spec, request, SpecResponse(data, status, media, Headers()))
    body_spec = _body_spec(spec, responses)
    if not body_spec["paths"]:
        return
    schema = schemathesis.openapi.from_dict(body_spec)
    for path, item in body_spec["paths"].items():
        operation = schema[path]["POST"]
        status = _status_for(item["post"]["x-status"], declared)
        media = item["post"]["x-media"]

        _responses_agree(spec, request, operation.as_strategy(generation_mode=mode), status, media)


def _responses_agree(
    spec: VendorSpec, request: SpecRequest, cases: Any, status: int, media: str
) -> None:
    @RESPONSE_SETTINGS
    @given(case=cases)
    def agree(case: Any) -> None:
        body = case.body
        data = body if isinstance(body, bytes) else json.dumps(body, default=repr).encode()
        _check_response(spec, request, SpecResponse(data, status, media, Headers()))

    agree()


def test_a_response_is_checked_from_the_value_its_body_was_made_from_when_given(
    make_app: Any,
) -> None:
    """The pipeline hands the check the value the handler serialised (sparing a parse of
    the body): then that value is what is validated; without it, the body is parsed."""
    client = make_app().test_client()
    answer = client.get("/api/external/point-earn-rules", headers={"X-API-Key": "apst_test_demo"})
    assert answer.status_code == 200
    spec = load_spec("appstle-loyalty.yaml")
    request = _sample_request(spec, "get", "/api/external/point-earn-rules")
    response = SpecResponse(
        data=answer.get_data(),
        status_code=200,
        content_type=answer.mimetype,
        headers=answer.headers,
    )
    value = json.loads(answer.get_data())
    assert spec.compiled.response_ok(request, response)
    assert spec.compiled.response_ok(request, response, value)
    assert not spec.compiled.response_ok(request, response, {"not": "the declared shape"})
    assert not spec.response_violations(request, response, value)


@pytest.mark.parametrize(
    ("branches", "fast", "valid", "invalid"),
    [
        # A nullable reference: no value matches both, so the check is an `anyOf`.
        (
            [
                {"type": "object", "required": ["id"]},
                {"type": "object", "nullable": True, "enum": [None]},
            ],
            "anyOf",
            [None, {"id": 1}],
            [{}, "x"],
        ),
        # 1 is a number and an integer: exactly one must match, so it stays a `oneOf`.
        ([{"type": "integer"}, {"type": "number"}], "oneOf", [1.5], [1, "x"]),
        ([{"type": "string"}, {"minLength": 2}], "oneOf", ["a", 3], ["ab"]),
    ],
)
def test_a_one_of_whose_branches_cannot_overlap_is_checked_as_any_of(
    branches: list[Any], fast: str, valid: list[Any], invalid: list[Any]
) -> None:
    from mockserver.compiled import _SchemaCompiler

    schemas = _SchemaCompiler("read")
    assert fast in schemas._translate({"oneOf": branches})
    check = schemas.compile({"oneOf": branches})
    assert [check(v) for v in valid] == [True] * len(valid)
    assert [check(v) for v in invalid] == [False] * len(invalid)
