"""Every 4xx/5xx answer carries the vendor's own error body for that status."""

from __future__ import annotations

from typing import Any

import schemathesis

from contracts.vendors import for_path


def envelope_problem(path: str, status: int, body: Any, parsed: bool) -> str | None:
    """Why an error answer is not in the vendor's envelope, or None when it is (or n/a)."""
    profile = for_path(path)
    if profile is None or status < 400:
        return None
    if not parsed:
        return f"{status} answer is not JSON; {profile.title} errors are JSON objects"
    problem = profile.envelope(status, body)
    return f"{status} answer: {problem}; got {str(body)[:200]}" if problem else None


@schemathesis.check
def vendor_error_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis check: the error body has the vendor's shape for its status."""
    if for_path(case.operation.path) is None or response.status_code < 400:
        return True
    try:
        body, parsed = response.json(), True
    except Exception:
        body, parsed = None, False
    problem = envelope_problem(case.operation.path, response.status_code, body, parsed)
    if problem:
        raise AssertionError(problem)
    return None
