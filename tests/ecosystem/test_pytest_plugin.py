"""The pytest plugin's mock fixtures, as a user's own test run sees them (a pytest subprocess)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

USER_CONFTEST = """
import pytest

@pytest.fixture(scope="session")
def contracts_mock_options():
    return {"vendors": ("appstle", "medusa")}
"""

USER_TESTS = """
import json
import urllib.error
import urllib.request

import pytest

KEY = {"X-API-Key": "apst_test_plugin"}
SEEN = []


def get(url, headers=KEY):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def credit(base):
    body = json.dumps({"customerId": 1001, "credits": 5}).encode()
    request = urllib.request.Request(
        f"{base}/api/external/add-credits", data=body, method="POST",
        headers={**KEY, "Content-Type": "application/json"},
    )
    return json.loads(urllib.request.urlopen(request).read())["storeCreditBalance"]


def test_session_server_keeps_state_until_reset(contracts_mock_server_session):
    SEEN.append(contracts_mock_server_session.url)
    assert credit(contracts_mock_server_session) == 30.5
    assert credit(contracts_mock_server_session) == 35.5
    contracts_mock_server_session.reset()
    assert credit(contracts_mock_server_session) == 30.5


def test_session_server_is_started_once(contracts_mock_server_session):
    assert SEEN == [contracts_mock_server_session.url]


def test_session_options_apply(contracts_mock_server):
    assert get(f"{contracts_mock_server}/api/v2/platform/store_credits")[0] == 404  # no Spree
    assert get(f"{contracts_mock_server}/api/external/point-redeem-rules")[0] == 200


@pytest.mark.contracts_mock(vendors=("spree",))
def test_a_marker_overrides_them(contracts_mock_server):
    assert get(f"{contracts_mock_server}/api/external/point-redeem-rules")[0] == 404


@pytest.mark.contracts_mock(faults=[{"path": "/api/external/*", "status": 503}])
def test_faults_from_the_marker(contracts_mock_server):
    assert get(f"{contracts_mock_server}/api/external/point-redeem-rules")[0] == 503
    journal = contracts_mock_server.admin("GET", "/requests")
    assert journal


def test_each_test_gets_fresh_state(contracts_mock_server):
    assert credit(contracts_mock_server) == 30.5


def test_the_app_fixture(contracts_mock_app):
    answer = contracts_mock_app.test_client().get("/__admin/health")
    assert answer.status_code == 200
"""


def test_user_fixtures_options_and_no_leftover_files(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "conftest.py").write_text(USER_CONFTEST)
    (project / "test_user.py").write_text(USER_TESTS)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "TMPDIR": str(scratch), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "7 passed" in done.stdout
    assert not [p.name for p in scratch.iterdir() if p.name.startswith("mockserver-")]
