"""Filling a new tenant from the fixture data (see `fixtures/schema.yaml`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mockserver.store import TenantStore
from mockserver.vendors.medusa.models import CUSTOMER, Actor, Ledger, iso, to_decimal

_EPOCH = "2025-01-01T00:00:00.000Z"


def _moment(text: str | None) -> datetime:
    return datetime.fromisoformat((text or _EPOCH).replace("Z", "+00:00"))


def seed(store: TenantStore, fixtures: Mapping[str, Any]) -> None:
    """Customers, accounts and their transactions, written through the ledger so a seeded
    tenant has the same running sums and lookup records as one built by API calls."""
    users = fixtures.get("users") or [{"id": "user_unknown"}]
    default_actor = Actor("user", users[0]["id"])
    for customer in fixtures.get("customers", []):
        stamp = iso(_moment(customer.get("created_at")))
        store.put(
            CUSTOMER,
            customer["id"],
            {
                "id": customer["id"],
                "company_name": customer.get("company_name"),
                "first_name": customer.get("first_name"),
                "last_name": customer.get("last_name"),
                "email": customer["email"],
                "phone": customer.get("phone"),
                "has_account": customer.get("has_account", False),
                "metadata": customer.get("metadata"),
                "created_by": customer.get("created_by"),
                "created_at": stamp,
                "updated_at": stamp,
                "deleted_at": None,
            },
        )
    ledger = Ledger(store)
    for account in fixtures.get("accounts", []):
        stamp = iso(_moment(account.get("created_at")))
        ledger.add_account(
            {
                "id": account["id"],
                "currency_code": account["currency_code"],
                "customer_id": account.get("customer_id"),
                "code": account["code"],
                "metadata": account.get("metadata"),
                "created_at": stamp,
                "updated_at": stamp,
                "deleted_at": None,
            }
        )
    for trx in fixtures.get("transactions", []):
        actor = Actor(
            trx.get("reference", "user"), trx.get("reference_id", default_actor.reference_id)
        )
        ledger.add_transaction(
            trx["account_id"],
            trx["type"],
            to_decimal(trx["amount"]),
            trx.get("note", ""),
            actor,
            _moment(trx.get("created_at")),
            transaction_id=trx["id"],
        )
