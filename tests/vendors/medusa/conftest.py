"""Medusa test fixtures: an app serving only this vendor, and the demo credentials."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from mockserver.vendors.medusa import VENDOR

ACCOUNTS = "/admin/store-credit-accounts"
DEMO_ACCOUNT = "sc_acc_01JDEMQ0USD0000000000000AA"
DEMO_USER = "user_01JDEMQ0ADM1N0000000000000"
DEMO_KEY_ID = "apk_01JDEMQ0KEY000000000000000"


def basic(secret: str, colon: bool = True) -> dict[str, str]:
    raw = f"{secret}:" if colon else secret
    return {"Authorization": "Basic " + base64.b64encode(raw.encode()).decode()}


@pytest.fixture
def medusa_app(make_app: Any) -> Any:
    """Spec fidelity: these tests pin the clean behaviour; test_quirks.py the vendor defects."""
    return make_app(vendors=[VENDOR], fidelity="spec")


@pytest.fixture
def medusa(medusa_app: Any) -> Any:
    return medusa_app.test_client()


@pytest.fixture
def key() -> dict[str, str]:
    """The demo secret key, as Basic auth (demo tenant)."""
    return basic("sk_test_demo")


@pytest.fixture
def sandbox() -> dict[str, str]:
    """A fresh sandbox tenant of its own (no state shared with other tests' tenants)."""
    return basic("sk_test_sandbox_a")
