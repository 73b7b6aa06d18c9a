"""Show a `RunResult`: console summary (table per operation and check, failures with a reason
and a curl line), JUnit XML for CI, a self-contained HTML page for people."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TextIO
from xml.etree import ElementTree as ET

from contracts.results import RunResult, VendorResult


def summary(result: RunResult, out: TextIO) -> None:
    for vendor in result.vendors:
        _vendor_table(vendor, out)
    _failures(result, out)
    verdict = "PASSED" if result.ok else "FAILED"
    failures = sum(len(v.failures) for v in result.vendors)
    errors = sum(len(v.errors) for v in result.vendors)
    cases = sum(v.cases for v in result.vendors)
    seconds = result.seconds
    if seconds is None:
        seconds = sum(v.seconds for v in result.vendors)
    seed = f", seed {result.seed}" if result.seed is not None else ""
    totals = f"{failures} failure(s), {errors} error(s), {cases} cases in {seconds:.1f}s{seed}"
    out.write(f"\n{verdict}: {totals}\n")


def _vendor_table(vendor: VendorResult, out: TextIO) -> None:
    rows = vendor.rows()
    out.write(f"\n== {vendor.vendor}: {vendor.cases} cases, {vendor.seconds:.1f}s ==\n")
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
    for note in vendor.notes:
        out.write(f"note: {note}\n")
    for error in vendor.errors:
        out.write(f"error: {error}\n")


def _failures(result: RunResult, out: TextIO) -> None:
    failures = [f for v in result.vendors for f in v.failures]
    if not failures:
        return
    out.write("\nFailures:\n")
    for number, failure in enumerate(failures, 1):
        out.write(f"{number}. [{failure.vendor}] {failure.operation} :: {failure.check}\n")
        out.write(f"   {failure.message}\n")
        if failure.curl:
            out.write(f"   replay: {failure.curl}\n")


def junit(result: RunResult, path: str | Path) -> None:
    """One testsuite per vendor, one testcase per (operation, check), failures with replay."""
    suites = ET.Element("testsuites", name="contracts")
    for vendor in result.vendors:
        rows = vendor.rows()
        failed = sum(1 for r in rows if r[3])
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=vendor.vendor,
            tests=str(len(rows) + len(vendor.errors)),
            failures=str(failed),
            errors=str(len(vendor.errors)),
            time=f"{vendor.seconds:.3f}",
        )
        for operation, check, _passed, failures in rows:
            case = ET.SubElement(
                suite, "testcase", classname=f"{vendor.vendor}.{operation}", name=check
            )
            if failures:
                found = [f for f in vendor.failures if (f.operation, f.check) == (operation, check)]
                text = "\n".join(f"{f.message}\nreplay: {f.curl}" for f in found)
                message = found[0].message if found else f"{failures} failing cases"
                node = ET.SubElement(case, "failure", message=message[:500])
                node.text = text
        for number, error in enumerate(vendor.errors, 1):
            case = ET.SubElement(suite, "testcase", classname=vendor.vendor, name=f"error {number}")
            ET.SubElement(case, "error", message=error[:500]).text = error
    tree = ET.ElementTree(suites)
    ET.indent(tree)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def html_report(result: RunResult, path: str | Path) -> None:
    esc = html.escape
    parts = [
        "<!doctype html><meta charset='utf-8'><title>Contract run</title>",
        "<style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:left}"
        ".fail{color:#b00}pre{background:#f4f4f4;padding:6px;white-space:pre-wrap}</style>",
        f"<h1>Contract run: {'passed' if result.ok else 'FAILED'}</h1>",
    ]
    for vendor in result.vendors:
        parts.append(f"<h2>{esc(vendor.vendor)}: {vendor.cases} cases, {vendor.seconds:.1f}s</h2>")
        parts.append(
            "<table><tr><th>operation</th><th>check</th><th>passed</th><th>failed</th></tr>"
        )
        for operation, check, passed, failed in vendor.rows():
            cls = " class='fail'" if failed else ""
            parts.append(
                f"<tr{cls}><td>{esc(operation)}</td><td>{esc(check)}</td>"
                f"<td>{passed}</td><td>{failed}</td></tr>"
            )
        parts.append("</table>")
        for failure in vendor.failures:
            parts.append(
                f"<h3 class='fail'>{esc(failure.operation)} :: {esc(failure.check)}</h3>"
                f"<p>{esc(failure.message)}</p><pre>{esc(failure.curl)}</pre>"
            )
        for error in vendor.errors:
            parts.append(f"<p class='fail'>error: {esc(error)}</p>")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(parts), encoding="utf-8")


def write_reports(result: RunResult, reports: tuple[str, ...]) -> list[str]:
    """Write every `kind:PATH` report; returns the paths written."""
    written = []
    for report in reports:
        kind, _, path = report.partition(":")
        (junit if kind == "junit" else html_report)(result, path)
        written.append(path)
    return written
