"""Replays every exchange recorded against a real Medusa 2.21.1 server (loyalty plugin 2.21.1)
against the mock, and compares status and body: keys, value types, error `type`/`message`,
and the deterministic values (balances, counts, notes, references). Ids, codes, timestamps
and tokens differ by nature and are compared by shape only.

How the recording is mapped onto the mock:
- Tenant: fixtures written for this test hold the recorded admin user (same id), the recorded
  secret key's id, and the two customers the recording created through `/admin/customers`
  (same ids and fields), and no accounts, as on the recorded server.
- Auth: "Bearer <redacted>" becomes the mock's JWT from the replayed login (or, where the
  label says so, a JWT signed with another secret / an empty token / the secret key);
  "Basic <redacted>" becomes the fixture key, with or without the colon as labelled; the
  session cookie (which the mock does not implement) is sent as the JWT bearer instead.
- Account ids: each recorded create maps its id to the mock's; later paths, queries and
  recorded bodies are rewritten with that map.
- Gaps: the recording skips some sequence numbers whose effects later answers show (an
  account created at 00:50:00.242, a 5 debit "manual correction", a 25 credit "refund",
  a 100 credit on the eur account). `GAP_FILLERS` replays them, at their place.
- Fidelity: the mock runs in its default `vendor` mode, so the recorded defects (500s,
  Express's HTML 404 pages) are answered as recorded.
- `EXCEPTIONS` lists every recorded exchange the mock deliberately answers differently.
"""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver.vendors.medusa import VENDOR
from mockserver.vendors.medusa.auth import sign_jwt

RECORDING = Path(__file__).resolve().parents[1] / "data" / "real-medusa" / "exchanges.jsonl"
ADMIN_ID = "user_01M80BNYNHJVHKCH95J877ZXCT"
KEY_ID = "apk_01M80BPCENSXVGR1AB5R19P163"
SECRET_KEY = "sk_test_recorded_secret_key"
PASSWORD = "supersecret"
ALICE = "cus_01M80BPDDJ2RNZVNZC598EFE74"
BOB = "cus_01M80BPE4YJ2B5PR310E60XNBK"
MAIN = "sc_acc_01M80BPE6T4J8Y0Y61Z6EN946F"
EUR = "sc_acc_01M80BPEB01HGASD8CAQVQFDBF"
GAP_ACCOUNT = "sc_acc_01M80BPEXJQM6G5A7F0AZ2CKAE"
VOLATILE = {"created_at", "updated_at", "code", "token"}

FIXTURES = {
    "users": [{"id": ADMIN_ID, "email": "admin@example.com", "password": PASSWORD}],
    "api_keys": [{"id": KEY_ID, "token": SECRET_KEY, "title": "contract-test-mwr4dv5u"}],
    "customers": [
        {
            "id": cid,
            "email": email,
            "first_name": first,
            "last_name": last,
            "has_account": False,
            "created_by": ADMIN_ID,
            "created_at": stamp,
        }
        for cid, email, first, last, stamp in (
            (ALICE, "alice-mwr4dv5u@example.com", "Alice", "Liddell", "2026-11-22T00:49:58.711Z"),
            (BOB, "bob-mwr4dv5u@example.com", "Bob", "Builder", "2026-11-22T00:49:59.457Z"),
        )
    ],
}

# Missing sequence numbers whose effects later recorded answers show:
# before seq -> (method, path, body). Recorded ids are mapped like everywhere else.
GAP_FILLERS: dict[int, list[tuple[str, str, dict[str, Any], str]]] = {
    46: [("POST", "/admin/store-credit-accounts", {"currency_code": "usd"}, GAP_ACCOUNT)],
    76: [
        (
            "POST",
            f"/admin/store-credit-accounts/{MAIN}/debit",
            {"amount": 5, "note": "manual correction"},
            "",
        )
    ],
    80: [
        (
            "POST",
            f"/admin/store-credit-accounts/{MAIN}/credit",
            {"amount": 25, "note": "refund"},
            "",
        ),
        ("POST", f"/admin/store-credit-accounts/{EUR}/credit", {"amount": 100}, ""),
    ],
}

# seq -> (why the mock differs, the mock's deliberate status, a check of its body).
EXCEPTIONS: dict[int, tuple[str, int, Any]] = {
    5: (
        "/admin/users/me is outside the mock's scope (the fixtures define the user)",
        404,
        None,
    ),
    6: (
        "/admin/api-keys is outside the mock's scope (the fixtures define the key)",
        404,
        None,
    ),
    13: (
        "/admin/customers is outside the mock's scope (customers are fixtures)",
        404,
        None,
    ),
    14: (
        "/admin/customers is outside the mock's scope (customers are fixtures)",
        404,
        None,
    ),
    150: (
        "CORS preflight: the mock serves no CORS; its admin auth check answers an "
        "unauthenticated OPTIONS first",
        401,
        {"message": "Unauthorized"},
    ),
    158: ("/health is Medusa's own, outside the mock's vendor paths", 404, None),
}


def load_recording() -> list[dict[str, Any]]:
    lines = RECORDING.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


