"""Reading a request body defensively: every way a body can be unreadable is a `BodyError`
(answered with the vendor's 4xx), never an exception deeper in the app."""

from __future__ import annotations

import json
from typing import Any


class BodyError(ValueError):
    """The body cannot be read; `detail` says why in one sentence."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def is_json_media_type(mimetype: str) -> bool:
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def _reject_constant(name: str) -> Any:
    raise BodyError(f"{name} is not valid JSON")


def parse_json(raw: bytes, max_depth: int) -> Any:
    """Strict UTF-8 JSON with a nesting limit; NaN and Infinity are refused."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(f"Request body is not valid UTF-8 (byte {exc.start})") from None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise BodyError(f"JSON nesting deeper than {max_depth} levels") from None
    except json.JSONDecodeError as exc:
        raise BodyError(f"{exc.msg} at position {exc.pos}") from None
    if _depth(value) > max_depth:
        raise BodyError(f"JSON nesting deeper than {max_depth} levels")
    return value


def _depth(value: Any) -> int:
    """Nesting depth, iteratively (a recursive walk would overflow on hostile input)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest
