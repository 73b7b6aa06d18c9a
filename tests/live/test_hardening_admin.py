"""Issue 7, the admin and state half, through a real `mockserver serve` (gunicorn, sockets):
host files stay unread, the journal keeps no secret, hostile query shapes and state imports
get 400s, state cannot grow without end, and tenants and credentials stay apart."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mockserver import MockConfig
from mockserver.redaction import fingerprint
from mockserver.vendors import appstle, medusa, spree
from tests.live import running_server
from tests.live.helpers import call
from tests.vendors.medusa.conftest import ACCOUNTS, DEMO_ACCOUNT, basic
from tests.vendors.spree.conftest import CREDITS, new_credit

pytestmark = pytest.mark.slow

TOKEN = "/spree_oauth/token"


def raw(
    method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, dict[str, str]]:
    """One request with a body sent as given; (status, text, headers)."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def spree_token(base: str, client: str, **extra: str) -> dict[str, Any]:
    # Spree's admin password grant: it carries a refresh token (client credentials do not).
    body = {
        "grant_type": "password",
        "client_id": client,
        "client_secret": "test_secret",
        "username": "admin@example.com",
        "password": "spree123",
        "scope": "admin",
    }
    status, answer = call("POST", base + TOKEN, {**body, **extra})
    assert status == 200, answer
    return answer


def medusa_jwt(base: str) -> str:
    login = {"email": "admin@example.com", "password": "supersecret"}
    status, answer = call("POST", base + "/auth/user/emailpass", login)
    assert status == 200, answer
    return answer["token"]


def tenant_names(base: str) -> list[str]:
    return [t["name"] for t in call("GET", base + "/__admin/tenants")[1]["tenants"]]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """One server for the tests that touch only tenants of their own (sandbox credentials
    named after the test), or read-only admin routes. Spec fidelity: no reproduced vendor
    defect (Medusa's 500 on a bad date filter) may pass for a hardening gap."""
    with running_server("--fidelity", "spec") as base:
        yield base


# -- 2. the admin API reads only the configured fixture folders -----------------------------


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `--fixtures` folder holding a copy of every vendor's bundled fixtures."""
    root = tmp_path_factory.mktemp("fixtures")
    for package in (appstle, medusa, spree):
        vendor = package.VENDOR
        shutil.copytree(vendor.fixtures_dir, root / vendor.name)
    return root


@pytest.fixture(scope="module")
def fixtures_server(fixture_dir: Path) -> Iterator[str]:
    with running_server("--fixtures", str(fixture_dir)) as base:
        yield base


def test_fixtures_are_read_only_from_the_configured_folders(
    fixtures_server: str, fixture_dir: Path, tmp_path: Path
) -> None:
    base = fixtures_server
    outside = tmp_path / "private.yaml"
    outside.write_text("customers:\n  - {id: cus_x, email: TOP-SECRET-LINE}\n")
    binary = tmp_path / "blob.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe TOP-SECRET-LINE")
    (fixture_dir / "medusa" / "link.yaml").symlink_to(outside)
    refused = [
        "/etc/passwd",
        str(outside),
        str(binary),
        "medusa/../../private.yaml",
        str(fixture_dir / "medusa" / "link.yaml"),
        str(fixture_dir / "medusa"),  # a folder holding that symlink
    ]
    for path in refused:
        status, text, _ = raw(
            "POST",
            base + "/__admin/fixtures",
            json.dumps({"vendor": "medusa", "path": path}).encode(),
            {"Content-Type": "application/json"},
        )
        assert status == 400, (path, text)
        assert "not inside a fixture folder" in text
        assert "root:" not in text and "TOP-SECRET-LINE" not in text
    (fixture_dir / "medusa" / "link.yaml").unlink()
    # Inside the folder, bad files are still named by line and field, never quoted.
    (fixture_dir / "medusa" / "zz-binary.yaml").write_bytes(binary.read_bytes())
    status, text, _ = raw(
        "POST",
        base + "/__admin/fixtures",
        json.dumps({"vendor": "medusa", "path": "medusa/zz-binary.yaml"}).encode(),
        {"Content-Type": "application/json"},
    )
    assert status == 400 and "not UTF-8 text" in text and "TOP-SECRET" not in text
    (fixture_dir / "medusa" / "zz-binary.yaml").unlink()
    (fixture_dir / "medusa" / "zz-bad.yaml").write_text("users: TOP-SECRET-LINE\n")
    status, answer = call(
        "POST", base + "/__admin/fixtures", {"vendor": "medusa", "path": "medusa"}
    )
    assert status == 400
    assert "field users: must be of type array" in answer["error"]
    assert "TOP-SECRET" not in json.dumps(answer)
    (fixture_dir / "medusa" / "zz-bad.yaml").unlink()
    # The configured folder itself, relative or absolute, still loads.
    for path in ("medusa", str(fixture_dir / "medusa")):
        status, answer = call(
            "POST", base + "/__admin/fixtures", {"vendor": "medusa", "path": path}
        )
        assert status == 200, answer


