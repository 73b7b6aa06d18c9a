"""`mockserver proxy` in front of the real Medusa and of the mock: exchanges pass unchanged,
are recorded (redacted) and replayable, and contract breaks are blamed on the right party."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from tests.live.helpers import call, running_server
from tests.proxy.helpers import corrupting_proxy, running_proxy

ACCOUNTS = "/admin/store-credit-accounts"
JSON = {"Content-Type": "application/json"}


def basic(key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}


def client_flow(base: str, auth: dict[str, str]) -> list[tuple[int, Any]]:
    """What an integration does: open an account, credit, debit, get refused an overdraft,
    list the transactions. Returns every answer in order."""
    answers = [call("POST", base + ACCOUNTS, {"currency_code": "usd"}, auth)]
    account = answers[0][1]["store_credit_account"]["id"]
    answers.append(call("POST", f"{base}{ACCOUNTS}/{account}/credit", {"amount": 10}, auth))
    answers.append(call("POST", f"{base}{ACCOUNTS}/{account}/debit", {"amount": 4}, auth))
    answers.append(call("POST", f"{base}{ACCOUNTS}/{account}/debit", {"amount": 1000}, auth))
    answers.append(call("GET", f"{base}{ACCOUNTS}/{account}/transactions", None, auth))
    answers.append(call("GET", f"{base}{ACCOUNTS}/{account}", None, auth))
    return answers


def replayed(base: str, recording: Path) -> list[tuple[int, Any]]:
    """Send every recorded request again, in order."""
    answers = []
    for file in sorted(recording.glob("*.json")):
        sent = json.loads(file.read_text())["request"]
        url = base + sent["path"] + (f"?{sent['query']}" if sent["query"] else "")
        answers.append(call(sent["method"], url, sent.get("json"), basic("sk_test_replay")))
    return answers


@pytest.mark.real_medusa
def test_a_client_flow_against_real_medusa_is_recorded_and_replayable(
    real_medusa: Any, tmp_path: Path
) -> None:
    recording, junit = tmp_path / "rec", tmp_path / "proxy.xml"
    with running_proxy(
        real_medusa.base_url, "--record", str(recording), "--report", f"junit:{junit}"
    ) as proxy:
        answers = client_flow(proxy.base, real_medusa.basic_header)
    statuses = [status for status, _ in answers]
    assert statuses == [200, 200, 200, 400, 200, 200]
    assert answers[3][1]["type"] == "invalid_data"  # the real refusal, passed on unchanged
    assert answers[5][1]["store_credit_account"]["balance"] == 6
    assert proxy.problems() == [], proxy.output  # the real Medusa keeps our contract
    assert proxy.returncode == 0
    assert "6 exchange(s) checked, 0 violation(s)" in proxy.output

    files = sorted(recording.glob("*.json"))
    assert [f.name for f in files] == [f"{n:06d}.json" for n in range(1, 7)]
    first = json.loads(files[0].read_text())
    assert first["request"]["json"] == {"currency_code": "usd"}
    assert first["request"]["headers"]["Authorization"] == "[redacted]"
    assert first["response"]["status"] == 200
    assert all(real_medusa.secret_key not in f.read_text() for f in files)
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0"

    with running_server("--replay", str(recording)) as mock:
        again = replayed(mock, recording)
        # Requests never recorded reach the stateful mock.
        fresh = call("GET", mock + ACCOUNTS, None, basic("sk_test_replay"))
    assert again == answers
    recorded_id = answers[0][1]["store_credit_account"]["id"]
    assert fresh[0] == 200  # the mock's own seeded tenant, which never saw the recorded account
    assert recorded_id not in {a["id"] for a in fresh[1]["store_credit_accounts"]}


def _balance_as_text(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
    """The spec says a number; `balance` may be left out (`fields`), so it is not dropped."""
    if path.endswith("/credit") and status == 200:
        account = body["store_credit_account"]
        account["balance"] = str(account["balance"])
    return status, body


def _plain_error(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
    if status >= 400:
        return status, {"error": "something went wrong"}
    return status, body


def _miscount(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
    if path.endswith("/debit") and status == 200:
        account = body["store_credit_account"]
        account["balance"] += 1
        account["credits"] += 1
    return status, body


@pytest.mark.real_medusa
@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        (_balance_as_text, "response conforms to the spec"),
        (_plain_error, "error envelope"),
        (_miscount, "ledger arithmetic"),
    ],
)
def test_a_vendor_breaking_the_contract_is_blamed(real_medusa: Any, mutate: Any, rule: str) -> None:
    with (
        corrupting_proxy(real_medusa.base_url, mutate) as corrupted,
        running_proxy(corrupted, "--fail-on-violation") as proxy,
    ):
        client_flow(proxy.base, real_medusa.basic_header)
    problems = proxy.problems()
    assert problems, proxy.output
    assert {p["party"] for p in problems} == {"vendor"}
    assert rule in {p["rule"] for p in problems}
    assert "vendor at fault" in proxy.output
    assert proxy.returncode == 1


@pytest.mark.real_medusa
def test_a_client_breaking_the_contract_is_blamed(real_medusa: Any, tmp_path: Path) -> None:
    html = tmp_path / "proxy.html"
    with running_proxy(real_medusa.base_url, "--report", f"html:{html}") as proxy:
        status, body = call(
            "POST",
            proxy.base + ACCOUNTS,
            {"currency_code": "usd", "colour": "red"},
            real_medusa.basic_header,
        )
    assert status == 400 and body["type"] == "invalid_data"  # Medusa refuses it too
    problems = proxy.problems()
    assert [(p["party"], p["rule"]) for p in problems] == [
        ("client", "request conforms to the spec")
    ]
    assert "colour" in problems[0]["message"]
    assert proxy.returncode == 0  # without --fail-on-violation the session still passes
    assert "client at fault" in html.read_text()


def test_faults_planted_in_the_mock_are_blamed_on_the_vendor(tmp_path: Path) -> None:
    with running_server() as mock:
        rule = {"path": f"{ACCOUNTS}/*/credit", "status": 503}
        assert call("POST", f"{mock}/__admin/faults", rule)[0] == 201
        junit = tmp_path / "proxy.xml"
        with running_proxy(mock, "--report", f"junit:{junit}", "--fail-on-violation") as proxy:
            auth = basic("sk_test_faults")
            status, body = call("POST", proxy.base + ACCOUNTS, {"currency_code": "usd"}, auth)
            account = body["store_credit_account"]["id"]
            refused = call("POST", f"{proxy.base}{ACCOUNTS}/{account}/credit", {"amount": 5}, auth)
    assert refused[0] == 503  # the mock's answer, passed on unchanged
    problems = proxy.problems()
    assert problems and {p["party"] for p in problems} == {"vendor"}
    assert {p["operation"] for p in problems} == {f"POST {ACCOUNTS}/{{id}}/credit"}
    assert proxy.returncode == 1
    failures = ET.parse(junit).getroot().iter("failure")
    assert any("vendor at fault (503)" in (f.get("message") or "") for f in failures)
