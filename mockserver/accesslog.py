"""The access log: one line per request (method, path, status, milliseconds, tenant).

It is plain `logging`: the hooks log to the `mockserver.access` logger, which says nothing
until someone enables it (`mockserver serve` does, on stderr, unless `--quiet`; a test or an
embedding application can do the same with `logging.getLogger("mockserver.access")`). While
it is off a request pays for one level check. The tenant is logged as the store names it,
its credential part replaced by a fingerprint (`appstle:sha256:1a2b3c4d`, see
`mockserver.redaction`): sandbox tenants are named after the credential that opened them,
and a log is read by more people than the journal.

Each record is written with one `write` call, so the lines of several gunicorn workers
sharing stderr do not interleave.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import time
from typing import Any, Literal, TextIO

from flask import Flask, Response, g, request

from mockserver.redaction import fingerprint

LOGGER_NAME = "mockserver.access"
LOG_FORMATS = ("text", "json")
LogFormat = Literal["text", "json"]

ACCESS = "%s %s %d %.1fms %s"  # method, path, status, milliseconds, tenant

_log = logging.getLogger(LOGGER_NAME)
_INFO = logging.INFO


def install(app: Flask) -> None:
    """Time every request of `app` and log it when it is answered.

    Call it before any other hook is registered: the clock then starts before the others'
    `before_request` and stops after their `after_request` (Flask runs those in reverse)."""
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    if _log.isEnabledFor(_INFO):
        g.access_started = time.perf_counter()


def _finish(response: Response) -> Response:
    started = g.get("access_started")
    if started is not None:
        principal = g.get("principal")
        fields = (
            request.method,
            request.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
            tenant_label(principal.tenant) if principal else "-",
        )
        # The record made here and handed over: `Logger.info` would first walk the stack to
        # find the caller, which is most of its cost and nothing a reader of this log needs.
        _log.handle(logging.LogRecord(LOGGER_NAME, _INFO, __file__, 0, ACCESS, fields, None))
    return response


@functools.lru_cache(maxsize=1024)
def tenant_label(tenant: str) -> str:
    """`vendor:credential` -> `vendor:sha256:1a2b3c4d`; cached, as a client reuses its key."""
    vendor, sep, credential = tenant.partition(":")
    return f"{vendor}:{fingerprint(credential)}" if sep else fingerprint(tenant)


class TextFormatter(logging.Formatter):
    """`2026-11-30T08:25:19Z GET /path 200 3.1ms tenant`; other records name their level."""

    converter = time.gmtime

    def __init__(self) -> None:
        super().__init__("%(asctime)sZ %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S")
        self._access = logging.Formatter("%(asctime)sZ %(message)s", "%Y-%m-%dT%H:%M:%S")
        self._access.converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        if record.name == LOGGER_NAME:
            return self._access.format(record)
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, process id, message; access records
    carry method, path, status, ms and tenant as fields of their own instead."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%SZ"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,  # which gunicorn worker
        }
        if record.name == LOGGER_NAME and isinstance(record.args, tuple):
            method, path, status, ms, tenant = record.args
            entry |= {
                "method": method,
                "path": path,
                "status": status,
                "ms": round(ms, 1),
                "tenant": None if tenant == "-" else tenant,
            }
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure(
    log_format: LogFormat = "text", access: bool = True, stream: TextIO | None = None
) -> None:
    """Send the mock's logs (its warnings, and the access log when `access`) to `stream`
    (stderr), as text lines or JSON lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(TextFormatter())
    parent = logging.getLogger("mockserver")
    parent.handlers = [handler]
    parent.propagate = False
    parent.setLevel(logging.INFO)
    _log.setLevel(_INFO if access else logging.WARNING)