def test_fixture_errors_never_quote_inline_values(server: str) -> None:
    bad = {"vendor": "medusa", "fixtures": {"users": "TOP-SECRET-VALUE"}}
    status, answer = call("POST", server + "/__admin/fixtures", bad)
    assert status == 400
    assert "TOP-SECRET" not in answer["error"] and "users" in answer["error"]


# -- 4. the journal keeps no secret ---------------------------------------------------------


def test_the_journal_keeps_fingerprints_not_secrets(server: str) -> None:
    secrets = []
    jwt = medusa_jwt(server)
    secrets += ["supersecret", jwt]
    call("GET", server + ACCOUNTS, None, bearer(jwt))
    call("GET", server + ACCOUNTS, None, basic("sk_test_journal_key"))
    secrets.append(base64.b64encode(b"sk_test_journal_key:").decode())
    issued = spree_token(server, "test_journal")
    secrets += [issued["access_token"], issued["refresh_token"]]
    form = urllib.parse.urlencode(
        {"grant_type": "password", "username": "demo@example.com", "password": "spree123"}
    ).encode()
    status, text, _ = raw(
        "POST", server + TOKEN, form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 200
    by_password = json.loads(text)
    secrets += ["spree123", by_password["access_token"], by_password["refresh_token"]]
    refresh = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
    status, refreshed = call("POST", server + TOKEN, refresh)
    assert status == 200
    secrets += [refreshed["access_token"], refreshed["refresh_token"]]
    call("GET", server + CREDITS, None, bearer(refreshed["access_token"]))
    status, text, _ = raw(  # unparsable, yet it names a secret field
        "POST",
        server + TOKEN,
        b'{"client_secret": "half-sent-secret',
        {"Content-Type": "application/json"},
    )
    assert status == 400
    secrets.append("half-sent-secret")
    loyalty = "/api/external/customer-loyalty?customerId=1001"
    call("GET", f"{server}{loyalty}&api_key=apst_test_journal_query")
    call("GET", server + loyalty, None, {"X-API-Key": "apst_test_journal_header"})

    status, journal = call("GET", server + "/__admin/requests?limit=1000")
    assert status == 200
    entries = [e for e in journal["requests"] if "journal" in json.dumps(e) or e["vendor"]]
    text = json.dumps(entries)
    leaked = [s for s in secrets if s in text]
    assert leaked == []
    # A fingerprint still tells which token was used where.
    used = [e for e in entries if e["path"] == CREDITS]
    assert used[-1]["request_headers"]["Authorization"] == (
        "Bearer " + fingerprint(refreshed["access_token"])
    )
    assert fingerprint(refreshed["access_token"]) in text
    assert "api_key=" + fingerprint("apst_test_journal_query") in text
    # A sandbox key also names its tenant (a made-up test key): the header is still redacted.
    sent = [e for e in entries if e["tenant"] == "appstle:apst_test_journal_header"]
    assert sent[-1]["request_headers"]["X-Api-Key"] == fingerprint("apst_test_journal_header")
    # Only the secrets went: the rest of the exchange is still there to read.
    assert "demo@example.com" in text and "admin@example.com" in text  # usernames stay


# -- 7. no query shape makes Medusa answer 500 ----------------------------------------------


def test_the_reported_unknown_operators_are_a_400(server: str) -> None:
    url = f"{server}{ACCOUNTS}?updated_at[foo]=1&created_at[bar]=2"
    status, answer = call("GET", url, None, basic("sk_test_query_shapes"))
    assert status == 400
    assert answer == {
        "type": "invalid_data",
        "message": "Invalid request: Unrecognized fields: 'foo, bar'",
    }


_NAMES = [
    "id",
    "currency_code",
    "customer_id",
    "created_at",
    "updated_at",
    "q",
    "limit",
    "offset",
    "order",
    "fields",
    "with_deleted",
    "foo",
]
_SUFFIXES = ["", "[]", "[foo]", "[$gt]", "[$in][]", "[$foo]", "[a][b]", "[$gt][x]", "[0]"]
_VALUES = ["1", "x", "2025-01-01T00:00:00Z", "", "-1", "%25", "usd"]


def _shapes() -> list[str]:
    """Every name with every bracket shape, and pairs mixing a bare key with a map, two
    unknown operators, and a name sent twice (the shapes that crashed before)."""
    shapes = [
        f"{name}{suffix}={value}"
        for i, (name, suffix) in enumerate((n, s) for n in _NAMES for s in _SUFFIXES)
        for value in (_VALUES[i % len(_VALUES)],)
    ]
    for date in ("created_at", "updated_at"):
        shapes += [
            f"{date}[$gt]=2025-01-01T00:00:00Z&{date}=1",
            f"{date}=1&{date}[a]=1",
            f"{date}[a]=1&{date}[b]=2&{date}[c]=3",
            f"{date}[$gt]=2025-01-01T00:00:00Z&{date}[$gt]=2026-01-01T00:00:00Z",
            f"{date}[0]=%25&{date}=x&customer_id=%25&{date}[0]=%25",
            f"customer_id[a][$nin]=1&{date}[a][$nin][$in]=id&{date}=1",
        ]
    shapes += ["updated_at[foo]=1&created_at[bar]=2&id[baz]=3", "id=a&id[$ne]=b&id[]=c"]
    return shapes


@pytest.mark.parametrize("route", [ACCOUNTS, f"{ACCOUNTS}/{DEMO_ACCOUNT}/transactions"])
def test_no_query_shape_is_a_500(server: str, route: str) -> None:
    """Each shape is a 200 or Medusa's 400 invalid_data, on both list routes."""
    failures = []
    for shape in _shapes():
        status, answer = call("GET", f"{server}{route}?{shape}", None, basic("sk_test_demo"))
        fine = status == 200 or (
            status == 400
            and answer["type"] == "invalid_data"
            and answer["message"].startswith("Invalid request: ")
        )
        if not fine:
            failures.append((shape, status, answer))
    assert failures == []


# -- 8. state imports and admin type errors -------------------------------------------------


def _put_state(base: str, body: Any) -> tuple[int, Any]:
    return call("PUT", base + "/__admin/state", body)


def test_state_imports_that_would_break_a_tenant_are_refused(server: str) -> None:
    key = basic("sk_test_import_checks")
    assert call("GET", server + ACCOUNTS, None, key)[0] == 200
    tenant = "medusa:sk_test_import_checks"
    dump = call("GET", f"{server}/__admin/state?tenant={tenant}")[1]
    broken = json.loads(json.dumps(dump))
    del broken["tenants"][tenant]["records"]["account"][0]["data"]["credits"]
    status, answer = _put_state(server, broken)
    assert status == 400
    assert answer["error"].startswith(
        f"state at tenants/{tenant}/records/account/0/data: 'credits' is a required property"
    )
    assert call("GET", server + ACCOUNTS, None, key)[0] == 200  # nothing was imported
    wrong_vendor = {"tenants": {"appstle:apst_test_x": dump["tenants"][tenant]}}
    assert _put_state(server, wrong_vendor)[0] == 400
    unknown_kind = json.loads(json.dumps(dump))
    unknown_kind["tenants"][tenant]["records"]["spree_access_token"] = [{"id": "t", "data": {}}]
    assert _put_state(server, unknown_kind)[0] == 400
    huge = json.loads(json.dumps(dump))
    huge["tenants"][tenant]["sequences"] = {"ulid": 2**70}
    status, answer = _put_state(server, huge)
    assert status == 400 and "sequences/ulid" in answer["error"]
    assert _put_state(server, dump) == (200, {"imported": [tenant]})  # a good dump still is


def test_the_global_store_cannot_be_imported(server: str) -> None:
    planted = {
        "vendor": "spree",
        "records": {
            "spree_access_token": [
                {"id": "planted", "data": {"tenant": "spree:test_client", "subject": "1"}}
            ]
        },
    }
    status, answer = _put_state(server, {"tenants": {"": planted}})
    assert status == 400 and "Traceback" not in json.dumps(answer)
    status, _ = call("GET", server + CREDITS, None, bearer("planted"))
    assert status == 401
    issued = spree_token(server, "test_global_survives")
    assert call("GET", server + CREDITS, None, bearer(issued["access_token"]))[0] == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/__admin/reset", {"tenant": ["medusa:demo"]}),
        ("POST", "/__admin/reset", {"tenant": ""}),
        ("POST", "/__admin/reset", {"tenant": 5}),
        ("POST", "/__admin/fixtures", {"vendor": ["medusa"]}),
        ("POST", "/__admin/fixtures", {"vendor": "medusa", "path": ["x"]}),
        ("POST", "/__admin/fixtures", {"vendor": "medusa", "tenant": ["x"], "fixtures": {}}),
        ("POST", "/__admin/fixtures", {"vendor": "medusa", "tenant": "spree:x", "fixtures": {}}),
        ("PUT", "/__admin/state", {"tenants": []}),
        ("PUT", "/__admin/state", {"tenants": {"medusa:x": {"vendor": ["medusa"]}}}),
        ("PUT", "/__admin/state", [1, 2]),
        ("GET", "/__admin/state?tenant=", None),
    ],
)
def test_admin_type_errors_are_400s_that_change_nothing(
    server: str, method: str, path: str, body: Any
) -> None:
    key = basic("sk_test_type_errors")
    call("GET", server + ACCOUNTS, None, key)
    before = tenant_names(server)
    status, answer = call(method, server + path, body)
    assert status == 400
    assert set(answer) == {"error"} and "Traceback" not in answer["error"]
    assert "medusa:sk_test_type_errors" in tenant_names(server)
    assert set(before) <= set(tenant_names(server))


