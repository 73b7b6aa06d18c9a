"""Plant each bug, run our suite and plain Schemathesis against it with one budget, score both.

The budget, the same for both tools and every bug: the bug's vendor, only the operations
the bug lives in (`Bug.operations`, a path regex), Schemathesis' examples and fuzzing phases
(coverage off: on its own it costs more than the others together; stateful off: its links
lead out of a bug's few operations), `max-examples` 5 per operation, seed 7, no shrinking.
Our suite adds its scenario checks, a fixed sequence of about 100 requests per vendor.
"Plain Schemathesis" is the same engine with all of its own checks and none of ours (what
`st run --checks all` does with the repository's `schemathesis.toml`).

A bug is killed when a check fails on it; the correct mock must pass the same runs, so every
failure on a variant is the planted bug. Runs go to a pool of processes (one per core).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, fields
from typing import Any

from contracts.checks import RESPONSE_CHECKS
from contracts.config import Settings

OURS, PLAIN = "suite", "schemathesis"
PHASES = ("examples", "fuzzing")
MAX_EXAMPLES = 5
SEED = 7
BUDGET = (
    f"per bug and tool: the bug's operations, phases {'/'.join(PHASES)}, "
    f"max-examples {MAX_EXAMPLES}, seed {SEED}, no shrinking"
)


@dataclass(frozen=True)
class Bug:
    """One planted fault: the inventory rule it breaks and the checks that must catch it."""

    name: str
    rule: str
    plant: Callable[[Any], Any]
    expect: frozenset[str]
    operations: str

    @property
    def vendor(self) -> str:
        return self.rule.split(".", 1)[0]

    @property
    def about(self) -> str:
        return (self.plant.__doc__ or "").strip().splitlines()[0]


def settings(vendor: str, operations: str, tool: str) -> Settings:
    return Settings(
        vendors=(vendor,),
        include_path=operations,
        phases=PHASES,
        scenarios=tool == OURS,
        exclude_checks=() if tool == OURS else RESPONSE_CHECKS,
        max_examples=MAX_EXAMPLES,
        seed=SEED,
        no_shrink=True,
        progress=False,
    )


@dataclass(frozen=True)
class Job:
    """One run: a bug (None: the correct mock) on `operations` of `vendor` with one tool."""

    bug: str | None
    vendor: str
    operations: str
    tool: str


@dataclass
class Verdict:
    job: Job
    failed: frozenset[str]
    messages: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def correct_mock() -> Any:
    """The mock as the specs describe it: where it can reproduce vendor defects (its
    `fidelity` setting), in its clean `spec` mode, so no failure is a reproduced defect."""
    from mockserver import MockConfig, create_app

    clean = {"fidelity": "spec"} if "fidelity" in {f.name for f in fields(MockConfig)} else {}
    return create_app(MockConfig(**clean))


def run_job(job: Job) -> Verdict:
    """Run one job in this process (a pool worker)."""
    from contracts.runner import run
    from tests.mutation.bugs import by_name

    mock = correct_mock()
    try:
        app = mock if job.bug is None else by_name()[job.bug].plant(mock)
        result = run(settings(job.vendor, job.operations, job.tool), app=app)
    finally:
        # Its temporary database would outlive a pool worker, which exits without atexit.
        mock.extensions["mockserver"].store.close()
    messages: dict[str, str] = {}
    errors: list[str] = []
    for vendor in result.vendors:
        errors += vendor.errors
        for outcome in vendor.failures:
            messages.setdefault(outcome.check, f"{outcome.operation}: {outcome.message}"[:300])
    return Verdict(job, frozenset(result.failed_checks), messages, errors)


def jobs_for(bugs: Iterable[Bug]) -> list[Job]:
    """Every bug with both tools, and the correct mock on every budget the bugs use."""
    bugs = list(bugs)
    clean = sorted({(bug.vendor, bug.operations) for bug in bugs})
    jobs = [Job(None, vendor, ops, tool) for vendor, ops in clean for tool in (OURS, PLAIN)]
    jobs += [
        Job(bug.name, bug.vendor, bug.operations, tool) for bug in bugs for tool in (OURS, PLAIN)
    ]
    return jobs


def run_all(
    bugs: Iterable[Bug],
    processes: int | None = None,
    progress: Callable[[Verdict], None] | None = None,
) -> list[Verdict]:
    """Every job of `jobs_for(bugs)`, in that order; `progress` hears of each as it ends."""
    jobs = jobs_for(bugs)
    workers = processes or os.cpu_count() or 1
    if workers == 1:
        verdicts = []
        for job in jobs:
            verdicts.append(run_job(job))
            if progress:
                progress(verdicts[-1])
        return verdicts
    with ProcessPoolExecutor(workers) as pool:
        futures = [pool.submit(run_job, job) for job in jobs]
        if progress:
            for future in as_completed(futures):
                progress(future.result())
        return [future.result() for future in futures]


@dataclass
class Score:
    """What the verdicts say: per bug, the checks that failed for each tool."""

    bugs: list[Bug]
    verdicts: list[Verdict]

    def _get(self, bug: str | None, tool: str, vendor: str = "", ops: str = "") -> Verdict:
        for verdict in self.verdicts:
            job = verdict.job
            if (
                job.bug == bug
                and job.tool == tool
                and (bug or (job.vendor, job.operations) == (vendor, ops))
            ):
                return verdict
        raise KeyError((bug, tool, vendor, ops))

    def caught(self, bug: Bug, tool: str) -> frozenset[str]:
        return self._get(bug.name, tool).failed

    def false_positives(self) -> list[Verdict]:
        """Runs of the correct mock that failed a check or could not run."""
        return [v for v in self.verdicts if v.job.bug is None and (v.failed or v.errors)]

    def errors(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.errors]

    def killed(self, tool: str) -> list[Bug]:
        return [bug for bug in self.bugs if self.caught(bug, tool)]

    def missed_expected(self) -> list[Bug]:
        """Bugs our suite did not catch with one of the checks meant to catch them."""
        return [bug for bug in self.bugs if not self.caught(bug, OURS) & bug.expect]

    def summary(self) -> str:
        total = len(self.bugs)
        ours, plain = len(self.killed(OURS)), len(self.killed(PLAIN))
        return (
            f"mutation score: our suite killed {ours}/{total} ({100 * ours / total:.0f}%), "
            f"plain Schemathesis {plain}/{total} ({100 * plain / total:.0f}%); "
            f"false positives on the correct mock: {len(self.false_positives())}"
        )

    def report(self) -> str:
        """The summary, the budget and the table, as the README shows them."""
        return f"{self.summary()}\n\nBudget {BUDGET}.\n\n{self.table()}"

    def table(self) -> str:
        """A Markdown table: bug, rule, the check(s) that caught it with each tool."""
        lines = [
            "| bug | rule | expected check | our suite | plain Schemathesis |",
            "|---|---|---|---|---|",
        ]
        for bug in self.bugs:
            ours = self.caught(bug, OURS)
            plain = self.caught(bug, PLAIN)
            lines.append(
                f"| `{bug.name}` | {bug.rule} | {', '.join(sorted(bug.expect))} "
                f"| {_cell(ours, bug.expect)} | {_cell(plain, frozenset())} |"
            )
        return "\n".join(lines)


def _cell(failed: frozenset[str], expected: frozenset[str]) -> str:
    if not failed:
        return "**missed**"
    named = sorted(failed, key=lambda name: (name not in expected, name))
    return ", ".join(named)
