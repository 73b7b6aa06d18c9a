"""What a run found, independent of how it is shown (console, JUnit, HTML)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outcome:
    """One check on one operation: passed, or failed with a reason and a replay line."""

    vendor: str
    operation: str
    check: str
    ok: bool
    message: str = ""
    curl: str = ""


@dataclass
class VendorResult:
    vendor: str
    cases: int = 0
    seconds: float = 0.0
    passed: Counter[tuple[str, str]] = field(default_factory=Counter)
    failed: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[Outcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        """Count an outcome; keep the first failure of each (operation, check) to show."""
        key = (outcome.operation, outcome.check)
        if outcome.ok:
            self.passed[key] += 1
            return
        self.failed[key] += 1
        if not any((f.operation, f.check) == key for f in self.failures):
            self.failures.append(outcome)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors

    def rows(self) -> list[tuple[str, str, int, int]]:
        """(operation, check, passed, failed) for every pair seen, sorted."""
        keys = sorted(set(self.passed) | set(self.failed))
        return [
            (op, check, self.passed[(op, check)], self.failed[(op, check)]) for op, check in keys
        ]


@dataclass
class RunResult:
    vendors: list[VendorResult] = field(default_factory=list)
    seed: int | None = None
    seconds: float | None = None  # wall time of the whole run (vendors may overlap)

    @property
    def ok(self) -> bool:
        return bool(self.vendors) and all(v.ok for v in self.vendors)

    @property
    def failed_checks(self) -> set[str]:
        return {f.check for v in self.vendors for f in v.failures}
