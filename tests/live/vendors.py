"""Credentials and one typical write per vendor, for tests against a real server. Each
`sandbox` name opens a fresh tenant of its own (seeded from the demo fixtures)."""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request
from typing import Any

from tests.vendors.spree.conftest import new_credit

APPSTLE_CREDIT = "/api/external/add-credits"
APPSTLE_CUSTOMER = "/api/external/customer-loyalty?customerId=1001"
MEDUSA_ACCOUNT = "/admin/store-credit-accounts/sc_acc_01JDEMQ0USD0000000000000AA"
SPREE_CREDITS = "/api/v2/platform/store_credits"


def appstle_headers(sandbox: str) -> dict[str, str]:
    return {"X-API-Key": f"apst_test_{sandbox}"}


def medusa_headers(sandbox: str) -> dict[str, str]:
    secret = base64.b64encode(f"sk_test_{sandbox}:".encode()).decode()
    return {"Authorization": f"Basic {secret}"}


def spree_headers(base: str, sandbox: str) -> dict[str, str]:
    """A client-credentials token for the sandbox client `test_<sandbox>`."""
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": f"test_{sandbox}",
            "client_secret": "test_secret",
            "scope": "admin",
        }
    ).encode()
    with urllib.request.urlopen(f"{base}/spree_oauth/token", form, timeout=30) as answer:
        token = json.load(answer)["access_token"]
    return {"Authorization": f"Bearer {token}"}


def spree_credit(amount: Any) -> dict[str, Any]:
    """A valid Spree create body for the demo user 1."""
    return new_credit(amount=amount)
