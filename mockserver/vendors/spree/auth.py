"""Spree's OAuth2 (Doorkeeper): the token endpoint's grants and the platform API's checks.

Tokens are opaque random strings kept in the server-wide store, so every worker process sees
them. A client id matching the sandbox pattern (default `test_...`) with the secret
`test_secret` is a store of its own: tenant `spree:<client_id>`; `test_client` is the demo
store. The password grant knows the demo customer and the demo admin and signs into the demo
store (or the client's store when a client authenticates too).

The platform controller's `before_action`s, in Spree 4.10's order: the token must exist, be
neither expired nor revoked, belong to an OAuth application, carry `read` or `admin` (and
`write` or `admin` for a write), and a token of the password grant must belong to an admin
(CanCanCan). Every refusal is a 401 `{"error": ...}`.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from flask import Request

from mockserver import requestctx
from mockserver.store import TenantStore
from mockserver.vendor import AuthContext, Principal
from mockserver.vendors.spree import errors

SANDBOX_PATTERN = r"test_[A-Za-z0-9_]+"
CLIENT_SECRET = "test_secret"
DEMO_CLIENT = "test_client"
# email -> (password, user id in the demo fixtures, Spree admin?)
PASSWORD_USERS = {
    "demo@example.com": ("spree123", "1", False),
    "admin@example.com": ("spree123", "2", True),
}
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Doorkeeper keeps a refresh token until it is used or revoked; the mock forgets an unused
# one after 30 days (or the access token lifetime, if longer), so issued tokens cannot pile up.
REFRESH_TTL = 30 * 24 * 3600

ACCESS = "spree_access_token"
REFRESH = "spree_refresh_token"


def tenant_of(client_id: str) -> str:
    return f"spree:{client_id}"


def authenticate(request: Request, ctx: AuthContext) -> Principal:
    """The token's principal, or the 401 Spree answers for a token that may not do this."""
    token = _bearer(request) or request.args.get("access_token", "")
    record = ctx.global_store().get(ACCESS, token) if token else None
    if record is None:
        raise errors.unauthorized()
    if record.get("revoked"):
        raise errors.unauthorized(errors.TOKEN_REVOKED)
    if requestctx.utcnow().timestamp() >= record["expires_at"]:
        raise errors.unauthorized(errors.TOKEN_EXPIRED)
    if "client_id" in record and record["client_id"] is None:  # a password token of no client
        raise errors.unauthorized(errors.NO_APPLICATION)
    scopes = set(record.get("scope", "").split())
    if not scopes & {"read", "admin"}:
        raise errors.missing_scope("read", "admin")
    if request.method not in READ_METHODS and not scopes & {"write", "admin"}:
        raise errors.missing_scope("write", "admin")
    if record["scheme"] == "oauth-password" and not record.get("admin", False):
        raise errors.unauthorized(errors.ACCESS_DENIED)
    return Principal(record["tenant"], record["subject"], record["scheme"])


def _bearer(request: Request) -> str:
    """Doorkeeper's `from_bearer_authorization`: `Authorization: Bearer <token>`."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class Owner(NamedTuple):
    """Whose token it is: the store (tenant), the client or user, the grant, admin or not."""

    tenant: str
    subject: str
    scheme: str
    admin: bool


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
        # Spree configures no default scopes: a token asked for without one has none.
        scope = params.get("scope") or ""
        if grant == "client_credentials":
            client = self._client(client_id, client_secret, required=True)
            owner = Owner(tenant_of(client), client, "oauth-client", False)
            return self._grant(owner, scope, client, refreshable=False)
        if grant == "password":
            client = self._client(client_id, client_secret, required=False)
            user_id, admin = _password_user(params.get("username"), params.get("password"))
            owner = Owner(tenant_of(client or DEMO_CLIENT), user_id, "oauth-password", admin)
            return self._grant(owner, scope, client, refreshable=True)
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
        old = self.store.get(ACCESS, record["access_token"])
        if old is not None:
            self.store.put(ACCESS, record["access_token"], {**old, "revoked": True})
        owner = Owner(record["tenant"], record["subject"], record["scheme"], record["admin"])
        return self._grant(owner, record["scope"], record["client_id"], refreshable=True)

    def _grant(
        self, owner: Owner, scope: str, client_id: str | None, refreshable: bool
    ) -> dict[str, Any]:
        """Doorkeeper's token response; blank members (`refresh_token` of a client
        credentials token, `scope` of a token without one) are left out."""
        access = secrets.token_urlsafe(32)
        issued = int(self.now.timestamp())
        about = {**owner._asdict(), "scope": scope, "client_id": client_id}
        # Both carry their expiry as the store's purge time, so expired ones are deleted.
        expires_at = self.now.timestamp() + self.ttl
        self.store.put(ACCESS, access, {**about, "expires_at": expires_at}, expires_at=expires_at)
        answer: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.ttl,
        }
        if refreshable:  # RFC 6749 4.4.3: never for client credentials
            refresh = secrets.token_urlsafe(32)
            refresh_expires = self.now.timestamp() + max(self.ttl, REFRESH_TTL)
            self.store.put(
                REFRESH,
                refresh,
                {**about, "access_token": access, "expires_at": refresh_expires},
                expires_at=refresh_expires,
            )
            answer["refresh_token"] = refresh
        if scope:
            answer["scope"] = scope
        answer["created_at"] = issued
        return answer


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


def _password_user(username: str | None, password: str | None) -> tuple[str, bool]:
    """(user id, is a Spree admin) for a known email and its password."""
    for name, value in (("username", username), ("password", password)):
        if value is None:
            raise errors.oauth_error("invalid_request", f"Missing required parameter: {name}.")
    known = PASSWORD_USERS.get(username.lower())
    if known is None or known[0] != password:
        raise errors.oauth_error("invalid_grant")
    return known[1], known[2]
