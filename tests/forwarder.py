"""A small HTTP proxy on a free loopback port, in front of any real server.

`forwarding_app(base_url)` is a WSGI app that sends each request on to `base_url` and hands
back the answer; any WSGI middleware can wrap it, so the planted bugs of
`tests/contracts/planted.py` (written as middlewares around the in-process mock) sit between
the suite and a real vendor unchanged. `serving(app)` (the pytest plugin's server) serves an
app on 127.0.0.1 and yields its URL.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import requests
from werkzeug.wrappers import Request, Response

from contracts.pytest_plugin import _served

# The plugin's loopback server (what `contracts_mock_server` uses), as a context manager.
serving = contextmanager(_served)

__all__ = ["forwarding_app", "serving"]

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


def forwarding_app(base_url: str, timeout: float = 30.0) -> Any:
    """A WSGI app that forwards every request to `base_url` (loopback only)."""
    session = requests.Session()
    base = base_url.rstrip("/")

    @Request.application
    def app(request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host",)}
        answer = session.request(
            request.method,
            base + request.full_path.rstrip("?") if request.query_string else base + request.path,
            headers=headers,
            data=request.get_data(),
            allow_redirects=False,
            timeout=timeout,
        )
        kept = [(k, v) for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP]
        return Response(answer.content, status=answer.status_code, headers=kept)

    return app