class Replayer:
    """Sends recorded requests to the mock, translating auth and ids."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.client = app.test_client()
        self.ids: dict[str, str] = {}
        self.jwt = ""

    def mapped(self, text: str) -> str:
        for recorded, mine in self.ids.items():
            text = text.replace(recorded, mine)
        return text

    def auth_headers(self, exchange: dict[str, Any]) -> dict[str, str]:
        recorded = exchange["request_headers"]
        label = exchange["label"]
        auth = recorded.get("authorization", "")
        if "cookie" in recorded:
            return {"Authorization": f"Bearer {self.jwt}"}
        if auth.startswith("Basic"):
            raw = SECRET_KEY if "no colon" in label else f"{SECRET_KEY}:"
            return {"Authorization": "Basic " + base64.b64encode(raw.encode()).decode()}
        if auth.startswith("Token"):
            return {"Authorization": "Token abc123"}
        if auth.startswith("Bearer"):
            if "wrong secret" in label:
                claims = {"actor_id": ADMIN_ID, "actor_type": "user", "exp": int(time.time()) + 600}
                return {"Authorization": "Bearer " + sign_jwt(claims, b"not-the-key" * 3)}
            if "empty token" in label:
                return {"Authorization": "Bearer "}
            if "Bearer <secret key>" in label:
                return {"Authorization": f"Bearer {SECRET_KEY}"}
            return {"Authorization": f"Bearer {self.jwt}"}
        return {}

    def send(
        self, method: str, url: str, headers: dict[str, str], body: Any, content_type: str | None
    ) -> Any:
        data = None
        if isinstance(body, dict) and set(body) == {"raw"}:
            data = body["raw"].encode()
        elif body is not None:
            data = json.dumps(body).encode()
        if data is not None and content_type:
            headers = {**headers, "Content-Type": content_type}
        return self.client.open(url, method=method, data=data, headers=headers)

    def replay(self, exchange: dict[str, Any]) -> Any:
        body = exchange["request_body"]
        if exchange["path"] == "/auth/user/emailpass" and isinstance(body, dict) and body:
            right = exchange["label"].endswith("(valid)")
            body = {**body, "password": PASSWORD if right else "not-the-password"}
        url = self.mapped(exchange["path"])
        if exchange["query_string"]:
            url += "?" + self.mapped(exchange["query_string"])
        response = self.send(
            exchange["method"],
            url,
            self.auth_headers(exchange),
            body,
            exchange["request_headers"].get("content-type"),
        )
        if exchange["path"] == "/auth/user/emailpass" and response.status_code == 200:
            self.jwt = response.get_json()["token"]
        return response

    def learn_ids(self, recorded: Any, mine: Any) -> None:
        if isinstance(recorded, dict) and isinstance(mine, dict):
            account = recorded.get("store_credit_account")
            if isinstance(account, dict) and "id" in account:
                self.ids.setdefault(account["id"], mine["store_credit_account"]["id"])


def shape(value: Any) -> Any:
    """Volatile values as type markers, transaction ids as a marker, the rest as is."""
    if isinstance(value, dict):
        return {
            k: (type(v).__name__ if k in VOLATILE and v is not None else shape(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [shape(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"sc_trx_[0-9A-Z]{26}", value):
        return "<sc_trx id>"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@pytest.fixture(scope="module")
def replay_results(tmp_path_factory: Any) -> dict[int, tuple[dict[str, Any], Any, Replayer]]:
    from mockserver import MockConfig, create_app

    folder = tmp_path_factory.mktemp("fixtures")
    (folder / "medusa.yaml").write_text(yaml.safe_dump(FIXTURES), encoding="utf-8")
    app = create_app(MockConfig(strict_responses=True, fixtures_dir=str(folder)), vendors=[VENDOR])
    app.testing = True
    replayer = Replayer(app)
    results = {}
    for exchange in load_recording():
        for method, path, body, recorded_id in GAP_FILLERS.get(exchange["seq"], []):
            headers = {"Authorization": f"Bearer {replayer.jwt}"}
            answer = replayer.send(method, replayer.mapped(path), headers, body, "application/json")
            assert answer.status_code == 200, answer.get_json()
            if recorded_id:
                replayer.ids[recorded_id] = answer.get_json()["store_credit_account"]["id"]
        response = replayer.replay(exchange)
        if exchange["status"] == 200 and response.status_code == 200:
            replayer.learn_ids(exchange["response_body"], response.get_json())
        results[exchange["seq"]] = (exchange, response, replayer)
    yield results
    app.extensions["mockserver"].store.close()


RECORDED = load_recording()


@pytest.mark.parametrize(
    "seq", [e["seq"] for e in RECORDED if e["seq"] not in EXCEPTIONS], ids=lambda s: f"seq{s}"
)
def test_mock_answers_like_the_real_server(replay_results, seq):
    exchange, response, replayer = replay_results[seq]
    assert response.status_code == exchange["status"], (exchange["label"], response.get_data())
    if exchange["response_body_kind"] == "text":
        assert response.get_data(as_text=True) == replayer.mapped(exchange["response_body"])
        return
    if exchange["response_body_kind"] != "json":
        assert not response.get_data()
        return
    recorded = json.loads(replayer.mapped(json.dumps(exchange["response_body"])))
    assert shape(response.get_json()) == shape(recorded), exchange["label"]


@pytest.mark.parametrize("seq", sorted(EXCEPTIONS), ids=lambda s: f"seq{s}")
def test_deliberate_differences(replay_results, seq):
    exchange, response, replayer = replay_results[seq]
    _why, status, body = EXCEPTIONS[seq]
    assert response.status_code == status, response.get_data()
    if isinstance(body, dict):
        expected = json.loads(replayer.mapped(json.dumps(body).replace("<MAIN>", MAIN)))
        assert response.get_json() == expected
    elif isinstance(body, str):
        assert response.get_json()["message"].startswith(body)
    if body is None and status == 404 and exchange["path"].startswith(("/admin/", "/auth/")):
        # Outside the mock's paths: Express's HTML page, as the real server sends for those.
        page = f"<pre>Cannot {exchange['method']} {replayer.mapped(exchange['path'])}</pre>"
        assert page in response.get_data(as_text=True)


def test_every_recorded_exchange_is_replayed_or_listed():
    seqs = {e["seq"] for e in RECORDED}
    assert set(EXCEPTIONS) <= seqs
    assert len(RECORDED) == 128
