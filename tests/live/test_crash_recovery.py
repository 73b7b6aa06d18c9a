"""`kill -9` of the whole server (master and workers) in the middle of a mixed write load on
all three vendors: after a restart on the same state file every acknowledged write is there,
the database is intact, and each running sum still equals the ledger it summarises."""

from __future__ import annotations

import http.client
import itertools
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.live.helpers import call, started_server, wait_until
from tests.live.vendors import (
    APPSTLE_CREDIT,
    MEDUSA_ACCOUNT,
    SPREE_CREDITS,
    appstle_headers,
    medusa_headers,
    spree_credit,
    spree_headers,
)

pytestmark = pytest.mark.slow

SANDBOX = "crash"
# Acknowledged writes of each kind before the crash.
ACKS_BEFORE_THE_CRASH = {"appstle": 15, "medusa": 15, "spree": 15, "spree-deleted": 5}


class Load:
    """Writes from a few threads until stopped; remembers what the server acknowledged."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.stop = threading.Event()
        self.acked: dict[str, list[Any]] = defaultdict(list)
        self.numbers = itertools.count()
        self.spree = spree_headers(base, SANDBOX)

    def run(self, vendor: str, write: Callable[[int], Any]) -> None:
        while not self.stop.is_set():
            try:
                done = write(next(self.numbers))
            except (OSError, http.client.HTTPException, ValueError):
                # the server went away mid-request: this write was never acknowledged
                continue
            if done is not None:
                self.acked[vendor].append(done)

    def appstle(self, n: int) -> str | None:
        body = {"customerId": 1001, "credits": 0.25, "note": f"load-{n}"}
        status, _ = call("POST", self.base + APPSTLE_CREDIT, body, appstle_headers(SANDBOX))
        return body["note"] if status == 200 else None

    def medusa(self, n: int) -> str | None:
        kind = "debit" if n % 3 == 0 else "credit"
        body = {"amount": 0.5, "note": f"load-{n}"}
        url = f"{self.base}{MEDUSA_ACCOUNT}/{kind}"
        status, _ = call("POST", url, body, medusa_headers(SANDBOX))
        return body["note"] if status == 200 else None

    def spree_create(self, n: int) -> str | None:
        status, body = call("POST", self.base + SPREE_CREDITS, spree_credit(n % 7 + 1), self.spree)
        return body["data"]["id"] if status == 201 else None

    def spree_delete(self, n: int) -> str | None:
        created = self.acked["spree"]
        if len(created) < 2:
            return None
        credit_id = created[n % (len(created) - 1)]
        status, _ = call("DELETE", f"{self.base}{SPREE_CREDITS}/{credit_id}", None, self.spree)
        return credit_id if status == 204 else None


def tenant_records(base: str, vendor: str) -> dict[str, list[dict[str, Any]]]:
    status, body = call("GET", f"{base}/__admin/tenants")
    assert status == 200
    (name,) = [t["name"] for t in body["tenants"] if t["vendor"] == vendor and SANDBOX in t["name"]]
    status, dump = call("GET", f"{base}/__admin/state?tenant={name}")
    assert status == 200
    return {
        kind: [item["data"] for item in items]
        for kind, items in dump["tenants"][name]["records"].items()
    }


def test_kill_9_under_mixed_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    state = str(tmp_path / "state.sqlite3")
    with started_server("--state", state, "--workers", "2", "--threads", "4") as server:
        load = Load(server.base)
        writers = {
            "appstle": load.appstle,
            "medusa": load.medusa,
            "spree": load.spree_create,
            "spree-deleted": load.spree_delete,
        }
        threads = [
            threading.Thread(target=load.run, args=(vendor, write), daemon=True)
            for vendor, write in writers.items()
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        wait_until(
            lambda: all(len(load.acked[k]) >= n for k, n in ACKS_BEFORE_THE_CRASH.items()),
            timeout=120,
            what="a mixed load",
        )
        server.kill_all()
        load.stop.set()
        for thread in threads:
            thread.join(timeout=60)
    acked = {vendor: list(done) for vendor, done in load.acked.items()}

    with started_server("--state", state) as server:
        with sqlite3.connect(state) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        check_appstle(tenant_records(server.base, "appstle"), acked["appstle"])
        check_medusa(tenant_records(server.base, "medusa"), acked["medusa"])
        check_spree(tenant_records(server.base, "spree"), acked["spree"], acked["spree-deleted"])


def check_appstle(records: dict[str, list[dict[str, Any]]], acked: list[str]) -> None:
    loaded = [t for t in records["transaction"] if str(t["note"]).startswith("load-")]
    assert set(acked) <= {t["note"] for t in loaded}
    (customer,) = [c for c in records["customer"] if c["customerId"] == 1001]
    seeded = Decimal("25.5")  # the demo fixtures' balance for customer 1001
    credited = sum((Decimal(t["amount"]) for t in loaded), Decimal(0))
    assert Decimal(customer["storeCreditBalance"]) == seeded + credited


def check_medusa(records: dict[str, list[dict[str, Any]]], acked: list[str]) -> None:
    (account,) = records["account"]
    transactions = records[f"transaction:{account['id']}"]
    assert set(acked) <= {t["note"] for t in transactions}
    for kind in ("credit", "debit"):
        ledger = sum((Decimal(t["amount"]) for t in transactions if t["type"] == kind), Decimal(0))
        assert Decimal(account[f"{kind}s"]) == ledger, kind
    assert Decimal(account["credits"]) >= Decimal(account["debits"])


def check_spree(
    records: dict[str, list[dict[str, Any]]], created: list[str], deleted: list[str]
) -> None:
    credits = {c["id"]: c for c in records["store_credit"]}
    assert set(created) <= set(credits)
    assert all(credits[i]["deleted_at"] is not None for i in deleted)
    live = [c for c in credits.values() if c["deleted_at"] is None]
    for total in records["user_store_credit_total"]:
        remaining = sum(
            (
                Decimal(c["amount"]) - Decimal(c["amount_used"]) - Decimal(c["amount_authorized"])
                for c in live
                if (c["user_id"], c["currency"]) == (total["user_id"], total["currency"])
            ),
            Decimal(0),
        )
        assert Decimal(total["amount"]) == remaining, total
