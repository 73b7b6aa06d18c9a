"""Medusa's error envelope `{type, message}` (+ `code` where Medusa sets one), and the wording
of its validation messages, so a client's error handling meets the same strings as in
production.

Medusa validates with zod and joins the findings with "; " after `Invalid request: `:
`Field 'x' is required`, `Expected type: 'string' for field 'x', got: '123'` (the value as
JavaScript's `String()` renders it) and one `Unrecognized fields: 'a, b'` after the others.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from flask import g, has_app_context, has_request_context, request
from werkzeug.datastructures import MultiDict

from mockserver.errors import ApiError, Problem
from mockserver.fidelity import reproduces
from mockserver.openapi import load_spec
from mockserver.vendors.medusa import qs, zod
from mockserver.vendors.medusa.js import JS_WHITESPACE, js_string
from mockserver.vendors.medusa.qs import query_root
from mockserver.vendors.medusa.quirks import (
    DEEP_KEY_500,
    EXPRESS_404,
    LOOSE_DATE_FILTER,
    ORDER_500,
    PAGING_500,
    express_not_found,
    express_options,
)
from mockserver.vendors.medusa.v8json import express_json_error

LOGIN_PATH = "/auth/user/emailpass"
CONFLICT_MESSAGE = (
    "The request conflicted with another request. "
    "You may retry the request with the provided Idempotency-Key."
)
# Spec constraints that stand for a rule Medusa checks after its schema, with its own wording
# (and no "Invalid request: " prefix): reported only when the schema is otherwise satisfied.
_RULE_MESSAGES = {
    ("currency_code", "constraint"): "Currency code is required to create a store credit account",
    ("amount", "constraint"): "Amount must be greater than 0",
}
# Query findings the real server answers with a 500 (defects reproduced in vendor fidelity).
_REAL_500_QUIRKS = {"limit": PAGING_500, "offset": PAGING_500, "order": ORDER_500}
_JS_TYPE_NAMES = {"object": "record", "integer": "number"}
_LOCATION_ORDER = ("body", "query", "path", "header", "cookie")
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_PG_GROUPS = re.compile(r"\([^(]*\)")
_MAX_ISSUES = 3  # Medusa's formatError words zod's first three issues only
ZOD = "zod"  # the `rule` of a Problem that is a zod issue, worded already
_ABSENT = object()  # JavaScript's undefined
_ENUM_OPTIONS = re.compile(r"is not one of (\[.*\])$", re.DOTALL)


def error(status: int, type_: str, message: str, code: str | None = None) -> ApiError:
    body: dict[str, str] = {"type": type_, "message": message}
    if code is not None:
        body["code"] = code
    return ApiError(status, body)


def duplicate_account(customer_id: str, currency_code: str) -> ApiError:
    """Medusa words a unique-key violation from PostgreSQL's detail line, parsed with a regex
    (`dbErrorMapper` in @medusajs/utils): values holding `(`, `)` or `,` come out cut or
    shifted (a missing one as `undefined`), and `t`/`f` as `true`/`false`, exactly as there."""
    detail = f"Key (customer_id, currency_code)=({customer_id}, {currency_code}) already exists."
    keys, values = (
        [part.strip(JS_WHITESPACE) for part in group[1:-1].split(",")]
        for group in _PG_GROUPS.findall(detail)[:2]
    )
    shown = [{"t": "true", "f": "false"}.get(value, value) for value in values]
    shown += ["undefined"] * (len(keys) - len(shown))
    pairs = ", ".join(f"{key}: {value}" for key, value in zip(keys, shown, strict=False))
    return invalid_data(f"Store credit account with {pairs}, already exists.")


def invalid_data(message: str) -> ApiError:
    return error(400, "invalid_data", message)


def not_found(account_id: str) -> ApiError:
    return error(404, "not_found", f"StoreCreditAccount id not found: {account_id}")


def unauthorized(message: str = "Unauthorized") -> ApiError:
    """Medusa's auth middleware answers `{message}` only, without `type`."""
    return ApiError(401, {"message": message})


def unknown_error() -> ApiError:
    return ApiError(
        500,
        {"code": "unknown_error", "type": "unknown_error", "message": "An unknown error occurred."},
    )


