"""Spree's OAuth2 (Doorkeeper): the token endpoint's grants and bearer-token checks.

Tokens are opaque random strings kept in the server-wide store, so every worker process sees
them. A client id matching the sandbox pattern (default `test_...`) with the secret
`test_secret` is a store of its own: tenant `spree:<client_id>`; `test_client` is the demo
store. The password grant knows the demo customer and signs into the demo store.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import Request

from mockserver import requestctx
from mockserver.store import TenantStore
from mockserver.vendor import AuthContext, Principal
from mockserver.vendors.spree import errors

SANDBOX_PATTERN = r"test_[A-Za-z0-9_]+"
CLIENT_SECRET = "test_secret"
DEMO_CLIENT = "test_client"
# email -> (password, user id in the demo fixtures)
PASSWORD_USERS = {"demo@example.com": ("spree123", "1")}
DEFAULT_SCOPE = "admin"

# Doorkeeper keeps a refresh token until it is used or revoked; the mock forgets an unused
# one after 30 days (or the access token lifetime, if longer), so issued tokens cannot pile up.
REFRESH_TTL = 30 * 24 * 3600

ACCESS = "spree_access_token"
REFRESH = "spree_refresh_token"


def tenant_of(client_id: str) -> str:
    return f"spree:{client_id}"


def authenticate(request: Request, ctx: AuthContext) -> Principal:
    """The bearer token's principal, or Spree's 401 for a missing, unknown or expired one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.invalid_token()
    record = ctx.global_store().get(ACCESS, token.strip())
    if record is None or requestctx.utcnow().timestamp() >= record["expires_at"]:
        raise errors.invalid_token()
    return Principal(record["tenant"], record["subject"], record["scheme"])


class TokenIssuer:
    """Doorkeeper's `/spree_oauth/token` over the server-wide store."""

    def __init__(
        self, store: TenantStore, sandbox: re.Pattern[str], ttl: int, now: datetime
    ) -> None:
        self.store = store
        self.sandbox = sandbox
        self.ttl = ttl
        self.now = now

    def issue(self, params: Mapping[str, Any], authorization: str | None) -> dict[str, Any]:
        """Run one grant; raise Doorkeeper's error (`errors.oauth_error`) when it fails."""
        client_id, client_secret = _client_credentials(params, authorization)
        grant = params["grant_type"]
        scope = params.get("scope") or DEFAULT_SCOPE
        if grant == "client_credentials":
            client = self._client(client_id, client_secret, required=True)
            return self._grant(tenant_of(client), client, "oauth-client", scope, client)
        if grant == "password":
            client = self._client(client_id, client_secret, required=False)
            user_id = _password_user(params.get("username"), params.get("password"))
            tenant = tenant_of(client or DEMO_CLIENT)
            return self._grant(tenant, user_id, "oauth-password", scope, client)
        return self._refresh(params.get("refresh_token"), client_id, client_secret)

    def _client(self, client_id: str | None, secret: str | None, required: bool) -> str | None:
        if client_id is None and not required:
            return None
        if (
            client_id is None
            or self.sandbox.fullmatch(client_id) is None
            or secret != CLIENT_SECRET
        ):
            raise errors.oauth_error("invalid_client")
        return client_id

    def _refresh(self, token: str | None, client_id: str | None, secret: str | None) -> dict:
        """A refresh token is used once: the old access and refresh tokens are revoked."""
        if token is None:
            missing = "Missing required parameter: refresh_token."
            raise errors.oauth_error("invalid_request", missing)
        record = self.store.get(REFRESH, token)
        if record is None or self.now.timestamp() >= record.get("expires_at", math.inf):
            raise errors.oauth_error("invalid_grant")
        if client_id is not None:
            self._client(client_id, secret, required=True)
            if client_id != record["client_id"]:
                raise errors.oauth_error("invalid_grant")
        self.store.delete(REFRESH, token)
        self.store.delete(ACCESS, record["access_token"])
        return self._grant(
            record["tenant"],
            record["subject"],
            record["scheme"],
            record["scope"],
            record["client_id"],
        )

    def _grant(
        self, tenant: str, subject: str, scheme: str, scope: str, client_id: str | None
    ) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        issued = int(self.now.timestamp())
        owner = {"tenant": tenant, "subject": subject, "scheme": scheme}
        # Both carry their expiry as the store's purge time, so expired ones are deleted.
        expires = self.now.timestamp() + self.ttl
        self.store.put(ACCESS, access, {**owner, "expires_at": expires}, expires_at=expires)
        refresh_expires = self.now.timestamp() + max(self.ttl, REFRESH_TTL)
        self.store.put(
            REFRESH,
            refresh,
            {
                **owner,
                "access_token": access,
                "scope": scope,
                "client_id": client_id,
                "expires_at": refresh_expires,
            },
            expires_at=refresh_expires,
        )
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.ttl,
            "refresh_token": refresh,
            "scope": scope,
            "created_at": issued,
        }


def _client_credentials(
    params: Mapping[str, Any], authorization: str | None
) -> tuple[str | None, str | None]:
    """From the body, or from HTTP Basic as Doorkeeper also accepts."""
    if params.get("client_id") is not None:
        return params["client_id"], params.get("client_secret")
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise errors.oauth_error("invalid_client") from None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def _password_user(username: str | None, password: str | None) -> str:
    for name, value in (("username", username), ("password", password)):
        if value is None:
            raise errors.oauth_error("invalid_request", f"Missing required parameter: {name}.")
    known = PASSWORD_USERS.get(username.lower())
    if known is None or known[0] != password:
        raise errors.oauth_error("invalid_grant")
    return known[1]
