"""The request budget and rate of a run, counted on the wire.

Every request the suite sends is counted where it leaves: `requests`' HTTP adapter for a base
URL (Schemathesis' cases, the extra probes its checks send, our logins, preflight, scenarios
and cleanup all pass there) and the WSGI transport for the in-process mock. Counting there
rather than in Schemathesis' `before_call` hook is what makes `--max-requests 150` mean 150:
the hook never sees a check's own probes or a login.
"""

from __future__ import annotations

import threading
import time
from typing import Any


class RequestBudgetExceeded(RuntimeError):
    """The run reached `--max-requests`; nothing more is sent."""


class Limiter:
    """Request budget and rate shared by every call of a run (Schemathesis' and ours)."""

    def __init__(self, max_requests: int | None = None, per_second: float | None = None) -> None:
        self.max_requests = max_requests
        self.per_second = per_second
        self.sent = 0
        self.refused = 0
        self._lock = threading.Lock()
        self._next_slot = 0.0

    def take(self) -> None:
        with self._lock:
            if self.max_requests is not None and self.sent >= self.max_requests:
                self.refused += 1
                raise RequestBudgetExceeded(f"request budget of {self.max_requests} spent")
            self.sent += 1
            if self.per_second:
                now = time.monotonic()
                wait = self._next_slot - now
                self._next_slot = max(now, self._next_slot) + 1.0 / self.per_second
            else:
                wait = 0.0
        if wait > 0:
            time.sleep(wait)

    @property
    def exhausted(self) -> bool:
        """Whether the run wanted to send more than the budget allowed."""
        return self.refused > 0 or (
            self.max_requests is not None and self.sent >= self.max_requests
        )


def is_budget(error: BaseException | None) -> bool:
    """Whether `error` (or anything it was raised from) is the budget running out."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, RequestBudgetExceeded):
            return True
        error = error.__cause__ or error.__context__
    return False


# base URL -> the limiter of the run talking to it. `requests` has no per-call hook that every
# Schemathesis session shares, so its adapter is wrapped once and dispatches by URL; requests
# to any other URL (a user's own tests in the same process) are left alone.
_LIMITERS: dict[str, Limiter] = {}
_LOCK = threading.Lock()
_installed = False


def watch_url(base_url: str, limiter: Limiter) -> None:
    """Count every request to `base_url` against `limiter` until `unwatch_url`."""
    _install()
    with _LOCK:
        _LIMITERS[base_url.rstrip("/") + "/"] = limiter


def unwatch_url(base_url: str) -> None:
    with _LOCK:
        _LIMITERS.pop(base_url.rstrip("/") + "/", None)


def limiter_for(url: str) -> Limiter | None:
    with _LOCK:
        for prefix, limiter in _LIMITERS.items():
            if url.startswith(prefix) or url + "/" == prefix:
                return limiter
    return None


def _install() -> None:
    global _installed
    if _installed:
        return
    from requests.adapters import HTTPAdapter

    original = HTTPAdapter.send

    def send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        limiter = limiter_for(request.url or "")
        if limiter is not None:
            limiter.take()
        return original(self, request, *args, **kwargs)

    HTTPAdapter.send = send  # type: ignore[method-assign]
    _installed = True


# id(app) -> limiter, for the in-process mock (Schemathesis' WSGI transport, patched in
# `contracts._compat`, asks here before every call).
_APP_LIMITERS: dict[int, Limiter] = {}


def watch_app(app: Any, limiter: Limiter) -> None:
    with _LOCK:
        _APP_LIMITERS[id(app)] = limiter


def unwatch_app(app: Any) -> None:
    with _LOCK:
        _APP_LIMITERS.pop(id(app), None)


def take_for_app(app: Any) -> None:
    """Count one in-process call to `app`, when a run watches it."""
    with _LOCK:
        limiter = _APP_LIMITERS.get(id(app))
    if limiter is not None:
        limiter.take()
