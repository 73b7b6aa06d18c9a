"""What a run found, independent of how it is shown (console, JUnit, HTML)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Exit statuses of `contracts run` (also `RunResult.exit_code`).
EXIT_OK = 0
EXIT_FAILED = 1  # new failures or errors
EXIT_UNUSABLE = 2  # bad usage, unreachable target, refused credentials
EXIT_BUDGET = 3  # the request budget ran out before the run was complete; no failure so far


@dataclass(frozen=True)
class Outcome:
    """One check on one operation: passed, or failed with what came back and a replay line.

    `cause` tells failures of one check on one operation apart (a 500 on an empty date filter
    and a 500 on a NUL byte are two failures, each with its own replay); `request` is the
    request line (`METHOD URL body`) that known-deviation matchers read.
    """

    vendor: str
    operation: str
    check: str
    ok: bool
    message: str = ""
    curl: str = ""
    status: int | None = None
    answer: str = ""
    request: str = ""
    cause: str = ""
    seconds: float = 0.0  # time of the request(s) this check judged, for the reports
    code: str = ""  # Schemathesis' failure code (ST...) when one of its checks failed

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.operation, self.check, self.cause or self.message)


@dataclass
class VendorResult:
    vendor: str
    cases: int = 0
    seconds: float = 0.0
    requests: int = 0
    passed: Counter[tuple[str, str]] = field(default_factory=Counter)
    failed: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[Outcome] = field(default_factory=list)
    # known deviation id -> how often it was seen, and its first occurrence
    known: Counter[str] = field(default_factory=Counter)
    known_examples: dict[str, Outcome] = field(default_factory=dict)
    known_unseen: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left_behind: list[str] = field(default_factory=list)
    preflight: str = ""  # why the run could not start (unreachable, refused credentials)
    budget_exhausted: bool = False
    target: str = ""  # the base URL tested, or "" for the in-process mock
    version: str = ""  # what the spec says it describes (its info x-vendor-version)
    elapsed: Counter[tuple[str, str]] = field(default_factory=Counter)  # seconds per pair
    # cases per operation: Schemathesis' generated cases, one per outcome of a scenario
    operation_cases: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome, known: str | None = None) -> None:
        """Count an outcome; keep the first failure of each cause, or file it as known."""
        pair = (outcome.operation, outcome.check)
        self.elapsed[pair] += outcome.seconds
        if outcome.ok:
            self.passed[pair] += 1
            return
        if known is not None:
            self.known[known] += 1
            self.known_examples.setdefault(known, outcome)
            return
        self.failed[pair] += 1
        if not any(f.key == outcome.key for f in self.failures):
            self.failures.append(outcome)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors and not self.preflight

    def rows(self) -> list[tuple[str, str, int, int]]:
        """(operation, check, passed, failed) for every pair seen, sorted (known: not failed)."""
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
    def budget_exhausted(self) -> bool:
        return any(v.budget_exhausted for v in self.vendors)

    @property
    def exit_code(self) -> int:
        if any(v.preflight for v in self.vendors):
            return EXIT_UNUSABLE
        if not self.ok:
            return EXIT_FAILED
        return EXIT_BUDGET if self.budget_exhausted else EXIT_OK

    @property
    def failed_checks(self) -> set[str]:
        return {f.check for v in self.vendors for f in v.failures}
