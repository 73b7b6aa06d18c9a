"""Medusa admin authentication: email/password login issuing an HS256 JWT, Bearer JWTs, and
secret API keys (`sk_...`) sent as HTTP Basic.

Tenants: the fixtures' users and the fixtures' API keys (`sk_test_demo`) open the demo tenant
`medusa:demo`; any other key matching the sandbox pattern (`sk_test_*`) opens a fresh tenant
of its own, `medusa:<key>`. A JWT always belongs to the demo tenant (logins are checked
against the fixtures' users), so sandbox tenants are reached with their keys.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from flask import Request

from mockserver.vendor import AuthContext, Principal
from mockserver.vendors.medusa.errors import error, unauthorized
from mockserver.vendors.medusa.models import encode_base32

DEMO_TENANT = "medusa:demo"
SECRET_AS_BEARER = (
    "A secret API key was passed as a Bearer token. Secret API keys must be sent using HTTP "
    "Basic authentication instead (Authorization: Basic <secret-api-key>)."
)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_jwt(claims: dict[str, Any], key: bytes) -> str:
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def verify_jwt(token: str, key: bytes, now: float) -> dict[str, Any] | None:
    """The claims of a well-signed, unexpired HS256 token; None for anything else."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_b64url_decode(parts[0]))
        claims = json.loads(_b64url_decode(parts[1]))
        signature = _b64url_decode(parts[2])
    except (ValueError, binascii.Error):
        return None
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        return None
    expected = hmac.new(key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected) or not isinstance(claims, dict):
        return None
    expiry = claims.get("exp")
    if not isinstance(expiry, int | float) or expiry <= now:
        return None
    return claims


def login(body: Any, fixtures: Mapping[str, Any], key: bytes, ttl: int) -> str:
    """A JWT for a fixture user; Medusa's emailpass provider wording on failure."""
    payload = body if isinstance(body, dict) else {}
    password, email = payload.get("password"), payload.get("email")
    if not isinstance(password, str) or not password:
        raise error(401, "unauthorized", "Password should be a string")
    if not isinstance(email, str) or not email:
        raise error(401, "unauthorized", "Email should be a string")
    for user in fixtures.get("users", []):
        same_email = user["email"].lower() == email.lower()
        if same_email and hmac.compare_digest(user["password"].encode(), password.encode()):
            now = int(time.time())
            claims = {
                "actor_id": user["id"],
                "actor_type": "user",
                "auth_identity_id": "authid_" + user["id"].removeprefix("user_"),
                "app_metadata": {"user_id": user["id"]},
                "iat": now,
                "exp": now + ttl,
            }
            return sign_jwt(claims, key)
    raise error(401, "unauthorized", "Invalid email or password")


def sandbox_key_id(secret: str) -> str:
    """A stable `apk_` id for a sandbox key (recorded as transactions' `reference_id`)."""
    digest = int.from_bytes(hashlib.sha256(secret.encode()).digest()[:17], "big")
    return "apk_" + encode_base32(digest, 26)


def _secret_from_basic(credentials: str) -> str | None:
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return decoded.split(":", 1)[0] or None


def authenticate(request: Request, ctx: AuthContext) -> Principal:
    """Bearer JWT (user) or Basic secret key (api-key); Medusa's 401 bodies otherwise."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer":
        token = credentials.strip()
        if token.startswith("sk_"):
            raise unauthorized(SECRET_AS_BEARER)
        claims = verify_jwt(token, ctx.signing_key, time.time()) if token else None
        if claims is None or claims.get("actor_type") != "user":
            raise unauthorized()
        return Principal(DEMO_TENANT, str(claims.get("actor_id")), "user")
    if scheme == "basic":
        secret = _secret_from_basic(credentials)
        if secret:
            return _key_principal(secret, ctx)
    raise unauthorized()


def _key_principal(secret: str, ctx: AuthContext) -> Principal:
    for api_key in ctx.fixtures().get("api_keys", []):
        if hmac.compare_digest(api_key["token"].encode(), secret.encode()):
            return Principal(DEMO_TENANT, api_key["id"], "api-key")
    if ctx.is_sandbox_credential(secret):
        return Principal(f"medusa:{secret}", sandbox_key_id(secret), "api-key")
    raise unauthorized()
