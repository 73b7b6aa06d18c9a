"""The HTML report is Schemathesis' own (`schemathesis.reporting.html`): the run is turned
into its `ReportData` and rendered by its `render_index`, so the page has its summary strip,
failures-first operations table, filter bar, response evidence and copyable curl lines.

What is ours goes into that model rather than beside it: every operation row holds the
failures of Schemathesis' checks and of our scenarios alike (title: the check's name; the
message, cause, vendor and seed; the answer's status and first bytes; the masked curl line),
and known deviations are its baseline. Its model has no place for a vendor or a count per check, so
two sections are added to the page (`contracts.handlers.sections`): per vendor the target,
the version the spec describes, cases, requests, time and notes, after its summary; the
counts and time per check, failing checks first, after its operations.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from contracts.handlers.common import CUSTOM_CHECK, FileReport, failure_details, run_seconds
from contracts.handlers.sections import checks_section, vendors_section
from contracts.results import Outcome, RunResult, VendorResult

EMPTY_BODY = "<EMPTY>"


def render(result: RunResult) -> str:
    """The whole page, as Schemathesis renders its own report, plus our two sections."""
    from schemathesis.reporting.html.render import render_index

    page = render_index(report_data(result))
    # The vendors after Schemathesis' summary, the counts per check after its operations
    # table (where the failures are), both before its closing `</main>`.
    operations = '<section class="ops"'
    end = "</main>"
    vendors = vendors_section(result)
    if operations in page:
        page = page.replace(operations, vendors + operations, 1)
    else:
        page = page.replace(end, vendors + end, 1)
    return page.replace(end, checks_section(result) + end, 1)


def write(result: RunResult, path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(render(result), encoding="utf-8")


class HtmlReport(FileReport):
    write = staticmethod(write)


def report_data(result: RunResult) -> Any:
    """The run as Schemathesis' report model."""
    from schemathesis.engine import StopReason
    from schemathesis.engine.summary import (
        BaselineSummary,
        ErrorGroup,
        FailureGroup,
        OperationsSummary,
        SummaryData,
        TestCasesSummary,
        WarningData,
    )
    from schemathesis.reporting._command import UNKNOWN_ENTRYPOINT
    from schemathesis.reporting.html.model import (
        ErrorEntry,
        OperationStatus,
        ReportData,
        ReportMeta,
    )

    rows = [row for vendor in result.vendors for row in _operation_rows(vendor, result.seed)]
    failures = [f for v in result.vendors for f in v.failures]
    errors = [(v.vendor, error) for v in result.vendors for error in v.errors]
    preflight = [(v.vendor, v.preflight) for v in result.vendors if v.preflight]
    groups: dict[str, FailureGroup] = {}
    for failure in failures:
        group = groups.setdefault(
            failure.check,
            FailureGroup(
                type=failure.check,
                code=_code(failure),
                title=failure.check,
                severity=_severity(),
                count=0,
                operations=[],
            ),
        )
        group.count += 1
        if failure.operation not in group.operations:
            group.operations.append(failure.operation)
    known = sum(sum(v.known.values()) for v in result.vendors)
    unseen = [i for v in result.vendors for i in v.known_unseen]
    baseline = None
    if known or unseen:
        baseline = BaselineSummary(
            known=known,
            new=len(failures),
            recorded=None,
            pruned=None,
            unobserved=len(unseen),
            known_ids=sorted({i for v in result.vendors for i in v.known}),
            unobserved_ids=unseen,
            expired_ids=[],
            write_error=None,
        )
    tested = sum(row.status is not OperationStatus.SKIPPED for row in rows)
    targets = {v.target for v in result.vendors}
    base_url = next(iter(targets)) if len(targets) == 1 else None
    return ReportData(
        meta=ReportMeta(
            generated_at=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            location=None,
            base_url=base_url or None,
            command=UNKNOWN_ENTRYPOINT,
            seed=result.seed,
        ),
        summary=SummaryData(
            operations=OperationsSummary(
                total=len(rows),
                selected=len(rows),
                tested=tested,
                errored=0,
                skipped=len(rows) - tested,
                skip_reasons=[],
            ),
            phases={},
            test_cases=TestCasesSummary(
                generated=sum(v.cases for v in result.vendors),
                with_failures=len(failures),
                unique_failures=len(failures),
                without_checks=0,
                errored=len(errors),
            ),
            failures=list(groups.values()),
            errors=[
                ErrorGroup(title=f"{vendor.vendor}: errors", count=len(vendor.errors))
                for vendor in result.vendors
                if vendor.errors
            ],
            warnings=WarningData(),
            baseline=baseline,
            filtered=0,
        ),
        fatal_error=(
            ErrorEntry(
                title="The run could not start",
                message="\n".join(f"{vendor}: {why}" for vendor, why in preflight),
                tip=None,
            )
            if preflight
            else None
        ),
        nothing_tested=None,
        last_phase=None,
        operations=rows,
        unattributed_failures=[],
        unattributed_cases=[],
        unattributed_errors=[
            (vendor, ErrorEntry(title="Error", message=error, tip=None)) for vendor, error in errors
        ],
        warnings=[],
        startup_warnings=[],
        phases=[],
        checks=sorted({check for v in result.vendors for _, check, _, _ in v.rows()}),
        reports=[],
        reauth_count=0,
        reauth_broke=False,
        extraction_failures=[],
        running_time=run_seconds(result),
        phase_spans=[],
        stop_reason=StopReason.COMPLETED,
        started=True,
        complete=True,
        exit_code=result.exit_code,
    )


