"""The vendor specs as the mock uses them: where they are, what each operation declares, and
openapi-core validation turned into structured `Problem`s.

openapi-core reports every finding (`iter_request_errors`), with the underlying jsonschema
errors attached; this module flattens them into one `Problem` per finding so each vendor can
word them in its own style.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from openapi_core import Config, OpenAPI
from openapi_core.casting.schemas.exceptions import CastError
from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.styles.factories import StyleDeserializersFactory
from openapi_core.schema.parameters import get_style_and_explode
from openapi_core.validation.request import V30RequestValidator
from openapi_core.validation.request.exceptions import (
    MissingRequiredParameter,
    MissingRequiredRequestBody,
    ParameterValidationError,
    RequestBodyValidationError,
)
from openapi_core.validation.response import V30ResponseValidator
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from openapi_core.validation.schemas.factories import SchemaValidatorsFactory
from werkzeug.datastructures import Headers, MultiDict

from mockserver.compiled import CompiledSpec
from mockserver.errors import Problem
from mockserver.fixtures import read_yaml

_PACKAGE_DIR = Path(__file__).resolve().parent
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def spec_path(file_name: str) -> Path:
    """A spec file, from the installed package or, in a checkout, the top-level `specs/`."""
    if Path(file_name).is_absolute():
        return Path(file_name)
    for folder in (_PACKAGE_DIR / "specs", _PACKAGE_DIR.parent / "specs"):
        candidate = folder / file_name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"spec {file_name!r} is neither installed nor in ./specs")


@dataclass(frozen=True)
class Operation:
    """What the core needs to know about one operation before its handler runs."""

    method: str
    path: str
    secured: bool
    body_media_types: tuple[str, ...]
    body_required: bool
    query_names: frozenset[str]


class VendorSpec:
    """One vendor's spec: the openapi-core validator plus an index of its operations."""

    def __init__(self, file_name: str) -> None:
        self.path = spec_path(file_name)
        self.document: dict[str, Any] = read_yaml(self.path)
        inlined = inline_local_refs(self.document)
        self.openapi = OpenAPI.from_dict(
            inlined,
            base_uri=self.path.as_uri(),
            config=Config(
                request_validator_cls=_CachedRequestValidator,
                response_validator_cls=_CachedResponseValidator,
                # The shipped specs are checked by openapi-spec-validator in the test suite;
                # checking them again at every start-up would cost a third of a second.
                spec_validator_cls=None,
            ),
        )
        self.server_url = _first_server_url(self.document)
        self.operations = dict(_index_operations(self.document))
        self.compiled = CompiledSpec(inlined, self.openapi)
        self.deep_object_names = frozenset(_deep_object_names(self.document))

    def operation(self, method: str, template: str) -> Operation | None:
        return self.operations.get((method.lower(), path_shape(template)))

    def methods_of(self, template: str) -> list[str]:
        shape = path_shape(template)
        return sorted(method.upper() for (method, other) in self.operations if other == shape)

    def request_problems(self, request: SpecRequest, parsed_body: Any = None) -> list[Problem]:
        """Nothing when the compiled check accepts the request (the hot path); otherwise
        openapi-core validates it again and its findings are the answer. `parsed_body` is
        the body already read as JSON, if it was."""
        request = _without_bare_deep_object_keys(request, self.deep_object_names)
        if self.compiled.request_ok(request, parsed_body):
            return []
        return [p for e in self.openapi.iter_request_errors(request) for p in _problems_from(e)]

    def response_violations(
        self, request: SpecRequest, response: SpecResponse, parsed_body: Any = None
    ) -> list[str]:
        """Likewise for a response: the compiled check first, openapi-core to explain.
        `parsed_body` is what the body was serialised from, if the caller has it: the
        compiled check validates it instead of parsing the body again, and a refusal is
        explained by openapi-core from the body itself."""
        if self.compiled.response_ok(request, response, parsed_body):
            return []
        return [_describe(e) for e in self.openapi.iter_response_errors(request, response)]


