"""Appstle API keys: `X-API-Key` header, or the discouraged `api_key` query parameter.

Each key is one Shopify shop, so each key is one tenant: `apst_test_demo` is the demo shop,
any other key matching the sandbox pattern (`apst_test_<name>`) opens a fresh shop of its own,
and every other key is refused, as a real server refuses a key it never issued.
"""

from __future__ import annotations

from flask import Request

from mockserver.vendor import AuthContext, Principal
from mockserver.vendors.appstle import errors

DEMO_KEY = "apst_test_demo"
SANDBOX_PATTERN = r"apst_test_[A-Za-z0-9_-]+"
HEADER = "X-API-Key"
QUERY = "api_key"


def authenticate(request: Request, ctx: AuthContext) -> Principal:
    key = request.headers.get(HEADER) or request.args.get(QUERY)
    if not key:
        raise errors.unauthorized(f"Missing API key; send it in the {HEADER} header.")
    if key == DEMO_KEY or ctx.is_sandbox_credential(key):
        return Principal(tenant=f"appstle:{key}", subject=key, scheme="api-key")
    raise errors.unauthorized(
        f"Unknown API key; this mock accepts {DEMO_KEY} or any apst_test_<name> key."
    )
