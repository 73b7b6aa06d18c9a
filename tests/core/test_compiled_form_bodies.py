"""The compiled reading of form-encoded bodies against openapi-core's, on schemas the shipped
specs do not have: typed properties (casts that fail), an array, a default, unknown and
repeated fields, and the cases the compiled reader leaves to openapi-core (an `encoding`, a
combinator at the top of the schema). Spree's all-string forms are covered by the
differential test of every shipped operation (test_compiled_validation.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_core.datatypes import RequestParameters

from mockserver.openapi import SpecRequest, VendorSpec

FORM = "application/x-www-form-urlencoded"
TYPED = {
    "type": "object",
    "required": ["count"],
    "additionalProperties": False,  # openapi-core drops unknown fields before it validates
    "properties": {
        "count": {"type": "integer", "minimum": 0},
        "ratio": {"type": "number"},
        "flag": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "integer"}},
        "note": {"type": "string", "default": "none", "maxLength": 5},
        # A missing `code` is given its default, which is too long: the body is refused.
        "code": {"type": "string", "default": "toolong", "maxLength": 3},
    },
}


def _operation(media: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "requestBody": {"required": True, "content": {FORM: media}},
            "responses": {"204": {"description": "done"}},
        }
    }


DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "forms", "version": "1"},
    "servers": [{"url": "http://forms.test"}],
    "paths": {
        "/typed": _operation({"schema": TYPED}),
        "/encoded": _operation({"schema": TYPED, "encoding": {"tags": {"explode": False}}}),
        "/combined": _operation({"schema": {"oneOf": [TYPED, {"type": "object"}]}}),
    },
}
NAMES = ["count", "ratio", "flag", "tags", "note", "code", "other"]
VALUES = st.one_of(
    st.sampled_from(["0", "7", "-1", "1.5", "true", "false", "", "x", "123456", "1e3"]),
    st.text(max_size=6),
)
FIELDS = st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=8)


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> VendorSpec:
    path: Path = tmp_path_factory.mktemp("forms") / "forms.yaml"
    path.write_text(yaml.safe_dump(DOCUMENT))
    return VendorSpec(str(path))


def _request(spec: VendorSpec, path: str, body: bytes) -> SpecRequest:
    return SpecRequest(
        host_url=spec.server_url,
        path=path,
        method="post",
        body=body,
        content_type=f"{FORM}; charset=utf-8",
        parameters=RequestParameters(),
    )


def _agree(spec: VendorSpec, path: str, body: bytes) -> bool:
    request = _request(spec, path, body)
    errors = list(spec.openapi.iter_request_errors(request))
    fast = spec.compiled.request_ok(request)
    assert fast == (not errors), f"POST {path} {body!r}: compiled {fast}, openapi-core {errors}"
    return fast


def test_only_plain_schemas_get_a_compiled_reader(spec: VendorSpec) -> None:
    def forms(path: str) -> dict[str, Any]:
        operation = spec.compiled.operation("post", path)
        assert operation is not None and operation.body is not None
        return operation.body.forms

    assert list(forms("/typed")) == [FORM]
    assert forms("/encoded") == {} and forms("/combined") == {}


@pytest.mark.parametrize(
    ("body", "accepted"),
    [
        (b"count=3&code=ab&note=hello", True),
        (b"count=3&code=ab&other=anything", True),  # fields the schema does not name are dropped
        (b"count=3&code=ab&tags=1&tags=2", True),
        (b"count=3&code=ab&code=toolong", True),  # the first of repeated fields counts
        (b"count=3", False),  # `code`'s default is too long
        (b"count=x&code=ab", False),  # the cast fails
        (b"count=-1&code=ab", False),
        (b"ratio=1.5&code=ab", False),  # `count` is required
        (b"count=1&code=ab&note=toolong", False),
        (b"count=1&code=ab&tags=a", False),
    ],
)
def test_known_bodies(spec: VendorSpec, body: bytes, accepted: bool) -> None:
    assert _agree(spec, "/typed", body) is accepted


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(fields=FIELDS, path=st.sampled_from(["/typed", "/encoded", "/combined"]))
def test_generated_bodies(spec: VendorSpec, fields: list[tuple[str, str]], path: str) -> None:
    _agree(spec, path, urlencode(fields).encode())
