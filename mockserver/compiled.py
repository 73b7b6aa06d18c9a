"""The fast "yes" of spec validation: every operation's parameters, bodies and responses
compiled once into plain checks and fastjsonschema validators, with OpenAPI 3.0 semantics.

openapi-core stays the authority. This module only answers "valid?" and never explains:
what it accepts goes on, what it refuses is validated again by openapi-core (`openapi.py`),
which words the refusal. So it must never accept what openapi-core refuses; the differential
test (tests/core/test_compiled_validation.py) feeds both thousands of generated requests and
responses per operation and fails on any disagreement, either way.

It mirrors openapi-core 0.23 step by step: the path found by openapi-core's own (memoised)
finder, parameter lookup, `allowEmptyValue`, casting of primitive parameters (other styles
use openapi-core's own deserialisers, built once), media-type matching, deserialisation,
then the schema translated from OpenAPI 3.0 to JSON Schema draft 4: `nullable` becomes a
`null` type, `readOnly` (requests) and `writeOnly` (responses) refuse a value and drop out of
`required`, `format` and `pattern` call the very checks openapi-schema-validator uses. What
it cannot translate exactly (a `discriminator`, a recursive `$ref`, a parameter with
`content`) is not compiled: that part is refused here and so always judged by openapi-core.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import fastjsonschema
from jsonschema_path import SchemaPath
from openapi_core.deserializing.media_types import media_type_deserializers
from openapi_core.deserializing.media_types.util import json_loads
from openapi_core.util import BOOLEAN_FALSE_VALUES, BOOLEAN_TRUE_VALUES
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator

Check = Callable[[Any], bool]

_DRAFT4 = "http://json-schema.org/draft-04/schema#"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_ANNOTATIONS = frozenset(
    {"title", "description", "default", "example", "externalDocs", "xml", "deprecated"}
)
_KEPT = frozenset(
    {
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxProperties",
        "minProperties",
        "additionalProperties",
        "properties",
        "items",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "enum",
        "type",
        "required",
        "nullable",
        "readOnly",
        "writeOnly",
        "format",
        "pattern",
    }
)
# openapi-schema-validator's int32/int64 checks apply to integers only (floats pass).
_INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
# Formats whose check passes every JSON value (float/double accept any int or float).
_ALWAYS_TRUE_FORMATS = frozenset({"float", "double", "binary", "password"})


class NotCompiled(Exception):
    """This part of the spec has no exact fast translation; openapi-core judges it."""


def _refuse_all(_value: Any) -> bool:
    return False


def _same_equality(value: Any) -> bool:
    """An enum member Python's `in` compares as JSON Schema does: a string, null, or a number
    no boolean equals (Python has True == 1 and False == 0; JSON Schema does not)."""
    if value is None or isinstance(value, str):
        return True
    return isinstance(value, int | float) and not isinstance(value, bool) and value not in (0, 1)


class _SchemaCompiler:
    """OpenAPI 3.0 schema objects -> fastjsonschema validators, for one direction."""

    def __init__(self, direction: str) -> None:
        self.write = direction == "write"
        validator_cls = OAS30WriteValidator if self.write else OAS30ReadValidator
        self.format_checker = validator_cls.FORMAT_CHECKER
        self.formats: dict[str, Callable[[str], bool]] = {}
        self._compiled: dict[str, Callable[[Any], Any]] = {}
        self._format_names: dict[str, str] = {}

    def compile(self, schema: Any) -> Check:
        """A predicate over a deserialised value: True exactly when openapi-core's
        validator would report no error.

        The schema is translated now (what cannot be translated raises `NotCompiled` at
        start-up) and turned into code on its first use: fastjsonschema takes ~30 ms a
        schema, too long to spend on every operation before the server is up. Equal
        schemas (error bodies, mostly) share one validator.
        """
        translated = {"$schema": _DRAFT4, **self._translate(schema)}
        key = json.dumps(translated, sort_keys=True, default=repr)
        validate: Callable[[Any], Any] | None = self._compiled.get(key)

        def check(value: Any) -> bool:
            nonlocal validate
            if validate is None:
                validate = self._compiled.get(key)
                if validate is None:
                    validate = self._compiled[key] = fastjsonschema.compile(
                        translated, formats=self.formats, use_default=False
                    )
            try:
                validate(value)
            except fastjsonschema.JsonSchemaException:
                return False
            return True

        return check

    def _translate(self, schema: Any) -> dict[str, Any]:
        if not isinstance(schema, dict):
            raise NotCompiled(f"schema {schema!r} is not an object")
        if "$ref" in schema:
            raise NotCompiled("a recursive $ref")
        if "discriminator" in schema:
            raise NotCompiled("a discriminator")
        unknown = [k for k in schema if k not in _KEPT and k not in _ANNOTATIONS]
        unknown = [k for k in unknown if not k.startswith("x-")]
        if unknown:
            raise NotCompiled(f"schema keywords {unknown}")
        forbidden = "readOnly" if self.write else "writeOnly"
        if schema.get(forbidden):
            return {"not": {}}  # openapi-schema-validator refuses any value here
        out: dict[str, Any] = {}
        extra: list[dict[str, Any]] = []
        for key, value in schema.items():
            if key in _ANNOTATIONS or key.startswith("x-") or key in ("readOnly", "writeOnly"):
                continue
            if key == "nullable":
                continue  # folded into `type` below
            if key == "type":
                if not isinstance(value, str):
                    raise NotCompiled(f"type {value!r}")
                out["type"] = [value, "null"] if schema.get("nullable") is True else value
            elif key in ("properties",):
                out[key] = {name: self._translate(sub) for name, sub in value.items()}
            elif key in ("items", "not"):
                out[key] = self._translate(value)
            elif key == "additionalProperties":
                out[key] = value if isinstance(value, bool) else self._translate(value)
            elif key == "oneOf" and "anyOf" not in schema:
                branches = [self._translate(sub) for sub in value]
                # When no value can match two branches, "exactly one" is "at least one", and
                # fastjsonschema stops an `anyOf` at the first match where `oneOf` tries every
                # branch, raising an exception in each that fails (a nullable reference's
                # `null` branch, for every object it is not).
                out["anyOf" if _disjoint(branches) else key] = branches
            elif key in ("allOf", "anyOf", "oneOf"):
                out[key] = [self._translate(sub) for sub in value]
            elif key == "required":
                kept = [name for name in value if not self._exempt(schema, name)]
                if kept:
                    out[key] = kept
            elif key == "enum":
                if not all(_same_equality(v) for v in value):
                    raise NotCompiled("an enum of booleans, 0/1 or containers (equality differs)")
                out[key] = value
            elif key == "format":
                extra += self._format(value)
            elif key == "pattern":
                extra.append({"format": self._register(f"pattern:{value}", _searcher(value))})
            else:
                out[key] = value
        if extra:
            out.setdefault("allOf", []).extend(extra)
        return out

    def _exempt(self, schema: dict[str, Any], name: str) -> bool:
        """openapi-schema-validator's `required` skips a missing property that is readOnly
        (requests) or writeOnly (responses)."""
        prop = (schema.get("properties") or {}).get(name)
        if not prop:
            return False
        return bool(prop.get("readOnly" if self.write else "writeOnly", False))

    def _format(self, name: str) -> list[dict[str, Any]]:
        if name in _INTEGER_RANGES:
            low, high = _INTEGER_RANGES[name]
            # The range first: fastjsonschema tries `anyOf` branches in order, and a value in
            # range passes there without the two exceptions a failing `not` branch costs.
            return [{"anyOf": [{"minimum": low, "maximum": high}, {"not": {"type": "integer"}}]}]
        if name in _ALWAYS_TRUE_FORMATS:
            return []
        if name not in self.format_checker.checkers:
            return []  # jsonschema's FormatChecker passes a format it does not know
        return [{"format": self._register(name, _format_check(self.format_checker, name))}]

    def _register(self, key: str, check: Callable[[str], bool]) -> str:
        """fastjsonschema calls a custom format for strings only, like both checks it
        stands for here (a format check, a `pattern`)."""
        name = self._format_names.get(key)
        if name is None:
            # A plain identifier: fastjsonschema writes the name into generated code.
            name = self._format_names[key] = f"oas_{len(self._format_names)}"
            self.formats[name] = check
        return name


_JSON_TYPES = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def _value_types(schema: dict[str, Any]) -> frozenset[str] | None:
    """The JSON types of every value a translated schema can accept (integers counted as
    numbers), or None when its top level does not bound them."""
    if "enum" in schema:
        return frozenset(_JSON_TYPES.get(type(value), "?") for value in schema["enum"])
    kind = schema.get("type")
    if kind is None:
        return None
    kinds = [kind] if isinstance(kind, str) else kind
    return frozenset("number" if k == "integer" else k for k in kinds)


def _disjoint(branches: list[dict[str, Any]]) -> bool:
    """No value can match two of these schemas: their accepted types do not overlap."""
    seen: set[str] = set()
    for branch in branches:
        types = _value_types(branch)
        if types is None or types & seen:
            return False
        seen |= types
    return True


def _format_check(checker: Any, name: str) -> Callable[[str], bool]:
    """`checker.conforms(value, name)` without its per-call lookups and its FormatError:
    the format's function, with the exceptions jsonschema counts as "does not conform"."""
    func, raises = checker.checkers[name]

    def conforms(value: str) -> bool:
        try:
            return bool(func(value))
        except raises:
            return False

    return conforms


