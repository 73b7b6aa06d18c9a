"""Reading a request body defensively: every way a body can be unreadable is a `BodyError`
(answered with the vendor's 4xx), never an exception deeper in the app."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

WSGIApp = Any  # (environ, start_response) -> iterable of bytes


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
    except ValueError as exc:  # a number Python will not convert (over 4,300 digits)
        raise BodyError(str(exc)) from None
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


class SizedBodies:
    """WSGI middleware giving every request body a size before the app sees it.

    A chunked body has no Content-Length: the app would read it only up to the size limit and
    parse what it got, so a body cut at the limit could pass for a whole one. Here it is read
    whole, up to one byte past the limit, and handed on with its length: within the limit as
    it was, over the limit as a body whose Content-Length exceeds it (which the app refuses,
    as it refuses a sized body that is too large, without reading it).
    """

    def __init__(self, app: WSGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        # Only a server that ends the stream itself (gunicorn does) can be read to its end.
        if environ.get("CONTENT_LENGTH") in (None, "") and environ.get("wsgi.input_terminated"):
            body = read_at_most(environ["wsgi.input"], self.limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)  # it is no longer chunked
        return self.app(environ, start_response)


def read_at_most(stream: Any, size: int) -> bytes:
    """Up to `size` bytes: fewer only when the stream ends first."""
    parts, got = [], 0
    while got < size:
        part = stream.read(min(size - got, 65536))
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)
