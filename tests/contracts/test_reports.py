"""The reports of a failing run, read the way people read them: the HTML page in headless
Chromium, the JUnit file as a CI server does.

One run, module-wide: the suite against the in-process Medusa mock with two planted bugs, a
credit that books one cent more than asked (our `ledger_arithmetic` scenario catches it) and
a 500 on a credit whose amount is not a number (Schemathesis' `not_a_server_error`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from playwright.sync_api import expect

from contracts.config import Settings
from contracts.handlers import file_reports
from contracts.results import RunResult, VendorResult
from contracts.runner import default_app, run
from tests.contracts import planted

SEED = 7
# One worker runs the module, so the planted run and the browser start once.
pytestmark = pytest.mark.xdist_group("reports")


@dataclass
class Reports:
    result: RunResult
    html: Path
    junit: Path


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    app = planted.ledger_drift(planted.server_error_on_odd_input(default_app()))
    settings = Settings(
        vendors=("medusa",),
        include_path="/credit$",
        phases=("examples", "coverage"),
        max_examples=3,
        seed=SEED,
        no_shrink=True,
        progress=False,
    )
    result = run(settings, app=app)
    folder = tmp_path_factory.mktemp("reports")
    html, junit = folder / "run.html", folder / "run.xml"
    # As `contracts run --report html:PATH --report junit:PATH` makes them.
    for handler in file_reports((f"html:{html}", f"junit:{junit}")):
        handler.on_finish(result)
    return Reports(result, html, junit)


def test_the_planted_bugs_fail_the_run(reports: Reports) -> None:
    assert reports.result.exit_code == 1
    assert {"ledger_arithmetic", "not_a_server_error"} <= reports.result.failed_checks


def test_html_report_in_a_browser(browser: Any, reports: Reports) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(reports.html.as_uri())
    expect(page.locator("h1.hero-status-label")).to_have_text("Failed")

    # The summary: target, vendor version, seed; the run's duration.
    vendors = page.locator("#contracts-vendors")
    expect(vendors).to_contain_text("medusa")
    expect(vendors).to_contain_text("target the in-process mock")
    expect(vendors).to_contain_text("version medusa 2.21.1, loyalty-plugin 2.21.1")
    seed = page.locator(".target-block .tk", has_text="Seed").locator(
        "xpath=following-sibling::*[1]//code"
    )
    expect(seed).to_have_text(str(SEED))
    expect(page.locator(".hs-metric", has_text="Duration")).to_contain_text(re.compile(r"\d"))

    # Failed operations come before passed ones, in the table and on the screen.
    groups = page.locator("tr.group-row")
    expect(groups.first).to_contain_text("Failed")
    failed_y = page.locator("#group-failed").bounding_box()["y"]
    passed_y = page.locator("#group-passed").bounding_box()["y"]
    assert failed_y < passed_y
    expect(page.locator("tr.op-row").first).to_have_class(re.compile(r"\brow-failed\b"))

    # Our scenario's failure: check, cause, status, the answer's bytes, a masked curl line.
    drift = page.locator("article.case").filter(
        has=page.locator(".finding-title", has_text="ledger_arithmetic")
    )
    expect(drift).to_be_visible()
    expect(drift.locator(".msg")).to_contain_text("moved by 10.56, expected 10.55")
    expect(drift.locator(".msg")).to_contain_text(f"seed {SEED}")
    expect(drift.locator(".status-code")).to_have_text("200")
    expect(drift.locator(".body, .body-inline")).to_contain_text('"balance":10.56')
    curl = drift.locator("pre.cmd")
    expect(curl).to_contain_text("curl -X POST")
    expect(curl).to_contain_text("$MEDUSA_SECRET_KEY")

    # Schemathesis' own check's failure, in the same table: the 500 and its body.
    crash = page.locator("article.case").filter(
        has=page.locator(".finding-title", has_text="not_a_server_error")
    )
    expect(crash.first.locator(".status-code")).to_have_text("500")
    expect(crash.first.locator(".body, .body-inline")).to_contain_text("unknown_error")
    expect(crash.first.locator("pre.cmd")).to_contain_text("/credit")

    # Counts per check, failing checks first.
    rows = page.locator("#checks tbody tr")
    expect(rows.first).to_have_class(re.compile(r"\brow-failed\b"))
    classes = rows.evaluate_all("rows => rows.map(r => r.className)")
    failing = [c == "row-failed" for c in classes]
    assert failing == sorted(failing, reverse=True) and not all(failing)
    drift_row = rows.filter(has=page.locator("code", has_text=re.compile(r"^ledger_arithmetic$")))
    expect(drift_row.locator("td").nth(3)).to_have_text("1")
    page.close()


def test_junit_cases_have_times_and_properties(reports: Reports) -> None:
    root = ET.parse(reports.junit).getroot()
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "medusa"
    assert int(root.get("failures")) == int(suite.get("failures")) >= 2
    assert float(suite.get("time")) > 0
    facts = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert facts["seed"] == str(SEED)
    assert facts["target"] == "the in-process mock"
    assert facts["vendor version"].startswith("medusa 2.21.1, loyalty-plugin 2.21.1")
    assert float(facts["duration"]) > 0
    assert re.fullmatch(r"\d+ passed, [1-9]\d* failed, [\d.]+s", facts["check:ledger_arithmetic"])

    cases = suite.findall("testcase")
    failing = [case.find("failure") is not None for case in cases]
    assert failing == sorted(failing, reverse=True), "failing test cases come first"
    for case in cases:
        assert float(case.get("time")) >= 0 and case.get("classname", "").startswith("medusa.")
        props = {p.get("name"): p.get("value") for p in case.findall("properties/property")}
        assert props["check"] == case.get("name") and props["seed"] == str(SEED)
        assert int(props["passed"]) + int(props["failed"]) > 0
    assert sum(float(case.get("time")) for case in cases) > 0

    drift = next(c for c in cases if c.get("name") == "ledger_arithmetic")
    assert float(drift.get("time")) > 0
    failure = drift.find("failure")
    assert "moved by 10.56, expected 10.55" in failure.get("message")
    text = failure.text
    assert "ST901 ledger_arithmetic" in text and f"seed {SEED}" in text
    assert "[200] OK" in text and '"balance":10.56' in text
    assert "Reproduce with:" in text and "$MEDUSA_SECRET_KEY" in text
    crashes = [c for c in cases if c.get("name") == "not_a_server_error"]
    crash = next(c for c in crashes if c.find("failure") is not None)
    assert "[500] Internal Server Error" in crash.find("failure").text
    props = {p.get("name"): p.get("value") for p in crash.findall("properties/property")}
    assert props["status"] == "500" and int(props["failed"]) >= 1


def test_a_run_that_could_not_start_says_why_in_both(tmp_path: Path) -> None:
    vendor = VendorResult("spree", target="http://127.0.0.1:9", preflight="connection refused")
    result = RunResult([vendor], seed=3, seconds=0.1)
    html, junit = tmp_path / "r.html", tmp_path / "r.xml"
    for handler in file_reports((f"html:{html}", f"junit:{junit}")):
        handler.on_finish(result)
    page = html.read_text(encoding="utf-8")
    assert "Errored" in page and "spree: connection refused" in page
    assert "target http://127.0.0.1:9" in page
    error = ET.parse(junit).getroot().find(".//testcase/error")
    assert error is not None and "connection refused" in error.text
