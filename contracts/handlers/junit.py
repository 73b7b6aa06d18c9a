"""JUnit XML for CI: one testsuite per vendor, one testcase per (operation, check); the seed
and the run's warnings as properties, each failure with its cause, answer and replay line."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from contracts.handlers.common import FileReport, failure_lines
from contracts.results import RunResult


def write(result: RunResult, path: str | Path) -> None:
    suites = ET.Element("testsuites", name="contracts")
    for vendor in result.vendors:
        rows = vendor.rows()
        failed = sum(1 for r in rows if r[3])
        errors = vendor.errors + ([vendor.preflight] if vendor.preflight else [])
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=vendor.vendor,
            tests=str(len(rows) + len(errors)),
            failures=str(failed),
            errors=str(len(errors)),
            time=f"{vendor.seconds:.3f}",
        )
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="seed", value=str(result.seed))
        for deviation_id, count in sorted(vendor.known.items()):
            ET.SubElement(properties, "property", name=f"known:{deviation_id}", value=str(count))
        for number, warning in enumerate(vendor.warnings, 1):
            ET.SubElement(properties, "property", name=f"warning {number}", value=warning)
        for operation, check, _passed, failures in rows:
            case = ET.SubElement(
                suite, "testcase", classname=f"{vendor.vendor}.{operation}", name=check
            )
            if failures:
                found = [f for f in vendor.failures if (f.operation, f.check) == (operation, check)]
                text = "\n\n".join("\n".join(failure_lines(f)) for f in found)
                message = found[0].message if found else f"{failures} failing cases"
                node = ET.SubElement(case, "failure", message=message[:500])
                node.text = f"{text}\n(seed {result.seed})"
        for number, error in enumerate(errors, 1):
            case = ET.SubElement(suite, "testcase", classname=vendor.vendor, name=f"error {number}")
            ET.SubElement(case, "error", message=error[:500]).text = error
    tree = ET.ElementTree(suites)
    ET.indent(tree)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)


class JUnitReport(FileReport):
    write = staticmethod(write)