def _operation_rows(vendor: VendorResult, seed: int | None) -> list[Any]:
    from schemathesis.reporting.html.build import failure_titles
    from schemathesis.reporting.html.model import OperationRow, OperationStatus

    operations = sorted({op for op, _, _, _ in vendor.rows()})
    known_by_operation: dict[str, list[str]] = {}
    for deviation_id, example in vendor.known_examples.items():
        known_by_operation.setdefault(example.operation, []).append(deviation_id)
    rows = []
    for operation in operations:
        cases = [_failing_case(f, seed) for f in vendor.failures if f.operation == operation]
        status = OperationStatus.FAILED if cases else OperationStatus.PASSED
        rows.append(
            OperationRow(
                label=_label(operation, vendor.vendor),
                status=status,
                failures=failure_titles(cases),
                cases=vendor.operation_cases.get(operation, 0),
                note=None,
                stops_at_first_failure=False,
                failing_cases=cases,
                known_failures=known_by_operation.get(operation, []),
            )
        )
    return rows


def _label(operation: str, vendor: str) -> str:
    """`METHOD /path` as Schemathesis labels operations; the vendor named where it is not."""
    method, _, path = operation.partition(" ")
    if method.isupper() and path.startswith("/"):
        return operation
    return f"{vendor} {operation}"


def _failing_case(failure: Outcome, seed: int | None) -> Any:
    from schemathesis.reporting.html.model import Command, FailingCase, FailureEntry

    body = None
    if failure.status is not None:
        body = failure.answer or EMPTY_BODY
    return FailingCase(
        case_id=None,
        failures=[
            FailureEntry(
                code=_code(failure),
                title=failure.check,
                severity=_severity(),
                # one message: more would read as "N violations"
                messages=[failure_details(failure, seed)],
            )
        ],
        status_code=failure.status,
        body=body,
        commands=[Command(curl=failure.curl, method=None, path=None, failed=True)]
        if failure.curl
        else [],
        replay=None,
        auth_identity=None,
    )


def _code(failure: Outcome) -> str:
    return failure.code or CUSTOM_CHECK


def _severity() -> Any:
    from schemathesis.core.failures import Severity

    return Severity.MEDIUM
