"""The query string as Medusa hands it to its zod schema.

Medusa 2.21.1 parses every query string again with `qs` 6.17 (`qs.parse(query, {arrayLimit:
Infinity})` in @medusajs/medusa's loaders/api.js, replacing Express's own parse), then its
`normalizeQuery` (validate-query.js) turns an array of one string into the string's
comma-separated parts and a top-level `parent.child` key into a nested field:

- `a[b]` and `a.b` are field `a` holding an object, `a[]` and `a[0]` an array; `[a]` is `a`
  itself; `[]` and `[3]` are array slots (fields `0`, `3`); a group that never closes stays
  literal (`a[` is `a` holding `{"[": ...}`, `[x` is `[x`); past five groups the rest is one.
- Keys of one field MERGE, whatever their form: `id=a&id=b` is `["a", "b"]`, `id=a&id[$in]=x`
  `["a", {"$in": "x"}]`, `[limit]=2&limit=1` `["2", "1"]`, `id[$in][]=x&id[$in]=y`
  `{"$in": ["x", "y"]}`; an empty value adds nothing to a field already there.
- A key naming a property of JavaScript's `Object.prototype` (`toString`, `__proto__`,
  `a[constructor]`) is dropped, as is an empty key; `__proto__.x` sets an inherited `x`.
- `a.b.c` (three dotted parts) makes normalizeQuery throw: `KeyTooDeep`.

`read(args)` gives the result as JSON would show it (str, list, dict); `query_root(key)` the
field one raw key fills, which names the unknown fields zod reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

# Object.prototype's own properties in Node 20: qs drops a key naming one.
PROTOTYPE_KEYS = frozenset(
    {
        "constructor",
        "__defineGetter__",
        "__defineSetter__",
        "hasOwnProperty",
        "__lookupGetter__",
        "__lookupSetter__",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toString",
        "valueOf",
        "__proto__",
        "toLocaleString",
    }
)
_DEPTH = 5  # qs reads at most five bracket groups; the rest of the key is one more
_INDEX = re.compile(r"0|[1-9][0-9]*")  # what qs (and JavaScript) take for an array index
_MAX_INDEX = 2**32 - 2


class KeyTooDeep(ValueError):
    """normalizeQuery's refusal of a key with more than two dotted parts (`a.b.c`)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"Key accessor more than 2 levels deep: {key}")
        self.key = key


def read(args: MultiDict[str, str]) -> dict[str, Any]:
    """What Medusa's zod schema is given for this query (`KeyTooDeep` for `a.b.c=1`)."""
    return _normalize(parse(args))


def parse(args: MultiDict[str, str]) -> dict[str, Any]:
    """`qs.parse(query, {arrayLimit: Infinity})`: werkzeug has decoded the keys and grouped
    the values of a repeated key in first-seen order, as qs's first pass does."""
    parsed: Any = _Object()
    for key in _js_order(args):
        values = args.getlist(key)
        chain = split_key(key)
        if chain:
            value = values[0] if len(values) == 1 else _Array.of(*values)
            parsed = _merge(parsed, _nest(chain, value))
    return _plain(parsed)


def split_key(key: str) -> list[str] | None:
    """qs's segments of a key: `a[b][c]` is `a`, `[b]`, `[c]` (None: the key is dropped)."""
    if not key:
        return None
    opening = key.find("[")
    parent = key if opening < 0 else key[:opening]
    if parent in PROTOTYPE_KEYS:
        return None
    segments = [parent] if parent else []
    groups = 0
    while opening >= 0 and groups < _DEPTH:
        closing = _closing(key, opening)
        if closing < 0:
            return [*segments, f"[{key[opening:]}]"]
        if key[opening + 1 : closing] in PROTOTYPE_KEYS:
            return None
        segments.append(key[opening : closing + 1])
        groups += 1
        opening = key.find("[", closing + 1)
    if opening >= 0:
        segments.append(f"[{key[opening:]}]")
    return segments


def query_root(key: str) -> str | None:
    """The top-level field `key` fills (None: the parsers drop it)."""
    segments = split_key(key)
    if segments is None:
        return None
    first = segments[0]
    name = "0" if first == "[]" else first[1:-1] if first.startswith("[") else first
    parent, _, child = name.partition(".")
    return child.split(".", 1)[0] if parent == "__proto__" else parent


def is_array_index(key: str) -> bool:
    """A key JavaScript takes for an array index (ASCII digits, no leading zero, below
    2**32 - 1): an object lists these first, in numeric order."""
    return key.isdigit() and _INDEX.fullmatch(key) is not None and int(key) <= _MAX_INDEX


def _closing(key: str, opening: int) -> int:
    """Where the bracket group opened at `opening` closes (-1: never)."""
    level = 0
    for index in range(opening, len(key)):
        level += {"[": 1, "]": -1}.get(key[index], 0)
        if level == 0:
            return index
    return -1


