"""Do reads stay O(answer) as history grows? Two reads, each at a short and a long history,
in-process:

- Medusa: the default page of an account's transaction list (the longest history writes
  build), at 100 and at 20,000 transactions.
- Appstle: a customer's loyalty answer (which every Appstle write returns too, rewards
  included), with 100 and 20,000 rewards of other customers in the shop.
- Medusa: the default page of the account list, at 100 and at 20,000 accounts.
- Spree: the default page of the store-credit list, at 100 and at 20,000 credits.

    .venv/bin/python bench/list_bench.py [--small 100] [--large 20000] [--repeat 30]

Target (issue 10): the read at the long history within 2x of the read at the short one. The
history is written through the vendor's own model or store in one transaction (writing 20,000
entries over HTTP would only time the writes); every read goes through the app, validation
included. Exit status 0 when the target is met, 1 when not.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockserver import MockConfig, create_app  # noqa: E402
from mockserver.vendors.medusa.models import Actor, Ledger  # noqa: E402

KEY = "sk_test_listbench"
AUTH = {"Authorization": "Basic c2tfdGVzdF9saXN0YmVuY2g6"}  # KEY, empty password
APPSTLE_AUTH = {"X-API-Key": "apst_test_listbench"}
SPREE_CLIENT = {"client_id": "test_listbench", "client_secret": "test_secret", "scope": "admin"}
MAX_RATIO = 2.0


@dataclass
class Timing:
    history: int
    best_ms: float
    median_ms: float


@contextmanager
def fresh_mock() -> Iterator[tuple[Any, Any]]:
    """A test client of a mock on fresh state, and its store (closed on the way out)."""
    with tempfile.TemporaryDirectory(prefix="listbench-") as folder:
        app = create_app(MockConfig(state_path=os.path.join(folder, "state.sqlite3")))
        store = app.extensions["mockserver"].store
        try:
            yield app.test_client(), store
        finally:
            store.close()


def fill(store: Any, credential: str, kind: str, count: int, change: Callable[[int], Any]) -> None:
    """`count` copies of the tenant's first record of `kind`, copy n with `change(n)` over it."""
    tenant = tenant_of(store, credential)
    with store.transaction() as tx:
        records = tx.tenant(tenant)
        sample = records.all(kind)[0]
        for number in range(count):
            record = {**sample, **change(number)}
            records.put(kind, str(record["id"]), record)


def time_page(history: int, repeat: int) -> Timing:
    """Fresh state, one account with `history` transactions, the default page timed."""
    with fresh_mock() as (client, store):
        accounts = client.get("/admin/store-credit-accounts", headers=AUTH)
        account = accounts.get_json()["store_credit_accounts"][0]["id"]
        tenant = tenant_of(store, KEY)
        url = f"/admin/store-credit-accounts/{account}/transactions"
        existing = client.get(url, headers=AUTH).get_json()["count"]  # the fixture's own
        with store.transaction() as tx:
            ledger = Ledger(tx.tenant(tenant))
            actor = Actor("api-key", "apk_listbench")
            now = datetime.now(UTC)
            for _ in range(max(0, history - existing)):
                ledger.add_transaction(account, "credit", Decimal("1.25"), "bench", actor, now)
        return timed(
            history,
            repeat,
            lambda: client.get(url, headers=AUTH),
            lambda body: body["count"] == history,
        )


def time_accounts(history: int, repeat: int) -> Timing:
    """Fresh state, `history` accounts (copies of the first, ids after the fixture's), the
    account list's default page timed."""
    with fresh_mock() as (client, store):
        url = "/admin/store-credit-accounts"
        existing = client.get(url, headers=AUTH).get_json()["count"]
        more = max(0, history - existing)
        fill(store, KEY, "account", more, lambda n: {"id": f"sc_acc_ZZ{n:024d}"})
        return timed(
            history,
            repeat,
            lambda: client.get(url, headers=AUTH),
            lambda body: body["count"] == existing + more,
        )


def time_customer(history: int, repeat: int) -> Timing:
    """Fresh state, a shop with `history` rewards of another customer, customer 1001's
    loyalty answer timed (its own two rewards in it)."""
    with fresh_mock() as (client, store):
        url = "/api/external/customer-loyalty?customerId=1001"
        mine = len(client.get(url, headers=APPSTLE_AUTH).get_json()["rewards"])
        credential = APPSTLE_AUTH["X-API-Key"]
        fill(store, credential, "reward", history, lambda n: {"id": 10**6 + n, "customerId": 1002})
        return timed(
            history,
            repeat,
            lambda: client.get(url, headers=APPSTLE_AUTH),
            lambda body: len(body["rewards"]) == mine,
        )


def time_spree_page(history: int, repeat: int) -> Timing:
    """Fresh state, a store with `history` store credits, the list's default page timed."""
    with fresh_mock() as (client, store):
        grant = {"grant_type": "client_credentials", **SPREE_CLIENT}
        token = client.post("/spree_oauth/token", data=grant).get_json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        url = "/api/v2/platform/store_credits"
        existing = client.get(url, headers=auth).get_json()["meta"]["total_count"]
        more = max(0, history - existing)
        fill(
            store, SPREE_CLIENT["client_id"], "store_credit", more, lambda n: {"id": str(10**6 + n)}
        )
        return timed(
            history,
            repeat,
            lambda: client.get(url, headers=auth),
            lambda body: body["meta"]["total_count"] == existing + more,
        )


def timed(
    history: int, repeat: int, read: Callable[[], Any], right: Callable[[Any], bool]
) -> Timing:
    """Best and median of `repeat` reads, each checked with `right` (its JSON body)."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = read()
        samples.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200 and right(answer.get_json())
    samples.sort()
    return Timing(history, samples[0], samples[len(samples) // 2])


def tenant_of(store: Any, credential: str) -> str:
    with store.transaction(write=False) as tx:
        return next(t["name"] for t in tx.tenants() if t["name"].endswith(credential))


def measure(small: int, large: int, repeat: int) -> tuple[list[str], bool]:
    """Report lines (markdown tables) and whether the target is met for both reads."""
    lines: list[str] = []
    met = True
    for what, header, time_read in (
        ("list transactions", "transactions | page (default, 15)", time_page),
        ("list accounts", "accounts | page (default, 15)", time_accounts),
        ("customer answer", "other customers' rewards | customer 1001", time_customer),
        ("list store credits", "store credits | page (default, 25)", time_spree_page),
    ):
        timings = [time_read(small, repeat), time_read(large, repeat)]
        ratio = timings[1].median_ms / timings[0].median_ms
        met &= ratio <= MAX_RATIO
        lines += [
            f"| {header} best | median |",
            "|---:|---:|---:|",
            *(f"| {t.history:,} | {t.best_ms:.2f} ms | {t.median_ms:.2f} ms |" for t in timings),
            "",
            f"- **{what}**: {'PASS' if ratio <= MAX_RATIO else 'MISS'} at {large:,} within "
            f"{MAX_RATIO:g}x of {small:,} ({ratio:.2f}x, medians)",
            "",
        ]
    return lines[:-1], met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    lines, met = measure(args.small, args.large, args.repeat)
    print("\n".join(lines))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
