"""Outputs of a diff run: a summary for people, JSON and JUnit files for machines."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, TextIO

from contracts.diff.run import DiffResult, Group

SHOWN_PER_SECTION = 40


def summary(result: DiffResult, out: TextIO) -> None:
    unintended, intended = result.unintended, result.intended
    out.write(
        f"contracts diff {result.vendor}: {result.base} (base) vs {result.other}, "
        f"seed {result.seed}\n"
        f"  {result.requests} requests mirrored ({2 * result.requests} sent), "
        f"{sum(g.count for g in unintended + intended)} differences in "
        f"{len(result.groups)} kinds: {len(unintended)} unintended, {len(intended)} intended"
        f" ({result.known_file or 'no file of intended differences'}), {result.seconds:.0f}s\n"
    )
    if unintended:
        out.write("\nUNINTENDED differences (base -> other):\n")
        for group in _ordered(unintended)[:SHOWN_PER_SECTION]:
            out.write(_line(group))
        if len(unintended) > SHOWN_PER_SECTION:
            out.write(f"  ... {len(unintended) - SHOWN_PER_SECTION} more in the JSON report\n")
    if intended:
        out.write("\nintended differences:\n")
        by_entry: dict[str, list[Group]] = {}
        for group in intended:
            assert group.intended is not None
            by_entry.setdefault(group.intended.id, []).append(group)
        for entry_id, groups in sorted(by_entry.items()):
            reason = groups[0].intended.reason if groups[0].intended else ""
            out.write(f"  [{entry_id}] x{sum(g.count for g in groups)}: {reason}\n")
    for error in result.errors:
        out.write(f"\nERROR: {error}\n")
    verdict = "OK: only intended differences" if result.ok else "FAILED"
    out.write(f"\n{verdict}\n")


def _ordered(groups: list[Group]) -> list[Group]:
    return sorted(groups, key=lambda g: (-g.count, g.difference.operation, g.difference.kind))


def _line(group: Group) -> str:
    d = group.difference
    return (
        f"  {d.kind:<14} {d.operation}  x{group.count}\n"
        f"      base:  {d.base}\n      other: {d.other}\n      e.g.   {d.request}\n"
    )


def as_json(result: DiffResult) -> dict[str, Any]:
    return {
        "vendor": result.vendor,
        "base": result.base,
        "other": result.other,
        "seed": result.seed,
        "known_file": result.known_file,
        "requests": result.requests,
        "ok": result.ok,
        "differences": [
            {
                "operation": g.difference.operation,
                "kind": g.difference.kind,
                "base": g.difference.base,
                "other": g.difference.other,
                "count": g.count,
                "example": g.difference.request,
                "intended": g.intended.id if g.intended else None,
                "reason": g.intended.reason if g.intended else None,
            }
            for g in _ordered(list(result.groups.values()))
        ],
        "unused_intended": [entry.id for entry in result.unused],
        "errors": result.errors,
        "seconds": round(result.seconds, 1),
    }


def as_junit(result: DiffResult) -> ET.ElementTree:
    groups = _ordered(list(result.groups.values()))
    suite = ET.Element(
        "testsuite",
        name=f"contracts diff {result.vendor}",
        tests=str(len(groups) + 1),
        failures=str(len(result.unintended)),
        errors=str(len(result.errors)),
        time=f"{result.seconds:.1f}",
    )
    overall = ET.SubElement(suite, "testcase", classname="diff", name="run")
    for error in result.errors:
        ET.SubElement(overall, "error", message=error)
    for group in groups:
        d = group.difference
        case = ET.SubElement(suite, "testcase", classname=d.operation, name=d.kind)
        text = f"base: {d.base}\nother: {d.other}\nexample: {d.request}\ncount: {group.count}"
        if group.intended is None:
            ET.SubElement(case, "failure", message=f"unintended {d.kind} difference").text = text
        else:
            ET.SubElement(case, "system-out").text = f"intended: {group.intended.reason}\n{text}"
    return ET.ElementTree(suite)


def write_reports(result: DiffResult, specs: tuple[str, ...]) -> list[Path]:
    """`json:PATH` and `junit:PATH` reports; returns the paths written."""
    written = []
    for spec in specs:
        kind, _, path = spec.partition(":")
        if kind not in ("json", "junit") or not path:
            raise ValueError(f"--report {spec!r}: write it as json:PATH or junit:PATH")
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "json":
            target.write_text(json.dumps(as_json(result), indent=2) + "\n", encoding="utf-8")
        else:
            as_junit(result).write(target, encoding="utf-8", xml_declaration=True)
        written.append(target)
    return written
