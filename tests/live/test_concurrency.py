"""Concurrent writes through a real 2-worker gunicorn server lose no update."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from decimal import Decimal

import pytest

from tests.live import running_server
from tests.live.helpers import call

pytestmark = pytest.mark.slow

KEY = {"X-API-Key": "apst_test_concurrency"}
CLIENT_PROCESSES = 2
THREADS_PER_PROCESS = 8
CREDITS_PER_PROCESS = 150
AMOUNT = Decimal("0.37")


def _credit_burst(base: str) -> list[int]:
    """One client process: many threads each adding one credit; returns the statuses."""

    def one(_: int) -> int:
        status, _body = call(
            "POST",
            f"{base}/api/external/add-credits",
            {"customerId": 1001, "credits": float(AMOUNT), "note": "concurrency"},
            KEY,
        )
        return status

    with ThreadPoolExecutor(THREADS_PER_PROCESS) as pool:
        return list(pool.map(one, range(CREDITS_PER_PROCESS)))


def balance(base: str) -> Decimal:
    status, body = call("GET", f"{base}/api/external/customer-loyalty?customerId=1001", None, KEY)
    assert status == 200
    return Decimal(str(body["storeCreditBalance"]))


def test_parallel_credits_from_threads_and_processes_add_up_exactly() -> None:
    with running_server("--workers", "2", "--threads", "4") as base:
        before = balance(base)
        with ProcessPoolExecutor(CLIENT_PROCESSES) as pool:
            statuses = [
                s for burst in pool.map(_credit_burst, [base] * CLIENT_PROCESSES) for s in burst
            ]
        assert statuses == [200] * (CLIENT_PROCESSES * CREDITS_PER_PROCESS)
        expected = before + AMOUNT * CLIENT_PROCESSES * CREDITS_PER_PROCESS
        assert balance(base) == expected