# -- qs's containers and merge ----------------------------------------------------------


@dataclass
class _Array:
    """A JavaScript array while qs builds it: `a[5]=x` leaves holes, which `compact` drops.
    `conflict` is qs's mark on the pair it made of an object and a plain value."""

    items: dict[int, Any]
    length: int
    conflict: int | None = field(default=None)

    @classmethod
    def of(cls, *values: Any) -> _Array:
        return cls(dict(enumerate(values)), len(values))

    def put(self, index: int, value: Any) -> None:
        self.items[index] = value
        self.length = max(self.length, index + 1)

    def keys(self) -> list[str]:
        return [str(i) for i in sorted(self.items)]

    def __getitem__(self, key: str) -> Any:
        return self.items[int(key)]


class _Object(dict[str, Any]):
    """A plain JavaScript object while qs builds it (with qs's conflict mark)."""

    conflict: int | None = None


def _nest(chain: list[str], leaf: Any) -> Any:
    """qs's `parseObject`: the value one key makes, innermost segment first."""
    for segment in reversed(chain):
        if segment == "[]":
            leaf = (
                _Array(dict(leaf.items), leaf.length)
                if isinstance(leaf, _Array)
                else _Array.of(leaf)
            )
            continue
        name = segment[1:-1] if segment.startswith("[") else segment
        if name != segment and is_array_index(name):
            leaf = _Array({int(name): leaf}, int(name) + 1)
        else:
            leaf = _Object({name: leaf})
    return leaf


def _merge(target: Any, source: Any) -> Any:
    """qs's `utils.merge` (strictMerge, no array limit): a value meeting a value makes an
    array of both; an object meeting a value, a pair marked as a conflict, later values then
    joining at the next index; containers merge key by key (arrays: index by index)."""
    if source == "":
        return target
    if isinstance(source, str):
        if isinstance(target, _Array):
            target.put(target.length, source)
        elif isinstance(target, _Object) and target.conflict is not None:
            target.conflict += 1
            target[str(target.conflict)] = source
        elif isinstance(target, _Object):
            pair = _Array.of(target, source)
            pair.conflict = 1
            return pair
        else:
            return _Array.of(target, source)
        return target
    if not isinstance(target, _Array | _Object):
        if isinstance(source, _Array):
            shifted = {index + 1: value for index, value in source.items.items()}
            return _Array({0: target} | shifted, source.length + 1)
        return _Array.of(target, source)
    if isinstance(target, _Array) and isinstance(source, _Array):
        for index in sorted(source.items):
            item = source.items[index]
            if index not in target.items:
                target.put(index, item)
            elif _is_container(target.items[index]) and _is_container(item):
                target.items[index] = _merge(target.items[index], item)
            else:
                target.put(target.length, item)
        return target
    merged = target
    if isinstance(target, _Array):
        merged = _Object((str(i), target.items[i]) for i in sorted(target.items))
        if target.conflict is not None:
            merged.conflict = target.length - 1
    for key in _js_order(source.keys()):
        value = source[key]
        merged[key] = _merge(merged[key], value) if key in merged else value
        if merged.conflict is not None and _INDEX.fullmatch(key):
            merged.conflict = max(merged.conflict, int(key))
    return merged


def _is_container(value: Any) -> bool:
    return isinstance(value, _Array | _Object)


def _plain(value: Any) -> Any:
    """qs's `compact` (holes dropped), as plain lists and dicts."""
    if isinstance(value, _Array):
        return [_plain(value.items[i]) for i in sorted(value.items)]
    if isinstance(value, dict):
        return {key: _plain(value[key]) for key in _js_order(value)}
    return value


def _js_order(keys: Iterable[str]) -> list[str]:
    """A JavaScript object's key order: array indexes first, in numeric order, then the rest
    in the order they were set."""
    keys = list(keys)
    indexes = {k for k in keys if is_array_index(k)}
    return sorted(indexes, key=int) + [k for k in keys if k not in indexes]


# -- Medusa's normalizeQuery ------------------------------------------------------------


def _normalize(parsed: dict[str, Any]) -> dict[str, Any]:
    given: dict[str, Any] = {}
    inherited: dict[str, Any] = {}  # `__proto__.x=1` sets x on the object's prototype
    for key, value in parsed.items():
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            value = value[0].split(",")
        if "." not in key:
            given[key] = value
            continue
        parent, child, *deeper = key.split(".")
        if deeper:
            raise KeyTooDeep(key)
        if parent == "__proto__":
            inherited[child] = value
        else:
            given[parent] = {**_spread(given.get(parent)), child: value}
    return given | {k: v for k, v in inherited.items() if k not in given}


def _spread(value: Any) -> dict[str, Any]:
    """`{...value}` in JavaScript: a string's characters and an array's items by index."""
    if isinstance(value, str | list):
        return {str(index): item for index, item in enumerate(value)}
    return dict(value or {})