def _searcher(pattern: str) -> Callable[[str], bool]:
    """`pattern` as openapi-schema-validator applies it without `regress`: `re.search`."""
    compiled = re.compile(pattern)
    return lambda s: compiled.search(s) is not None


# --- parameters and headers --------------------------------------------------------------


@dataclass
class _Param:
    name: str
    location: str  # path, query, header, cookie
    required: bool
    allow_empty: bool
    has_default: bool
    default: Any
    read: Callable[[Mapping[str, Any]], Any]  # raises KeyError when absent
    check: Check

    def ok(self, location: Mapping[str, Any]) -> bool:
        try:
            value = self.read(location)
        except KeyError:
            if self.has_default:
                return self.check(self.default)
            return not self.required
        except Exception:  # a value openapi-core cannot deserialise or cast
            return False
        if self.location == "query" and value == "" and not self.allow_empty:
            return False
        return self.check(value)


_CASTS: dict[Any, Callable[[str], Any]] = {
    None: lambda value: value,
    "string": lambda value: value,
    "integer": int,
    "number": float,
}


def _cast_boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in BOOLEAN_TRUE_VALUES:
        return True
    if lowered in BOOLEAN_FALSE_VALUES:
        return False
    raise ValueError(value)


_CASTS["boolean"] = _cast_boolean
_COMBINATORS = ("allOf", "anyOf", "oneOf")