# -- 10. limits and purges ------------------------------------------------------------------


def test_an_overlong_sandbox_credential_opens_no_tenant(server: str) -> None:
    long_key = "x" * 4000
    loyalty = "/api/external/customer-loyalty?customerId=1001"
    assert call("GET", server + loyalty, None, {"X-API-Key": "apst_test_" + long_key})[0] == 401
    assert call("GET", server + ACCOUNTS, None, basic("sk_test_" + long_key))[0] == 401
    body = {"grant_type": "client_credentials", "client_id": "test_" + long_key}
    status, answer = call("POST", server + TOKEN, {**body, "client_secret": "test_secret"})
    assert (status, answer["error"]) == (401, "invalid_client")
    assert not [name for name in tenant_names(server) if long_key in name]


def test_notes_and_memos_have_a_limit(server: str) -> None:
    key = basic("sk_test_note_limit")
    for length, expected in ((10_000, 200), (10_001, 400)):
        status, answer = call(
            "POST",
            f"{server}{ACCOUNTS}/{DEMO_ACCOUNT}/credit",
            {"amount": 1, "note": "n" * length},
            key,
        )
        assert status == expected, answer
    assert answer["type"] == "invalid_data" and "10000" in answer["message"]
    auth = bearer(spree_token(server, "test_memo_limit")["access_token"])
    status, answer = call("POST", server + CREDITS, new_credit(memo="m" * 10_001), auth)
    assert status == 422
    assert answer["errors"] == {"memo": ["is too long (maximum is 10000 characters)"]}
    assert call("POST", server + CREDITS, new_credit(memo="m" * 10_000), auth)[0] == 201


