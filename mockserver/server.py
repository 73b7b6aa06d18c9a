"""Serving a WSGI app under gunicorn: the settings, the temporary state of a run without
`--state`, and JSON instead of gunicorn's HTML pages for the requests it refuses itself."""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
from typing import Any

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.http import errors
from gunicorn.workers.gthread import ThreadWorker

# What real servers accept, so a request the vendor takes is never refused by the mock first:
# nginx and Apache read request lines up to 8 KB (gunicorn's own maximum is 8,190 bytes), and
# Node (Medusa) takes 16 KB of headers; gunicorn's defaults (4,094 / 8,190 / 100) are lower.
LIMIT_REQUEST_LINE = 8190
LIMIT_REQUEST_FIELD_SIZE = 16384
LIMIT_REQUEST_FIELDS = 200

# Gunicorn's statuses for the refusals that are not a plain 400 (its worker's `handle_error`).
_REFUSALS: dict[type[Exception], tuple[int, str]] = {
    errors.LimitRequestLine: (414, "URI Too Long"),
    errors.LimitRequestHeaders: (431, "Request Header Fields Too Large"),
    errors.UnsupportedTransferCoding: (501, "Not Implemented"),
    errors.ExpectationFailed: (417, "Expectation Failed"),
    errors.ForbiddenProxyRequest: (403, "Forbidden"),
}


class JsonErrorWorker(ThreadWorker):
    """gunicorn's threaded worker, answering the requests it refuses before the app (a request
    line or header over the limit, a request it cannot parse) in JSON, like the app's own
    answers outside a vendor's paths: `{"error": reason, "message": why}`. Which vendor a
    request was for is unknown at that point, so no vendor's format can be used."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        response_fault = isinstance(
            exc, errors.InvalidResponseHeader | errors.InvalidResponseHeaderName
        )
        if not isinstance(exc, errors.ParseException) or response_fault:
            super().handle_error(req, client, addr, exc)  # a fault of the app: gunicorn's 500
            return
        status, reason = next(
            (answer for kind, answer in _REFUSALS.items() if isinstance(exc, kind)),
            (400, "Bad Request"),
        )
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        body = json.dumps({"error": reason, "message": f"{type(exc).__name__}: {exc}"}).encode()
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode("latin-1")
        try:
            util.write_nonblock(client, head + body)
        except OSError:
            self.log.debug("Failed to send error message.")


def run_gunicorn(app: Any, listener: socket.socket, workers: int, threads: int) -> None:
    """Serve a WSGI app on an already listening socket under gunicorn: threaded workers forked
    from a preloaded app, so start-up work (specs, fixtures) is done once. Gunicorn takes the
    socket over (and closes it). The benchmark's bare-Flask baseline runs through this too,
    so the two differ only in the app."""
    descriptor = listener.detach()

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"fd://{descriptor}",
                "workers": workers,
                "threads": threads,
                "worker_class": JsonErrorWorker,
                "preload_app": True,
                "accesslog": None,
                "loglevel": "warning",
                "timeout": 120,
                "limit_request_line": LIMIT_REQUEST_LINE,
                "limit_request_field_size": LIMIT_REQUEST_FIELD_SIZE,
                "limit_request_fields": LIMIT_REQUEST_FIELDS,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    _Server().run()


class TemporaryState:
    """The state folder of a run without `--state`, removed once, by the process that made it.

    Gunicorn's workers are forks of that process: they inherit this object and leave through
    the same `finally` blocks (and `atexit` finalizers), so a `TemporaryDirectory` would be
    deleted under the running server whenever one worker exits. Removing the folder takes the
    database's `-wal`, `-shm` and lock files with it.
    """

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="mockserver-")
        self.path = os.path.join(self.folder, "state.sqlite3")
        self._creator = os.getpid()

    def remove(self) -> None:
        if os.getpid() == self._creator:
            shutil.rmtree(self.folder, ignore_errors=True)
