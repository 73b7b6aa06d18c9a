"""FACTS 3a over a real socket: the served mock (gunicorn) in both fidelity modes reads form
bodies and PUT as Spree 4.10.1 does, and reproduces its missing-user 500 only when asked."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from tests.live.helpers import call, running_server

CREDITS = "/api/v2/platform/store_credits"


def token(base: str) -> dict[str, str]:
    status, body = call(
        "POST",
        f"{base}/spree_oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": "test_served",
            "client_secret": "test_secret",
            "scope": "admin",
        },
    )
    assert status == 200 and "refresh_token" not in body, body
    return {"Authorization": f"Bearer {body['access_token']}"}


def form_post(url: str, fields: dict[str, str], headers: dict[str, str]) -> tuple[int, Any]:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_served_mock_in_spec_fidelity() -> None:
    with running_server("--vendor", "spree", "--fidelity", "spec") as base:
        auth = token(base)
        status, body = form_post(
            f"{base}{CREDITS}",
            {
                "store_credit[user_id]": "1",
                "store_credit[amount]": "7",
                "store_credit[currency]": "usd",
            },
            auth,
        )
        assert status == 201, body
        credit_id = body["data"]["id"]
        status, body = call(
            "PUT", f"{base}{CREDITS}/{credit_id}", {"store_credit": {"amount": "8"}}, auth
        )
        assert (status, body["data"]["attributes"]["amount"]) == (200, "8.0")
        status, body = call(
            "POST", f"{base}{CREDITS}", {"store_credit": {"amount": 1, "currency": "USD"}}, auth
        )
        assert (status, body["errors"]) == (422, {"user": ["can't be blank"]})


def test_served_mock_reproduces_the_missing_user_500_by_default() -> None:
    with running_server("--vendor", "spree") as base:  # vendor fidelity, the default
        auth = token(base)
        status, body = call(
            "POST", f"{base}{CREDITS}", {"store_credit": {"amount": 1, "currency": "USD"}}, auth
        )
        assert (status, body) == (500, {"status": 500, "error": "Internal Server Error"})
        status, body = call("GET", f"{base}{CREDITS}", None, auth)
        assert body["meta"]["total_count"] == 1  # nothing was saved
