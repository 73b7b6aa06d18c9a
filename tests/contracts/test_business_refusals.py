"""The vendors' business refusals of schema-valid data live in one place (`contracts/vendors/`),
reach Schemathesis per operation, and say the same as the repository's `schemathesis.toml`,
which stock Schemathesis reads, so the two cannot drift apart."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from contracts.auth import StaticHeader
from contracts.config import Settings
from contracts.schema import load_schema
from contracts.target import InProcessTarget
from contracts.vendors import positive_data_statuses, registry

ROOT = Path(__file__).resolve().parents[2]
PROFILES = registry()


def toml_refusals() -> dict[str, list[str]]:
    """operationId -> expected statuses of positive_data_acceptance, from schemathesis.toml."""
    with (ROOT / "schemathesis.toml").open("rb") as handle:
        data = tomllib.load(handle)
    found: dict[str, list[str]] = {}
    for block in data.get("operations", []):
        filters = {key for key in block if key.startswith(("include-", "exclude-"))}
        # Only operationId filters: anything else would not map onto the per-operation tables.
        assert filters == {"include-operation-id"}, f"unexpected filters {sorted(filters)}"
        statuses = block["checks"]["positive_data_acceptance"]["expected-statuses"]
        for operation_id in block["include-operation-id"]:
            assert operation_id not in found, f"{operation_id} is listed twice"
            found[operation_id] = sorted(str(status) for status in statuses)
    return found


def table_refusals() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for profile in PROFILES.values():
        for operation_id, extra in profile.business_refusals.items():
            assert operation_id not in found, f"{operation_id} is in two vendors' tables"
            found[operation_id] = positive_data_statuses(extra)
    return found


def test_schemathesis_toml_lists_exactly_the_vendor_tables():
    assert toml_refusals() == table_refusals()


def test_every_vendor_declares_its_refusals():
    assert all(profile.business_refusals for profile in PROFILES.values())


@pytest.mark.parametrize("vendor", sorted(PROFILES))
def test_refusals_reach_only_their_operations(vendor):
    profile = PROFILES[vendor]
    target = InProcessTarget(app=None)
    schema = load_schema(profile, Settings(vendors=(vendor,)), target, StaticHeader("X", "y"))
    default = None
    seen = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        operation_id = operation.definition.raw.get("operationId")
        checks = schema.config.checks_config_for(operation=operation, phase="fuzzing")
        statuses = sorted(checks.positive_data_acceptance.expected_statuses)
        if operation_id in profile.business_refusals:
            seen.add(operation_id)
            assert statuses == positive_data_statuses(profile.business_refusals[operation_id])
        else:
            # Everything else keeps Schemathesis' default list, untouched.
            default = default or statuses
            assert statuses == default and "400" not in statuses and "422" not in statuses
    assert seen == set(profile.business_refusals), "a table names an operationId the spec lacks"


def test_include_path_still_selects_with_per_operation_config():
    # Per-operation config gives Schemathesis an include-everything filter; `--include-path`
    # must still narrow the run (the planted-bug tests rely on it).
    profile = PROFILES["medusa"]
    settings = Settings(vendors=("medusa",), include_path=r"^/admin/store-credit-accounts$")
    schema = load_schema(profile, settings, InProcessTarget(app=None), StaticHeader("X", "y"))
    labels = sorted(result.ok().label for result in schema.get_all_operations())
    assert labels == ["GET /admin/store-credit-accounts", "POST /admin/store-credit-accounts"]
