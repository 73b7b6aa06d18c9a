"""Running totals: a write reads O(1) records, and the sums on an account stay the sums of
its transactions (the plugin's definition of credits, debits and balance)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from mockserver.errors import ApiError
from mockserver.store import Store
from mockserver.vendors.medusa import VENDOR
from mockserver.vendors.medusa.models import (
    ACCOUNT,
    Actor,
    Ledger,
    Totals,
)
from tests.vendors.medusa.conftest import ACCOUNTS, DEMO_ACCOUNT, basic
from tests.vendors.recordcount import DecodeCounter

NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
ADMIN = Actor("user", "user_01TEST")


@pytest.fixture
def ledger() -> Any:
    store = Store()
    with store.transaction() as tx:
        yield Ledger(tx.tenant("medusa:test"))
    store.close()


def fresh_sum(transactions: list[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    """Credits and debits summed from scratch, independently of `Totals`."""
    credits = sum((Decimal(t["amount"]) for t in transactions if t["type"] == "credit"), Decimal(0))
    debits = sum((Decimal(t["amount"]) for t in transactions if t["type"] == "debit"), Decimal(0))
    return credits, debits


def test_stored_totals_equal_a_fresh_sum_after_many_mixed_operations(ledger: Ledger) -> None:
    rng = random.Random(20250301)
    accounts = [ledger.create_account("usd", f"cus_{i}", None, NOW)["id"] for i in range(4)]
    amounts = ("0.01", "10.55", "0.001", "1e12", "3", "99.999", "1000000000000.5", "7.25")
    refused = 0
    for _ in range(600):
        account_id = rng.choice(accounts)
        amount = Decimal(rng.choice(amounts)) * rng.randint(1, 3)
        try:
            if rng.random() < 0.45:
                ledger.debit(account_id, amount, "spend", ADMIN, NOW)
            else:
                ledger.credit(account_id, amount, None, ADMIN, NOW)
        except ApiError:
            refused += 1  # overdraft: nothing written
    assert refused > 0  # the mix did exercise refused debits
    for account_id in accounts:
        record = ledger.store.get(ACCOUNT, account_id)
        transactions = ledger.transactions(account_id)
        credits, debits = fresh_sum(transactions)
        assert (Decimal(record["credits"]), Decimal(record["debits"])) == (credits, debits)
        assert ledger.totals([account_id])[account_id] == Totals(credits, debits)
        assert ledger.totals()[account_id].balance == credits - debits >= 0


def test_seeded_accounts_count_in_the_duplicate_check(medusa: Any, key: dict[str, str]) -> None:
    """The demo account (cus_demo, usd) comes from fixtures, not from `create_account`, so
    this fails unless seeding writes the (customer, currency) lookup too."""
    response = medusa.post(
        ACCOUNTS, json={"currency_code": "usd", "customer_id": "cus_demo"}, headers=key
    )
    assert response.status_code == 400
    assert "already exists" in response.get_json()["message"]
    account = medusa.get(f"{ACCOUNTS}/{DEMO_ACCOUNT}", headers=key).get_json()
    assert account["store_credit_account"]["balance"] == 75.5


def decoded_per_write(make_app: Any, monkeypatch: pytest.MonkeyPatch, history: int) -> list[int]:
    """Records decoded by one credit, one debit and one account creation after `history`
    earlier credits on the same account."""
    client = make_app(vendors=[VENDOR]).test_client()
    auth = basic(f"sk_test_scaling_{history}")
    created = client.post(ACCOUNTS, json={"currency_code": "usd"}, headers=auth)
    account = f"{ACCOUNTS}/{created.get_json()['store_credit_account']['id']}"
    for _ in range(history):
        assert (
            client.post(f"{account}/credit", json={"amount": 1.5}, headers=auth).status_code == 200
        )
    counter = DecodeCounter(monkeypatch)
    counts = [
        counter.during(lambda: client.post(f"{account}/credit", json={"amount": 2}, headers=auth)),
        counter.during(lambda: client.post(f"{account}/debit", json={"amount": 1}, headers=auth)),
        counter.during(lambda: client.post(ACCOUNTS, json={"currency_code": "eur"}, headers=auth)),
    ]
    monkeypatch.undo()
    return counts


def test_a_write_decodes_the_same_records_however_long_the_ledger(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    short = decoded_per_write(make_app, monkeypatch, history=5)
    long = decoded_per_write(make_app, monkeypatch, history=200)
    assert short == long, f"decoded per write grew with the ledger: {short} -> {long}"
    assert max(long) <= 5
