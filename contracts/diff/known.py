"""Intended differences: a YAML file listing what may differ between two targets, and why.

    vendor: medusa
    base: Medusa 2.21.1 + loyalty plugin 2.21.1
    differences:
      - id: idempotency-keys
        operation: "POST /admin/*"        # fnmatch on "METHOD /path/{template}" (default *)
        kind: status                      # status, media-type, error-message, ... (default *)
        base: "4\\d\\d"                   # regex the base value must fully match (optional)
        other: "409"                      # regex for the other target's value (optional)
        reason: the mock's Idempotency-Key replay protection, which Medusa lacks

    strip_headers:                        # headers only one target implements
      - name: Idempotency-Key
        reason: a mock feature; Medusa ignores the header, so it is sent to neither side

Every entry needs a `reason`; a difference no entry matches is unintended. Stripped headers
are removed from every request before it reaches either target (so the two states stay equal).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contracts.diff.compare import Difference


class KnownFileError(ValueError):
    """The file of intended differences cannot be used; the message says where."""


@dataclass(frozen=True)
class Intended:
    id: str
    reason: str
    operation: str = "*"
    kind: str = "*"
    base: str | None = None
    other: str | None = None

    def matches(self, difference: Difference) -> bool:
        return (
            fnmatch.fnmatchcase(difference.operation, self.operation)
            and fnmatch.fnmatchcase(difference.kind, self.kind)
            and (self.base is None or re.fullmatch(self.base, difference.base, re.S) is not None)
            and (self.other is None or re.fullmatch(self.other, difference.other, re.S) is not None)
        )


def strip_headers(path: Path) -> tuple[str, ...]:
    """Lower-case names of the headers the file says to send to neither target."""
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for number, entry in enumerate(data.get("strip_headers") or [], 1):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("reason"):
            raise KnownFileError(f"{path}: strip_headers entry {number} needs name and reason")
        found.append(str(entry["name"]).lower())
    return tuple(found)


def load_known(path: Path) -> list[Intended]:
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("differences") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise KnownFileError(f"{path}: expected a mapping with a `differences` list")
    found = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not str(entry.get("reason") or "").strip():
            raise KnownFileError(f"{path}: entry {number} has no `reason`")
        unknown = set(entry) - {"id", "reason", "operation", "kind", "base", "other"}
        if unknown:
            raise KnownFileError(f"{path}: entry {number}: unknown keys {sorted(unknown)}")
        for key in ("base", "other"):
            if entry.get(key) is not None:
                try:
                    re.compile(str(entry[key]))
                except re.error as exc:
                    raise KnownFileError(f"{path}: entry {number} `{key}`: {exc}") from None
        found.append(
            Intended(
                id=str(entry.get("id") or f"entry-{number}"),
                reason=str(entry["reason"]).strip(),
                operation=str(entry.get("operation", "*")),
                kind=str(entry.get("kind", "*")),
                base=None if entry.get("base") is None else str(entry["base"]),
                other=None if entry.get("other") is None else str(entry["other"]),
            )
        )
    return found


def classify(difference: Difference, known: list[Intended]) -> Intended | None:
    """The first entry that explains this difference, or None (unintended)."""
    return next((entry for entry in known if entry.matches(difference)), None)
