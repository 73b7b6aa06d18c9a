"""Medusa's list and projection query language, applied to ledger records.

- `fields`: `+f` adds to the defaults, `-f` removes, any bare name replaces the defaults;
  `*rel` embeds a relation, `rel.f` one field of it; unknown names are ignored; `id` is always
  there. (A `+` left unencoded in a URL arrives as a space: it counts as `+`.)
- filters: `k=v` (repeatable), `k[]=v`, `k[$op]=v`, `k[$op][]=v` (every key of a field
  merged, as qs.py reads them), compared like SQL (a null matches no comparison).
- `order` (`-` for descending, nulls last ascending / first descending, as in Postgres),
  `limit` (default 15, fractions truncated) and `offset`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from werkzeug.datastructures import MultiDict

from mockserver.fidelity import reproduces
from mockserver.vendors.medusa import qs, zod
from mockserver.vendors.medusa.errors import parsed_query, type_error, unknown_error
from mockserver.vendors.medusa.js import js_parse_int
from mockserver.vendors.medusa.qs import query_root
from mockserver.vendors.medusa.quirks import (
    DATE_500,
    LOOSE_DATE_FILTER,
    OPERATOR_500,
    PARSE_INT_PAGING,
)

DEFAULT_LIMIT = 15
_OPERATORS = frozenset(
    {"$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "$like", "$ilike"}
)
_EQUALITY = ("$eq", "$ne")
_SCALARS = ("fields", "offset", "limit", "order", "with_deleted", "q")  # one value each
_PAGING = ("limit", "offset")
DATE_FIELDS = frozenset(zod.DATE_FILTERS)
NULL_TEXT = "null"
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)


@dataclass
class Selection:
    """What `fields` asked for: top-level names and relations (None = all their fields)."""

    names: set[str] = field(default_factory=set)
    relations: dict[str, set[str] | None] = field(default_factory=dict)

    def relation(self, name: str) -> tuple[bool, set[str] | None]:
        if name not in self.relations:
            return False, None
        return True, self.relations[name]


def select(fields: str | None, defaults: Iterable[str]) -> Selection:
    tokens = [t for t in (fields or "").split(",") if t.strip()]
    chosen = list(defaults)
    if fields is not None and not fields.replace(",", "").strip():
        chosen = []  # `fields=` (empty) asks for nothing: only the id comes back
    if tokens and any(not t.startswith(("-", "+", " ", "*")) for t in tokens):
        chosen = []
    for token in tokens:
        if token.startswith("-"):
            name = token[1:].strip()
            chosen = [
                c for c in chosen if c not in (name, "*" + name) and not c.startswith(name + ".")
            ]
        else:
            chosen.append(token.lstrip("+ ").strip())
    selection = Selection()
    for name in chosen:
        if name.startswith("*"):
            selection.relations[name[1:]] = None
        elif "." in name:
            relation, sub = name.split(".", 1)
            if sub == "*":
                selection.relations[relation] = None
            elif selection.relations.get(relation, set()) is not None:
                selection.relations.setdefault(relation, set()).add(sub)
        else:
            selection.names.add(name)
    selection.names.add("id")
    return selection


def pick(view: Mapping[str, Any], wanted: set[str] | None) -> dict[str, Any]:
    """A related object, whole (None) or trimmed to known fields."""
    if wanted is None:
        return dict(view)
    return {k: v for k, v in view.items() if k in wanted}


# -- filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    values: tuple[str, ...]


def parse_filters(given: Mapping[str, Any], allowed: Iterable[str]) -> list[Condition]:
    """Every filter of a query zod has passed (`refuse_unreadable_query`): a value or a list
    is `$in` (a date's: `$eq`), an operator map one condition per operator it holds."""
    conditions = []
    for name in allowed:
        value = given.get(name)
        if value is None:
            continue
        if isinstance(value, dict):
            pairs = [(op, v) for op, v in value.items() if op in _OPERATORS]
        elif name in DATE_FIELDS:
            if not reproduces(DATE_500):
                raise type_error(name, "record", value)
            pairs = [("$eq", value)]  # the real server compares a bare date for equality
        else:
            pairs = [("$in", value)]
        if isinstance(value, dict) and _crashes_the_query(value) and reproduces(OPERATOR_500):
            raise unknown_error()
        for operator, found in pairs:
            values = (found,) if isinstance(found, str) else tuple(found)
            if name in DATE_FIELDS:
                for one in values:
                    if one != NULL_TEXT:
                        parse_date(one, f"{name}.{operator}")
            conditions.append(Condition(name, operator, values))
    return conditions


def _crashes_the_query(operators: Mapping[str, Any]) -> bool:
    """What the real server's query builder fails on after zod has passed it: `$contains`,
    and `$eq`/`$ne` holding two different values (`a` twice, `null` twice are fine: the
    values are deduplicated first) (OPERATOR_500)."""
    if "$contains" in operators:
        return True
    return any(
        isinstance(operators.get(op), list) and len(set(operators[op])) > 1 for op in _EQUALITY
    )


def parse_date(value: str, name: str) -> datetime:
    """A filter's timestamp; what PostgreSQL cannot read is the real server's 500 (vendor
    fidelity) or a 400 naming the field (spec fidelity)."""
    try:
        moment = datetime.fromisoformat(value.strip().upper().replace("Z", "+00:00"))
        offset = moment.utcoffset()
        if offset is not None and abs(offset) > MAX_UTC_OFFSET and reproduces(DATE_500):
            raise unknown_error()  # RFC 3339 allows it; PostgreSQL reads offsets up to 15:59
    except ValueError:
        if reproduces(DATE_500):
            raise unknown_error() from None
        raise type_error(name, "date", value) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.now().astimezone().tzinfo)
    return moment


