"""JavaScript's own conversions, as Medusa's Node code applies them to what a client sent:
`String(value)` (the `got: '...'` of zod's messages), `Number.prototype.toString`, `parseInt`
(how `limit` and `offset` are read) and the whitespace `trim()` and `parseInt` skip.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

# What JavaScript's String.prototype.trim() and parseInt() skip (Python's strip() and `\s`
# take more: \x1c-\x1f, \x85).
JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    map(chr, range(0x2000, 0x200B))
)


def js_string(value: Any) -> str:
    """`String(value)` in JavaScript, for the `got: '...'` part of type messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    if isinstance(value, int | float | Decimal):
        return js_number(value)
    return str(value)


def js_number(value: float | int | Decimal) -> str:
    """ECMAScript Number::toString (1.0 -> '1', 1e21 -> '1e+21', 1e-7 -> '1e-7')."""
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    digits, exponent = _shortest_digits(abs(number))
    k, n = len(digits), exponent
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        text = f"{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return sign + text


def _shortest_digits(number: float) -> tuple[str, int]:
    """Shortest round-trip digits and the decimal exponent n (value = 0.digits * 10**n)."""
    sign, digit_tuple, exp = Decimal(repr(number)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    return digits, len(digits) + int(exp)


_JS_INT = re.compile(f"[{re.escape(JS_WHITESPACE)}]*([+-]?)(?:(0[xX])([0-9a-fA-F]*)|([0-9]+))")


def js_parse_int(raw: str) -> float:
    """JavaScript's `parseInt(raw)`, as Medusa reads `limit` and `offset`: leading digits only
    (`"1.9e2"` is 1, `"12abc"` 12, `"0x10"` 16), NaN without any (`"0x"` too), Infinity
    past doubles."""
    found = _JS_INT.match(raw)
    if found is None or (found[2] and not found[3]):
        return math.nan
    sign, hex_prefix, hex_digits, digits = found.groups()
    text, base = (hex_digits, 16) if hex_prefix else (digits, 10)
    try:
        value = float(int(text[:400], base)) if len(text) <= 400 else math.inf
    except OverflowError:  # beyond the largest double: JavaScript says Infinity
        value = math.inf
    return -value if sign == "-" else value