def _compile_param(
    node: dict[str, Any],
    path: SchemaPath,
    validator: Any,
    schemas: _SchemaCompiler,
    location: str,
    name: str,
) -> _Param:
    if "content" in node:
        raise NotCompiled(f"parameter {name!r} with content")
    schema = node.get("schema") or {}
    style = node.get("style") or ("simple" if location in ("path", "header") else "form")
    explode = node.get("explode", style == "form")
    schema_type = schema.get("type")
    if style in ("form", "simple") and schema_type in _CASTS:
        if schema_type is None and any(k in schema for k in _COMBINATORS):
            raise NotCompiled(f"parameter {name!r}: untyped schema with combinators")
        cast = _CASTS[schema_type]

        def read(mapping: Mapping[str, Any]) -> Any:
            return cast(mapping[name])

    else:
        # Arrays, objects, deepObject...: openapi-core's own deserialiser and caster.
        deserializer = validator.style_deserializers_factory.create(
            validator.spec, path / "schema", style, explode, name=name
        )
        read = deserializer.deserialize
    return _Param(
        name=name,
        location=location,
        required=bool(node.get("required", False)),
        allow_empty=bool(node.get("allowEmptyValue")),
        has_default="default" in schema,
        default=schema.get("default"),
        read=read,
        check=schemas.compile(schema),
    )


# --- bodies ------------------------------------------------------------------------------


_FORM = "application/x-www-form-urlencoded"
FormReader = Callable[[dict[str, str], bytes], dict[str, Any]]


