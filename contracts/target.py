"""Where the contract suite sends its own requests (auth handshakes, scenario checks, cleanup).

Schemathesis reaches the implementation on its own; the suite's extra calls go through a
`Target` so that they hit exactly the same place: the in-process WSGI app (no network) or a
base URL over HTTP. Every call returns an `Exchange`, which can print itself as a curl line so
a failure can be replayed by hand.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

from contracts import budget
from contracts.budget import Limiter

MOCK_HEALTH = "/__admin/health"


class Kind(enum.Enum):
    """What answers: our mock (all its extras) or a vendor's server (only what the vendor does)."""

    MOCK = "mock"
    VENDOR = "vendor"


def quote(text: str) -> str:
    """Single-quote for a POSIX shell, always (replay lines swap secrets inside the quotes)."""
    return "'" + text.replace("'", "'\\''") + "'"


@dataclass
class Exchange:
    """One request the suite sent and the answer it got."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: Any
    status: int
    headers: dict[str, str]
    content: bytes

    @property
    def json(self) -> Any:
        """The parsed body, or None when it is empty or not JSON."""
        try:
            return json.loads(self.content) if self.content else None
        except ValueError:
            return None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def curl(self) -> str:
        """A curl line that replays the request, credentials included (the report swaps them
        for environment-variable placeholders, `contracts.replay`)."""
        parts = ["curl", "-X", self.method]
        for name, value in self.request_headers.items():
            parts += ["-H", quote(f"{name}: {value}")]
        if self.request_body is not None:
            parts += ["-d", quote(json.dumps(self.request_body))]
        parts.append(quote(self.url))
        return " ".join(parts)

    def request_line(self) -> str:
        """`METHOD URL body`: what known-deviation matchers read."""
        body = "" if self.request_body is None else " " + json.dumps(self.request_body)
        return f"{self.method} {self.url}{body}"

    def describe(self) -> str:
        body = self.content[:300].decode("utf-8", "replace")
        return f"{self.method} {self.url} -> {self.status} {body}"


class Target(Protocol):
    """Something that answers HTTP requests: the in-process app or a remote base URL."""

    base_url: str
    app: Any
    limiter: Limiter

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Exchange: ...

    def close(self) -> None: ...


def _encode(headers: dict[str, str] | None, json_body: Any) -> tuple[dict[str, str], str | None]:
    """The headers to send and the body as JSON text (with its content type, unless set)."""
    sent = dict(headers or {})
    if json_body is None:
        return sent, None
    sent.setdefault("Content-Type", "application/json")
    return sent, json.dumps(json_body)


def _url(base_url: str, path: str, params: dict[str, Any] | None) -> str:
    url = base_url.rstrip("/") + path
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


@dataclass
class InProcessTarget:
    """The WSGI app called directly, no socket; `base_url` only names it in curl lines."""

    app: Any
    base_url: str = "http://localhost"
    limiter: Limiter = field(default_factory=Limiter)

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Exchange:
        from werkzeug.test import Client

        self.limiter.take()
        sent, data = _encode(headers, json_body)
        answer = Client(self.app).open(
            path, method=method, headers=sent, data=data, query_string=params or None
        )
        return Exchange(
            method=method,
            url=_url(self.base_url, path, params),
            request_headers=sent,
            request_body=json_body,
            status=answer.status_code,
            headers={k.lower(): v for k, v in answer.headers.items()},
            content=answer.get_data(),
        )

    def __post_init__(self) -> None:
        budget.watch_app(self.app, self.limiter)

    def close(self) -> None:
        budget.unwatch_app(self.app)


@dataclass
class HttpTarget:
    """A running server at `base_url` (the mock as a service, a sandbox, staging).

    Its requests are counted by `contracts.budget` on the wire, like Schemathesis' own, from
    construction until `close()`.
    """

    base_url: str
    timeout: float = 10.0
    limiter: Limiter = field(default_factory=Limiter)
    app: Any = None

    def __post_init__(self) -> None:
        import requests

        self._session = requests.Session()
        budget.watch_url(self.base_url, self.limiter)

    def close(self) -> None:
        budget.unwatch_url(self.base_url)
        self._session.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Exchange:
        sent, data = _encode(headers, json_body)
        url = _url(self.base_url, path, params)
        answer = self._session.request(method, url, headers=sent, data=data, timeout=self.timeout)
        return Exchange(
            method=method,
            url=url,
            request_headers=sent,
            request_body=json_body,
            status=answer.status_code,
            headers={k.lower(): v for k, v in answer.headers.items()},
            content=answer.content,
        )


def detect_kind(target: Target, wanted: str = "auto") -> Kind:
    """`wanted` unless "auto"; else the mock when it answers its admin health route.

    The in-process app is always the mock (or a test's wrapper around it).
    """
    if wanted != "auto":
        return Kind(wanted)
    if target.app is not None:
        return Kind.MOCK
    answer = target.request("GET", MOCK_HEALTH)
    body = answer.json
    return Kind.MOCK if answer.status == 200 and isinstance(body, dict) else Kind.VENDOR