def type_error(field: str, expected: str, got: Any) -> ApiError:
    """zod's refusal of a value of the wrong type, as Medusa words it."""
    return invalid_data(f"Invalid request: {_type_message(field, expected, got)}")


def _type_message(field: str, expected: str, got: Any) -> str:
    return f"Expected type: '{expected}' for field '{field}', got: '{js_string(got)}'"


def _message(problem: Problem) -> str:
    name = problem.field
    if problem.rule == ZOD:
        return problem.message
    if problem.kind == "required":
        return f"Field '{name}' is required"
    if problem.kind == "type":
        expected = _JS_TYPE_NAMES.get(str(problem.expected), str(problem.expected))
        return _type_message(name, expected, problem.value)
    if problem.kind == "enum":
        options = _ENUM_OPTIONS.search(problem.message)
        if options:
            allowed = ", ".join(map(str, ast.literal_eval(options.group(1))))
            return (
                f"Expected: '{allowed}' for field '{name}', but got: '{js_string(problem.value)}'"
            )
    return (
        f"Invalid value for field '{name}', got: '{js_string(problem.value)}' ({problem.message})"
    )


def _join(problems: list[Problem]) -> str:
    messages = list(dict.fromkeys(_message(p) for p in problems if p.kind != "unknown"))
    unknown = [name for p in problems if p.kind == "unknown" for name in p.names]
    if unknown:
        sent = _sent_order(problems[0].location)
        unknown.sort(key=lambda name: _js_key_order(name, sent.get(name, len(sent))))
        messages.append(f"Unrecognized fields: '{', '.join(dict.fromkeys(unknown))}'")
    return "Invalid request: " + "; ".join(messages[:_MAX_ISSUES])


def _js_key_order(name: str, sent_at: int) -> tuple[int, int]:
    """Where a key stands among a JavaScript object's keys (zod lists them so): array-index
    keys (`"8"`) first, in numeric order, then the others in the order they were set."""
    if qs.is_array_index(name):
        return (0, int(name))
    return (1, sent_at)


def _sent_order(location: str) -> dict[str, int]:
    """Where each key stood in the request: zod lists unknown keys in the order sent (the
    validator's findings may come sorted)."""
    sent: Any = g.get("json_body") if location == "body" else request.args
    keys = list(sent.keys()) if hasattr(sent, "keys") else []
    order = {k: i for i, k in enumerate(keys)}
    if location == "body":
        return order
    # A query key is reported by the field it first fills (`a[b]` and `a.b` by `a`); a key
    # the parser drops (``, `toString`) stands nowhere.
    roots = {query_root(k): order[k] for k in reversed(keys)}
    # A nested key (`updated_at[foo]`) is reported by its inner name (`foo`).
    inner = {part: order[k] for k in reversed(keys) for part in _BRACKETS.findall(k)}
    return inner | roots


def _first_location(problems: list[Problem]) -> list[Problem]:
    """Medusa validates the body, then the query, each in its own middleware: the first
    failing one answers alone [I: body before query]."""
    for location in _LOCATION_ORDER:
        found = [p for p in problems if p.location == location]
        if found:
            return found
    return problems


def _required_body_fields() -> list[str]:
    """The operation's required body keys, from the spec (an absent body reads as `{}`)."""
    operation = g.get("operation")
    if operation is None:
        return []
    document = load_spec(g.vendor.spec_file).document
    request_body = document["paths"][operation.path][operation.method].get("requestBody", {})
    schema = request_body.get("content", {}).get("application/json", {}).get("schema", {})
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return list(schema.get("required", []))


def _root_body_error(problem: Problem) -> ApiError:
    """The whole body is missing or not an object."""
    if problem.kind == "required":
        fields = _required_body_fields()
        return invalid_data(_join([Problem("body", f, "required", "") for f in fields]))
    if isinstance(problem.value, list):
        return invalid_data("Invalid request: Field '' is required")
    raw = request.get_data(cache=True).decode("utf-8", "replace")
    return invalid_data(express_json_error(raw) or f"Invalid request: {problem.message}")


