"""Spree Commerce Platform API v2: store credits (JSON:API) behind Doorkeeper OAuth2."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mockserver.fixtures import SCHEMA_FILE, read_yaml
from mockserver.store import TenantStore
from mockserver.vendor import Vendor
from mockserver.vendors.spree import models
from mockserver.vendors.spree.auth import SANDBOX_PATTERN, authenticate
from mockserver.vendors.spree.errors import SpreeErrors
from mockserver.vendors.spree.quirks import QUIRKS
from mockserver.vendors.spree.routes import blueprint

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seed(store: TenantStore, fixtures: Mapping[str, Any]) -> None:
    models.seed(store, fixtures, datetime.now(UTC))


VENDOR = Vendor(
    name="spree",
    title="Spree Commerce Platform API v2 (store credits)",
    spec_file="spree-platform-store-credits.yaml",
    path_prefixes=("/api/v2/platform/", "/spree_oauth/"),
    blueprint=blueprint,
    errors=SpreeErrors(),
    authenticate=authenticate,
    seed=seed,
    fixtures_dir=FIXTURES,
    fixture_schema=read_yaml(FIXTURES / SCHEMA_FILE),
    sandbox_pattern=SANDBOX_PATTERN,
    demo_credentials=(
        "client_credentials: client_id=test_client client_secret=test_secret scope=admin "
        "(demo store)",
        "password: username=admin@example.com password=spree123 with that client (demo store)",
        "any client_id matching test_[A-Za-z0-9_]+ with client_secret=test_secret: its own store",
    ),
    content_type="application/vnd.api+json",
    secret_fields=frozenset({"password", "client_secret", "access_token", "refresh_token"}),
    record_schema=read_yaml(Path(__file__).resolve().parent / "records.yaml"),
    quirks=QUIRKS,
    mark_fields=("deleted_at",),  # the unfiltered list counts the live credits by it
)
