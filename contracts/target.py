"""Where the contract suite sends its own requests (auth handshakes, scenario checks, cleanup).

Schemathesis reaches the implementation on its own; the suite's extra calls go through a
`Target` so that they hit exactly the same place: the in-process WSGI app (no network) or a
base URL over HTTP. Every call returns an `Exchange`, which can print itself as a curl line so
a failure can be replayed by hand.
"""

from __future__ import annotations

import json
import shlex
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie"})


class RequestBudgetExceeded(RuntimeError):
    """The run reached `--max-requests`; nothing more is sent."""


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
        """A curl line that replays the request (credentials masked, as in Schemathesis)."""
        parts = ["curl", "-X", self.method]
        for name, value in self.request_headers.items():
            shown = "[Filtered]" if name.lower() in SECRET_HEADERS else value
            parts += ["-H", f"{name}: {shown}"]
        if self.request_body is not None:
            parts += ["-d", json.dumps(self.request_body)]
        parts.append(self.url)
        return " ".join(shlex.quote(part) for part in parts)

    def describe(self) -> str:
        body = self.content[:300].decode("utf-8", "replace")
        return f"{self.method} {self.url} -> {self.status} {body}"


class Limiter:
    """Request budget and rate shared by every call of a run (Schemathesis' and ours)."""

    def __init__(self, max_requests: int | None = None, per_second: float | None = None) -> None:
        self.max_requests = max_requests
        self.per_second = per_second
        self.sent = 0
        self._lock = threading.Lock()
        self._next_slot = 0.0

    def take(self) -> None:
        with self._lock:
            if self.max_requests is not None and self.sent >= self.max_requests:
                raise RequestBudgetExceeded(f"request budget of {self.max_requests} spent")
            self.sent += 1
            if self.per_second:
                now = time.monotonic()
                wait = self._next_slot - now
                self._next_slot = max(now, self._next_slot) + 1.0 / self.per_second
            else:
                wait = 0.0
        if wait > 0:
            time.sleep(wait)

    @property
    def exhausted(self) -> bool:
        return self.max_requests is not None and self.sent >= self.max_requests


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


@dataclass
class HttpTarget:
    """A running server at `base_url` (the mock as a service, a sandbox, staging)."""

    base_url: str
    timeout: float = 10.0
    limiter: Limiter = field(default_factory=Limiter)
    app: Any = None

    def __post_init__(self) -> None:
        import requests

        self._session = requests.Session()

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Exchange:
        self.limiter.take()
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