def _wants_real_500(problems: Iterable[Problem]) -> bool:
    return any(
        p.location == "query"
        and p.field in _REAL_500_QUIRKS
        and p.kind in ("constraint", "enum")
        and reproduces(_REAL_500_QUIRKS[p.field])
        for p in problems
    )


def refuse_unreadable_query(args: MultiDict[str, str]) -> dict[str, Any]:
    """What Medusa refuses in a query before any handler reads it (a key too deep for its
    normaliser, then whatever zod finds); else the query as zod passed it."""
    given = given_query(args)
    findings = zod_findings(given) + _unknown_date_operators(given)
    if findings:
        raise invalid_data(_join(findings))
    return given


def _unknown_date_operators(given: dict[str, Any]) -> list[Problem]:
    """Spec fidelity: the spec's date operator maps take no other keys. openapi-core's
    deepObject reader sees only keys of word characters (`created_at[x]` is refused before
    the handler), so one like `created_at[\x85]` is named here, as an unknown field."""
    if reproduces(LOOSE_DATE_FILTER):
        return []
    names = tuple(
        key
        for name in zod.DATE_FILTERS
        if isinstance(operators := given.get(name), dict)
        for key in operators
        if key not in zod.OPERATOR_NAMES
    )
    if not names:
        return []
    return [Problem("query", "", "unknown", f"unknown query parameters: {names}", names=names)]


def given_query(args: MultiDict[str, str]) -> dict[str, Any]:
    """The query as Medusa's zod schema is given it (qs.py). Medusa's `normalizeQuery` throws
    on a key of three dotted parts (`a.b.c`) before validation: a 500 on the real server
    (`DEEP_KEY_500`)."""
    try:
        return parsed_query(args)
    except qs.KeyTooDeep as deep:
        status = 500 if reproduces(DEEP_KEY_500) else 400
        raise error(status, "invalid_argument", str(deep)) from None


def parsed_query(args: MultiDict[str, str]) -> dict[str, Any]:
    """`qs.read(args)`, once per request for the request's own query: the pipeline's reading
    for the spec validator, the handler and its error wording all ask for it (read only)."""
    if not (has_request_context() and args is request.args):
        return qs.read(args)
    if "medusa_query" not in g:
        g.medusa_query = qs.read(args)  # KeyTooDeep leaves nothing behind: raised each time
    return g.medusa_query


def zod_findings(given: dict[str, Any]) -> list[Problem]:
    """zod's issues with the fields the operation declares, one Problem per field, already
    worded as Medusa words them (`rule` ZOD)."""
    operation = g.get("operation") if has_app_context() else None  # models run outside too
    declared = operation.query_names if operation is not None else zod.QUERY_SCHEMA.keys()
    return [
        Problem("query", str(issue.path[0]), "type", _zod_message(issue, given), rule=ZOD)
        for issue in zod.issues(given, declared)
    ]


def _zod_message(issue: zod.Issue, given: dict[str, Any]) -> str:
    """Medusa's `formatError` for one issue (@medusajs/framework zod-helpers.js): the types
    expected by the issue (a union: by all its branches' type issues whose value was sent),
    named by the first one's path and shown with its value; else the first such issue whose
    value is missing, as required; else zod's own "Invalid input"."""
    found = [issue]
    if issue.code == "invalid_union":
        found = [replace(i, path=issue.path + i.path) for branch in issue.branches for i in branch]
    typed = [i for i in found if i.code == "invalid_type"]
    sent = [i.expected for i in typed if _value_at(given, i.path) is not _ABSENT]
    if sent:
        got = _value_at(given, typed[0].path)
        shown = "undefined" if got is _ABSENT else js_string(got)
        field = ", ".join(map(str, typed[0].path))
        return f"Expected type: '{', '.join(sent)}' for field '{field}', got: '{shown}'"
    if typed:  # every value it names is missing
        return f"Field '{', '.join(map(str, typed[0].path))}' is required"
    return "Invalid input"


def _value_at(given: Any, path: tuple[str | int, ...]) -> Any:
    """Medusa's `getValueFromBody`: it walks plain objects only (an array's items are not
    reached)."""
    for part in path:
        if not isinstance(given, dict):
            return _ABSENT
        given = given.get(str(part), _ABSENT)
    return given


