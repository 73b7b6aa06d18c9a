"""JUnit XML for CI, written by Schemathesis' own `JunitXmlWriter`: one test case per
(operation, check) of each vendor, Schemathesis' checks and our scenarios alike, each failure
in its failure format (the check's code and name, the message, `[status] reason` with the
answer's first bytes, `Reproduce with:` and the masked curl line).

Its writer makes one suite named "schemathesis" with test cases that have a name and a time.
CI tools show more when a case says where it belongs and a suite what it ran against, so each
vendor's suite is renamed after the vendor and given properties (seed, target, vendor
version, duration, known deviations, warnings), and each case a classname
(`vendor.operation`), the check as its name, the failure's headline as its message and
properties (vendor, operation, check, passed, failed, seed).
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from contracts.handlers.common import (
    CUSTOM_CHECK,
    IN_PROCESS,
    FileReport,
    check_counts,
    failure_details,
    run_seconds,
)
from contracts.results import Outcome, RunResult, VendorResult


def render(result: RunResult) -> str:
    totals = {"tests": 0, "failures": 0, "errors": 0}
    suites = ET.Element("testsuites", name="contracts")
    for vendor in result.vendors:
        suite = _suite(vendor, result.seed)
        for name in totals:
            totals[name] += int(suite.get(name) or 0)
        suites.append(suite)
    for name, count in totals.items():
        suites.set(name, str(count))
    suites.set("time", f"{run_seconds(result):.3f}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode")


def write(result: RunResult, path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(render(result), encoding="utf-8")


class JUnitReport(FileReport):
    write = staticmethod(write)


def _suite(vendor: VendorResult, seed: int | None) -> ET.Element:
    """One vendor's cases as Schemathesis writes them, then named and given properties."""
    from schemathesis.config import OutputConfig
    from schemathesis.reporting.junitxml import JunitXmlWriter

    buffer = io.StringIO()
    writer = JunitXmlWriter(buffer)
    config = OutputConfig()
    cases: dict[str, dict[str, str]] = {}
    rows = sorted(vendor.rows(), key=lambda row: not row[3])  # failures first
    for operation, check, passed, failed in rows:
        label = f"{vendor.vendor} {operation} {check}"
        found = [f for f in vendor.failures if (f.operation, f.check) == (operation, check)]
        writer.record_scenario(
            label=label,
            elapsed_sec=vendor.elapsed.get((operation, check), 0.0),
            failures=[_grouped(failure, seed) for failure in found],
            skip_reason=None,
            config=config,
        )
        cases[label] = {
            "classname": f"{vendor.vendor}.{operation}",
            "name": check,
            "message": found[0].message if found else "",
            "vendor": vendor.vendor,
            "operation": operation,
            "check": check,
            "passed": str(passed),
            "failed": str(failed),
        }
        if seed is not None:
            cases[label]["seed"] = str(seed)
        if found and found[0].status is not None:
            cases[label]["status"] = str(found[0].status)
    problems = ([f"preflight: {vendor.preflight}"] if vendor.preflight else []) + vendor.errors
    for number, problem in enumerate(problems, 1):
        label = f"{vendor.vendor} error {number}"
        writer.record_error(label=label, message=problem)
        cases[label] = {"classname": vendor.vendor, "name": f"error {number}"}
    writer.close()
    suite = ET.fromstring(buffer.getvalue()).find("testsuite")
    assert suite is not None  # the writer always writes one
    suite.set("name", vendor.vendor)
    suite.set("time", f"{vendor.seconds:.3f}")
    suite.insert(0, _properties(_suite_properties(vendor, seed)))
    for case in suite.iter("testcase"):
        facts = cases[case.get("name", "")]
        case.set("name", facts.pop("name"))
        case.set("classname", facts.pop("classname"))
        message = facts.pop("message", "")
        failure = case.find("failure")
        if failure is not None and message:
            failure.set("message", message[:500])
        if facts:
            case.insert(0, _properties(list(facts.items())))
    return suite


def _suite_properties(vendor: VendorResult, seed: int | None) -> list[tuple[str, str]]:
    properties = [("seed", str(seed))] if seed is not None else []
    properties += [
        ("target", vendor.target or IN_PROCESS),
        ("vendor version", vendor.version or "unknown"),
        ("duration", f"{vendor.seconds:.3f}"),
        ("cases", str(vendor.cases)),
        ("requests", str(vendor.requests)),
    ]
    properties += [
        (f"check:{check}", f"{passed} passed, {failed} failed, {seconds:.3f}s")
        for _, check, passed, failed, seconds in check_counts(RunResult([vendor]))
    ]
    properties += [(f"known:{i}", str(count)) for i, count in sorted(vendor.known.items())]
    properties += [(f"known not seen:{i}", "0") for i in vendor.known_unseen]
    properties += [(f"warning {n}", text) for n, text in enumerate(vendor.warnings, 1)]
    properties += [(f"note {n}", text) for n, text in enumerate(vendor.notes, 1)]
    return properties


def _properties(pairs: list[tuple[str, str]]) -> ET.Element:
    element = ET.Element("properties")
    for name, value in pairs:
        ET.SubElement(element, "property", name=name, value=value)
    return element


def _grouped(failure: Outcome, seed: int | None) -> Any:
    """A failure as Schemathesis groups one: its failure, the answer and the curl line."""
    from schemathesis.engine.statistic import GroupedFailures

    check_failure = _failure_type(failure.code or CUSTOM_CHECK)(
        operation=failure.operation, title=failure.check, message=failure_details(failure, seed)
    )
    return GroupedFailures(
        case_id=None,
        code_sample=failure.curl or None,
        failures=[check_failure],
        response=_response(failure),
    )


def _response(failure: Outcome) -> Any:
    """The answer's status and first bytes as a Schemathesis response (for its `[500]
    Internal Server Error: ...` block); None when no answer was kept."""
    if failure.status is None:
        return None
    import requests
    from schemathesis.core.transport import Response

    return Response(
        status_code=failure.status,
        headers={},
        content=failure.answer.encode("utf-8"),
        request=requests.PreparedRequest(),
        elapsed=failure.seconds,
        verify=True,
    )


@functools.cache
def _failure_type(code: str) -> type:
    """Schemathesis' `Failure` with the failing check's code (a class attribute there)."""
    from schemathesis.core.failures import Failure

    return type(f"Failure{code}", (Failure,), {"code": code, "__slots__": ()})
