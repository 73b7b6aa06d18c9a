"""Send one raw request (bytes as received) to a target: a base URL or an in-process WSGI app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

# Headers that describe one hop, not the message: never copied from one side to the other.
HOP_HEADERS = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"}
)


@dataclass(frozen=True)
class RawRequest:
    method: str
    path: str  # percent-encoded, as on the wire
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def url_path(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


@dataclass(frozen=True)
class RawAnswer:
    status: int
    headers: dict[str, str]  # lower-case names
    content: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


class Forwarder(Protocol):
    name: str

    def send(self, request: RawRequest) -> RawAnswer: ...


class HttpForwarder:
    """A running server at `base_url`."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        import requests

        self.name = base_url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()
        self._session.trust_env = False  # loopback targets: never through a proxy

    def send(self, request: RawRequest) -> RawAnswer:
        answer = self._session.request(
            request.method,
            self.name + request.url_path,
            headers=request.headers,
            data=request.body or None,
            timeout=self.timeout,
            allow_redirects=False,
        )
        headers = {k.lower(): v for k, v in answer.headers.items()}
        return RawAnswer(answer.status_code, headers, answer.content)


class AppForwarder:
    """A WSGI app called in-process (the mock)."""

    def __init__(self, app: Any, name: str = "in-process mock") -> None:
        from werkzeug.test import Client

        self.name = name
        self._client = Client(app)

    def send(self, request: RawRequest) -> RawAnswer:
        answer = self._client.open(
            request.path,
            method=request.method,
            headers=request.headers,
            data=request.body,
            query_string=request.query,
        )
        headers = {k.lower(): v for k, v in answer.headers.items()}
        return RawAnswer(answer.status_code, headers, answer.get_data())