def _form_reader(media: dict[str, Any], path: SchemaPath, validator: Any) -> FormReader | None:
    """A form body read as openapi-core's MediaTypeDeserializer reads it (each property of the
    schema with style `form`, exploded, cast by its schema; a missing one skipped or given
    its default; any other field dropped), with every property's deserializer built once
    instead of on each request. None where openapi-core does more than that (an `encoding`,
    a combinator at the top of the schema, which it resolves against the data first)."""
    schema = media.get("schema")
    if not isinstance(schema, dict) or "encoding" in media or "$ref" in schema:
        return None
    if any(key in schema for key in _COMBINATORS):
        return None
    properties = [
        (
            name,
            validator.style_deserializers_factory.create(
                validator.spec, path / "schema" / "properties" / name, "form", True, name=name
            ).deserialize,
            "default" in node,
            node.get("default"),
        )
        for name, node in (schema.get("properties") or {}).items()
    ]
    loads = media_type_deserializers[_FORM]

    def read(parameters: dict[str, str], raw: bytes) -> dict[str, Any]:
        form = loads(raw, **parameters)
        body: dict[str, Any] = {}
        for name, deserialize, has_default, default in properties:
            try:
                body[name] = deserialize(form)
            except KeyError:
                if has_default:
                    body[name] = default
        return body

    return read


@dataclass
class _Content:
    """One `content` map: media-type matching, deserialisation and the schema check."""

    media_types: dict[str, tuple[Any, Check | None]]  # key -> (openapi-core path, check)
    deserialise: Callable[[SchemaPath, str, dict[str, str], bytes], Any]
    forms: dict[str, FormReader]  # key -> its form reader, where one could be built

    def ok(self, raw: bytes, content_type: str | None, parsed: Any = None) -> bool:
        found = _find_media_type(self.media_types, content_type)
        if found is None:
            return False
        key, mime_type, parameters = found
        path, check = self.media_types[key]
        if media_type_deserializers.get(mime_type) is json_loads:
            if parsed is None:
                try:
                    parsed = json_loads(raw)
                except ValueError:
                    return False
            value = parsed
        elif mime_type == _FORM and key in self.forms:
            try:
                value = self.forms[key](parameters, raw)
            except Exception:  # openapi-core refuses what it cannot deserialise
                return False
        else:
            try:
                value = self.deserialise(path, mime_type, parameters, raw)
            except Exception:  # openapi-core refuses what it cannot deserialise
                return False
        return check is None or check(value)


def _find_media_type(
    media_types: Mapping[str, Any], content_type: str | None
) -> tuple[str, str, dict[str, str]] | None:
    """openapi-core's MediaTypeFinder: exact, then without parameters, then ranges. Answers
    the `content` key matched, the media type its deserialiser is chosen by, and the
    parameters."""
    if content_type is None:
        return None
    parts = content_type.split(";")
    mime_type = parts[0].lower().rstrip()
    parameters: dict[str, str] = {}
    for part in parts[1:]:
        pieces = part.split("=")
        if len(pieces) != 2:
            return None  # openapi-core fails on it; let it say how
        pname, pvalue = pieces[0].lower().lstrip(), re.sub('^"(.*)"$', r"\1", pieces[1], count=1)
        parameters[pname] = (pvalue.lower() if pname == "charset" else pvalue).rstrip()
    for key in (content_type, mime_type):
        if key in media_types:
            return key, mime_type, parameters  # deserialised by the parsed type
    if mime_type:
        for key in media_types:
            if fnmatch.fnmatch(mime_type, key):
                return key, key, parameters
    return None


# --- operations --------------------------------------------------------------------------


@dataclass
class _Response:
    content: _Content | None
    headers: list[_Param]


@dataclass
class _Operation:
    params: list[_Param]
    body: _Content | None
    body_required: bool
    responses: dict[str, _Response]


