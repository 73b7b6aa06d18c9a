"""The loyalty plugin's query schema, checked as zod 4 checks it.

`AdminGetStoreCreditAccountsParams` (and the transactions' schema, the same minus
`currency_code` and `customer_id`) is Medusa's `createFindParams` (`fields`, `offset`,
`limit`, `order`, `with_deleted`) followed by the plugin's `q`, text filters and date filters.
`limit` and `offset` go through `parseInt` first and `with_deleted` through `"true"`/`"false"`.
A text filter is a string, an array of strings or an operator map; a date filter
(`createOperatorMap()`) a string, an array of strings or an object of operators; unknown
operators are stripped, not refused.

`issues(given, names)` returns zod's issues in zod's own shape (code, path, expected type, a
union's branches), one per failing field in the schema's order; errors.py words them as
Medusa's `formatError` does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from mockserver.vendors.medusa.js import js_parse_int


@dataclass(frozen=True)
class Issue:
    """One zod issue: `invalid_type` (with the type expected) or `invalid_union` (with the
    issues of each branch, their paths relative to the union's)."""

    code: str
    path: tuple[str | int, ...] = ()
    expected: str = ""
    branches: tuple[tuple[Issue, ...], ...] = ()


Check = Callable[[Any], list[Issue]]  # a value (None: absent, which every field may be)


def _invalid(expected: str) -> list[Issue]:
    return [Issue("invalid_type", expected=expected)]


def string(value: Any) -> list[Issue]:
    return [] if value is None or isinstance(value, str) else _invalid("string")


def number(value: Any) -> list[Issue]:
    """`createFindParams`' paging: a non-empty string is read by parseInt first."""
    if value is None:
        return []
    if isinstance(value, str) and value:
        value = js_parse_int(value)
    return [] if isinstance(value, float) and math.isfinite(value) else _invalid("number")


def boolean(value: Any) -> list[Issue]:
    """`with_deleted`: only the strings `true` and `false` become booleans."""
    return [] if value in (None, "true", "false") else _invalid("boolean")


def array_of(item: Check) -> Check:
    def check(value: Any) -> list[Issue]:
        if value is None:
            return []
        if not isinstance(value, list):
            return _invalid("array")
        return [_under(index, issue) for index, one in enumerate(value) for issue in item(one)]

    return check


def object_of(shape: Mapping[str, Check]) -> Check:
    """A `z.object`: keys it does not know are stripped."""

    def check(value: Any) -> list[Issue]:
        if value is None:
            return []
        if not isinstance(value, dict):
            return _invalid("object")
        return [
            _under(key, issue) for key, field in shape.items() for issue in field(value.get(key))
        ]

    return check


def union(*options: Check) -> Check:
    def check(value: Any) -> list[Issue]:
        found = []
        for option in options:
            issues = option(value)
            if not issues:
                return []  # the first branch that accepts the value settles it
            found.append(tuple(issues))
        return [Issue("invalid_union", branches=tuple(found))]

    return check


def _under(key: str | int, issue: Issue) -> Issue:
    return replace(issue, path=(key, *issue.path))


# createOperatorMap() in @medusajs/medusa's api/utils/validators.js
_TEXT = union(string, array_of(string))
_OPERATOR_SHAPE: dict[str, Check] = {
    "$eq": _TEXT,
    "$ne": _TEXT,
    "$in": array_of(string),
    "$nin": array_of(string),
    "$like": string,
    "$ilike": string,
    "$re": string,
    "$contains": string,
    "$gt": string,
    "$gte": string,
    "$lt": string,
    "$lte": string,
}
OPERATOR_NAMES = frozenset(_OPERATOR_SHAPE)
OPERATOR_MAP = union(_TEXT, object_of(_OPERATOR_SHAPE))
DATE_FILTERS = ("updated_at", "created_at")
TEXT_FILTER = union(string, array_of(string), OPERATOR_MAP)

QUERY_SCHEMA: dict[str, Check] = {
    "fields": string,
    "offset": number,
    "limit": number,
    "order": string,
    "with_deleted": boolean,
    "q": string,
    "id": TEXT_FILTER,
    "currency_code": TEXT_FILTER,
    "customer_id": TEXT_FILTER,
    **{name: OPERATOR_MAP for name in DATE_FILTERS},
}


def issues(given: Mapping[str, Any], names: Iterable[str]) -> list[Issue]:
    """zod's issues with the query's fields `names` (the operation's), in the schema's order."""
    names = set(names)
    return [
        _under(name, issue)
        for name, check in QUERY_SCHEMA.items()
        if name in names
        for issue in check(given.get(name))
    ]
