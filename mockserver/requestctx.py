"""What a vendor handler may use about the current request, set up by the core.

By the time a handler runs, the core has routed the request, authenticated it, validated it
against the spec and opened the tenant's transaction. Handlers stay thin: read `body()` and
`query()`, call the vendor's model with `tenant_store()` and `principal()`, return
`respond(...)` or raise the vendor's `ApiError`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app, g, request
from werkzeug.datastructures import MultiDict

from mockserver.store import TenantStore
from mockserver.vendor import Principal


def tenant_store() -> TenantStore:
    """The caller's tenant, inside this request's transaction."""
    return g.tenant_store


def global_store() -> TenantStore:
    """State shared by every tenant (issued tokens), inside this request's transaction."""
    return g.global_store


def fixtures() -> Any:
    """This vendor's fixture data as the server runs it (for users and keys, which are not
    tenant state: a login handler checks passwords against it)."""
    return g.server_context.fixtures()


def signing_key() -> bytes:
    """The server's secret for signing tokens, the same in every worker process."""
    return g.server_context.signing_key


def sandbox_pattern() -> re.Pattern[str]:
    """Credentials that open a tenant of their own, as configured (length bounded)."""
    return current_app.extensions["mockserver"].sandbox[g.vendor.name]


def principal() -> Principal:
    return g.principal


def body() -> Any:
    """The parsed JSON body (None when there was none)."""
    return g.json_body


def query() -> MultiDict[str, str]:
    return request.args


def config() -> Any:
    """The server's `MockConfig` (token lifetimes, fidelity, ...)."""
    return g.mock_config


def respond(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer with the vendor's content type; `payload=None` sends no body."""
    if payload is None:
        response = Response(status=status)
        del response.headers["Content-Type"]  # no body, no media type (a 204)
    else:
        response = Response(
            json.dumps(payload, separators=(",", ":")),
            status=status,
            content_type=g.vendor.content_type,
        )
        g.answered = (response, payload)  # spares validating the answer a parse of its body
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def utcnow() -> datetime:
    return datetime.now(UTC)