class CompiledSpec:
    """Every operation of one spec, compiled; `not_compiled` says what was left to
    openapi-core and why."""

    def __init__(self, document: dict[str, Any], openapi: Any) -> None:
        self._request_validator = openapi.request_validator
        self._response_validator = openapi.response_validator
        self._write = _SchemaCompiler("write")
        self._read = _SchemaCompiler("read")
        self._document = document
        self._compiled: dict[tuple[str, str], _Operation | None] = {}
        self.not_compiled: dict[tuple[str, str], str] = {}

    def operation(self, method: str, template: str) -> _Operation | None:
        """The compiled operation, built on first use (start-up stays short); None when it
        (or the spec) holds something only openapi-core can judge."""
        key = (method, template)
        if key in self._compiled:
            return self._compiled[key]
        item = (self._document.get("paths") or {}).get(template) or {}
        compiled = None
        if method in item:
            path = self._request_validator.spec / "paths" / template
            try:
                compiled = self._operation(path, item, method)
            except NotCompiled as why:
                self.not_compiled[key] = str(why)
        self._compiled[key] = compiled
        return compiled

    def operation_keys(self) -> list[tuple[str, str]]:
        """(method, template) of every operation the spec declares."""
        paths = self._document.get("paths") or {}
        return [(m, t) for t, item in paths.items() for m in _HTTP_METHODS if m in item]

    def _operation(self, path: SchemaPath, item: dict[str, Any], method: str) -> _Operation:
        op = item[method]
        nodes: dict[tuple[str, str], tuple[dict[str, Any], SchemaPath]] = {}
        for where, owner in ((path, item), (path / method, op)):
            for index, node in enumerate(owner.get("parameters") or []):
                nodes[(node["name"], node["in"])] = (node, where / "parameters" / index)
        params = [
            _compile_param(node, node_path, self._request_validator, self._write, location, name)
            for (name, location), (node, node_path) in nodes.items()
        ]
        body = op.get("requestBody")
        responses = {
            str(code): self._response(response, path / method / "responses" / str(code))
            for code, response in (op.get("responses") or {}).items()
        }
        return _Operation(
            params=params,
            body=self._content(body, path / method / "requestBody", self._write, True)
            if body is not None
            else None,
            body_required=bool((body or {}).get("required", False)),
            responses=responses,
        )

    def _content(
        self, owner: dict[str, Any], path: SchemaPath, schemas: _SchemaCompiler, request: bool
    ) -> _Content:
        validator = self._request_validator if request else self._response_validator
        content = owner.get("content") or {}
        media_types = {
            key: (
                path / "content" / key,
                schemas.compile(media["schema"]) if "schema" in media else None,
            )
            for key, media in content.items()
        }
        forms = {
            key: reader
            for key, media in content.items()
            if (reader := _form_reader(media, path / "content" / key, validator)) is not None
        }
        return _Content(media_types, validator._deserialise_media_type, forms)

    def _response(self, response: dict[str, Any], path: SchemaPath) -> _Response:
        headers = [
            _compile_param(
                node, path / "headers" / name, self._response_validator, self._read, "header", name
            )
            for name, node in (response.get("headers") or {}).items()
            if name.lower() != "content-type"
        ]
        content = (
            self._content(response, path, self._read, False) if "content" in response else None
        )
        return _Response(content, headers)

    def _find(self, request: Any) -> tuple[_Operation, dict[str, str]] | None:
        try:
            _path, _op, _server, path_result, _ = self._request_validator._find_path(request)
        except Exception:  # no such path or method: openapi-core says so
            return None
        operation = self.operation(request.method, path_result.pattern)
        if operation is None:
            return None
        return operation, path_result.variables or {}

    def request_ok(self, request: Any, parsed_body: Any = None) -> bool:
        """True when openapi-core would find no error in `request` (a SpecRequest);
        `parsed_body` is the body already read as JSON, if it was."""
        found = self._find(request)
        if found is None:
            return False
        operation, variables = found
        parameters = request.parameters
        locations = {
            "path": parameters.path or variables,
            "query": parameters.query,
            "header": parameters.header,
            "cookie": parameters.cookie,
        }
        for param in operation.params:
            if not param.ok(locations[param.location]):
                return False
        if operation.body is None:
            return True
        if not request.body:
            return not operation.body_required
        return operation.body.ok(request.body, request.content_type, parsed_body)

    def response_ok(self, request: Any, response: Any, parsed_body: Any = None) -> bool:
        """True when openapi-core would find no error in `response` to `request`;
        `parsed_body` is the JSON body's value, if the caller has it."""
        found = self._find(request)
        if found is None:
            return False
        responses = found[0].responses
        status = str(response.status_code)
        answer = (
            responses.get(status) or responses.get(f"{status[0]}XX") or responses.get("default")
        )
        if answer is None:
            return False
        content = answer.content
        if content is not None and not (
            response.data and content.ok(response.data, response.content_type, parsed_body)
        ):
            return False
        return all(header.ok(response.headers) for header in answer.headers)
