"""Medusa authentication: login, JWT checks, secret keys, and tenant isolation."""

from __future__ import annotations

import base64
import json
import time

import pytest

from mockserver.vendors.medusa import VENDOR
from mockserver.vendors.medusa.auth import sandbox_key_id, sign_jwt, verify_jwt
from tests.vendors.medusa.conftest import ACCOUNTS, DEMO_ACCOUNT, DEMO_USER, basic

LOGIN = "/auth/user/emailpass"
UNAUTHORIZED = {"message": "Unauthorized"}


def login(client, email="admin@example.com", password="supersecret"):
    return client.post(LOGIN, json={"email": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_issues_hs256_jwt_for_the_fixture_user(medusa, medusa_app):
    response = login(medusa)
    assert response.status_code == 200
    token = response.get_json()["token"]
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "HS256", "typ": "JWT"}
    key = medusa_app.extensions["mockserver"].signing_key
    claims = verify_jwt(token, key, time.time())
    assert claims["actor_id"] == DEMO_USER and claims["actor_type"] == "user"
    assert claims["exp"] - claims["iat"] == 7200


def test_jwt_user_is_recorded_on_transactions(medusa):
    token = login(medusa).get_json()["token"]
    url = f"{ACCOUNTS}/{DEMO_ACCOUNT}"
    assert (
        medusa.post(f"{url}/credit", json={"amount": 1}, headers=bearer(token)).status_code == 200
    )
    last = medusa.get(f"{url}/transactions?order=-created_at&limit=1", headers=bearer(token))
    trx = last.get_json()["transactions"][0]
    assert (trx["reference"], trx["reference_id"]) == ("user", DEMO_USER)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"email": "admin@example.com", "password": "wrong"}, "Invalid email or password"),
        ({"email": "nobody@example.com", "password": "supersecret"}, "Invalid email or password"),
        ({}, "Password should be a string"),
        ({"password": "supersecret"}, "Email should be a string"),
    ],
)
def test_login_failures(medusa, payload, message):
    response = medusa.post(LOGIN, json=payload)
    assert response.status_code == 401
    assert response.get_json() == {"type": "unauthorized", "message": message}


def test_login_without_body(medusa):
    response = medusa.post(LOGIN)
    assert response.status_code == 401
    assert response.get_json()["message"] == "Password should be a string"


def test_expired_jwt_is_401(make_app):
    app = make_app(vendors=[VENDOR], token_ttl=60)
    client = app.test_client()
    key = app.extensions["mockserver"].signing_key
    fresh = verify_jwt(login(client).get_json()["token"], key, time.time())
    assert fresh["exp"] - fresh["iat"] == 60
    assert verify_jwt(sign_jwt(fresh, key), key, fresh["exp"] + 1) is None
    expired = sign_jwt(
        {"actor_id": DEMO_USER, "actor_type": "user", "iat": 1000, "exp": int(time.time()) - 1},
        key,
    )
    response = client.get(ACCOUNTS, headers=bearer(expired))
    assert response.status_code == 401
    assert response.get_json() == UNAUTHORIZED


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer not.a.jwt"},
        {"Authorization": "Token abc"},
        {"Authorization": "Basic !!!"},
        basic("sk_live_unknown"),
        basic(""),
    ],
)
def test_missing_or_bad_credentials_are_plain_401(medusa, headers):
    response = medusa.get(ACCOUNTS, headers=headers)
    assert response.status_code == 401
    assert response.get_json() == UNAUTHORIZED


def test_jwt_signed_with_another_secret_is_401(medusa):
    forged = sign_jwt(
        {"actor_id": DEMO_USER, "actor_type": "user", "exp": int(time.time()) + 600}, b"x" * 32
    )
    assert medusa.get(ACCOUNTS, headers=bearer(forged)).get_json() == UNAUTHORIZED


def test_secret_key_as_bearer_has_its_own_message(medusa):
    response = medusa.get(ACCOUNTS, headers=bearer("sk_test_demo"))
    assert response.status_code == 401
    assert response.get_json() == {
        "message": "A secret API key was passed as a Bearer token. Secret API keys must be "
        "sent using HTTP Basic authentication instead (Authorization: Basic <secret-api-key>)."
    }


@pytest.mark.parametrize("colon", [True, False])
def test_basic_secret_key_with_or_without_colon(medusa, colon):
    response = medusa.get(f"{ACCOUNTS}?limit=1", headers=basic("sk_test_demo", colon=colon))
    assert response.status_code == 200
    assert response.get_json()["store_credit_accounts"][0]["id"] == DEMO_ACCOUNT


def test_demo_user_and_demo_key_share_the_demo_tenant(medusa):
    token = login(medusa).get_json()["token"]
    made = medusa.post(ACCOUNTS, json={"currency_code": "eur"}, headers=bearer(token))
    new_id = made.get_json()["store_credit_account"]["id"]
    seen = medusa.get(f"{ACCOUNTS}/{new_id}", headers=basic("sk_test_demo"))
    assert seen.status_code == 200


def test_sandbox_tenants_are_isolated(medusa):
    a, b = basic("sk_test_a"), basic("sk_test_b")
    made = medusa.post(ACCOUNTS, json={"currency_code": "usd"}, headers=a).get_json()
    new_id = made["store_credit_account"]["id"]
    assert medusa.get(f"{ACCOUNTS}/{new_id}", headers=b).status_code == 404
    assert medusa.get(f"{ACCOUNTS}/{new_id}", headers=a).status_code == 200
    # Each sandbox starts from the fixtures, and a debit in one leaves the other untouched.
    url = f"{ACCOUNTS}/{DEMO_ACCOUNT}"
    medusa.post(f"{url}/debit", json={"amount": 75.5}, headers=a)
    assert medusa.get(url, headers=a).get_json()["store_credit_account"]["balance"] == 0
    assert medusa.get(url, headers=b).get_json()["store_credit_account"]["balance"] == 75.5
    assert (
        medusa.get(url, headers=basic("sk_test_demo")).get_json()["store_credit_account"]["balance"]
        == 75.5
    )


def test_sandbox_key_recorded_with_stable_key_id(medusa):
    a = basic("sk_test_a")
    url = f"{ACCOUNTS}/{DEMO_ACCOUNT}"
    medusa.post(f"{url}/credit", json={"amount": 1}, headers=a)
    trx = medusa.get(f"{url}/transactions?order=-created_at&limit=1", headers=a).get_json()
    assert trx["transactions"][0]["reference_id"] == sandbox_key_id("sk_test_a")
    assert sandbox_key_id("sk_test_a").startswith("apk_") and len(sandbox_key_id("x")) == 30
