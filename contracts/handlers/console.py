"""The console: a live line per step on stderr, then the summary on stdout."""

from __future__ import annotations

from typing import TextIO

from contracts.engine import Progress
from contracts.handlers.common import failure_lines, totals, verdict
from contracts.results import RunResult, VendorResult


class LiveView:
    """A one-line-per-step progress view (rewritten in place on a terminal)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.cases = 0

    def on_progress(self, step: Progress) -> None:
        if step.status == "started":
            line = f"{step.vendor}: {step.phase} phase"
        else:
            self.cases += step.cases
            mark = {"success": "ok", "failure": "FAIL", "error": "ERROR", "skip": "skip"}.get(
                step.status, step.status
            )
            line = f"{step.vendor}: {step.phase:<9} {step.label:<55} {mark:<5} ({self.cases} cases)"
        if self.tty:
            self.out.write("\r\033[K" + line[:150])
            if step.status in ("failure", "error"):
                self.out.write("\n")
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def on_finish(self, result: RunResult) -> None:
        if self.tty:
            self.out.write("\n")


class Summary:
    """Per vendor a table of operation x check, then failures, known deviations, warnings,
    what the run left behind, and the verdict with the seed."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def on_progress(self, step: Progress) -> None:
        """The summary waits for the end."""

    def on_finish(self, result: RunResult) -> None:
        summary(result, self.out)


def summary(result: RunResult, out: TextIO) -> None:
    for vendor in result.vendors:
        _vendor(vendor, out)
    failures = [f for v in result.vendors for f in v.failures]
    if failures:
        out.write("\nFailures:\n")
        for number, failure in enumerate(failures, 1):
            out.write(f"{number}. [{failure.vendor}] {failure.operation} :: {failure.check}\n")
            for line in failure_lines(failure):
                out.write(f"   {line}\n")
    out.write(f"\n{verdict(result)}: {totals(result)}\n")


def _vendor(vendor: VendorResult, out: TextIO) -> None:
    out.write(f"\n== {vendor.vendor}: {vendor.cases} cases, {vendor.requests} requests, ")
    out.write(f"{vendor.seconds:.1f}s ==\n")
    if vendor.preflight:
        out.write(f"preflight: {vendor.preflight}\n")
    rows = vendor.rows()
    if rows:
        width_op = max(len(r[0]) for r in rows)
        width_check = max(len(r[1]) for r in rows)
        out.write(
            f"{'operation':<{width_op}}  {'check':<{width_check}}  {'passed':>7}  {'failed':>7}\n"
        )
        for operation, check, passed, failed in rows:
            mark = "  FAIL" if failed else ""
            out.write(
                f"{operation:<{width_op}}  {check:<{width_check}}  {passed:>7}  {failed:>7}{mark}\n"
            )
    for deviation_id, count in sorted(vendor.known.items()):
        example = vendor.known_examples[deviation_id]
        out.write(f"known: {deviation_id} seen {count}x ({example.operation} :: {example.check})\n")
    for deviation_id in vendor.known_unseen:
        out.write(f"known: {deviation_id} not seen in this run (fixed, or not reached)\n")
    for warning in vendor.warnings:
        out.write(f"warning: {warning}\n")
    for note in vendor.notes:
        out.write(f"note: {note}\n")
    if vendor.left_behind:
        out.write(f"left behind ({len(vendor.left_behind)} objects the API cannot delete):\n")
        for item in vendor.left_behind:
            out.write(f"  {item}\n")
    for error in vendor.errors:
        out.write(f"error: {error}\n")
