"""A self-contained HTML page for people: verdict and seed, per vendor a table, failures with
cause, answer and replay line, known deviations, warnings and what the run left behind."""

from __future__ import annotations

import html
from pathlib import Path

from contracts.handlers.common import FileReport, failure_lines, totals, verdict
from contracts.results import RunResult


def write(result: RunResult, path: str | Path) -> None:
    esc = html.escape
    parts = [
        "<!doctype html><meta charset='utf-8'><title>Contract run</title>",
        "<style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:left}"
        ".fail{color:#b00}pre{background:#f4f4f4;padding:6px;white-space:pre-wrap}</style>",
        f"<h1>Contract run: {esc(verdict(result))}</h1><p>{esc(totals(result))}</p>",
    ]
    for vendor in result.vendors:
        parts.append(f"<h2>{esc(vendor.vendor)}: {vendor.cases} cases, {vendor.seconds:.1f}s</h2>")
        if vendor.preflight:
            parts.append(f"<p class='fail'>preflight: {esc(vendor.preflight)}</p>")
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
                f"<pre>{esc(chr(10).join(failure_lines(failure)))}</pre>"
            )
        for title, items in (
            ("known deviations seen", [f"{k}: {n}x" for k, n in sorted(vendor.known.items())]),
            ("known deviations not seen", vendor.known_unseen),
            ("warnings", vendor.warnings),
            ("notes", vendor.notes),
            ("left behind", vendor.left_behind),
            ("errors", vendor.errors),
        ):
            if items:
                parts.append(f"<h3>{title}</h3><ul>")
                parts.extend(f"<li>{esc(item)}</li>" for item in items)
                parts.append("</ul>")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(parts), encoding="utf-8")


class HtmlReport(FileReport):
    write = staticmethod(write)
