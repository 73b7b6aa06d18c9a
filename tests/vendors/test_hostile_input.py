"""Every vendor answers hostile bodies with its own 4xx and changes nothing.

The issue's list, against each real vendor's main write: malformed JSON, a wrong content type,
a 10 MB body, 10,000-deep nesting, invalid UTF-8 (plus a JSON array and `null` where an object
is due). The tenant's exported state must be identical before and after.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

HOSTILE = {
    "malformed JSON": (b'{"amount": 5,', "application/json"),
    "wrong content type": (b"amount=5", "text/plain"),
    "10 MB body": (b'{"note": "' + b"x" * 10_000_000 + b'"}', "application/json"),
    "10,000-deep nesting": (b"[" * 10_000 + b"]" * 10_000, "application/json"),
    "invalid UTF-8": (b'{"note": "\xff\xfe\xfd"}', "application/json"),
    "JSON array": (b"[1, 2]", "application/json"),
    "JSON null": (b"null", "application/json"),
}


def spree_headers(client: Any) -> dict[str, str]:
    token = client.post(
        "/spree_oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": "test_hostile",
            "client_secret": "test_secret",
            "scope": "admin",
        },
    ).get_json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


# vendor: (write under test, its tenant, credentials, a read that opens the tenant,
#          "is this the vendor's own error body?")
VENDORS = {
    "appstle": (
        "/api/external/add-credits",
        "appstle:apst_test_hostile",
        lambda client: {"X-API-Key": "apst_test_hostile"},
        "/api/external/point-redeem-rules",
        lambda body: isinstance(body.get("error"), str),
    ),
    "medusa": (
        "/admin/store-credit-accounts/sc_acc_01JDEMQ0USD0000000000000AA/credit",
        "medusa:sk_test_hostile",
        lambda client: {"Authorization": "Basic " + base64.b64encode(b"sk_test_hostile:").decode()},
        "/admin/store-credit-accounts",
        lambda body: body.get("type") == "invalid_data" and isinstance(body.get("message"), str),
    ),
    "spree": (
        "/api/v2/platform/store_credits",
        "spree:test_hostile",
        spree_headers,
        "/api/v2/platform/store_credits",
        lambda body: isinstance(body.get("error"), str),
    ),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from mockserver import MockConfig, create_app

    app = create_app(MockConfig(strict_responses=True))
    yield app.test_client()
    app.extensions["mockserver"].store.close()


@pytest.mark.parametrize("vendor", sorted(VENDORS))
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_body_gets_a_vendor_4xx_and_changes_nothing(
    client: Any, vendor: str, case: str
) -> None:
    path, tenant, headers_for, read_path, is_vendor_envelope = VENDORS[vendor]
    headers = headers_for(client)
    assert client.get(read_path, headers=headers).status_code == 200  # tenant seeded first
    before = client.get(f"/__admin/state?tenant={tenant}").get_json()
    data, content_type = HOSTILE[case]
    response = client.post(path, data=data, content_type=content_type, headers=headers)
    assert 400 <= response.status_code < 500, response.data[:300]
    assert is_vendor_envelope(response.get_json()), response.data[:300]
    assert client.get(f"/__admin/state?tenant={tenant}").get_json() == before
