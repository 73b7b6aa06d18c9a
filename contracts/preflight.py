"""Before any fuzzing: is the target there, and does it accept our credentials?

A run against an unreachable URL or with a refused credential used to fuzz on regardless: a
minute of connection errors, or hundreds of 401s that every check counted as passed. The
preflight spends two requests to stop such a run at once, with one line that says what to fix
(`contracts run` exits 2).
"""

from __future__ import annotations

from contracts.auth import Authenticator, AuthError
from contracts.target import Target
from contracts.vendors import Api, VendorProfile

# Seconds to wait for the first answer: an unreachable URL must fail in a few seconds, not
# after the run's request timeout times every case.
REACH_TIMEOUT = 5.0


class PreflightError(RuntimeError):
    """The run cannot start against this target; the message says why and what to do."""


def reachable(target: Target) -> None:
    """Raise PreflightError unless the target answers HTTP at all (any status will do)."""
    if target.app is not None:
        return
    import requests

    try:
        requests.get(target.base_url + "/", timeout=min(REACH_TIMEOUT, _timeout(target)))
    except requests.RequestException as exc:
        reason = type(exc).__name__
        if isinstance(exc, requests.ConnectionError):
            reason = "connection refused or host unknown"
        elif isinstance(exc, requests.Timeout):
            reason = f"no answer within {min(REACH_TIMEOUT, _timeout(target)):g}s"
        raise PreflightError(f"cannot reach {target.base_url} ({reason})") from None


def _timeout(target: Target) -> float:
    return float(getattr(target, "timeout", REACH_TIMEOUT) or REACH_TIMEOUT)


def authenticated(profile: VendorProfile, target: Target, auth: Authenticator, who: str) -> None:
    """Raise PreflightError when the vendor refuses the credentials of `who`."""
    try:
        headers = auth.headers()
    except AuthError as exc:
        raise PreflightError(f"{profile.title}: {who} credentials refused: {exc}") from None
    if profile.probe is None:
        return
    answer = Api(target, auth).send(profile.probe)
    if answer.status in (401, 403):
        shown = ", ".join(sorted(headers)) or "no header"
        raise PreflightError(
            f"{profile.title}: {who} credentials refused ({answer.status} on "
            f"{profile.probe.method} {profile.probe.path}, sent {shown}); check them"
        )
