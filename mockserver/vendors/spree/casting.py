"""Ruby and Rails conversions Spree applies to what a client sends, so the mock reads a
request the way Spree 4.10 does: `String#to_i` for page numbers and integer columns,
`String#to_d` for Ransack decimals, Rack's nested form keys, and strong parameters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

_TO_I = re.compile(r"\s*([+-]?\d+(?:_\d+)*)", re.ASCII)
_TO_D = re.compile(r"\s*([+-]?(?:\d+(?:_\d+)*)?(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+)?)", re.ASCII)
# Ruby's `Kernel#Float` on a string, which Rails' numericality validation uses (ASCII
# digits and spaces only, as in Ruby).
_FLOAT = re.compile(r"\s*[+-]?(\d+(_\d+)*(\.\d+(_\d+)*)?|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)
_FORM_KEY = re.compile(r"\[([^\[\]]*)\]")


def to_i(value: Any) -> int:
    """Ruby's `to_i`: the leading integer of a string ("10abc" -> 10), 0 when there is none."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal):
        return int(value)
    found = _TO_I.match(str(value))
    return int(found.group(1).replace("_", "")) if found else 0


def to_d(value: Any) -> Decimal:
    """Ruby's `String#to_d`: the leading decimal of a string ("1.5abc" -> 1.5), else 0."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    found = _TO_D.match(str(value))
    text = found.group(1).replace("_", "") if found else ""
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal(0)


def number(value: Any) -> Decimal | None:
    """A JSON number or numeric string as an exact decimal; None when Rails would say
    "is not a number" (booleans, blanks, words, hexadecimal)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str) and _FLOAT.fullmatch(value):
        text = value.strip().replace("_", "")
        try:
            return Decimal(text)
        except InvalidOperation:  # an exponent beyond Decimal's: Ruby reads +-Infinity or 0
            return Decimal(float(text))
    return None


def record_id(value: Any) -> str | None:
    """An integer column as ActiveRecord casts it (`"7"`, `7`, `7.9` -> 7; blank -> nil),
    kept as the string the JSON:API documents show."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return str(to_i(value))


def is_scalar(value: Any) -> bool:
    """What strong parameters permit for a plain attribute (arrays and hashes are dropped)."""
    return not isinstance(value, list | dict)


def permit(
    attributes: Mapping[str, Any], scalars: tuple[str, ...], hashes: tuple[str, ...]
) -> dict[str, Any]:
    """`params.permit(*scalars, hash: {})`: unknown keys and values of the wrong shape dropped."""
    kept = {k: v for k, v in attributes.items() if k in scalars and is_scalar(v)}
    kept.update({k: v for k, v in attributes.items() if k in hashes and isinstance(v, dict)})
    return kept


def nest_form(fields: Mapping[str, str]) -> dict[str, Any]:
    """Rack's nested parameters: `store_credit[amount]=10` -> `{"store_credit": {"amount": "10"}}`.

    A key whose brackets cannot be read (`a[b`) is kept whole, as Rack does for plain keys.
    """
    nested: dict[str, Any] = {}
    for key, value in fields.items():
        head, _, rest = key.partition("[")
        path = [head, *_FORM_KEY.findall("[" + rest)] if rest else [head]
        node = nested
        for part in path[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[path[-1]] = value
    return nested
