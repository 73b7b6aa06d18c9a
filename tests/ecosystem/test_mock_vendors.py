"""`mock_vendors()`: clients written against the vendors' real hosts run unchanged on the mock."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

import httpx
import pytest
import requests

from mockserver.intercept import mock_vendors

APPSTLE = "https://loyalty-admin.appstle.com/api/external"
MEDUSA = "https://acme.api.myxclade.com"
SPREE = "https://shop.example.com"


class AppstleClient:
    """A shop's tiny Appstle client, on `requests`, as it would be written for production."""

    def __init__(self, api_key: str) -> None:
        self.session = requests.Session()
        self.session.headers["X-API-Key"] = api_key

    def add_credits(self, customer_id: int, credits: float) -> dict:
        body = {"customerId": customer_id, "credits": credits, "note": "refund"}
        response = self.session.post(f"{APPSTLE}/add-credits", json=body, timeout=5)
        response.raise_for_status()
        return response.json()


def medusa_credit(secret_key: str, amount: float) -> tuple[float, float]:
    """A Medusa client on `httpx`: the first account's balance before and after a credit."""
    auth = base64.b64encode(f"{secret_key}:".encode()).decode()
    with httpx.Client(base_url=MEDUSA, headers={"Authorization": f"Basic {auth}"}) as client:
        account = client.get("/admin/store-credit-accounts").json()["store_credit_accounts"][0]
        answer = client.post(
            f"/admin/store-credit-accounts/{account['id']}/credit", json={"amount": amount}
        )
        answer.raise_for_status()
        return account["balance"], answer.json()["store_credit_account"]["balance"]


def spree_total(client_id: str) -> int:
    """A Spree Platform API client on `requests`: OAuth token, then the store credits."""
    token = requests.post(
        f"{SPREE}/spree_oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": "test_secret",
            "scope": "admin",
        },
        timeout=5,
    ).json()["access_token"]
    listed = requests.get(
        f"{SPREE}/api/v2/platform/store_credits",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert listed.headers["Content-Type"].startswith("application/vnd.api+json")
    return listed.json()["meta"]["total_count"]


def test_a_requests_client_of_appstle_runs_unchanged() -> None:
    with mock_vendors():
        before = AppstleClient("apst_test_intercept").add_credits(1001, 1)["storeCreditBalance"]
        after = AppstleClient("apst_test_intercept").add_credits(1001, 2.5)["storeCreditBalance"]
    assert after == pytest.approx(before + 2.5)


def test_an_httpx_client_of_medusa_runs_unchanged() -> None:
    with mock_vendors():
        before, after = medusa_credit("sk_test_intercept", 4.5)
    assert after == pytest.approx(before + 4.5)


def test_an_async_httpx_client_is_routed_too() -> None:
    async def count() -> int:
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"{APPSTLE}/point-redeem-rules?api_key=apst_test_async")
            return answer.status_code

    with mock_vendors():
        assert asyncio.run(count()) == 200


def test_a_spree_store_is_routed_when_named_and_as_a_decorator() -> None:
    @mock_vendors(hosts=["shop.example.com"])
    def run() -> int:
        return spree_total("test_intercept")

    assert run() == 1  # the demo store's one store credit


def test_vendor_errors_come_back_as_the_vendor_sends_them() -> None:
    with mock_vendors():
        refused = requests.get(f"{APPSTLE}/customer-loyalty?customerId=1001", timeout=5)
    assert refused.status_code == 401
    assert "error" in refused.json()


def test_other_hosts_go_out_as_usual_and_nothing_outlives_the_block() -> None:
    originals = (
        requests.adapters.HTTPAdapter.send,
        httpx.HTTPTransport.handle_request,
        httpx.AsyncHTTPTransport.handle_async_request,
    )
    with mock_vendors() as mock:
        with pytest.raises(requests.ConnectionError):
            requests.get("http://127.0.0.1:9/", timeout=2)  # discard port: nothing listens
        AppstleClient("apst_test_outlive").add_credits(1001, 3)
        database = Path(mock.app.extensions["mockserver"].store.path)
        assert database.exists()
    assert not database.exists()
    assert (
        requests.adapters.HTTPAdapter.send,
        httpx.HTTPTransport.handle_request,
        httpx.AsyncHTTPTransport.handle_async_request,
    ) == originals
