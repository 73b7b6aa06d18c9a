"""Medusa's list and projection query language, applied to ledger records.

- `fields`: `+f` adds to the defaults, `-f` removes, any bare name replaces the defaults;
  `*rel` embeds a relation, `rel.f` one field of it; unknown names are ignored; `id` is always
  there. (A `+` left unencoded in a URL arrives as a space: it counts as `+`.)
- filters: `k=v` (repeatable), `k[]=v`, `k[$op]=v`, `k[$op][]=v`, compared like SQL (a null
  matches no comparison).
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
from mockserver.vendors.medusa.errors import (
    refuse_unreadable_query,
    type_error,
    unknown_error,
)
from mockserver.vendors.medusa.js import js_parse_int
from mockserver.vendors.medusa.quirks import DATE_500, PARSE_INT_PAGING

DEFAULT_LIMIT = 15
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\[\]]*\])*)$")
_OPERATORS = frozenset(
    {"$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "$like", "$ilike"}
)
_RANGE_OPERATORS = frozenset({"$gt", "$gte", "$lt", "$lte"})  # one value each; $eq/$ne take lists
_LIST_OPERATORS = frozenset({"$in", "$nin"})
_SINGLE_VALUE_OPERATORS = _RANGE_OPERATORS | {"$like", "$ilike"}
DATE_FIELDS = frozenset({"created_at", "updated_at"})
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


def parse_filters(args: MultiDict[str, str], allowed: Iterable[str]) -> list[Condition]:
    """Every filter of the query string, plain and bracket forms alike."""
    refuse_unreadable_query(args)  # zod's type check runs before any filter reaches the database
    allowed = set(allowed)
    grouped: dict[tuple[str, str], list[str]] = {}
    for key in args:
        match = _KEY.match(key)
        if match is None or match.group(1) not in allowed:
            continue
        name, brackets = match.group(1), match.group(2)
        parts = re.findall(r"\[([^\[\]]*)\]", brackets)
        operator = "$in" if name not in DATE_FIELDS else ""
        explicit = bool(parts) and parts[0].startswith("$")
        if explicit:
            operator, parts = parts[0], parts[1:]
        elif name in DATE_FIELDS:
            if not reproduces(DATE_500):
                raise type_error(name, "record", args.get(key))
            operator = "$eq"  # the real server compares a bare date for equality
        indexes_ok = all(not p or (p.isascii() and p.isdigit()) for p in parts)
        if explicit and name not in DATE_FIELDS and operator in _OPERATORS:
            is_list = bool(parts) or len(args.getlist(key)) > 1
            _refuse_misshapen(name, operator, is_object=not indexes_ok, is_list=is_list)
        if operator not in _OPERATORS or not indexes_ok:
            continue  # the real server ignores operators it does not know
        values = args.getlist(key)
        if name in DATE_FIELDS:
            if len(values) > 1 and operator in _RANGE_OPERATORS and not brackets.endswith("[]"):
                raise type_error(f"{name}, {operator}", "string", values)
            for value in values:
                if value != NULL_TEXT:
                    parse_date(value, f"{name}.{operator}")
        grouped.setdefault((name, operator), []).extend(values)
    return [Condition(n, op, tuple(vs)) for (n, op), vs in grouped.items()]


def _refuse_misshapen(name: str, operator: str, is_object: bool, is_list: bool) -> None:
    """zod's operator map on a text filter: `$in` and `$nin` take a list, `$eq` and `$ne` a
    value or a list, the others one value, and no operator takes an object (`id[$in][x]`).
    Real Medusa 2.21.1 names the field and shows the map as '[object Object]'."""
    if (
        is_object
        or (operator in _LIST_OPERATORS and not is_list)
        or (operator in _SINGLE_VALUE_OPERATORS and is_list)
    ):
        raise type_error(name, "string, array", {})


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
    """The query as Medusa's zod schema checks it (`Vendor.read_query`): `limit` and
    `offset` preprocessed by parseInt, in vendor fidelity. A value parseInt cannot read is
    left as sent, for the schema to refuse naming it; a repeated one too (zod sees an array)."""
    if not reproduces(PARSE_INT_PAGING):
        return args
    read: MultiDict[str, str] | None = None
    for name in ("limit", "offset"):
        values = args.getlist(name)
        if len(values) != 1 or not math.isfinite(number := js_parse_int(values[0])):
            continue
        if (text := str(int(number))) != values[0]:
            read = read if read is not None else MultiDict(args)
            read.setlist(name, [text])
    return args if read is None else read


def page_numbers(args: MultiDict[str, str]) -> tuple[int, int]:
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
