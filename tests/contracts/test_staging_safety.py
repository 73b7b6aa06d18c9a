"""Promises of a run that does not talk to our own mock: reachability and budget exits,
mock-only behaviour kept away from vendors, check selection reaching the scenarios."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from contracts.config import Settings
from contracts.known import load
from contracts.results import EXIT_BUDGET, EXIT_FAILED, EXIT_UNUSABLE, Outcome
from contracts.runner import default_app, run
from contracts.schema import raw_spec, takes_header
from contracts.target import Kind
from contracts.vendors import registry
from tests.contracts import planted as p
from tests.mutation.bugs import by_name

ACCOUNT_LIST = "/admin/store-credit-accounts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def small(**overrides) -> Settings:
    values = dict(vendors=("medusa",), max_examples=3, seed=5, no_shrink=True, progress=False)
    values.update(overrides)
    return Settings(**values)


def test_an_unreachable_url_is_one_line_and_exit_2_within_seconds():
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "contracts.cli", "run", "--vendor", "medusa", "--quiet"]
        + ["--base-url", f"http://127.0.0.1:{free_port()}"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "MEDUSA_SECRET_KEY": "sk_x"},
    )
    assert done.returncode == EXIT_UNUSABLE
    assert time.monotonic() - started < 15
    assert done.stderr.strip().count("\n") == 0 and "cannot reach" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_an_exhausted_budget_has_its_own_exit_code_and_counts_every_request():
    result = run(small(max_requests=40), app=default_app())
    vendor = result.vendors[0]
    assert vendor.budget_exhausted and vendor.requests == 40
    assert result.exit_code == EXIT_BUDGET


def test_a_run_cut_short_still_reports_its_failures():
    variant = by_name()["ledger_drift"].plant
    result = run(small(max_requests=60), app=variant(default_app()))
    assert result.vendors[0].budget_exhausted
    assert "ledger_arithmetic" in result.failed_checks and result.exit_code == EXIT_FAILED


def test_mock_only_parts_are_not_shown_to_a_vendor():
    for profile in registry().values():
        assert takes_header(raw_spec(profile, Kind.MOCK), "Idempotency-Key")
        assert not takes_header(raw_spec(profile, Kind.VENDOR), "Idempotency-Key")


def test_check_selection_reaches_the_scenarios():
    variant = by_name()["ledger_drift"].plant
    excluded = run(
        small(phases=(), exclude_checks=("ledger_arithmetic",)), app=variant(default_app())
    )
    assert "ledger_arithmetic" not in excluded.failed_checks
    only = run(small(phases=(), include_checks=("overdraft_refused",)), app=default_app())
    assert {check for _op, check, _p, _f in only.vendors[0].rows()} == {"overdraft_refused"}


def another_writer(app, times: int):
    """The mock shared with someone who opens an account, with the same credential, just
    before each of the suite's first `times` descending reads of the account list."""
    from werkzeug.test import Client

    seen = []

    def hook(req, body):
        if (
            req.method == "GET"
            and req.path == ACCOUNT_LIST
            and "order=-" in req.query_string.decode()
        ):
            seen.append(req.path)
            if len(seen) <= times:
                headers = {"Authorization": req.headers["Authorization"]}
                made = Client(app).post(
                    ACCOUNT_LIST, json={"currency_code": "usd"}, headers=headers
                )
                assert made.status_code == 200, made.text
        return None

    return p.Planted(app, request=hook), seen


@pytest.mark.parametrize("times", [1, 1000])
def test_a_list_that_moves_while_it_is_read_is_not_a_paging_failure(times):
    """A shared staging list grows under the check (the real-Medusa CI tier caught this as a
    false `pages_agree` failure): it reads again, and never reports the move as a defect."""
    app, seen = another_writer(default_app(), times)
    result = run(small(phases=(), include_checks=("pages_agree",)), app=app)
    rows = {(check, passed, failed) for _op, check, passed, failed in result.vendors[0].rows()}
    assert seen and "pages_agree" not in result.failed_checks, result.vendors[0].rows()
    assert any(passed for _c, passed, _f in rows) == (times == 1)


def test_known_deviation_matches_on_status_request_and_answer(tmp_path):
    path = tmp_path / "known.yaml"
    path.write_text(
        "vendor: medusa\nversion: '1'\ndeviations:\n"
        "  - id: x\n    check: not_a_server_error\n    operation: GET /a\n"
        "    match: {status: 500, request: 'limit=-1', answer: unknown_error}\n"
    )
    known = load([str(path)])
    failure = Outcome(
        "medusa",
        "GET /a",
        "not_a_server_error",
        False,
        status=500,
        answer='{"type":"unknown_error"}',
        request="GET http://h/a?limit=-1",
    )
    assert known.match(failure) == "x"
    from dataclasses import replace

    assert known.match(replace(failure, request="GET http://h/a?order=x")) is None
    assert known.match(replace(failure, status=502)) is None
    assert known.match(replace(failure, vendor="spree")) is None


def test_a_baseline_makes_the_same_failures_known(tmp_path):
    from contracts.known import baseline

    variant = by_name()["ledger_drift"].plant
    first = run(small(phases=()), app=variant(default_app()))
    assert "ledger_arithmetic" in first.failed_checks
    path = tmp_path / "baseline.yaml"
    path.write_text(baseline(first))
    again = run(small(phases=(), known=(str(path),)), app=variant(default_app()))
    assert again.exit_code == 0 and again.vendors[0].known
