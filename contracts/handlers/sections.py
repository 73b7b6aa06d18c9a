"""Our two sections of the HTML report, in Schemathesis' own CSS classes so they read as
part of its page: per vendor what was tested and how it went, and the counts per check."""

from __future__ import annotations

import html

from contracts.handlers.common import IN_PROCESS, check_counts
from contracts.results import RunResult

FOLD_ABOVE = 3  # longer lists in the vendor section start folded
FOLD_PASSED_CHECKS = 10  # more passing checks than this are folded when some fail
CHECKS_CSS = (
    ".checks-summary{margin-top:var(--space-lg,24px)}.checks-table{table-layout:auto}"
    ".checks-passed>summary{cursor:pointer;margin:var(--space-md,16px) 0}"
    ".checks-table .numeric{padding-right:var(--space-md,16px);white-space:nowrap}"
    ".checks-table td{padding:6px var(--space-md,16px);"
    "border-bottom:1px solid var(--color-border-subtle)}"
    ".checks-table tr.row-failed td:first-child{border-left:3px solid var(--color-failure,#e5534b)}"
)


def vendors_section(result: RunResult) -> str:
    """Per vendor what was tested and how it went, in Schemathesis' own classes so it reads
    as part of the page; long lists (what the run left behind) folded."""
    esc = html.escape
    rows = []
    for vendor in result.vendors:
        target = esc(vendor.target) if vendor.target else IN_PROCESS
        facts = [
            f"target {target}",
            f"version {esc(vendor.version or 'unknown')}",
            f"{vendor.cases} cases, {vendor.requests} requests, {vendor.seconds:.1f} s",
            f"{len(vendor.failures)} failure(s), {sum(vendor.known.values())} known",
        ]
        items = "".join(f"<li>{fact}</li>" for fact in facts)
        for label, texts in (
            ("preflight", [vendor.preflight] if vendor.preflight else []),
            ("error", vendor.errors),
            ("warning", vendor.warnings),
            ("note", vendor.notes),
            ("left behind", vendor.left_behind),
            ("known, not seen", vendor.known_unseen),
        ):
            if len(texts) > FOLD_ABOVE:
                inner = "".join(f"<li>{esc(text)}</li>" for text in texts)
                items += (
                    f"<li><details><summary>{label}: {len(texts)}</summary>"
                    f"<ul>{inner}</ul></details></li>"
                )
            else:
                items += "".join(f"<li>{label}: {esc(text)}</li>" for text in texts)
        rows.append(
            f'<span class="tk">{esc(vendor.vendor)}</span><span class="tv">'
            f'<span class="tv-text"><ul class="vendor-facts">{items}</ul></span></span>'
        )
    return (
        '<section class="target-block" id="contracts-vendors" aria-label="Vendors">'
        f"{''.join(rows)}</section>"
    )


def checks_section(result: RunResult) -> str:
    """Passed and failed judgments and their time per check, failing checks first; the
    passing ones folded when a failing run has many (as Schemathesis folds passed rows)."""
    counts = check_counts(result)
    failing = [row for row in counts if row[3]]
    passing = [row for row in counts if not row[3]]
    parts = [
        '<section class="checks-summary" id="checks" aria-labelledby="checks-h">',
        f"<style>{CHECKS_CSS}</style>",
        '<h2 class="rn-title" id="checks-h">Checks</h2>',
    ]
    if failing:
        parts.append(_checks_table(failing))
    if passing:
        folded = failing and len(passing) > FOLD_PASSED_CHECKS
        parts.append(
            f'<details class="checks-passed"{"" if folded else " open"}>'
            f"<summary>{len(passing)} passing</summary>{_checks_table(passing)}</details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _checks_table(rows: list[tuple[str, str, int, int, float]]) -> str:
    esc = html.escape
    body = "".join(
        f'<tr class="{"row-failed" if failed else "row-passed"}"><td><code>{esc(check)}</code></td>'
        f'<td>{esc(vendor)}</td><td class="numeric">{passed}</td>'
        f'<td class="numeric">{failed}</td><td class="numeric">{seconds:.2f}s</td></tr>'
        for vendor, check, passed, failed, seconds in rows
    )
    return (
        '<table class="ops-table checks-table"><thead><tr><th scope="col">Check</th>'
        '<th scope="col">Vendor</th><th scope="col" class="numeric">Passed</th>'
        '<th scope="col" class="numeric">Failed</th><th scope="col" class="numeric">Time</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
    )
