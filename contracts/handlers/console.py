"""The console: a live line per step on stderr, then the summary on stdout."""

from __future__ import annotations

from typing import TextIO

import click

from contracts.engine import Progress
from contracts.handlers.common import failure_lines, totals, verdict
from contracts.results import RunResult, VendorResult


class LiveView:
    """A one-line-per-step progress view (rewritten in place on a terminal)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.cases: dict[str, int] = {}  # per vendor: each vendor's count starts at 0

    def on_progress(self, step: Progress) -> None:
        if step.status == "started":
            line = f"{step.vendor}: {step.phase} phase"
        else:
            cases = self.cases[step.vendor] = self.cases.get(step.vendor, 0) + step.cases
            mark = {"success": "ok", "failure": "FAIL", "error": "ERROR", "skip": "skip"}.get(
                step.status, step.status
            )
            colour = {"ok": "green", "FAIL": "red", "ERROR": "red"}.get(mark)
            line = f"{step.vendor}: {step.phase:<9} {step.label[:55]:<55} "
            line += click.style(f"{mark:<5}", fg=colour) + f" ({cases} cases)"
        if self.tty:
            self.out.write("\r\033[K")  # not through click: NO_COLOR must not strip it
            click.echo(line, file=self.out, nl=step.status in ("failure", "error"))
        else:
            click.echo(line, file=self.out)
        self.out.flush()

    def on_finish(self, result: RunResult) -> None:
        if self.tty:
            self.out.write("\n")


class Summary:
    """Per vendor a table of operation x check, then failures, known deviations, warnings,
    what the run left behind, and the verdict with the seed. `brief` (`--quiet`): one line
    per vendor instead of its table."""

    def __init__(self, out: TextIO, brief: bool = False) -> None:
        self.out = out
        self.brief = brief

    def on_progress(self, step: Progress) -> None:
        """The summary waits for the end."""

    def on_finish(self, result: RunResult) -> None:
        summary(result, self.out, self.brief)


def summary(result: RunResult, out: TextIO, brief: bool = False) -> None:
    for vendor in result.vendors:
        if brief:
            out.write(vendor_line(vendor) + "\n")
            out.writelines(f"  {line}\n" for line in _known_lines(vendor))
            out.writelines(f"  error: {error}\n" for error in vendor.errors)
        else:
            _vendor(vendor, out)
    failures = [f for v in result.vendors for f in v.failures]
    if failures:
        out.write("\nFailures:\n")
        for number, failure in enumerate(failures, 1):
            out.write(f"{number}. [{failure.vendor}] {failure.operation} :: {failure.check}\n")
            for line in failure_lines(failure):
                out.write(f"   {line}\n")
    outcome = verdict(result)
    colour = "green" if outcome == "PASSED" else "red"
    out.write("" if brief else "\n")
    click.echo(click.style(outcome, fg=colour, bold=True) + f": {totals(result)}", file=out)


def vendor_line(vendor: VendorResult) -> str:
    """One vendor in one line: its verdict and counts (what `--quiet` prints)."""
    if vendor.preflight:
        return f"{vendor.vendor}: NOT RUN: {vendor.preflight}"
    state = "ok" if vendor.ok else "FAILED"
    return (
        f"{vendor.vendor}: {state}: {len(vendor.failures)} failure(s), "
        f"{sum(vendor.known.values())} known, {len(vendor.errors)} error(s), "
        f"{vendor.cases} cases, {vendor.requests} requests, {vendor.seconds:.1f}s"
    )


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
    out.writelines(f"{line}\n" for line in _known_lines(vendor))
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


def _known_lines(vendor: VendorResult) -> list[str]:
    """The known deviations seen (and those expected but not seen), one line each."""
    lines = []
    for deviation_id, count in sorted(vendor.known.items()):
        example = vendor.known_examples[deviation_id]
        lines.append(
            f"known: {deviation_id} seen {count}x ({example.operation} :: {example.check})"
        )
    lines += [
        f"known: {i} not seen in this run (fixed, or not reached)" for i in vendor.known_unseen
    ]
    return lines