def _unknown_as_zod_lists_them(problem: Problem, given: dict[str, Any]) -> Problem:
    """The query's unknown fields are the keys of the object zod was given (`[]=1&[]=2`
    fills two: `0` and `1`), not one per key sent."""
    if problem.location != "query" or problem.kind != "unknown" or problem.field:
        return problem
    operation = g.get("operation")
    declared = operation.query_names if operation is not None else frozenset()
    names = tuple(name for name in given if name not in declared)
    return replace(problem, names=names) if names else problem


class MedusaErrors:
    """`mockserver.vendor.ErrorFormat` for Medusa."""

    def invalid_request(self, problems: list[Problem]) -> ApiError:
        given = given_query(request.args)  # the normaliser throws before zod sees anything
        refused = zod_findings(given)
        if refused:  # zod's word on a field replaces the spec validator's
            names = {p.field for p in refused}
            problems = refused + [
                p
                for p in problems
                if not (p.location == "query" and p.field.split(".")[0] in names)
            ]
        problems = [_unknown_as_zod_lists_them(p, given) for p in problems]
        if _wants_real_500(problems):
            return unknown_error()
        for problem in problems:
            if problem.location == "body" and problem.field == "" and problem.kind != "unknown":
                return _root_body_error(problem)
        rules = [p for p in problems if (p.field, p.kind) in _RULE_MESSAGES]
        schema = [p for p in problems if (p.field, p.kind) not in _RULE_MESSAGES]
        if schema:
            return invalid_data(_join(_first_location(schema)))
        return invalid_data(_RULE_MESSAGES[(rules[0].field, rules[0].kind)])

    def malformed_body(self, detail: str, raw: bytes) -> ApiError:
        message = express_json_error(raw.decode("utf-8", "replace")) if raw else None
        return invalid_data(message or detail)

    def unsupported_media_type(self, content_type: str) -> ApiError:
        """Medusa parses JSON, text and form bodies: a text body is a string where zod wants
        the object; a form body's keys are unknown fields; any other body is not read at all,
        so the object is empty and its required fields are missing."""
        media = content_type.split(";", 1)[0].strip().lower()
        if request.path == LOGIN_PATH:  # no zod there: the provider finds no password
            return error(401, "unauthorized", "Password should be a string")
        if media.startswith("text/"):
            return invalid_data("Invalid request: Field '' is required")
        problems = [Problem("body", f, "required", "") for f in _required_body_fields()]
        if media == "application/x-www-form-urlencoded":
            problems.append(Problem("body", "", "unknown", "", names=tuple(request.form.keys())))
            g.json_body = request.form.to_dict()  # the key order zod reports them in
        return invalid_data(_join(problems))

    def payload_too_large(self, limit: int) -> ApiError:
        return error(413, "invalid_data", f"request entity too large (limit {limit} bytes)")

    def route_not_found(self, method: str, path: str) -> ApiError:
        """Express's HTML page in vendor fidelity, Medusa's JSON envelope in spec fidelity."""
        if reproduces(EXPRESS_404):
            return express_not_found(method, path)
        return error(404, "not_found", f"Cannot {method} {path}")

    def method_not_allowed(self, method: str, path: str, allowed: list[str]) -> ApiError:
        """Express has no 405: a method no route serves falls through to its 404 page."""
        if reproduces(EXPRESS_404):
            if method == "OPTIONS":
                return express_options(allowed)
            return express_not_found(method, path)
        return error(
            405,
            "not_allowed",
            f"Cannot {method} {path}: this path answers {', '.join(allowed)} only.",
        )

    def idempotency_conflict(self) -> ApiError:
        return error(409, "conflict", CONFLICT_MESSAGE, code="invalid_state_error")

    def injected_fault(self, status: int) -> ApiError:
        if status >= 500:
            return ApiError(status, unknown_error().body)
        return error(status, "not_allowed", f"The request was refused (status {status}); retry.")

    def internal_error(self) -> ApiError:
        return unknown_error()
