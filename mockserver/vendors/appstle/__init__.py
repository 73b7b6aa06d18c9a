"""Appstle Loyalty (Shopify loyalty app), the "external" admin API: points and store credit."""

from __future__ import annotations

from pathlib import Path

from mockserver.fixtures import SCHEMA_FILE, read_yaml
from mockserver.vendor import Vendor
from mockserver.vendors.appstle import auth, routes, seeding
from mockserver.vendors.appstle.errors import ERRORS

FIXTURES = Path(__file__).resolve().parent / "fixtures"

VENDOR = Vendor(
    name="appstle",
    title="Appstle Loyalty",
    spec_file="appstle-loyalty.yaml",
    path_prefixes=("/api/external/",),
    blueprint=routes.blueprint,
    errors=ERRORS,
    authenticate=auth.authenticate,
    seed=seeding.seed,
    fixtures_dir=FIXTURES,
    fixture_schema=read_yaml(FIXTURES / SCHEMA_FILE),
    sandbox_pattern=auth.SANDBOX_PATTERN,
    demo_credentials=(
        f"{auth.HEADER}: {auth.DEMO_KEY}  (demo shop; customers 1001 demo@example.com, "
        "1002 jane.roe@example.com)",
        f"{auth.HEADER}: apst_test_<anything>  (a fresh copy of the demo shop per key)",
    ),
    secret_fields=frozenset({"x-api-key", "api_key"}),
    record_schema=read_yaml(Path(__file__).resolve().parent / "records.yaml"),
    real_hosts=("loyalty-admin.appstle.com",),
    lookup_fields=("customerId",),  # a customer's rewards, in every customer answer
)
