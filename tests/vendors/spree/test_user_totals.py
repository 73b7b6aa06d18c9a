"""Running user totals: a write reads O(1) records, and each (user, currency) total stays the
sum of the remaining amounts of that user's live credits (`total_available_store_credit`)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from mockserver.errors import ApiError
from mockserver.store import TenantStore
from mockserver.vendors.spree import VENDOR, models
from mockserver.vendors.spree.models import (
    CREDIT,
    USER_TOTAL,
    StoreCreditLedger,
    amount_remaining,
)
from tests.vendors.recordcount import DecodeCounter
from tests.vendors.spree.conftest import CREDITS, NOW, bearer, issue_token, new_credit


def fresh_total(store: TenantStore, user_id: Any, currency: Any) -> Decimal:
    """The total as the ledger used to compute it: a scan over every credit."""
    return sum(
        (
            amount_remaining(c)
            for c in store.all(CREDIT)
            if c["user_id"] == user_id and c["currency"] == currency and c["deleted_at"] is None
        ),
        Decimal("0"),
    )


def allocation(store: TenantStore, credit: Mapping[str, Any]) -> dict[str, Any]:
    return store.get(models.EVENT, credit["event_ids"][0])


def test_totals_equal_a_fresh_scan_after_many_mixed_operations(tenant: TenantStore) -> None:
    ledger = StoreCreditLedger(tenant, NOW)
    rng = random.Random(20240301)
    live: list[str] = ["1"]
    refused = 0
    for _ in range(300):
        amount = Decimal(rng.randint(1, 50000)) / 100
        change = {
            "amount": amount,
            "amount_used": Decimal(rng.randint(0, 3)) * amount / 8,
            "amount_authorized": Decimal(rng.randint(0, 3)) * amount / 8,
        }
        where = {"user_id": rng.choice(["1", "2"]), "currency": rng.choice(["USD", "EUR"])}
        try:
            action = rng.random()
            if action < 0.4 or not live:
                credit = ledger.create(
                    {"category_id": "1", "type_id": "1", "created_by_id": "2", "store_id": "1"}
                    | where
                    | change
                )
                live.append(credit["id"])
                reallocated = True
            elif action < 0.85:
                before = ledger.get(rng.choice(live))
                credit = ledger.update(before["id"], rng.choice([change, where, change | where]))
                reallocated = any(credit[a] != before[a] for a in models.AMOUNTS)
            else:
                credit_id = rng.choice(live)
                ledger.delete(credit_id)
                live.remove(credit_id)
                reallocated = False
        except ApiError:
            refused += 1  # validation, or a used credit cannot be deleted: nothing written
            continue
        if reallocated:
            # The event just (re)written carries exactly the string the old scan produced, in
            # the store's default currency whatever the credit's (Spree calls the user's
            # `total_available_store_credit` without arguments).
            expected = fresh_total(tenant, credit["user_id"], "USD")
            assert allocation(tenant, credit)["user_total_amount"] == str(expected)
    assert refused > 0
    totals = tenant.all(USER_TOTAL)
    assert {(t["user_id"], t["currency"]) for t in totals} <= {
        (u, c) for u in ("1", "2") for c in ("USD", "EUR")
    }
    for total in totals:
        assert Decimal(total["amount"]) == fresh_total(tenant, total["user_id"], total["currency"])


def decoded_per_write(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, history: int
) -> list[int]:
    """Records decoded by one create, update and delete after `history` earlier credits of
    the same user and currency."""
    client = make_app(vendors=[VENDOR]).test_client()
    auth = bearer(issue_token(client, client_id=f"test_scaling_{history}"))
    for _ in range(history):
        assert client.post(CREDITS, json=new_credit(), headers=auth).status_code == 201
    counter = DecodeCounter(monkeypatch)
    created: list[str] = []

    def create() -> None:
        response = client.post(CREDITS, json=new_credit(), headers=auth)
        created.append(response.get_json()["data"]["id"])

    counts = [
        counter.during(create),
        counter.during(
            lambda: client.patch(
                f"{CREDITS}/{created[0]}", json={"store_credit": {"amount": 200}}, headers=auth
            )
        ),
        counter.during(lambda: client.delete(f"{CREDITS}/{created[0]}", headers=auth)),
    ]
    monkeypatch.undo()
    return counts


def test_a_write_decodes_the_same_records_however_many_credits(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    short = decoded_per_write(make_app, monkeypatch, history=5)
    long = decoded_per_write(make_app, monkeypatch, history=200)
    assert short == long, f"decoded per write grew with the ledger: {short} -> {long}"
    assert max(long) <= 12
