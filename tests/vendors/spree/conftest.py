"""A Spree-only mock server per test, helpers to sign in to it, and a seeded tenant for
model tests that need no HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask

from mockserver.fixtures import read_yaml
from mockserver.store import Store, TenantStore
from mockserver.vendors.spree import VENDOR, models

NOW = datetime(2024, 3, 1, 12, 30, 45, 123456, tzinfo=UTC)


@pytest.fixture
def tenant() -> Iterator[TenantStore]:
    """The demo fixtures seeded into a fresh store, inside one open transaction."""
    store = Store()
    try:
        with store.transaction() as tx:
            tenant = tx.tenant("spree:model_tests")
            models.seed(tenant, read_yaml(VENDOR.fixtures_dir / "demo.yaml"), NOW)
            yield tenant
    finally:
        store.close()


CREDITS = "/api/v2/platform/store_credits"


@pytest.fixture
def spree_app(make_app: Callable[..., Flask]) -> Flask:
    """Spec fidelity: these tests pin the clean behaviour; the vendor defects are tested on
    their own (`quirky` in test_facts_3a.py, test_served.py)."""
    return make_app(vendors=[VENDOR], fidelity="spec")


@pytest.fixture
def spree(spree_app: Flask) -> Any:
    return spree_app.test_client()


def issue_token(client: Any, client_id: str = "test_client", **extra: str) -> dict[str, Any]:
    """A client_credentials token, scope `admin` unless `extra` says otherwise (or fail)."""
    response = client.post(
        "/spree_oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": "test_secret",
            "scope": "admin",
            **extra,
        },
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def bearer(token: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {token['access_token']}"}


@pytest.fixture
def auth(spree: Any) -> dict[str, str]:
    """Headers for the demo store (`test_client`)."""
    return bearer(issue_token(spree))


def new_credit(**overrides: Any) -> dict[str, Any]:
    """A valid create body for the demo store."""
    attributes = {
        "user_id": "1",
        "category_id": "1",
        "type_id": "1",
        "created_by_id": "2",
        "store_id": "1",
        "currency": "USD",
        "amount": 150,
    }
    attributes.update(overrides)
    return {"store_credit": attributes}
