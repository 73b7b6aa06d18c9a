"""`mock_vendors()`: send a client's calls to the vendors' real hosts into the in-process mock.

moto's decorators let code written against AWS run unchanged in a test; this does the same for
`requests` and `httpx`: a call whose host is a vendor's real host (each vendor lists its own in
`Vendor.real_hosts`, such as Medusa's `*.api.myxclade.com`) or one of the `hosts` given here
(a Spree store's URL, a staging host) is answered by the mock, through the WSGI app, with no
socket; every other call goes out as usual.

    with mock_vendors(hosts=["shop.example.com"]) as mock:
        requests.post("https://loyalty-admin.appstle.com/api/external/add-credits", ...)
        mock.app  # the Flask app, for its admin API through mock.app.test_client()

It also works as a decorator: `@mock_vendors()`.
"""

from __future__ import annotations

import fnmatch
import io
from collections.abc import Iterable, Iterator
from contextlib import ContextDecorator, ExitStack, contextmanager
from typing import Any
from unittest import mock as patching
from urllib.parse import urlsplit

from werkzeug.test import EnvironBuilder, run_wsgi_app

from mockserver.app import create_app
from mockserver.config import MockConfig
from mockserver.registry import discover_vendors


class mock_vendors(ContextDecorator):  # noqa: N801 (named like moto's mock_aws)
    """Route `requests`/`httpx` calls for the vendors' hosts into a fresh in-process mock.

    `hosts`: further host names or glob patterns to route (a Spree store, say);
    `app`: an app of your own (else one is built from `config`, a `MockConfig`, with demo data).
    """

    def __init__(
        self, hosts: Iterable[str] = (), app: Any = None, config: MockConfig | None = None
    ) -> None:
        self._extra_hosts = tuple(hosts)
        self._given_app = app
        self._config = config or MockConfig()
        self.app: Any = None
        self._stack: ExitStack | None = None

    def __enter__(self) -> mock_vendors:
        self.app = self._given_app or create_app(self._config)
        vendors = discover_vendors(self._config.vendors)
        patterns = self._extra_hosts + tuple(h for v in vendors for h in v.real_hosts)
        self._stack = ExitStack()
        self._stack.enter_context(_patched_requests(self.app, patterns))
        self._stack.enter_context(_patched_httpx(self.app, patterns))
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._stack is not None
        self._stack.close()
        if self._given_app is None:
            self.app.extensions["mockserver"].store.close()


def routed(url: str, patterns: Iterable[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(fnmatch.fnmatch(host, pattern.lower()) for pattern in patterns)


def call_app(
    app: Any, method: str, url: str, headers: Iterable[tuple[str, str]], body: bytes
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request through the WSGI app, as it would arrive over HTTP."""
    parts = urlsplit(url)
    builder = EnvironBuilder(
        path=parts.path or "/",
        base_url=f"{parts.scheme}://{parts.netloc}",
        query_string=parts.query,
        method=method,
        headers=list(headers),
        data=body,
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    app_iter, status, response_headers = run_wsgi_app(app, environ, buffered=True)
    try:
        content = b"".join(app_iter)
    finally:
        getattr(app_iter, "close", lambda: None)()
    return int(status.split(" ", 1)[0]), list(response_headers.items()), content


@contextmanager
def _patched_requests(app: Any, patterns: tuple[str, ...]) -> Iterator[None]:
    try:
        import requests
        from requests.adapters import HTTPAdapter
        from requests.structures import CaseInsensitiveDict
    except ImportError:
        yield
        return
    original = HTTPAdapter.send

    def send(adapter: HTTPAdapter, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not routed(request.url, patterns):
            return original(adapter, request, *args, **kwargs)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        status, headers, content = call_app(
            app, request.method, request.url, request.headers.items(), body
        )
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers)
        response.raw = io.BytesIO(content)
        response._content = content
        response.url = request.url
        response.request = request
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        response.connection = adapter
        return response

    with patching.patch.object(HTTPAdapter, "send", send):
        yield


@contextmanager
def _patched_httpx(app: Any, patterns: tuple[str, ...]) -> Iterator[None]:
    try:
        import httpx
    except ImportError:
        yield
        return
    sync_original = httpx.HTTPTransport.handle_request
    async_original = httpx.AsyncHTTPTransport.handle_async_request

    def answer(request: httpx.Request, body: bytes) -> httpx.Response:
        status, headers, content = call_app(
            app, request.method, str(request.url), request.headers.multi_items(), body
        )
        return httpx.Response(status, headers=headers, content=content, request=request)

    def handle(transport: Any, request: httpx.Request) -> httpx.Response:
        if not routed(str(request.url), patterns):
            return sync_original(transport, request)
        return answer(request, request.read())

    async def handle_async(transport: Any, request: httpx.Request) -> httpx.Response:
        if not routed(str(request.url), patterns):
            return await async_original(transport, request)
        return answer(request, await request.aread())

    with (
        patching.patch.object(httpx.HTTPTransport, "handle_request", handle),
        patching.patch.object(httpx.AsyncHTTPTransport, "handle_async_request", handle_async),
    ):
        yield
