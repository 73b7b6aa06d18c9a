"""A Spree-only mock server per test, and helpers to sign in to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from mockserver.vendors.spree import VENDOR

CREDITS = "/api/v2/platform/store_credits"


@pytest.fixture
def spree_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(vendors=[VENDOR])


@pytest.fixture
def spree(spree_app: Flask) -> Any:
    return spree_app.test_client()


def issue_token(client: Any, client_id: str = "test_client", **extra: str) -> dict[str, Any]:
    """A client_credentials token (or fail the test)."""
    response = client.post(
        "/spree_oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": "test_secret",
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
