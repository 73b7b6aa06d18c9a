"""The mirror: a WSGI app that answers like the base target and replays everything on the other.

Ids differ between the targets (each generates its own), so the mirror learns pairs from the
answers both sides give to the same request (`id`, `*_id` and token fields outside lists) and
rewrites later requests for the other side; credentials are paired up front.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from contracts.diff.forward import HOP_HEADERS, Forwarder, RawAnswer, RawRequest

LEARNED_KEYS = ("id", "token", "access_token", "refresh_token")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


@dataclass
class MirroredExchange:
    """One request and the two answers it got."""

    request: RawRequest
    base: RawAnswer
    other: RawAnswer


@dataclass
class IdMap:
    """Base-side values and their counterparts on the other side."""

    pairs: dict[str, str] = field(default_factory=dict)

    def add(self, base: str, other: str) -> None:
        if base and other and base != other and len(base) >= 6:
            self.pairs[base] = other

    def forward(self, text: str) -> str:
        for base in sorted(self.pairs, key=len, reverse=True):
            if base in text:
                text = text.replace(base, self.pairs[base])
        return text

    def back(self, text: str) -> str:
        """The other side's values written as the base side's (to compare messages)."""
        for base, other in sorted(self.pairs.items(), key=lambda p: -len(p[1])):
            if other in text:
                text = text.replace(other, base)
        return text

    def learn(self, base: Any, other: Any) -> None:
        for key, a, b in _parallel(base, other):
            if isinstance(a, str) and isinstance(b, str) and _learnable(key):
                self.add(a, b)


def _learnable(key: str) -> bool:
    return key in LEARNED_KEYS or key.endswith("_id")


def _parallel(base: Any, other: Any) -> Iterator[tuple[str, Any, Any]]:
    """Values at the same key path in both bodies (lists are skipped: items need not align)."""
    if isinstance(base, dict) and isinstance(other, dict):
        for key in base.keys() & other.keys():
            yield key, base[key], other[key]
            yield from _parallel(base[key], other[key])


def _json(content: bytes) -> Any:
    try:
        return json.loads(content) if content else None
    except ValueError:
        return None


class Mirror:
    """WSGI app: forward to `base` and `other`, record the pair, answer with `base`'s answer.
    Requests to paths `compared` refuses go to `base` only."""

    def __init__(
        self,
        base: Forwarder,
        other: Forwarder,
        ids: IdMap,
        on_exchange: Callable[[MirroredExchange], None],
        compared: Callable[[str], bool] = lambda path: True,
        stripped: tuple[str, ...] = (),
    ) -> None:
        self.stripped = stripped
        self.base = base
        self.other = other
        self.ids = ids
        self.on_exchange = on_exchange
        self.compared = compared

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        from werkzeug.wrappers import Response

        request = _raw_request(environ, self.stripped)
        base = self.base.send(request)
        if self.compared(request.path):  # paths outside the vendor API (an admin probe): base only
            other = self.other.send(self._for_other(request))
            if 200 <= base.status < 300 and 200 <= other.status < 300:
                self.ids.learn(_json(base.content), _json(other.content))
            self.on_exchange(MirroredExchange(request, base, other))
        headers = [(k, v) for k, v in base.headers.items() if k not in HOP_HEADERS]
        return Response(base.content, status=base.status, headers=headers)(environ, start_response)

    def _for_other(self, request: RawRequest) -> RawRequest:
        ids = self.ids
        return RawRequest(
            request.method,
            ids.forward(request.path),
            ids.forward(request.query),
            {k: ids.forward(v) for k, v in request.headers.items()},
            ids.forward(request.body.decode("latin-1")).encode("latin-1"),
        )


def _raw_request(environ: dict[str, Any], stripped: tuple[str, ...] = ()) -> RawRequest:
    path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe=_PATH_SAFE)
    headers = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").title()] = value
    if environ.get("CONTENT_TYPE"):
        headers["Content-Type"] = environ["CONTENT_TYPE"]
    dropped = HOP_HEADERS | set(stripped)
    headers = {k: v for k, v in headers.items() if k.lower() not in dropped}
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    return RawRequest(
        environ["REQUEST_METHOD"], path, environ.get("QUERY_STRING", ""), headers, body
    )