def inline_local_refs(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every local `$ref` replaced by what it points to.

    openapi-core resolves references again on every access while it validates; resolved
    once here, they cost nothing per request (10-20% of a validated write's CPU).
    A reference inside its own target (a recursive schema) is left as it is.
    """

    def inline(node: Any, seen: frozenset[str]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and ref not in seen:
                return inline(_resolve(document, node), seen | {ref})
            return {key: inline(value, seen) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item, seen) for item in node]
        return node

    return inline(document, frozenset())


@cache
def load_spec(file_name: str) -> VendorSpec:
    """Specs are immutable while the process runs; parse each once."""
    return VendorSpec(file_name)


class _MemoizedSchemaValidators(SchemaValidatorsFactory):
    """openapi-core's own schema-validator factory, building each validator once.

    openapi-core builds a fresh jsonschema validator (deep-copying its format checker) for
    every schema on every request; the specs never change while we run, so one per schema
    location and option set is enough. This is most of a request's validation cost.
    """

    def __init__(self, inner: SchemaValidatorsFactory) -> None:
        super().__init__(inner.schema_validator_cls, inner.format_checker)
        self._inner = inner
        self._built: dict[tuple[Any, ...], Any] = {}

    def get_validator_cls(self, spec: Any, schema: Any) -> Any:
        return self._inner.get_validator_cls(spec, schema)

    def create(self, spec: Any, schema: Any, *args: Any, **kwargs: Any) -> Any:
        key = (id(spec), schema.parts, repr(args), repr(sorted(kwargs.items())))
        validator = self._built.get(key)
        if validator is None:
            validator = self._built[key] = super().create(spec, schema, *args, **kwargs)
        return validator


class _MemoizedPathFinding:
    """openapi-core matches the URL against every path template of the spec on each call
    (twice a request: request and response). The answer depends on method and URL alone."""

    _PATHS_KEPT = 4096

    def _find_path(self, request: Any) -> Any:
        memo: dict[tuple[str, str, str], Any] = self.__dict__.setdefault("_path_memo", {})
        key = (request.method, request.host_url, request.path)
        found = memo.get(key)
        if found is None:
            found = super()._find_path(request)  # type: ignore[misc]
            if len(memo) >= self._PATHS_KEPT:
                memo.clear()
            memo[key] = found
        return found


class _StyleDeserializersOnce(StyleDeserializersFactory):
    """openapi-core's style-deserializer factory, building each deserializer once.

    A form-encoded body is read property by property, and openapi-core builds every
    property's deserializer (a caster with its own schema validator) on every call: over
    half of the mock's time on Spree's form bodies, in the compiled check and in explaining a
    refusal alike. A deserializer depends on the spec location and the style alone."""

    def __init__(self, inner: StyleDeserializersFactory) -> None:
        super().__init__(inner.schema_casters_factory, inner.style_deserializers)
        self._built: dict[tuple[Any, ...], Any] = {}

    def create(self, spec: Any, schema: Any, style: str, explode: bool, name: str) -> Any:
        key = (id(spec), schema.parts, style, explode, name)
        deserializer = self._built.get(key)
        if deserializer is None:
            deserializer = self._built[key] = super().create(spec, schema, style, explode, name)
        return deserializer


class _MemoizedStyleDeserializers:
    """openapi-core builds a deserializer (style, explode, a caster with its own schema
    validator) for every parameter and header on every call, walking the spec each time:
    over half of explaining a refused request with many query parameters (Spree's list).
    The deserializer holds no state of the request; one per parameter location is enough.
    Body properties get theirs from the same factory, made to build each one once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        once = _StyleDeserializersOnce(self.style_deserializers_factory)
        self.style_deserializers_factory = once
        self.media_type_deserializers_factory.style_deserializers_factory = once

    def _deserialise_style(self, param_or_header: Any, location: Any, name: Any = None) -> Any:
        memo: dict[tuple[Any, ...], Any] = self.__dict__.setdefault("_style_memo", {})
        key = (param_or_header.parts, name)
        deserializer = memo.get(key)
        if deserializer is None:
            style, explode = get_style_and_explode(param_or_header)
            deserializer = memo[key] = self.style_deserializers_factory.create(  # type: ignore[attr-defined]
                self.spec,  # type: ignore[attr-defined]
                param_or_header / "schema",
                style,
                explode,
                name=name or (param_or_header / "name").read_str(),
            )
        return deserializer.deserialize(location)


class _CachedRequestValidator(
    _MemoizedPathFinding, _MemoizedStyleDeserializers, V30RequestValidator
):
    schema_validators_factory = _MemoizedSchemaValidators(
        V30RequestValidator.schema_validators_factory
    )

    def _get_security(self, parameters: Any, operation: Any) -> dict[str, str]:
        """Credentials are the vendor authenticator's job, done before validation. Judged
        again here they would cost time, and a failure would make openapi-core skip the
        parameters and body altogether."""
        return {}


class _CachedResponseValidator(
    _MemoizedPathFinding, _MemoizedStyleDeserializers, V30ResponseValidator
):
    schema_validators_factory = _MemoizedSchemaValidators(
        V30ResponseValidator.schema_validators_factory
    )


@dataclass
class SpecRequest:
    """The openapi-core request protocol, built from what the core already read.

    `host_url` is the spec's own server, so validation does not depend on where the mock
    happens to listen.
    """

    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters

    @classmethod
    def of(cls, host_url: str, request: Any, raw: bytes, query: Any = None) -> SpecRequest:
        """From a werkzeug request and the body already read from it; `query` replaces the
        request's own query when the vendor reads it differently (`Vendor.read_query`)."""
        return cls(
            host_url=host_url,
            path=request.path,
            method=request.method.lower(),
            body=raw or None,
            content_type=request.content_type or "application/octet-stream",
            parameters=RequestParameters(
                query=request.args if query is None else query,
                header=request.headers,
                cookie=request.cookies,
            ),
        )


@dataclass
class SpecResponse:
    """The openapi-core response protocol."""

    data: bytes
    status_code: int
    content_type: str
    headers: Headers


_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def path_shape(template: str) -> str:
    """`/a/{id}` and `/a/{account_id}` are the same route: compare without variable names."""
    return _PLACEHOLDER.sub("{}", template)


def _first_server_url(document: dict[str, Any]) -> str:
    server = (document.get("servers") or [{"url": "http://localhost"}])[0]
    url = server["url"]
    for name, variable in (server.get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return url.rstrip("/")


def _index_operations(document: dict[str, Any]) -> Iterable[tuple[tuple[str, str], Operation]]:
    default_security = document.get("security") or []
    for template, item in (document.get("paths") or {}).items():
        shared_params = item.get("parameters") or []
        for method in _HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [_resolve(document, p) for p in shared_params + (op.get("parameters") or [])]
            body = _resolve(document, op.get("requestBody") or {})
            security = op.get("security", default_security)
            yield (
                (method, path_shape(template)),
                Operation(
                    method=method,
                    path=template,
                    secured=any(requirement for requirement in security),
                    body_media_types=tuple((body.get("content") or {}).keys()),
                    body_required=bool(body.get("required")),
                    query_names=frozenset(p["name"] for p in params if p.get("in") == "query"),
                ),
            )


def _deep_object_names(document: dict[str, Any]) -> Iterator[str]:
    for item in (document.get("paths") or {}).values():
        for method in (None, *_HTTP_METHODS):
            holder = item if method is None else item.get(method) or {}
            for param in holder.get("parameters") or []:
                param = _resolve(document, param)
                if param.get("in") == "query" and param.get("style") == "deepObject":
                    yield param["name"]


def _without_bare_deep_object_keys(request: SpecRequest, names: frozenset[str]) -> SpecRequest:
    """The request without a plain `name=` key beside `name[...]` keys of a deepObject
    parameter: openapi-core's deepObject reader raises IndexError on that mix (a 500 for
    every query like `updated_at[$gt]=...&updated_at=1`). The plain key is left to the
    vendor's own parser, which sees the whole query."""
    query = request.parameters.query
    bare = [
        key for key in query if key in names and any(other.startswith(key + "[") for other in query)
    ]
    if not bare:
        return request
    kept = MultiDict([(k, v) for k, v in query.items(multi=True) if k not in bare])
    parameters = RequestParameters(
        query=kept,
        header=request.parameters.header,
        cookie=request.parameters.cookie,
        path=request.parameters.path,
    )
    return replace(request, parameters=parameters)


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _problems_from(error: Exception) -> Iterator[Problem]:
    cause = error.__cause__
    if isinstance(error, MissingRequiredParameter):
        yield Problem(
            error.location,
            error.name,
            "required",
            f"{error.name} is required",  # type: ignore[arg-type]
        )
    elif isinstance(error, ParameterValidationError):
        yield from _parameter_problems(error, cause)
    elif isinstance(error, MissingRequiredRequestBody):
        yield Problem("body", "", "required", "a request body is required")
    elif isinstance(error, RequestBodyValidationError) and isinstance(cause, InvalidSchemaValue):
        for schema_error in cause.schema_errors:
            yield from _schema_problems("body", "", schema_error)
    else:
        yield Problem("body", "", "constraint", _describe(error))


def _parameter_problems(error: ParameterValidationError, cause: Any) -> Iterator[Problem]:
    location = error.location
    if isinstance(cause, CastError):
        yield Problem(
            location,  # type: ignore[arg-type]
            error.name,
            "type",
            f"{error.name} must be of type {cause.type}",
            expected=cause.type,
            value=cause.value,
        )
    elif isinstance(cause, InvalidSchemaValue):
        for schema_error in cause.schema_errors:
            yield from _schema_problems(location, error.name, schema_error)
    else:
        yield Problem(location, error.name, "constraint", _describe(cause or error))  # type: ignore[arg-type]


_REQUIRED = re.compile(r"^(.+) is a required property$")


def _schema_problems(location: Any, prefix: str, error: Any) -> Iterator[Problem]:
    """One jsonschema error as Problems (a `required` error may name one missing key)."""
    parts = [prefix] if prefix else []
    parts += [str(p) for p in error.absolute_path]
    field = ".".join(parts)
    validator = error.validator
    if validator == "required":
        match = _REQUIRED.match(error.message)
        name = ast.literal_eval(match.group(1)) if match else ""
        full = f"{field}.{name}" if field else str(name)
        yield Problem(location, full, "required", f"{full} is required")
    elif validator == "additionalProperties":
        known = set((error.schema or {}).get("properties") or {})
        names = tuple(k for k in error.instance if k not in known)
        yield Problem(location, field, "unknown", error.message, names=names)
    elif validator in ("type", "nullable"):
        expected = error.validator_value if validator == "type" else error.schema.get("type")
        yield Problem(
            location, field, "type", error.message, expected=expected, value=error.instance
        )
    elif validator in ("enum", "format"):
        yield Problem(
            location,
            field,
            validator,
            error.message,
            value=error.instance,
            rule=validator,
            limit=error.validator_value,
        )
    else:
        yield Problem(
            location,
            field,
            "constraint",
            error.message,
            value=error.instance,
            rule=_rule_name(validator, error.schema),
            limit=error.validator_value,
        )


def _rule_name(validator: str, schema: Any) -> str:
    """OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum`; name the rule that
    actually failed the way JSON Schema does now, so vendors need not look twice."""
    if validator in ("minimum", "maximum") and isinstance(schema, dict):
        exclusive = "exclusive" + validator[0].upper() + validator[1:]
        if schema.get(exclusive) is True:
            return exclusive
    return str(validator)


def _describe(error: BaseException) -> str:
    cause = error.__cause__
    details = getattr(cause, "schema_errors", None)
    if details:
        return f"{error}: " + "; ".join(e.message for e in details)
    return f"{error}: {cause}" if cause else str(error)
