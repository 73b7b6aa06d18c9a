"""The field name Medusa gives a raw query key, as its parsers do.

Express 4 parses the query string with `qs` 6.16 (`allowPrototypes`, no `allowDots`), and
Medusa's `normalizeQuery` then splits a top-level `parent.child` key: so `a[b]`, `a[` and
`a.b` are all field `a`, `[x]` is `x`, `[x` and `[x[y]` (no balanced group) stay whole, `[]`
and `[3]` make an array (fields `0`, `3`), and an empty key or `__proto__` is dropped. The
validator then reports unknown fields by these names, so the mock's "Unrecognized fields"
lists what the real server lists.
"""

from __future__ import annotations


def query_root(key: str) -> str | None:
    """The top-level field `key` fills (None: the parsers drop it)."""
    if not key:
        return None
    first = key.find("[")
    name = key[:first] if first > 0 else key if first < 0 else _first_group(key)
    if name == "__proto__":
        return None
    return name.split(".", 1)[0]


def _first_group(key: str) -> str:
    """The content of the balanced bracket group `key` starts with (the whole key when the
    group never closes); `[]` appends to an array, so it fills index `0`."""
    level = 0
    for index, char in enumerate(key):
        level += {"[": 1, "]": -1}.get(char, 0)
        if level == 0:
            return key[1:index] or "0"
    return key
