"""What differs between two answers to one request: status, media type, error envelope and
message, body shape (keys and value types; ids, timestamps and other generated values are
never compared by value) and ledger effect (how much a request moved the money fields).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from contracts.diff.forward import RawAnswer
from contracts.diff.mirror import IdMap, MirroredExchange

# Values a server generates: compared by shape only, and blanked in messages.
_GENERATED = re.compile(
    r"\b[a-z]+(?:_[a-z]+)*_[0-9A-Z]{26}\b"  # ULID-style ids (sc_acc_01J...)
    r"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?"  # timestamps
)
MAX_SHOWN = 300


@dataclass(frozen=True)
class Difference:
    """One way the other target answered a request differently from the base target."""

    operation: str  # "GET /admin/store-credit-accounts/{id}"
    kind: str  # status | media-type | error-envelope | error-type | error-message | ...
    base: str
    other: str
    request: str = field(default="", compare=False)

    @property
    def signature(self) -> tuple[str, str, str, str]:
        return (self.operation, self.kind, self.base, self.other)


def _json(answer: RawAnswer) -> Any:
    try:
        return json.loads(answer.content) if answer.content else None
    except ValueError:
        return None


def normalise(text: str, ids: IdMap | None = None) -> str:
    """A message with the other side's ids written as the base side's and generated values
    blanked, so two servers' wordings compare equal when only such values differ."""
    if ids is not None:
        text = ids.back(text)
    return _GENERATED.sub("<generated>", text)


def shape(value: Any, path: str = "") -> dict[str, set[str]]:
    """Every key path of a JSON value and the types found there. A list's items merge: a key
    counts only when every item has it (items are different records on the two targets)."""
    found: dict[str, set[str]] = {path or "$": {_type(value)}}
    if isinstance(value, dict):
        for key, item in value.items():
            found.update(shape(item, f"{path}.{key}"))
    elif isinstance(value, list) and value:
        shapes = [shape(item, f"{path}[]") for item in value]
        common = set.intersection(*(set(s) for s in shapes))
        for key in common:
            found[key] = set().union(*(s[key] for s in shapes))
    return found


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), type(value).__name__)


def shape_differences(base: Any, other: Any) -> list[tuple[str, str]]:
    """(base, other) descriptions of each key path whose presence or type differs."""
    a, b = shape(base), shape(other)
    found = []
    for key in sorted(a.keys() | b.keys()):
        if _under_empty_list(key, base, other):
            continue
        if key not in b:
            found.append((f"{key}: {'|'.join(sorted(a[key]))}", f"{key}: absent"))
        elif key not in a:
            found.append((f"{key}: absent", f"{key}: {'|'.join(sorted(b[key]))}"))
        else:
            ta, tb = a[key] - {"null"}, b[key] - {"null"}
            in_list = "[]" in key
            if (ta and tb and ta != tb) or (not in_list and bool(ta) != bool(tb)):
                found.append(
                    (f"{key}: {'|'.join(sorted(a[key]))}", f"{key}: {'|'.join(sorted(b[key]))}")
                )
    return found


def _under_empty_list(key: str, base: Any, other: Any) -> bool:
    """Item paths of a list that is empty on one side (nothing to compare there)."""
    if "[]" not in key:
        return False
    prefix = key[: key.index("[]")]
    return not _list_at(base, prefix) or not _list_at(other, prefix)


def _list_at(value: Any, dotted: str) -> bool:
    for part in [p for p in dotted.split(".") if p]:
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return isinstance(value, list) and bool(value)


class Comparator:
    """Compares each mirrored exchange; keeps the money fields seen per object for deltas."""

    def __init__(
        self,
        operation_of: Callable[[str, str], str],
        money: Callable[[Any], dict[str, Decimal]],
        ids: IdMap,
    ) -> None:
        self.operation_of = operation_of
        self.money = money
        self.ids = ids
        self._last: dict[str, tuple[dict[str, Decimal], dict[str, Decimal]]] = {}

    def compare(self, exchange: MirroredExchange) -> list[Difference]:
        request, base, other = exchange.request, exchange.base, exchange.other
        operation = self.operation_of(request.method, request.path)
        shown = _describe(request)

        def diff(kind: str, a: Any, b: Any) -> Difference:
            return Difference(operation, kind, str(a)[:MAX_SHOWN], str(b)[:MAX_SHOWN], shown)

        if base.status != other.status:
            return [diff("status", self._status(base), self._status(other, self.ids))]
        found = []
        if base.media_type != other.media_type:
            found.append(diff("media-type", base.media_type, other.media_type))
        a, b = _json(base), _json(other)
        if base.status >= 400:
            found += [diff(k, x, y) for k, x, y in self._errors(base, other, a, b)]
        elif base.status < 300:
            found += [diff("body-shape", x, y) for x, y in shape_differences(a, b)]
            found += [diff("ledger", x, y) for x, y in self._ledger(a, b)]
        return found

    @staticmethod
    def _status(answer: RawAnswer, ids: IdMap | None = None) -> str:
        """The status, with an error's message (a known entry can then say which refusal)."""
        body = _json(answer)
        if answer.status >= 400 and isinstance(body, dict) and "message" in body:
            return f"{answer.status} {normalise(str(body['message']), ids)}"
        return str(answer.status)

    def _errors(
        self, base: RawAnswer, other: RawAnswer, a: Any, b: Any
    ) -> Iterable[tuple[str, Any, Any]]:
        if isinstance(a, dict) and isinstance(b, dict):
            if sorted(a) != sorted(b):
                yield "error-envelope", sorted(a), sorted(b)
            if a.get("type") != b.get("type"):
                yield "error-type", a.get("type"), b.get("type")
            ma, mb = str(a.get("message")), str(b.get("message"))
            if normalise(ma) != normalise(mb, self.ids):
                yield "error-message", normalise(ma), normalise(mb, self.ids)
        elif (a is None) != (b is None) or (a is None and base.content != other.content):
            ta = normalise(base.content.decode("utf-8", "replace"))
            tb = normalise(other.content.decode("utf-8", "replace"), self.ids)
            if ta != tb:
                yield "error-body", ta, tb

    def _ledger(self, a: Any, b: Any) -> Iterable[tuple[str, str]]:
        ma, mb = self.money(a), self.money(b)
        key = _object_id(a)
        if not ma or not mb or key is None:
            return
        last = self._last.get(key)
        self._last[key] = (ma, mb)
        if last is None:
            return
        da = {k: ma[k] - last[0].get(k, Decimal(0)) for k in ma}
        db = {k: mb[k] - last[1].get(k, Decimal(0)) for k in mb}
        if da != db:
            yield _deltas(da), _deltas(db)


def _object_id(body: Any) -> str | None:
    """The id of the object a single-object answer carries (`{"account": {"id": ...}}`)."""
    if isinstance(body, dict):
        for value in body.values():
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                return value["id"]
    return None


def _deltas(moves: dict[str, Decimal]) -> str:
    return ", ".join(f"{k} {v:+}" for k, v in sorted(moves.items()))


def _describe(request: Any) -> str:
    body = request.body.decode("utf-8", "replace")
    text = f"{request.method} {request.url_path}"
    return f"{text} {body[:200]}" if body else text
