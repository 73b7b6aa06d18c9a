"""Engine hooks: what the suite does to every request Schemathesis sends, and learns from its
answers. Safety (a sane value profile against a vendor, fresh idempotency keys) before the
call; the objects a run created, for cleanup and the "left behind" list, after it. The
request budget and rate are counted on the wire instead (`contracts.budget`).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from contracts.vendors import VendorProfile

STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
IDEMPOTENCY_HEADER = "idempotency-key"
# The sane value profile: amounts a shop would book, text a person could type.
LARGEST_AMOUNT = 100_000.0
SMALLEST_AMOUNT = 0.01


@dataclass
class Watch:
    """Per-schema hook state: whether to tame values, and what the run created."""

    profile: VendorProfile
    tame_values: bool
    created: list[str] = field(default_factory=list)


# Schemathesis allows `before_call`/`after_call` only as global hooks, so two hooks are
# registered once and dispatch by schema; schemas that are not ours are left alone.
_WATCHED: dict[int, Watch] = {}
_registered = False


def watch(schema: Any, state: Watch) -> None:
    global _registered
    if not _registered:
        import schemathesis

        schemathesis.hook(_before_call)
        schemathesis.hook(_after_call)
        _registered = True
    _WATCHED[id(schema.raw_schema)] = state


def unwatch(schema: Any) -> None:
    _WATCHED.pop(id(schema.raw_schema), None)


def _before_call(context: Any, case: Any, kwargs: Any = None) -> None:
    state = _WATCHED.get(id(case.operation.schema.raw_schema))
    if state is None:
        return
    fresh_idempotency_key(case)
    if state.tame_values and not _is_negative(case, "BODY") and case.body is not None:
        case.body = tame(case.body)


def _after_call(context: Any, case: Any, response: Any) -> None:
    state = _WATCHED.get(id(case.operation.schema.raw_schema))
    if state is None or case.method.upper() != "POST" or not 200 <= response.status_code < 300:
        return
    try:
        body = response.json()
    except Exception:
        return
    handle = state.profile.ledger.created(case.operation.path, body)
    if handle is not None:
        state.created.append(handle)


_before_call.__name__ = "before_call"
_after_call.__name__ = "after_call"


def _is_negative(case: Any, location: str) -> bool:
    components = getattr(getattr(case, "meta", None), "components", None) or {}
    info = next((info for loc, info in components.items() if loc.name == location), None)
    return info is not None and info.mode.is_negative


def tame(value: Any) -> Any:
    """A schema-valid value brought into the sane profile: amounts between 0.01 and 100,000
    (sign kept, so a refused negative stays negative) and printable text without NUL or lone
    surrogates (length kept, so length limits still hold). Used against a vendor, whose
    ledger cannot be cleaned, unless `--hostile-values`."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float | int):
        return _tame_number(value)
    if isinstance(value, str):
        return "".join(
            ch if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF else "x" for ch in value
        )
    if isinstance(value, list):
        return [tame(item) for item in value]
    if isinstance(value, dict):
        return {tame(key): tame(item) for key, item in value.items()}
    return value


def _tame_number(value: float | int) -> float | int:
    if value == 0 or (isinstance(value, float) and not math.isfinite(value)):
        return value
    size = abs(value)
    if SMALLEST_AMOUNT <= size <= LARGEST_AMOUNT:
        return value
    sign = 1 if value > 0 else -1
    if isinstance(value, int):
        return sign * (size % int(LARGEST_AMOUNT) or 1)
    return sign * max(SMALLEST_AMOUNT, round(math.fmod(size, LARGEST_AMOUNT), 2))


def fresh_idempotency_key(case: Any) -> None:
    """Give a generated write a key no other request used.

    Schemathesis draws `Idempotency-Key` values from a small space (the spec's example, "0",
    "d"), so unrelated requests share keys and the server answers 409 "key reused with a
    different request" instead of what the request itself deserves; 409 is acceptable to
    both data checks, so it hid their real answers (about one write in six). A value the
    generator meant as invalid (empty, too long) is kept, so its rejection is still tested.
    Replays with one key are the `idempotency` scenario's job.
    """
    headers = case.headers
    if not headers or case.method.upper() not in STATE_CHANGING:
        return
    if _is_negative(case, "HEADER"):
        return
    for name, value in list(headers.items()):
        if name.lower() == IDEMPOTENCY_HEADER and isinstance(value, str) and 0 < len(value) <= 255:
            headers[name] = f"contracts-{uuid.uuid4()}"
