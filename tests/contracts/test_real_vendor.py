"""The live tier: the suite against a real Medusa 2.21.1 + loyalty plugin (setup.sh).

Small runs on purpose (a phase or two, a few examples, one path where that is enough): each
asserts one promise of issue 8 against the real server - clean with the shipped known
deviations, every planted bug caught by its check through a proxy, a refused credential stops
the run at once, a read-only run changes no row.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from contracts.config import Settings
from contracts.results import EXIT_BUDGET, EXIT_OK, EXIT_UNUSABLE
from contracts.runner import run
from tests.forwarder import forwarding_app, serving
from tests.mutation.bugs import by_name

KNOWN = str(Path(__file__).resolve().parents[2] / "contracts" / "known" / "medusa-2.21.1.yaml")
pytestmark = pytest.mark.real_medusa


def contracts(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "contracts.cli", "run", "--vendor", "medusa", "--quiet", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=600,
    )


def settings(base_url: str, secret_key: str, **overrides) -> Settings:
    values = dict(
        vendors=("medusa",),
        base_url=base_url,
        max_examples=2,
        seed=11,
        no_shrink=True,
        progress=False,
        phases=("examples",),
        credentials={"MEDUSA_SECRET_KEY": secret_key},
    )
    values.update(overrides)
    return Settings(**values)


def test_clean_with_the_shipped_known_deviations_twice(real_medusa):
    """Exit 0 with the known file, twice on the same database; without it the same run
    fails only on those known vendor defects."""
    env = {"MEDUSA_JWT": real_medusa.jwt}
    args = ["--base-url", real_medusa.base_url, "--phases", "examples,coverage"]
    args += ["--max-examples", "2", "--seed", "3", "--no-shrink", "--include-path", "accounts$"]
    for _ in range(2):
        done = contracts(*args, "--known", KNOWN, env=env)
        assert done.returncode == EXIT_OK, done.stdout[-3000:] + done.stderr[-2000:]
        assert "known: medusa-500-bad-date-filter seen" in done.stdout
    bare = contracts(*args, env=env)
    assert bare.returncode == 1
    assert "not_a_server_error" in bare.stdout and "$MEDUSA_JWT" in bare.stdout


def test_a_refused_credential_stops_the_run_at_once(real_medusa):
    started = time.monotonic()
    done = contracts(
        "--base-url", real_medusa.base_url, env={"MEDUSA_SECRET_KEY": "sk_not_a_real_key"}
    )
    assert done.returncode == EXIT_UNUSABLE
    assert time.monotonic() - started < 20
    assert "credentials refused (401" in done.stderr


def test_read_only_changes_no_row(real_medusa):
    before = real_medusa.row_counts()
    result = run(settings(real_medusa.base_url, real_medusa.secret_key, read_only=True))
    assert result.exit_code in (EXIT_OK, 1), result.vendors[0].preflight
    assert result.vendors[0].cases > 0
    assert real_medusa.row_counts() == before
    assert any("unsupported_method" in note for note in result.vendors[0].notes)


def test_the_budget_counts_every_request_and_says_it_ran_out(real_medusa):
    result = run(
        settings(
            real_medusa.base_url,
            real_medusa.secret_key,
            max_requests=25,
            scenarios=False,
            phases=("examples", "coverage"),
        )
    )
    vendor = result.vendors[0]
    assert vendor.budget_exhausted and vendor.requests == 25
    assert result.exit_code in (EXIT_BUDGET, 1)


# planted bug -> the run that shows it against the real server (phases, path, scenarios).
# `{id}` operations reach a real account (the run's working object stands in for the spec's
# example id, which does not exist on a real store).
LIVE_VARIANTS = {
    "missing_field": (("examples",), r"accounts/\{id\}$", False),
    "wrong_error_envelope": (("coverage",), r"accounts/\{id\}$", False),
    "server_error_on_odd_input": (("coverage",), r"credit$", False),
    "ledger_drift": ((), None, True),
    "overdraft_accepted": ((), None, True),
    "refused_but_changed": ((), None, True),
}


@pytest.mark.parametrize("name", sorted(LIVE_VARIANTS))
def test_planted_bug_between_suite_and_real_server_is_caught(real_medusa, name):
    bug = by_name()[name]
    variant, expected = bug.plant, bug.expect
    phases, include, scenarios = LIVE_VARIANTS[name]
    wanted = dict(
        phases=phases, include_path=include, scenarios=scenarios, max_examples=3, known=(KNOWN,)
    )
    with serving(forwarding_app(real_medusa.base_url)) as clean_url:
        clean = run(settings(clean_url, real_medusa.secret_key, **wanted))
    with serving(variant(forwarding_app(real_medusa.base_url))) as url:
        result = run(settings(url, real_medusa.secret_key, **wanted))
    caught = result.failed_checks & expected
    assert caught, f"{name}: expected {expected}, failed: {sorted(result.failed_checks)}"
    assert not caught & clean.failed_checks, f"{name}: the clean proxy already fails {caught}"
