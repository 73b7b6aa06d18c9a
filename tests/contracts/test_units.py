"""Unit tests of the suite's pieces on hand-made data: no mock, no Schemathesis run."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import pytest

from contracts import config, replay
from contracts.auth import AuthError, TokenEndpoint, basic_secret_key
from contracts.budget import Limiter, RequestBudgetExceeded
from contracts.checks.envelope import envelope_problem, vendor_error_envelope
from contracts.checks.ledger import ledger_invariants
from contracts.checks.scenario import diff
from contracts.credentials import identities
from contracts.handlers import html, junit
from contracts.handlers.console import summary
from contracts.preflight import PreflightError
from contracts.results import Outcome, RunResult, VendorResult
from contracts.target import Exchange, Kind
from contracts.vendors import registry
from contracts.vendors.spree import display_number

PROFILES = registry()


# --- error envelopes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "body", "ok"),
    [
        ("/api/external/add-credits", 400, {"error": "Invalid request", "details": "x"}, True),
        ("/api/external/add-credits", 400, {"message": "Invalid request"}, False),
        ("/admin/store-credit-accounts", 400, {"type": "invalid_data", "message": "m"}, True),
        ("/admin/store-credit-accounts", 400, {"type": "not_found", "message": "m"}, False),
        ("/admin/store-credit-accounts", 401, {"message": "Unauthorized"}, True),
        ("/admin/store-credit-accounts", 404, {"error": "Not Found"}, False),
        ("/api/v2/platform/store_credits/1", 404, {"error": "not found"}, True),
        (
            "/api/v2/platform/store_credits",
            422,
            {"error": "x", "errors": {"amount": ["bad"]}},
            True,
        ),
        ("/api/v2/platform/store_credits", 422, {"error": "x", "errors": ["bad"]}, False),
        ("/somewhere/else", 400, "anything", True),
    ],
)
def test_envelope_shapes(path, status, body, ok):
    assert (envelope_problem(path, status, body, parsed=True) is None) is ok


def test_envelope_rejects_non_json_error():
    problem = envelope_problem("/admin/store-credit-accounts", 500, None, parsed=False)
    assert "not JSON" in problem


class FakeResponse:
    def __init__(self, status: int, body: object) -> None:
        self.status_code = status
        self._body = body

    def json(self) -> object:
        if isinstance(self._body, bytes):
            raise ValueError("not json")
        return self._body


def case(path: str) -> SimpleNamespace:
    return SimpleNamespace(operation=SimpleNamespace(path=path, label=f"GET {path}"))


def test_envelope_check_raises_with_reason():
    with pytest.raises(AssertionError, match='string "message"'):
        vendor_error_envelope(None, FakeResponse(404, {"error": "x"}), case("/admin/x"))
    assert vendor_error_envelope(None, FakeResponse(200, {}), case("/admin/x")) is True
    assert vendor_error_envelope(None, FakeResponse(500, b"<html>"), case("/elsewhere")) is True


# --- ledger invariants -------------------------------------------------------------------------


def test_medusa_balance_identity():
    good = {"store_credit_account": {"id": "a", "balance": 6.3, "credits": 10.55, "debits": 4.25}}
    bad = {"store_credit_accounts": [{"id": "b", "balance": 7, "credits": 10.55, "debits": 4.25}]}
    path = case("/admin/store-credit-accounts")
    assert ledger_invariants(None, FakeResponse(200, good), path) is None
    with pytest.raises(AssertionError, match="balance 7 != credits 10.55 - debits 4.25"):
        ledger_invariants(None, FakeResponse(200, bad), path)


def spree_credit(**attributes: object) -> dict:
    base = {"amount": "150.0", "amount_used": "0.0", "amount_authorized": "0.0"}
    base.update({"display_amount": "$150.00", "display_amount_used": "$0.00"})
    base.update(attributes)
    return {"data": {"id": "7", "type": "store_credit", "attributes": base}}


@pytest.mark.parametrize(
    ("attributes", "fragment"),
    [
        ({}, None),
        ({"amount": "1150.5", "display_amount": "$1,150.50"}, None),
        ({"amount": 150.0}, "decimal strings"),
        ({"display_amount": "$15.00"}, "does not show amount"),
        (
            {"amount_used": "100.0", "amount_authorized": "60.0", "display_amount_used": "$100.00"},
            "> amount",
        ),
    ],
)
def test_spree_amount_invariants(attributes, fragment):
    path = case("/api/v2/platform/store_credits/7")
    response = FakeResponse(200, spree_credit(**attributes))
    if fragment is None:
        assert ledger_invariants(None, response, path) is None
    else:
        with pytest.raises(AssertionError, match=fragment):
            ledger_invariants(None, response, path)


def test_display_number_reads_both_separators():
    assert display_number("$1,150.50") == Decimal("1150.50")
    assert display_number("1.150,50 €") == Decimal("1150.50")
    assert display_number("n/a") is None


def test_diff_reports_exact_moves():
    before = {"balance": Decimal("1"), "credits": Decimal("1")}
    after = {"balance": Decimal("11.55"), "credits": Decimal("11.56")}
    problems = diff(before, after, {"balance": Decimal("10.55"), "credits": Decimal("10.55")})
    assert problems == ["credits moved by 10.56, expected 10.55"]


# --- configuration -----------------------------------------------------------------------------


def test_settings_precedence(tmp_path: Path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.contracts]\nmax-examples = 7\nworkers = 2\nvendor = "spree"\n')
    env = {"CONTRACTS_MAX_EXAMPLES": "9", "MEDUSA_SECRET_KEY": "sk_env", "OTHER": "x"}
    settings = config.load(
        {"max_examples": 11, "credentials": {"MEDUSA_SECRET_KEY": "sk_flag"}},
        environ=env,
        pyproject=pyproject,
    )
    assert settings.max_examples == 11  # flag beats env beats pyproject
    assert settings.workers == 2  # pyproject beats the default
    assert settings.vendors == ("spree",)
    assert settings.credentials == {"MEDUSA_SECRET_KEY": "sk_flag"}
    assert config.load({}, environ=env, pyproject=pyproject).max_examples == 9


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"vendors": "stripe"}, "unknown vendor stripe"),
        ({"reports": ["xml:out"]}, "junit:PATH or html:PATH"),
        ({"max_examples": "many"}, "must be an integer"),
        ({"rate_limit": "0"}, "positive"),
    ],
)
def test_bad_settings_say_why(flags, message, tmp_path: Path):
    with pytest.raises(config.ConfigError, match=message):
        config.load(flags, environ={}, pyproject=tmp_path / "none.toml")


def test_unknown_pyproject_key(tmp_path: Path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.contracts]\nmax-exampels = 3\n")
    with pytest.raises(config.ConfigError, match="unknown key 'max-exampels'"):
        config.load({}, environ={}, pyproject=pyproject)


def test_vendor_all_and_rate_suffix(tmp_path: Path):
    settings = config.load({"vendors": "all", "rate_limit": "5/s"}, environ={}, pyproject=None)
    assert settings.vendors == config.VENDORS
    assert settings.rate_limit == 5.0


# --- credentials -------------------------------------------------------------------------------


def test_identities_prefer_given_credentials_then_demo():
    medusa = PROFILES["medusa"]
    given = {"MEDUSA_EMAIL_2": "qa@example.com", "MEDUSA_PASSWORD_2": "pw"}
    first, second = identities(medusa, given)
    assert first == medusa.demo
    assert second == {"MEDUSA_EMAIL": "qa@example.com", "MEDUSA_PASSWORD": "pw"}


def test_a_vendor_never_gets_demo_credentials():
    medusa = PROFILES["medusa"]
    with pytest.raises(PreflightError, match="MEDUSA_SECRET_KEY"):
        identities(medusa, {}, Kind.VENDOR)
    first, second = identities(medusa, {"MEDUSA_JWT": "eyJ"}, Kind.VENDOR)
    assert first == {"MEDUSA_JWT": "eyJ"} and second is None


def test_basic_secret_key_has_empty_password():
    assert basic_secret_key("sk_1").headers() == {"Authorization": "Basic c2tfMTo="}


def test_token_endpoint_refreshes_when_expired(monkeypatch):
    calls: list[str | None] = []
    clock = [1000.0]
    monkeypatch.setattr("contracts.auth.time.monotonic", lambda: clock[0])

    def fetch(target, refresh):
        calls.append(refresh)
        return f"tok{len(calls)}", 100.0, f"ref{len(calls)}"

    auth = TokenEndpoint(target=None, fetch=fetch)
    assert auth.headers() == {"Authorization": "Bearer tok1"}
    clock[0] += 60  # still inside expires_in - margin
    assert auth.headers() == {"Authorization": "Bearer tok1"}
    clock[0] += 20
    assert auth.headers() == {"Authorization": "Bearer tok2"}
    assert calls == [None, "ref1"]


def test_token_endpoint_falls_back_when_refresh_refused():
    calls: list[str | None] = []

    def fetch(target, refresh):
        calls.append(refresh)
        if refresh:
            raise AuthError("refresh refused")
        return "fresh", None, "r"

    auth = TokenEndpoint(target=None, fetch=fetch, _refresh="stale")
    assert auth.headers() == {"Authorization": "Bearer fresh"}
    assert calls == ["stale", None]


def test_limiter_budget():
    limiter = Limiter(max_requests=2)
    limiter.take()
    limiter.take()
    with pytest.raises(RequestBudgetExceeded):
        limiter.take()
    assert limiter.exhausted


def test_replay_line_reads_secrets_from_the_environment():
    import subprocess

    key = basic_secret_key("sk_live_123", "MEDUSA_SECRET_KEY")
    exchange = Exchange(
        "POST",
        "http://h/x",
        {**key.headers(), "Content-Type": "application/json"},
        {"password": "hunter22"},
        200,
        {},
        b"{}",
    )
    given = {"MEDUSA_PASSWORD": "hunter22", "MEDUSA_PORT": "9100"}
    secrets = replay.secrets([key], given, ["MEDUSA_PASSWORD"])
    line = replay.mask(exchange.curl(), secrets)
    assert "sk_live_123" not in line and "c2tfbGl2ZV8xMjM6" not in line and "hunter22" not in line
    assert "$MEDUSA_SECRET_KEY" in line and "[Filtered]" not in line and "$MEDUSA_PORT" not in line
    # The shell rebuilds exactly the header and body that were sent.
    env = {
        "MEDUSA_SECRET_KEY": "sk_live_123",
        "MEDUSA_PASSWORD": "hunter22",
        "PATH": "/usr/bin:/bin",
    }
    echoed = subprocess.run(
        ["bash", "-c", "printf '%s\\n' " + line.removeprefix("curl ")],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert f"Authorization: Basic {key.value.split()[1]}" in echoed
    assert '{"password": "hunter22"}' in echoed


# --- reports -----------------------------------------------------------------------------------


def sample_result() -> RunResult:
    vendor = VendorResult("medusa", cases=3, seconds=0.5)
    vendor.add(Outcome("medusa", "GET /admin/x", "not_a_server_error", True))
    vendor.add(
        Outcome(
            "medusa",
            "POST /admin/x",
            "ledger_arithmetic",
            False,
            "balance moved by 2",
            "curl -X POST http://h/admin/x",
        )
    )
    return RunResult([vendor], seed=4)


def test_junit_is_valid_and_counts(tmp_path: Path):
    path = tmp_path / "out" / "junit.xml"
    junit.write(sample_result(), path)
    root = ET.parse(path).getroot()
    suite = root.find("testsuite")
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    failure = root.find(".//failure")
    assert failure.get("message") == "balance moved by 2"
    assert "curl -X POST" in failure.text
    assert root.find(".//property[@name='seed']").get("value") == "4"


def test_summary_and_html(tmp_path: Path):
    import io

    out = io.StringIO()
    result = sample_result()
    summary(result, out)
    text = out.getvalue()
    assert "ledger_arithmetic" in text and "replay: curl -X POST" in text and "FAILED" in text
    assert "seed 4" in text
    html.write(result, tmp_path / "r.html")
    assert "balance moved by 2" in (tmp_path / "r.html").read_text()
    assert not result.ok and result.failed_checks == {"ledger_arithmetic"}
    json.dumps(result.failed_checks, default=list)


def test_settings_that_cannot_be_pickled_fail_instead_of_hanging():
    """The worker process reads pickled settings from stdin; a pickling error used to leave
    it waiting for input while the parent waited for it to exit."""
    import pickle
    import threading

    from contracts.config import Settings
    from contracts.processes import _vendor_process

    unpicklable = Settings(vendors=("appstle",), credentials={"APPSTLE_API_KEY": lambda: "x"})
    raised: list[BaseException] = []

    def attempt() -> None:
        try:
            _vendor_process(unpicklable, "appstle", lambda step: None)
        except Exception as exc:  # noqa: BLE001 - what it raises is asserted below
            raised.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the run hangs on settings it cannot pickle"
    assert raised and isinstance(raised[0], (pickle.PicklingError, AttributeError, TypeError))
