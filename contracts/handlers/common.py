"""Wording shared by the report handlers (so the console, JUnit and HTML say the same)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from contracts.engine import Progress
from contracts.results import Outcome, RunResult


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


def totals(result: RunResult) -> str:
    failures = sum(len(v.failures) for v in result.vendors)
    known = sum(sum(v.known.values()) for v in result.vendors)
    errors = sum(len(v.errors) for v in result.vendors)
    cases = sum(v.cases for v in result.vendors)
    requests = sum(v.requests for v in result.vendors)
    seconds = result.seconds
    if seconds is None:
        seconds = sum(v.seconds for v in result.vendors)
    return (
        f"{failures} failure(s), {known} known, {errors} error(s), {cases} cases, "
        f"{requests} requests in {seconds:.1f}s, seed {result.seed}"
    )


def verdict(result: RunResult) -> str:
    if any(v.preflight for v in result.vendors):
        return "NOT RUN"
    if not result.ok:
        return "FAILED"
    return "INCOMPLETE (request budget spent)" if result.budget_exhausted else "PASSED"
