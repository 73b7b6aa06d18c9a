"""Wording shared by the report handlers (so the console, JUnit and HTML say the same)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from contracts.engine import Progress
from contracts.results import Outcome, RunResult

IN_PROCESS = "the in-process mock"
# The code Schemathesis gives a failure of a check it does not ship (ours).
CUSTOM_CHECK = "ST901"


class FileReport:
    """A report written once, at the end, to `path` by the subclass's `write(result, path)`."""

    write: Callable[[RunResult, Path], None]

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def on_progress(self, step: Progress) -> None:
        """Nothing until the end."""

    def on_finish(self, result: RunResult) -> None:
        self.write(result, self.path)


def failure_lines(failure: Outcome) -> list[str]:
    """What a person needs to understand and replay one failure."""
    lines = [failure.message]
    if failure.cause and failure.cause != failure.message:
        lines.append(f"cause: {failure.cause}")
    if failure.status is not None:
        answer = f" {failure.answer[:120]!r}" if failure.answer else ""
        lines.append(f"answer: {failure.status}{answer}")
    if failure.curl:
        lines.append(f"replay: {failure.curl}")
    return lines


def failure_details(failure: Outcome, seed: int | None) -> str:
    """The text under a failure's check name in Schemathesis' reports (which show the
    answer and the curl line themselves)."""
    lines = [failure.message]
    if failure.cause and failure.cause != failure.message:
        lines.append(f"cause: {failure.cause}")
    lines.append(f"vendor {failure.vendor}" + (f", seed {seed}" if seed is not None else ""))
    return "\n".join(lines)


def totals(result: RunResult) -> str:
    failures = sum(len(v.failures) for v in result.vendors)
    known = sum(sum(v.known.values()) for v in result.vendors)
    errors = sum(len(v.errors) for v in result.vendors)
    cases = sum(v.cases for v in result.vendors)
    requests = sum(v.requests for v in result.vendors)
    seconds = run_seconds(result)
    return (
        f"{failures} failure(s), {known} known, {errors} error(s), {cases} cases, "
        f"{requests} requests in {seconds:.1f}s, seed {result.seed}"
    )


def run_seconds(result: RunResult) -> float:
    """The run's wall time; the vendors' times added when it was not measured (the proxy)."""
    if result.seconds is not None:
        return result.seconds
    return sum(v.seconds for v in result.vendors)


def verdict(result: RunResult) -> str:
    if any(v.preflight for v in result.vendors):
        return "NOT RUN"
    if not result.ok:
        return "FAILED"
    return "INCOMPLETE (request budget spent)" if result.budget_exhausted else "PASSED"


def check_counts(result: RunResult) -> list[tuple[str, str, int, int, float]]:
    """(vendor, check, passed, failed, seconds) per check of each vendor, failing ones first."""
    counts: dict[tuple[str, str], list[float]] = {}
    for vendor in result.vendors:
        for operation, check, passed, failed in vendor.rows():
            entry = counts.setdefault((vendor.vendor, check), [0, 0, 0.0])
            entry[0] += passed
            entry[1] += failed
            entry[2] += vendor.elapsed.get((operation, check), 0.0)
    rows = [
        (vendor, check, int(passed), int(failed), seconds)
        for (vendor, check), (passed, failed, seconds) in counts.items()
    ]
    return sorted(rows, key=lambda row: (not row[3], row[0], row[1]))
