"""Doorkeeper's token endpoint and bearer checks, and one store per sandbox client."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest

from mockserver import requestctx
from tests.vendors.spree.conftest import CREDITS, bearer, issue_token, new_credit

TOKEN = "/spree_oauth/token"
INVALID_TOKEN = {"error": "The access token is invalid"}
TEST_CLIENT = {"client_id": "test_client", "client_secret": "test_secret"}
NEEDS_READ = {"error": 'Access to this resource requires scope "read admin".'}
NEEDS_WRITE = {"error": 'Access to this resource requires scope "write admin".'}
INVALID_CLIENT = {
    "error": "invalid_client",
    "error_description": (
        "Client authentication failed due to unknown client, no client authentication "
        "included, or unsupported authentication method."
    ),
}
INVALID_GRANT = {
    "error": "invalid_grant",
    "error_description": (
        "The provided authorization grant is invalid, expired, revoked, does not match the "
        "redirection URI used in the authorization request, or was issued to another client."
    ),
}


def test_client_credentials_token(spree: Any) -> None:
    response = spree.post(
        TOKEN, json={"grant_type": "client_credentials", "scope": "admin", **TEST_CLIENT}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    token = response.get_json()
    # Doorkeeper never issues a refresh token for client credentials (RFC 6749 4.4.3)
    assert set(token) == {"access_token", "token_type", "expires_in", "scope", "created_at"}
    assert (token["token_type"], token["expires_in"], token["scope"]) == ("Bearer", 7200, "admin")
    assert isinstance(token["created_at"], int)
    assert spree.get(CREDITS, headers=bearer(token)).status_code == 200


def test_a_token_asked_for_without_scope_has_none_and_reads_nothing(spree: Any) -> None:
    """Spree configures no default scope: the token is issued, without `scope`, and every
    platform call needs `read` or `admin`."""
    response = spree.post(TOKEN, json={"grant_type": "client_credentials", **TEST_CLIENT})
    token = response.get_json()
    assert (response.status_code, "scope" in token) == (200, False)
    listing = spree.get(CREDITS, headers=bearer(token))
    assert (listing.status_code, listing.get_json()) == (401, NEEDS_READ)


def test_a_read_token_cannot_write(spree: Any) -> None:
    token = issue_token(spree, scope="read")
    assert spree.get(CREDITS, headers=bearer(token)).status_code == 200
    for method in ("post", "patch", "put", "delete"):
        path = CREDITS if method == "post" else f"{CREDITS}/1"
        body = None if method == "delete" else new_credit()
        response = getattr(spree, method)(path, headers=bearer(token), json=body)
        assert (response.status_code, response.get_json()) == (401, NEEDS_WRITE), method
    assert spree.get(f"{CREDITS}/1", headers=bearer(token)).status_code == 200  # not deleted


def test_a_write_token_needs_read_too(spree: Any) -> None:
    """Every platform action first asks for `read` or `admin`, writes then for `write` too."""
    write_only = bearer(issue_token(spree, scope="write"))
    response = spree.post(CREDITS, headers=write_only, json=new_credit())
    assert (response.status_code, response.get_json()) == (401, NEEDS_READ)
    both = bearer(issue_token(spree, scope="read write"))
    assert spree.post(CREDITS, headers=both, json=new_credit()).status_code == 201


def test_the_token_may_come_as_a_query_parameter(spree: Any) -> None:
    token = issue_token(spree)["access_token"]
    assert spree.get(CREDITS, query_string={"access_token": token}).status_code == 200
    bad = spree.get(CREDITS, query_string={"access_token": "nonsense"})
    assert (bad.status_code, bad.get_json()) == (401, INVALID_TOKEN)


def test_form_encoded_body_and_basic_client_auth(spree: Any) -> None:
    basic = base64.b64encode(b"test_client:test_secret").decode()
    response = spree.post(
        TOKEN,
        data={"grant_type": "client_credentials", "scope": "read write"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200
    assert response.get_json()["scope"] == "read write"


def password_token(spree: Any, email: str, **client: str) -> dict[str, Any]:
    response = spree.post(
        TOKEN,
        data={
            "grant_type": "password",
            "username": email,
            "password": "spree123",
            "scope": "admin",
            **client,
        },
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_an_admin_password_token_of_a_client_signs_into_its_store(spree: Any) -> None:
    token = password_token(spree, "admin@example.com", **TEST_CLIENT)
    assert "refresh_token" in token
    listing = spree.get(CREDITS, headers=bearer(token))
    assert [c["attributes"]["memo"] for c in listing.get_json()["data"]] == ["Welcome credit"]


def test_a_customer_password_token_is_refused_by_the_platform_api(spree: Any) -> None:
    """CanCanCan: a customer may not read store credits (`access_denied` is a 401 here)."""
    token = password_token(spree, "demo@example.com", **TEST_CLIENT)
    response = spree.get(CREDITS, headers=bearer(token))
    assert (response.status_code, response.get_json()) == (
        401,
        {"error": "You are not authorized to access this page."},
    )


def test_a_password_token_of_no_client_is_refused_by_the_platform_api(spree: Any) -> None:
    """`validate_token_client` raises a bare DoorkeeperError for a token of no application."""
    token = password_token(spree, "admin@example.com")
    response = spree.get(CREDITS, headers=bearer(token))
    assert (response.status_code, response.get_json()) == (
        401,
        {"error": "Doorkeeper::Errors::DoorkeeperError"},
    )


def test_wrong_password_is_invalid_grant(spree: Any) -> None:
    response = spree.post(
        TOKEN,
        json={"grant_type": "password", "username": "demo@example.com", "password": "nope"},
    )
    assert (response.status_code, response.get_json()) == (400, INVALID_GRANT)
    assert response.mimetype == "application/json"


def test_password_grant_needs_a_password(spree: Any) -> None:
    response = spree.post(TOKEN, json={"grant_type": "password", "username": "demo@example.com"})
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid_request",
        "error_description": "Missing required parameter: password.",
    }


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [("test_client", "wrong"), ("live_client", "test_secret"), ("test-client", "test_secret")],
)
def test_bad_client_is_401_invalid_client(spree: Any, client_id: str, secret: str) -> None:
    response = spree.post(
        TOKEN,
        json={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert (response.status_code, response.get_json()) == (401, INVALID_CLIENT)


def test_client_credentials_without_a_client_is_invalid_client(spree: Any) -> None:
    response = spree.post(TOKEN, json={"grant_type": "client_credentials"})
    assert (response.status_code, response.get_json()) == (401, INVALID_CLIENT)


def test_unknown_grant_type(spree: Any) -> None:
    response = spree.post(TOKEN, json={"grant_type": "authorization_code"})
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "unsupported_grant_type",
        "error_description": (
            "The authorization grant type is not supported by the authorization server."
        ),
    }


def test_missing_grant_type(spree: Any) -> None:
    response = spree.post(TOKEN, json={"client_id": "test_client"})
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid_request",
        "error_description": "Missing required parameter: grant_type.",
    }


def test_unknown_scope(spree: Any) -> None:
    response = spree.post(
        TOKEN,
        json={
            "grant_type": "client_credentials",
            "client_id": "test_client",
            "client_secret": "test_secret",
            "scope": "superuser",
        },
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_scope"


def test_refresh_token_grant_rotates_both_tokens(spree: Any) -> None:
    first = password_token(spree, "admin@example.com", **TEST_CLIENT)
    response = spree.post(
        TOKEN, json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert response.status_code == 200
    second = response.get_json()
    assert second["access_token"] != first["access_token"]
    assert spree.get(CREDITS, headers=bearer(second)).status_code == 200
    old = spree.get(CREDITS, headers=bearer(first))
    assert (old.status_code, old.get_json()) == (401, {"error": "The access token was revoked"})
    reused = spree.post(
        TOKEN, json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert (reused.status_code, reused.get_json()) == (400, INVALID_GRANT)


def test_refresh_by_another_client_is_invalid_grant(spree: Any) -> None:
    first = password_token(
        spree, "admin@example.com", client_id="test_a", client_secret="test_secret"
    )
    response = spree.post(
        TOKEN,
        json={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": "test_b",
            "client_secret": "test_secret",
        },
    )
    assert (response.status_code, response.get_json()) == (400, INVALID_GRANT)


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer nonsense", "Basic dGVzdF9jbGllbnQ6dGVzdF9zZWNyZXQ="]
)
def test_missing_or_unknown_token_is_401(spree: Any, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = spree.get(CREDITS, headers=headers)
    assert (response.status_code, response.get_json()) == (401, INVALID_TOKEN)
    assert "WWW-Authenticate" not in response.headers  # Spree rescues the error itself


def test_token_expires_after_its_ttl(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from mockserver.vendors.spree import VENDOR

    client = make_app(vendors=[VENDOR], token_ttl=60).test_client()
    token = issue_token(client)
    assert token["expires_in"] == 60
    issued = requestctx.utcnow()
    monkeypatch.setattr(requestctx, "utcnow", lambda: issued + timedelta(seconds=59))
    assert client.get(CREDITS, headers=bearer(token)).status_code == 200
    monkeypatch.setattr(requestctx, "utcnow", lambda: issued + timedelta(seconds=61))
    response = client.get(CREDITS, headers=bearer(token))
    assert (response.status_code, response.get_json()) == (
        401,
        {"error": "The access token expired"},
    )


def test_each_sandbox_client_has_its_own_store(spree: Any) -> None:
    a, b = bearer(issue_token(spree, "test_a")), bearer(issue_token(spree, "test_b"))
    created = spree.post(CREDITS, headers=a, json=new_credit(memo="only in a"))
    assert created.status_code == 201
    credit_id = created.get_json()["data"]["id"]
    assert credit_id == "2"  # each store counts its own ids
    assert spree.get(f"{CREDITS}/{credit_id}", headers=b).status_code == 404
    memos_b = [c["attributes"]["memo"] for c in spree.get(CREDITS, headers=b).get_json()["data"]]
    assert memos_b == ["Welcome credit"]
    assert spree.delete(f"{CREDITS}/1", headers=b).status_code == 204
    assert spree.get(f"{CREDITS}/1", headers=a).status_code == 200


def test_unparsable_token_request_is_invalid_request(spree: Any) -> None:
    response = spree.post(TOKEN, data="{grant_type", content_type="application/json")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "invalid_request"
    assert body["error_description"].startswith("Error occurred while parsing request parameters")


def test_token_request_in_another_media_type_is_415(spree: Any) -> None:
    response = spree.post(TOKEN, data="grant_type=password", content_type="text/plain")
    assert response.status_code == 415
    assert response.get_json() == {
        "error": "invalid_request",
        "error_description": (
            "Unsupported media type: text/plain. "
            "Send application/json or application/x-www-form-urlencoded."
        ),
    }


def test_mistyped_client_id_is_invalid_request(spree: Any) -> None:
    response = spree.post(TOKEN, json={"grant_type": "client_credentials", "client_id": 7})
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"


def test_refresh_grant_needs_a_refresh_token(spree: Any) -> None:
    response = spree.post(TOKEN, json={"grant_type": "refresh_token"})
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid_request",
        "error_description": "Missing required parameter: refresh_token.",
    }
