"""A server restarted on the same state file has lost nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live import running_server
from tests.live.helpers import call

pytestmark = pytest.mark.slow

KEY = {"X-API-Key": "apst_test_restart"}
URL = "/api/external/customer-loyalty?customerId=1001"


def test_restart_with_a_state_file_keeps_state(tmp_path: Path) -> None:
    state = str(tmp_path / "state.sqlite3")
    with running_server("--state", state) as base:
        call("POST", f"{base}/api/external/add-credits", {"customerId": 1001, "credits": 7.25}, KEY)
        _, before = call("GET", base + URL, None, KEY)
    with running_server("--state", state) as base:
        _, after = call("GET", base + URL, None, KEY)
    assert after == before


def test_without_a_state_file_each_run_starts_fresh() -> None:
    with running_server() as base:
        _, seeded = call("GET", base + URL, None, KEY)
        call("POST", f"{base}/api/external/add-credits", {"customerId": 1001, "credits": 1}, KEY)
    with running_server() as base:
        _, fresh = call("GET", base + URL, None, KEY)
    assert fresh["storeCreditBalance"] == seeded["storeCreditBalance"]
