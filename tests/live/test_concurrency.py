"""Concurrent writes through a real 2-worker gunicorn server lose no update, never overdraw,
and an Idempotency-Key sent many times at once takes effect once."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest

from tests.live import running_server
from tests.live.helpers import call
from tests.live.vendors import (
    APPSTLE_CREDIT,
    APPSTLE_CUSTOMER,
    MEDUSA_ACCOUNT,
    SPREE_CREDITS,
    appstle_headers,
    medusa_headers,
    spree_credit,
    spree_headers,
)

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


# -- every vendor: racing at the balance edge, and one Idempotency-Key sent 50 times at once --

RACERS = 20


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """One 2-worker server; each test below works in a sandbox tenant of its own."""
    with running_server("--workers", "2", "--threads", "4") as base:
        yield base


def race(calls: list[Callable[[], tuple[int, Any]]]) -> list[tuple[int, Any]]:
    """Run the calls at once, from as many threads."""
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(lambda one: one(), calls))


def test_appstle_racing_point_removals_never_overdraw(server: str) -> None:
    headers = appstle_headers("edge")
    url = f"{server}/api/external/remove-points"
    answers = race(
        [lambda: call("POST", url, {"customerId": 1001, "points": 1000}, headers)] * RACERS
    )
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 4 + [400] * (RACERS - 4)  # the demo customer has 4250 points
    _, customer = call("GET", server + APPSTLE_CUSTOMER, None, headers)
    assert customer["availablePoints"] == 250


def test_medusa_racing_debits_never_overdraw(server: str) -> None:
    headers = medusa_headers("edge")
    url = f"{server}{MEDUSA_ACCOUNT}/debit"
    answers = race([lambda: call("POST", url, {"amount": 10}, headers)] * RACERS)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 7 + [400] * (RACERS - 7)  # the demo account holds 75.5
    _, account = call("GET", server + MEDUSA_ACCOUNT, None, headers)
    assert account["store_credit_account"]["balance"] == 5.5


def test_spree_racing_deletes_of_one_credit_take_it_off_once(server: str) -> None:
    headers = spree_headers(server, "edge")
    status, created = call("POST", server + SPREE_CREDITS, spree_credit(40), headers)
    assert status == 201
    url = f"{server}{SPREE_CREDITS}/{created['data']['id']}"
    answers = race([lambda: call("DELETE", url, None, headers)] * RACERS)
    assert sorted(status for status, _ in answers) == [204] + [404] * (RACERS - 1)
    assert spree_user_total(server, "edge") == Decimal("100")  # the demo credit alone


def spree_user_total(server: str, sandbox: str) -> Decimal:
    tenant = f"spree:test_{sandbox}"
    _, dump = call("GET", f"{server}/__admin/state?tenant={tenant}")
    (total,) = dump["tenants"][tenant]["records"]["user_store_credit_total"]
    return Decimal(total["data"]["amount"])


@pytest.mark.parametrize("vendor", ["appstle", "medusa", "spree"])
def test_fifty_concurrent_repeats_of_one_idempotency_key_have_one_effect(
    server: str, vendor: str
) -> None:
    sandbox = f"idem_{vendor}"
    url, headers, body = {
        "appstle": lambda: (
            server + APPSTLE_CREDIT,
            appstle_headers(sandbox),
            {"customerId": 1001, "credits": 3, "note": "once"},
        ),
        "medusa": lambda: (
            f"{server}{MEDUSA_ACCOUNT}/credit",
            medusa_headers(sandbox),
            {"amount": 3, "note": "once"},
        ),
        "spree": lambda: (server + SPREE_CREDITS, spree_headers(server, sandbox), spree_credit(3)),
    }[vendor]()
    headers = {**headers, "Idempotency-Key": f"key-{vendor}"}
    answers = race([lambda: call("POST", url, body, headers)] * 50)
    assert {status for status, _ in answers} <= {200, 201}
    assert len({json.dumps(answer, sort_keys=True) for _, answer in answers}) == 1
    assert effects(server, vendor, sandbox) == 1


def effects(server: str, vendor: str, sandbox: str) -> int:
    """How many writes of the idempotency test landed in the sandbox tenant."""
    tenant = {"appstle": "appstle:apst_test_", "medusa": "medusa:sk_test_", "spree": "spree:test_"}
    name = tenant[vendor] + sandbox
    _, dump = call("GET", f"{server}/__admin/state?tenant={name}")
    records = dump["tenants"][name]["records"]
    if vendor == "appstle":
        return sum(t["data"]["note"] == "once" for t in records["transaction"])
    if vendor == "medusa":
        kind = next(k for k in records if k.startswith("transaction:"))
        return sum(t["data"]["note"] == "once" for t in records[kind])
    return sum(c["data"]["amount"] == "3.00" for c in records["store_credit"])
