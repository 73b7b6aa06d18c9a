"""What `contracts run` prints: `--quiet` is one line per vendor plus the failures, the live
case counter restarts for each vendor, and cleanup reads as information."""

from __future__ import annotations

import io
from collections import Counter

import pytest

from contracts.cleanup import cleanup_note
from contracts.cli import main
from contracts.engine import Progress
from contracts.handlers.console import LiveView

QUICK = ["--max-examples", "1", "--phases", "examples", "--no-scenarios", "--seed", "1"]


@pytest.mark.slow
def test_quiet_is_one_line_per_vendor_then_the_failures(contracts_mock_server, capsys):
    """Medusa's accounts answer 503 (a fault rule): its line says FAILED, the failures follow
    with their replay lines, and no operation x check table is printed."""
    contracts_mock_server.admin(
        "POST", "/faults", {"path": "/admin/store-credit-accounts", "status": 503}
    )
    vendors = ["--vendor", "appstle,medusa", "--base-url", contracts_mock_server]
    code = main(["run", *vendors, *QUICK, "--quiet"])
    out, err = capsys.readouterr()
    assert (code, err) == (1, ""), out
    lines = out.splitlines()
    assert lines[0].startswith("appstle: ok: 0 failure(s), 0 known, 0 error(s), "), out
    assert lines[1].startswith("medusa: FAILED: "), out
    assert lines[2:4] == ["", "Failures:"], out
    failures = "\n".join(lines[4:-1])
    assert "1. [medusa] " in failures and "replay: curl" in failures, out
    assert "store-credit-accounts" in failures, out
    assert lines[-1].startswith("FAILED: "), out
    assert not any(line.startswith(("operation ", "== ")) for line in lines), out


@pytest.mark.slow
def test_quiet_and_passing_is_a_line_per_vendor_and_the_verdict(contracts_mock_server, capsys):
    code = main(
        ["run", "--vendor", "spree,medusa", "--base-url", contracts_mock_server, *QUICK, "-q"]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), out
    lines = out.splitlines()
    assert len(lines) == 3, out
    assert sorted(lines[:2])[0].startswith("medusa: ok: 0 failure(s), 0 known, 0 error(s), ")
    assert sorted(lines[:2])[1].startswith("spree: ok: 0 failure(s), 0 known, 0 error(s), ")
    assert lines[2].startswith("PASSED: 0 failure(s), 0 known, 0 error(s), "), out


def test_the_live_case_counter_restarts_for_each_vendor():
    out = io.StringIO()
    view = LiveView(out)
    steps = [
        Progress("medusa", "scenarios", "ledger_arithmetic", "success", 2),
        Progress("spree", "scenarios", "ledger_arithmetic", "failure", 3),
        Progress("medusa", "scenarios", "idempotency", "success", 4),
        Progress("spree", "examples", "GET /api/v2/platform/store_credits", "success", 5),
    ]
    for step in steps:
        view.on_progress(step)
    counters = [line.rsplit("(", 1)[1] for line in out.getvalue().splitlines()]
    assert counters == ["2 cases)", "3 cases)", "6 cases)", "8 cases)"]
    assert "FAIL " in out.getvalue() and "\x1b[" not in out.getvalue()  # no colour in a file


@pytest.mark.parametrize(
    ("removed", "kept", "line"),
    [
        (
            22,
            {"the API has no delete for them": 36},
            "cleanup: 22 test record(s) removed; 36 kept (the API has no delete for them)",
        ),  # fmt: skip
        (9, {}, "cleanup: 9 test record(s) removed"),
        (0, {"--no-cleanup": 4}, "cleanup: 0 test record(s) removed; 4 kept (--no-cleanup)"),
    ],
)
def test_the_cleanup_line_says_what_was_removed_and_why_the_rest_stays(removed, kept, line):
    assert cleanup_note(removed, Counter(kept)) == line


@pytest.mark.slow
def test_a_run_names_why_records_stay(capsys):
    """Medusa has no delete for store-credit accounts: the run says so, not `removed 0 of 13`."""
    code = main(["run", "--vendor", "medusa", "--max-examples", "1", "--phases", "examples"])
    out = capsys.readouterr().out
    assert code == 0, out
    note = next(line for line in out.splitlines() if line.startswith("note: cleanup:"))
    assert note.startswith("note: cleanup: 0 test record(s) removed; "), note
    assert note.endswith(" kept (the API has no delete for them)"), note
