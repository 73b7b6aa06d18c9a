"""Appstle Loyalty (Shopify loyalty app), the "external" admin API: points and store credit."""

from __future__ import annotations

from pathlib import Path

import yaml

from mockserver.vendor import Vendor
from mockserver.vendors.appstle import auth, models, routes
from mockserver.vendors.appstle.errors import ERRORS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 7x faster

VENDOR = Vendor(
    name="appstle",
    title="Appstle Loyalty",
    spec_file="appstle-loyalty.yaml",
    path_prefixes=("/api/external/",),
    blueprint=routes.blueprint,
    errors=ERRORS,
    authenticate=auth.authenticate,
    seed=models.seed,
    fixtures_dir=FIXTURES,
    fixture_schema=yaml.load(
        (FIXTURES / "schema.yaml").read_text(encoding="utf-8"), Loader=_YAML_LOADER
    ),
    sandbox_pattern=auth.SANDBOX_PATTERN,
    demo_credentials=(
        f"{auth.HEADER}: {auth.DEMO_KEY}  (demo shop; customers 1001 demo@example.com, "
        "1002 jane.roe@example.com)",
        f"{auth.HEADER}: apst_test_<anything>  (a fresh copy of the demo shop per key)",
    ),
    curl_examples=(
        "curl -s -H 'X-API-Key: apst_test_demo' "
        "'http://localhost:8080/api/external/customer-loyalty?customerId=1001'",
        "curl -s -X POST -H 'X-API-Key: apst_test_demo' -H 'Content-Type: application/json' "
        '-d \'{"customerEmail": "demo@example.com", "points": 50}\' '
        "http://localhost:8080/api/external/add-points",
        "curl -s -X POST -H 'X-API-Key: apst_test_demo' -H 'Content-Type: application/json' "
        '-d \'{"customerId": 1001, "redeemRuleId": 1}\' http://localhost:8080/api/external/redeem-points',
    ),
)