def test_the_tenant_count_has_a_limit() -> None:
    with running_server("--max-tenants", "2") as base:
        loyalty = "/api/external/customer-loyalty?customerId=1001"
        for name in ("a", "b"):
            headers = {"X-API-Key": f"apst_test_{name}"}
            assert call("GET", base + loyalty, None, headers)[0] == 200
        status, answer = call("GET", base + loyalty, None, {"X-API-Key": "apst_test_c"})
        assert status == 429 and "Traceback" not in json.dumps(answer)
        assert call("GET", base + ACCOUNTS, None, basic("sk_test_c"))[0] == 429
        assert len(tenant_names(base)) == 2
        dump = call("GET", f"{base}/__admin/state?tenant=appstle:apst_test_b")[1]
        copy = {"tenants": {"appstle:apst_test_z": dump["tenants"]["appstle:apst_test_b"]}}
        status, answer = call("PUT", base + "/__admin/state", copy)
        assert status == 400 and "--max-tenants" in answer["error"]
        assert call("PUT", base + "/__admin/state", dump)[0] == 200  # replacing one is fine
        assert len(tenant_names(base)) == 2
        assert call("GET", base + loyalty, None, {"X-API-Key": "apst_test_a"})[0] == 200
        call("POST", base + "/__admin/reset", {"tenant": "appstle:apst_test_a"})
        assert call("GET", base + loyalty, None, {"X-API-Key": "apst_test_c"})[0] == 200


