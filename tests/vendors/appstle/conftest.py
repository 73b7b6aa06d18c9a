"""Fixtures for the Appstle tests: an app serving only Appstle, and a ledger on a bare Store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.fixtures import load_fixtures
from mockserver.store import Store
from mockserver.vendors.appstle import FIXTURES, VENDOR
from mockserver.vendors.appstle.models import Ledger
from mockserver.vendors.appstle.seeding import seed

KEY = "apst_test_demo"
AUTH = {"X-API-Key": KEY}
NOW = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def api(make_app: Any) -> Any:
    """A test client of a fresh mock serving Appstle alone (strict response checks)."""
    return make_app(vendors=[VENDOR]).test_client()


@pytest.fixture
def demo_fixtures() -> dict[str, Any]:
    return load_fixtures(FIXTURES, VENDOR.fixture_schema)


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store()
    yield store
    store.close()


@pytest.fixture
def ledger(store: Store, demo_fixtures: dict[str, Any]) -> Iterator[Ledger]:
    """The demo shop seeded into a bare Store, inside one open transaction."""
    with store.transaction() as tx:
        tenant = tx.tenant("appstle:test")
        seed(tenant, demo_fixtures)
        yield Ledger(tenant, NOW)
