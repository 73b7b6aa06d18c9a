"""Ransack over stored store credits, as Spree's platform index applies `filter[...]`.

`scope.ransack(params[:filter])` keeps only conditions on the model's ransackable
attributes (`StoreCredit.whitelisted_ransackable_attributes` plus Spree's defaults) with a
known predicate; Ransack strips values, drops blank ones and ignores the rest. Values are
cast to the column's type (`to_i`, `to_d`, time parsing) before comparing, and SQL's NULL
never matches a comparison.

Not modelled (real Spree answers them, mostly with a database error): predicates that
only make sense on another column type (`user_id_cont`, `amount_true`), conditions
through associations (`user_email_cont`), `m`/`g` groupings and `s` sorts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from mockserver.vendors.spree.casting import to_d, to_i

# Ransackable attribute -> column type. Spree's defaults are `id name updated_at created_at`;
# store credits have no `name` column.
ATTRIBUTES = {
    "id": "integer",
    "user_id": "integer",
    "created_by_id": "integer",
    "type_id": "integer",
    "amount": "decimal",
    "currency": "string",
    "created_at": "datetime",
    "updated_at": "datetime",
}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "not_eq": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "lteq": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gteq": lambda a, b: a >= b,
}
_TEXT: dict[str, Callable[[str, str], bool]] = {
    "cont": lambda a, b: b in a,
    "i_cont": lambda a, b: b.lower() in a.lower(),
    "start": lambda a, b: a.startswith(b),
    "end": lambda a, b: a.endswith(b),
    "matches": lambda a, b: _like(b).fullmatch(a) is not None,
}
_NEGATED_TEXT = {"not_cont": "cont", "not_i_cont": "i_cont", "not_start": "start"}
_NEGATED_TEXT |= {"not_end": "end", "does_not_match": "matches"}
_FALSE = frozenset({"0", "f", "F", "false", "FALSE", "off", "OFF"})


@dataclass(frozen=True)
class Condition:
    """One `filter[<attribute>_<predicate>]` with its values, already stripped."""

    attribute: str
    predicate: str
    values: tuple[str, ...]

    def matches(self, record: Mapping[str, Any]) -> bool:
        column = _column(record, self.attribute)
        base, _, mode = self.predicate.rpartition("_")
        if mode in ("any", "all") and base in _COMPARE | _TEXT | _NEGATED_TEXT:
            results = [_test(base, column, v, self.attribute) for v in self.values]
            return any(results) if mode == "any" else all(results)
        if self.predicate in ("in", "not_in"):
            if column is None:
                return False
            found = column in {_cast(v, self.attribute) for v in self.values}
            return found if self.predicate == "in" else not found
        return _test(self.predicate, column, self.values[0], self.attribute)


def _predicates() -> list[str]:
    single = [*_COMPARE, *_TEXT, *_NEGATED_TEXT]
    compound = [f"{p}_{mode}" for p in single for mode in ("any", "all")]
    flags = ["in", "not_in", "null", "not_null", "present", "blank"]
    return sorted([*single, *compound, *flags], key=len, reverse=True)


PREDICATES = _predicates()


def conditions(query: Iterable[tuple[str, str]]) -> list[Condition]:
    """The effective conditions of a query string's `filter[...]` keys (others ignored)."""
    values: dict[str, list[str]] = {}
    for key, value in query:
        match = re.fullmatch(r"filter\[([a-z_]+)\](\[\])?", key)
        if match and value.strip():
            values.setdefault(match.group(1), []).append(value.strip())
    found = []
    for name, given in values.items():
        parsed = _parse(name)
        if parsed is not None and _valid(*parsed, given):
            found.append(Condition(parsed[0], parsed[1], tuple(given)))
    return found


def _parse(name: str) -> tuple[str, str] | None:
    for predicate in PREDICATES:
        attribute = name.removesuffix(f"_{predicate}")
        if attribute != name and attribute in ATTRIBUTES:
            return attribute, predicate
    return None


def _valid(attribute: str, predicate: str, values: list[str]) -> bool:
    """Ransack keeps a condition whose values cast to something (a time that does not parse
    is dropped) and whose predicate fits the column (text predicates only on text)."""
    kind = ATTRIBUTES[attribute]
    base = predicate.removesuffix("_any").removesuffix("_all")
    textual = base in _TEXT or base in _NEGATED_TEXT or base in ("present", "blank")
    if textual and kind != "string":
        return False
    if base in ("null", "not_null", "present", "blank"):
        return True
    return all(_cast(v, attribute) is not None for v in values)


def _test(predicate: str, column: Any, value: str, attribute: str) -> bool:
    if predicate in ("null", "not_null"):
        wanted = value not in _FALSE
        is_null = column is None
        return is_null == wanted if predicate == "null" else is_null != wanted
    if predicate in ("present", "blank"):
        present = column not in (None, "")
        wanted = value not in _FALSE
        return present == wanted if predicate == "present" else present != wanted
    if column is None:
        return False  # SQL: a comparison with NULL is never true
    if predicate in _NEGATED_TEXT:
        return not _TEXT[_NEGATED_TEXT[predicate]](column, value)
    if predicate in _TEXT:
        return _TEXT[predicate](column, value)
    return _COMPARE[predicate](column, _cast(value, attribute))


def _cast(value: str, attribute: str) -> Any:
    kind = ATTRIBUTES[attribute]
    if kind == "integer":
        return to_i(value)
    if kind == "decimal":
        return to_d(value)
    if kind == "datetime":
        return _time(value)
    return value


def _column(record: Mapping[str, Any], attribute: str) -> Any:
    value = record.get(attribute)
    if value is None:
        return None
    kind = ATTRIBUTES[attribute]
    if kind == "integer":
        return int(value)
    if kind == "decimal":
        return Decimal(value)
    if kind == "datetime":
        return _time(value)
    return value


def _time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)  # Rails' Time.zone: UTC


def _like(pattern: str) -> re.Pattern[str]:
    """SQL LIKE: `%` any run, `_` one character, everything else literal."""
    parts = (".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern)
    return re.compile("".join(parts), re.DOTALL)