@pytest.fixture(scope="module")
def short_lived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server whose tokens and idempotency answers live one second, and its state file."""
    state = tmp_path_factory.mktemp("state") / "state.sqlite3"
    args = ("--state", str(state), "--token-ttl", "1", "--idempotency-ttl", "1")
    with running_server(*args) as base:
        yield base, state


def _rows(state: Path, sql: str) -> int:
    with sqlite3.connect(state) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_expired_tokens_and_idempotency_answers_are_purged(
    short_lived: tuple[str, Path],
) -> None:
    base, state = short_lived
    tokens = "SELECT COUNT(*) FROM records WHERE kind = 'spree_access_token'"
    answers = "SELECT COUNT(*) FROM idempotency"
    issued = [spree_token(base, "test_purge") for _ in range(5)]
    key = {**basic("sk_test_purge"), "Idempotency-Key": "once"}
    credit = f"{base}{ACCOUNTS}/{DEMO_ACCOUNT}/credit"
    status, first, headers = raw(
        "POST", credit, b'{"amount": 1}', {**key, "Content-Type": "application/json"}
    )
    status, again, headers = raw(
        "POST", credit, b'{"amount": 1}', {**key, "Content-Type": "application/json"}
    )
    assert headers.get("Idempotent-Replayed") == "true" and again == first
    assert _rows(state, tokens) >= 5 and _rows(state, answers) == 1
    time.sleep(1.2)
    status, _ = call("GET", base + CREDITS, None, bearer(issued[0]["access_token"]))
    assert status == 401  # expired, whether purged yet or not
    status, later, headers = raw(
        "POST", credit, b'{"amount": 1}', {**key, "Content-Type": "application/json"}
    )
    assert status == 200 and "Idempotent-Replayed" not in headers  # past its 1 s
    assert json.loads(later)["store_credit_account"]["credits"] == (
        json.loads(first)["store_credit_account"]["credits"] + 1
    )
    time.sleep(1.2)
    loyalty = f"{base}/api/external/add-points"
    for _ in range(MockConfig().purge_every):  # any run this long holds one purge
        call("POST", loyalty, {"customerId": 1001, "points": 1}, {"X-API-Key": "apst_test_p"})
    deadline = time.monotonic() + 10  # the purge runs once the 200th answer is sent
    while _rows(state, tokens) + _rows(state, answers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _rows(state, tokens) == 0
    assert _rows(state, answers) == 0


# -- cross-tenant access, forged JWTs, misused Spree tokens -----------------------------------


def test_medusa_tenants_never_see_each_others_accounts(server: str) -> None:
    owner, other = basic("sk_test_owner"), basic("sk_test_other")
    status, created = call("POST", server + ACCOUNTS, {"currency_code": "eur"}, owner)
    assert status == 200
    account = created["store_credit_account"]["id"]
    call("POST", f"{server}{ACCOUNTS}/{account}/credit", {"amount": 10}, owner)
    not_found = {"type": "not_found", "message": f"StoreCreditAccount id not found: {account}"}
    assert call("GET", f"{server}{ACCOUNTS}/{account}", None, other) == (404, not_found)
    for action in ("credit", "debit"):
        url = f"{server}{ACCOUNTS}/{account}/{action}"
        assert call("POST", url, {"amount": 1}, other) == (404, not_found)
    listed = call("GET", f"{server}{ACCOUNTS}?id={account}", None, other)[1]
    assert listed["store_credit_accounts"] == []
    everything = call("GET", f"{server}{ACCOUNTS}?limit=1000", None, other)[1]
    assert account not in json.dumps(everything)
    transactions = call("GET", f"{server}{ACCOUNTS}/{account}/transactions", None, other)
    assert transactions[1]["transactions"] == []  # Medusa's answer for an unknown account
    mine = call("GET", f"{server}{ACCOUNTS}/{account}", None, owner)[1]
    assert mine["store_credit_account"]["balance"] == 10


def test_spree_stores_never_see_each_others_credits(server: str) -> None:
    owner = bearer(spree_token(server, "test_owner")["access_token"])
    other = bearer(spree_token(server, "test_other")["access_token"])
    status, created = call("POST", server + CREDITS, new_credit(amount=42), owner)
    assert status == 201
    credit = created["data"]["id"]
    url = f"{server}{CREDITS}/{credit}"
    for method, body in (("GET", None), ("PATCH", new_credit(amount=1)), ("DELETE", None)):
        status, answer = call(method, url, body, other)
        assert status == 404, (method, answer)
    listed = call("GET", server + CREDITS, None, other)[1]
    assert credit not in [item["id"] for item in listed["data"]]
    assert call("GET", url, None, owner)[1]["data"]["attributes"]["amount"] == "42.0"


def test_appstle_shops_never_see_each_others_points(server: str) -> None:
    owner, other = {"X-API-Key": "apst_test_owner"}, {"X-API-Key": "apst_test_other"}
    loyalty = f"{server}/api/external/customer-loyalty?customerId=1001"
    before = call("GET", loyalty, None, other)[1]
    call("POST", f"{server}/api/external/add-points", {"customerId": 1001, "points": 5}, owner)
    call(
        "POST",
        f"{server}/api/external/redeem-points",
        {"customerId": 1001, "redeemRuleId": 1},
        owner,
    )
    assert call("GET", loyalty, None, other)[1] == before
    assert call("GET", loyalty, None, owner)[1] != before


def _jwt(header: dict[str, Any], claims: dict[str, Any], key: bytes | None) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    signing_input = f"{part(header)}.{part(claims)}"
    if key is None:
        return signing_input + "."
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def test_forged_medusa_jwts_are_refused(server: str, fixtures_server: str) -> None:
    claims = {"actor_id": "user_x", "actor_type": "user", "exp": int(time.time()) + 600}
    genuine = medusa_jwt(server)
    head, payload, signature = genuine.split(".")
    tampered_claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    tampered_claims["actor_id"] = "user_someone_else"
    tampered = _jwt({"alg": "HS256", "typ": "JWT"}, tampered_claims, None)[:-1] + signature
    foreign = medusa_jwt(fixtures_server)  # signed with another server's key
    forgeries = [
        _jwt({"alg": "none", "typ": "JWT"}, claims, None),
        _jwt({"alg": "HS256", "typ": "JWT"}, claims, b"guessed key"),
        _jwt({"alg": "HS256", "typ": "JWT"}, {**claims, "exp": 1}, b"guessed key"),
        tampered,
        foreign,
    ]
    for token in forgeries:
        assert call("GET", server + ACCOUNTS, None, bearer(token)) == (
            401,
            {"message": "Unauthorized"},
        )
    assert call("GET", server + ACCOUNTS, None, bearer(genuine))[0] == 200


def test_expired_credentials_are_refused(short_lived: tuple[str, Path]) -> None:
    base, _ = short_lived
    jwt = medusa_jwt(base)
    issued = spree_token(base, "test_expiry")
    time.sleep(1.2)
    assert call("GET", base + ACCOUNTS, None, bearer(jwt))[0] == 401
    status, answer = call("GET", base + CREDITS, None, bearer(issued["access_token"]))
    assert (status, answer) == (401, {"error": "The access token expired"})
    refresh = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
    assert call("POST", base + TOKEN, refresh)[0] == 200  # refreshing is what it is for


def test_spree_tokens_are_single_use_and_revocable(server: str) -> None:
    issued = spree_token(server, "test_misuse")
    refresh = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
    status, renewed = call("POST", server + TOKEN, refresh)
    assert status == 200
    assert call("GET", server + CREDITS, None, bearer(issued["access_token"]))[0] == 401
    status, answer = call("POST", server + TOKEN, refresh)  # a refresh token works once
    assert (status, answer["error"]) == (400, "invalid_grant")
    stolen = {
        **refresh,
        "refresh_token": renewed["refresh_token"],
        "client_id": "test_thief",
        "client_secret": "test_secret",
    }
    status, answer = call("POST", server + TOKEN, stolen)
    assert (status, answer["error"]) == (400, "invalid_grant")
    assert call("GET", server + CREDITS, None, bearer(renewed["access_token"]))[0] == 200
