"""Credentials for each vendor's API, as `Authenticator`s giving the headers of one identity.

Three shapes cover the three vendors: a static header (Appstle's `X-API-Key`, a Medusa secret
key sent as HTTP Basic), a token obtained from the API's own token endpoint and re-fetched when
it expires (Spree OAuth client credentials, Medusa's email/password JWT). The same object feeds
Schemathesis (through `schemathesis_provider`) and the suite's own scenario calls, so both
speak as the same identity.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from contracts.target import Target


class AuthError(RuntimeError):
    """The implementation refused the configured credentials; the run cannot start."""


class Authenticator(Protocol):
    def headers(self) -> dict[str, str]:
        """Headers that authenticate one request right now."""

    def invalidate(self) -> None:
        """Forget any cached token (the server answered 401 to it)."""

    def placeholders(self) -> dict[str, str]:
        """Secret text this identity sends -> a shell expression that rebuilds it from the
        environment, so a replay line never shows the secret (`contracts.replay`)."""


@dataclass
class StaticHeader:
    """A fixed header: an API key, or a secret key as HTTP Basic; `shown` rebuilds the value
    from the environment in a replay line (e.g. `$APPSTLE_API_KEY`)."""

    name: str
    value: str
    shown: str = ""

    def headers(self) -> dict[str, str]:
        return {self.name: self.value}

    def placeholders(self) -> dict[str, str]:
        return {self.value: self.shown} if self.shown else {}

    def invalidate(self) -> None:
        """Nothing cached: a static key cannot be refreshed."""


def basic_secret_key(key: str, variable: str = "MEDUSA_SECRET_KEY") -> StaticHeader:
    """Medusa's secret API key: HTTP Basic with the key as user name and no password."""
    token = base64.b64encode(f"{key}:".encode()).decode()
    shown = f"Basic $(printf '%s:' \"${variable}\" | base64 -w0)"
    return StaticHeader("Authorization", f"Basic {token}", shown)


def bearer(token: str, variable: str) -> StaticHeader:
    """A bearer token given as such (e.g. a Medusa admin JWT in `MEDUSA_JWT`)."""
    return StaticHeader("Authorization", f"Bearer {token}", f"Bearer ${variable}")


@dataclass
class TokenEndpoint:
    """A bearer token fetched from the API itself and refreshed before it expires.

    `fetch(target, refresh_token)` returns `(access_token, expires_in or None, refresh_token or
    None)`; it is called with the last refresh token when there is one, so grants that support
    refreshing use it.
    """

    target: Target
    fetch: Callable[[Target, str | None], tuple[str, float | None, str | None]]
    variable: str = "TOKEN"  # the environment variable a replay line reads the token from
    margin: float = 30.0
    _token: str | None = None
    _refresh: str | None = None
    _expires_at: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def headers(self) -> dict[str, str]:
        with self._lock:
            if self._token is None or (
                self._expires_at is not None and time.monotonic() >= self._expires_at
            ):
                self._renew()
            return {"Authorization": f"Bearer {self._token}"}

    def _renew(self) -> None:
        try:
            token, expires_in, refresh = self.fetch(self.target, self._refresh)
        except AuthError:
            if self._refresh is None:
                raise
            token, expires_in, refresh = self.fetch(self.target, None)
        self._token, self._refresh = token, refresh
        self._expires_at = (
            time.monotonic() + max(expires_in - self.margin, expires_in / 2) if expires_in else None
        )

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def placeholders(self) -> dict[str, str]:
        return {self._token: f"${self.variable}"} if self._token else {}


def json_token(exchange: Any, field_name: str) -> str:
    """The token in a token endpoint's answer, or an AuthError saying what came back."""
    body = exchange.json
    if exchange.status != 200 or not isinstance(body, dict) or not body.get(field_name):
        raise AuthError(
            f"{exchange.method} {exchange.url} answered {exchange.status} "
            f"{exchange.content[:200]!r}; check the credentials"
        )
    return str(body[field_name])


def schemathesis_provider(auth: Authenticator) -> type:
    """An `AuthProvider` class for `schema.auth(...)` that applies `auth` to every case.

    Schemathesis instantiates provider classes without arguments, hence the closure.
    """

    class ContractsAuth:
        def get(self, case: Any, ctx: Any) -> dict[str, str]:
            return auth.headers()

        def set(self, case: Any, data: dict[str, str], ctx: Any) -> None:
            case.headers = {**(case.headers or {}), **data}

    return ContractsAuth