def matches(record: Mapping[str, Any], conditions: Iterable[Condition]) -> bool:
    return all(_holds(record.get(c.field), c) for c in conditions)


def _holds(value: Any, condition: Condition) -> bool:
    if value is None:
        return False
    if condition.field in DATE_FIELDS and NULL_TEXT in condition.values:
        return False  # Medusa reads "null" as SQL NULL: no comparison with it holds
    if condition.field in DATE_FIELDS:
        actual: Any = parse_date(value, condition.field)
        wanted: list[Any] = [parse_date(v, condition.field) for v in condition.values]
    else:
        actual, wanted = value, list(condition.values)
    op = condition.operator
    if op in ("$in", "$eq"):
        return actual in wanted
    if op in ("$ne", "$nin"):
        return actual not in wanted
    if op in ("$like", "$ilike"):
        return any(_like(str(actual), pattern, op == "$ilike") for pattern in wanted)
    compare: dict[str, Callable[[Any, Any], bool]] = {
        "$gt": lambda a, b: a > b,
        "$gte": lambda a, b: a >= b,
        "$lt": lambda a, b: a < b,
        "$lte": lambda a, b: a <= b,
    }
    return all(compare[op](actual, w) for w in wanted)


def _like(text: str, pattern: str, insensitive: bool) -> bool:
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return (
        re.fullmatch(regex, text, re.IGNORECASE | re.DOTALL if insensitive else re.DOTALL)
        is not None
    )


# -- order and paging ---------------------------------------------------------------------


def order_by(
    items: list[dict[str, Any]], order: str | None, key_of: Callable[[dict[str, Any], str], Any]
) -> list[dict[str, Any]]:
    """Sort by one field (`-` = descending); nulls last ascending, first descending."""
    name = (order or "id").lstrip("-")
    descending = (order or "").startswith("-")

    def key(item: dict[str, Any]) -> tuple[bool, Any, str]:
        value = key_of(item, name)
        # Ties (same millisecond) fall back to the id, so they follow creation order.
        return (value is None, value if value is not None else "", item["id"])

    return sorted(items, key=key, reverse=descending)


def read_query(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """The query as Medusa's zod schema checks it (`Vendor.read_query`), for the spec's
    validator: each single-valued field as the parser reads it (`[limit]=2` is `limit=2`),
    and in vendor fidelity `limit` and `offset` preprocessed by parseInt. A value parseInt
    cannot read is left as sent, for the schema to refuse naming it; an array or an object
    is left out (zod's finding names it)."""
    try:
        given = parsed_query(args)
    except qs.KeyTooDeep:
        return args  # refused before anything is validated
    # Date filters are zod's and the database's to judge in vendor fidelity: zod strips the
    # keys the spec's operator map refuses (LOOSE_DATE_FILTER), and bad dates are DATE_500.
    hidden = _SCALARS + (tuple(DATE_FIELDS) if reproduces(LOOSE_DATE_FILTER) else ())
    read = MultiDict([(k, v) for k, v in args.items(multi=True) if query_root(k) not in hidden])
    for name in _SCALARS:
        value = given.get(name)
        if not isinstance(value, str):
            continue
        if name in _PAGING and reproduces(PARSE_INT_PAGING):
            number = js_parse_int(value)
            value = str(int(number)) if math.isfinite(number) else value
        read.add(name, value)
    return read


def page_numbers(args: Mapping[str, Any]) -> tuple[int, int]:
    """`limit` and `offset` as the real server reads them (already schema-checked)."""
    return _count(args.get("limit"), "limit", DEFAULT_LIMIT), _count(
        args.get("offset"), "offset", 0
    )


def _count(raw: str | None, name: str, default: int) -> int:
    if raw is None:
        return default
    number = js_parse_int(raw)
    if not math.isfinite(number) or number < 0:
        raise type_error(name, "number", raw)
    return int(number)
