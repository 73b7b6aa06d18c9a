"""The shipped mock conforms: the default suite passes on it in-process and over HTTP,
and the CLI writes a valid JUnit file and exits 0 only when everything passed."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
import yaml

from contracts.cli import main
from contracts.config import VENDORS, Settings
from contracts.processes import vendor_processes
from contracts.runner import run
from contracts.schema import spec_path
from contracts.vendors import registry

# The suite tests the spec: every mock fixture here runs with the vendors' defects off.
pytestmark = pytest.mark.contracts_mock(fidelity="spec")


@pytest.mark.slow
@pytest.mark.parametrize("vendor", VENDORS)
def test_mock_passes_every_check_in_process(vendor, contracts_mock_app):
    settings = Settings(vendors=(vendor,), max_examples=10, seed=11, progress=False)
    result = run(settings, app=contracts_mock_app)
    failures = [
        (f.operation, f.check, f.message, f.curl) for v in result.vendors for f in v.failures
    ]
    errors = [e for v in result.vendors for e in v.errors]
    assert not failures and not errors, (failures, errors)
    # A small budget still reaches every operation of the spec and every check.
    ran = set(result.vendors[0].passed)
    assert {op for op, _check in ran} >= spec_operations(vendor)
    assert {check for _op, check in ran} >= SCHEMATHESIS_CHECKS | our_checks(vendor)


SCHEMATHESIS_CHECKS = {
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
}


def our_checks(vendor: str) -> set[str]:
    ledger = registry()[vendor].ledger
    checks = {
        "vendor_error_envelope",
        "ledger_invariants",
        "ledger_arithmetic",
        "idempotency",
        "tenant_isolation",
        "refused_request_changes_nothing",
    }
    if ledger.overdraft("1", {}) is not None:
        checks.add("overdraft_refused")
    if ledger.cleanup("1") is not None:
        checks.add("deleted_stays_deleted")
    return checks


def spec_operations(vendor: str) -> set[str]:
    spec = yaml.safe_load(spec_path(registry()[vendor]).read_text(encoding="utf-8"))
    methods = ("get", "put", "post", "patch", "delete")
    return {
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method in methods
    }


@pytest.mark.slow
def test_cli_against_a_served_mock_writes_junit(contracts_mock_server, tmp_path, capsys):
    junit = tmp_path / "junit.xml"
    code = main(
        [
            "run",
            "--vendor",
            "spree",
            "--base-url",
            contracts_mock_server,
            "--max-examples",
            "3",
            "--seed",
            "5",
            "--quiet",
            "--phases",
            "examples,stateful",
            "--report",
            f"junit:{junit}",
        ]
    )
    out = capsys.readouterr().out
    root = ET.parse(junit).getroot()
    suite = root.find("testsuite")
    assert suite.get("name") == "spree" and int(suite.get("tests")) > 0
    props = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert props["target"] == contracts_mock_server and props["seed"] == "5"
    assert props["vendor version"] == "Spree 4.10.1"
    failed = int(suite.get("failures")) + int(suite.get("errors"))
    assert code == (1 if failed else 0), out
    assert out.startswith("spree: "), out  # --quiet: one line per vendor


def test_read_only_and_request_budget_over_http(contracts_mock_server):
    settings = Settings(
        vendors=("medusa",),
        base_url=contracts_mock_server,
        read_only=True,
        max_requests=30,
        max_examples=5,
        seed=2,
        progress=False,
    )
    result = run(settings)
    vendor = result.vendors[0]
    operations = {op for op, _check, _p, _f in vendor.rows()}
    assert operations and all(op.startswith("GET ") for op in operations)
    assert any("request budget of 30" in note for note in vendor.notes)


def test_vendors_in_processes_report_like_one_process():
    # The default run tests vendors side by side, one process each; results and live
    # progress must come back for every vendor, in the order asked.
    settings = Settings(
        vendors=("spree", "appstle"),
        phases=("examples",),
        scenarios=False,
        max_examples=2,
        seed=3,
        processes=2,
        progress=False,
    )
    steps = []
    result = run(settings, progress=steps.append)
    assert [v.vendor for v in result.vendors] == ["spree", "appstle"]
    assert result.ok, [(v.vendor, v.failures, v.errors) for v in result.vendors]
    assert all(v.cases > 0 for v in result.vendors)
    assert {step.vendor for step in steps if step.status != "started"} == {"spree", "appstle"}
    assert result.seconds is not None and result.seconds > 0


def test_shared_limits_and_given_apps_stay_in_one_process(contracts_mock_app):
    assert vendor_processes(Settings(processes=2)) == 2
    assert vendor_processes(Settings(processes=2), app=contracts_mock_app) == 1
    assert vendor_processes(Settings(processes=2, max_requests=100)) == 1
    assert vendor_processes(Settings(processes=2, rate_limit=5.0)) == 1
    assert vendor_processes(Settings(processes=8, vendors=("medusa",))) == 1


def test_by_default_every_vendor_gets_a_process_whatever_the_core_count():
    assert vendor_processes(Settings(vendors=("appstle", "medusa", "spree"))) == 3
    assert vendor_processes(Settings(vendors=("appstle", "spree"))) == 2


@pytest.mark.slow
def test_cli_passes_every_vendor_over_http(contracts_mock_server, capsys):
    # The CI way: the mock as a service, every vendor, every phase and check, exit status 0.
    code = main(
        [
            "run",
            "--base-url",
            contracts_mock_server,
            "--max-examples",
            "5",
            "--seed",
            "11",
            "--quiet",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert all(f"{vendor}: ok: 0 failure(s)" in out for vendor in VENDORS)
