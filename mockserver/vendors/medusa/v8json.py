"""Why a JSON body is unreadable, worded as Node's `express.json()` words it to a Medusa client.

Medusa answers an unparsable body with the parser's own message, e.g. "Expected
double-quoted property name in JSON at position 24". Clients and tests compare those strings,
so this module re-parses the body the way V8's `JSON.parse` (Node 20, no line/column suffix)
scans it and reports the first error with V8's message, plus body-parser's strict-mode check
(the first character must be `{` or `[`), which is why a body of `null` reads
`Unexpected token 'n', "null" is not valid JSON`.
"""

from __future__ import annotations

import re

_WS = " \t\n\r"
_CONTEXT = 10  # V8 kMaxContextCharacters
_ESCAPES = '"\\/bfnrtu'
_PLACEHOLDERS = re.compile("#+")


class _Error(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def express_json_error(text: str) -> str | None:
    """The message `express.json()` gives for `text`, or None when it parses fine (or
    nests too deep to scan here: the caller keeps its own reason then)."""
    stripped = text.lstrip(_WS)
    first = stripped[:1]
    if first not in ("{", "["):
        return _strict_violation(text, first)
    try:
        _Parser(text).parse()
    except _Error as exc:
        return exc.message
    except RecursionError:
        return None
    return None


def _strict_violation(text: str, first: str) -> str:
    """body-parser's `createStrictSyntaxError`: parse a `#` mask, then unmask the message."""
    index = text.find(first) if first else -1
    masked = text[:index] + "#" * (len(text) - index) if index != -1 else ""
    try:
        _Parser(masked).parse()
    except _Error as exc:
        return _PLACEHOLDERS.sub(lambda m: text[index : index + len(m.group())], exc.message)
    return "strict violation"


class _Parser:
    """A scanner with V8's error positions and messages; it builds no values."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def parse(self) -> None:
        self._value()
        self._skip_ws()
        if self.pos < len(self.text):
            raise _Error(f"Unexpected non-whitespace character after JSON at position {self.pos}")

    # -- helpers --------------------------------------------------------------------------

    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _WS:
            self.pos += 1

    def _fail(self, message: str) -> None:
        raise _Error(f"{message} in JSON at position {self.pos}")

    def _unexpected(self) -> None:
        """V8's message for a token that cannot start a value here."""
        char = self._peek()
        if not char:
            raise _Error("Unexpected end of JSON input")
        source, pos = self.text, self.pos
        if len(source) < 2 * _CONTEXT + 1:
            raise _Error(f"Unexpected token '{char}', \"{source}\" is not valid JSON")
        if pos < _CONTEXT:
            snippet = f'"{source[: pos + _CONTEXT]}"...'
        elif pos < len(source) - _CONTEXT:
            snippet = f'..."{source[pos - _CONTEXT : pos + _CONTEXT]}"...'
        else:
            snippet = f'..."{source[pos - _CONTEXT :]}"'
        raise _Error(f"Unexpected token '{char}', {snippet} is not valid JSON")

    # -- grammar --------------------------------------------------------------------------

    def _value(self) -> None:
        self._skip_ws()
        char = self._peek()
        if char == "{":
            self._object()
        elif char == "[":
            self._array()
        elif char == '"':
            self._string()
        elif char == "-" or _is_digit(char):
            self._number()
        elif char in ("t", "f", "n"):
            self._literal({"t": "true", "f": "false", "n": "null"}[char])
        else:
            self._unexpected()

    def _object(self) -> None:
        self.pos += 1
        self._skip_ws()
        if self._peek() == "}":
            self.pos += 1
            return
        if self._peek() != '"':
            self._fail("Expected property name or '}'")
        while True:
            self._string()
            self._skip_ws()
            if self._peek() != ":":
                self._fail("Expected ':' after property name")
            self.pos += 1
            self._value()
            self._skip_ws()
            char = self._peek()
            if char == "}":
                self.pos += 1
                return
            if char != ",":
                self._fail("Expected ',' or '}' after property value")
            self.pos += 1
            self._skip_ws()
            if self._peek() != '"':
                self._fail("Expected double-quoted property name")

    def _array(self) -> None:
        self.pos += 1
        self._skip_ws()
        if self._peek() == "]":
            self.pos += 1
            return
        while True:
            self._value()
            self._skip_ws()
            char = self._peek()
            if char == "]":
                self.pos += 1
                return
            if char != ",":
                self._fail("Expected ',' or ']' after array element")
            self.pos += 1

    def _string(self) -> None:
        self.pos += 1
        while True:
            char = self._peek()
            if not char:
                self._fail("Unterminated string")
            if char == '"':
                self.pos += 1
                return
            if ord(char) < 0x20:
                self._fail("Bad control character in string literal")
            if char == "\\":
                self.pos += 1
                escape = self._peek()
                if not escape or escape not in _ESCAPES:
                    self._fail("Bad escaped character")
                if escape == "u":
                    for _ in range(4):
                        self.pos += 1
                        if self._peek().lower() not in "0123456789abcdef" or not self._peek():
                            self._fail("Bad Unicode escape")
            self.pos += 1

    def _number(self) -> None:
        if self._peek() == "-":
            self.pos += 1
            if not _is_digit(self._peek()):
                self._fail("No number after minus sign")
        if self._peek() == "0":
            self.pos += 1
            if _is_digit(self._peek()):
                raise _Error(f"Unexpected number in JSON at position {self.pos}")
        else:
            self._digits()
        if self._peek() == ".":
            self.pos += 1
            if not _is_digit(self._peek()):
                self._fail("Unterminated fractional number")
            self._digits()
        if self._peek() in ("e", "E") and self._peek():
            self.pos += 1
            if self._peek() in ("+", "-") and self._peek():
                self.pos += 1
            if not _is_digit(self._peek()):
                self._fail("Exponent part is missing a number")
            self._digits()

    def _digits(self) -> None:
        while _is_digit(self._peek()):
            self.pos += 1

    def _literal(self, word: str) -> None:
        for expected in word:
            if self._peek() != expected:
                self._unexpected()
            self.pos += 1


def _is_digit(char: str) -> bool:
    """A JSON digit: ASCII only (Python's isdigit() also takes "²" and "٣")."""
    return len(char) == 1 and "0" <= char <= "9"
