"""Is a page of a list O(page)? Times the default page of Medusa's transaction list (the
longest history a write builds) at a short and a long history, in-process.

    .venv/bin/python bench/list_bench.py [--small 100] [--large 20000] [--repeat 30]

Target (issue 10): the page at 20,000 transactions within 2x of the page at 100. The ledger
is filled through the vendor's own model in one transaction (writing 20,000 entries over HTTP
would only time the writes); every page is fetched through the app, validation included.
Exit status 0 when the target is met, 1 when not.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockserver import MockConfig, create_app  # noqa: E402
from mockserver.vendors.medusa.models import Actor, Ledger  # noqa: E402

KEY = "sk_test_listbench"
AUTH = {"Authorization": "Basic c2tfdGVzdF9saXN0YmVuY2g6"}  # KEY, empty password
MAX_RATIO = 2.0


@dataclass
class Timing:
    history: int
    best_ms: float
    median_ms: float


def time_page(history: int, repeat: int) -> Timing:
    """Fresh state, one account with `history` transactions, the default page timed."""
    with tempfile.TemporaryDirectory(prefix="listbench-") as folder:
        app = create_app(MockConfig(state_path=os.path.join(folder, "state.sqlite3")))
        client = app.test_client()
        accounts = client.get("/admin/store-credit-accounts", headers=AUTH)
        account = accounts.get_json()["store_credit_accounts"][0]["id"]
        store = app.extensions["mockserver"].store
        tenant = next(t["name"] for t in store_tenants(store) if t["name"].endswith(KEY))
        url = f"/admin/store-credit-accounts/{account}/transactions"
        existing = client.get(url, headers=AUTH).get_json()["count"]  # the fixture's own
        with store.transaction() as tx:
            ledger = Ledger(tx.tenant(tenant))
            actor = Actor("api-key", "apk_listbench")
            now = datetime.now(UTC)
            for _ in range(max(0, history - existing)):
                ledger.add_transaction(account, "credit", Decimal("1.25"), "bench", actor, now)
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            answer = client.get(url, headers=AUTH)
            samples.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200 and answer.get_json()["count"] == history
        store.close()
    samples.sort()
    return Timing(history, samples[0], samples[len(samples) // 2])


def store_tenants(store):  # type: ignore[no-untyped-def]
    with store.transaction(write=False) as tx:
        return tx.tenants()


def measure(small: int, large: int, repeat: int) -> tuple[list[str], bool]:
    """Report lines (markdown table) and whether the target is met."""
    timings = [time_page(small, repeat), time_page(large, repeat)]
    ratio = timings[1].median_ms / timings[0].median_ms
    met = ratio <= MAX_RATIO
    lines = [
        "| transactions | page (default, 15) best | median |",
        "|---:|---:|---:|",
        *(f"| {t.history:,} | {t.best_ms:.2f} ms | {t.median_ms:.2f} ms |" for t in timings),
        "",
        f"- **list transactions**: {'PASS' if met else 'MISS'} page at {large:,} within "
        f"{MAX_RATIO:g}x of the page at {small:,} ({ratio:.2f}x, medians)",
    ]
    return lines, met


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
