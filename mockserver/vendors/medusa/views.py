"""Ledger records as Medusa answers them: key names, defaults, `fields` projection, pages.

Account objects carry `credits`, `debits` and `balance` computed from the ledger; in lists
those three are appended even when `fields` leaves them out (recorded behaviour). `customer`
is absent, not null, when the account has none.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from werkzeug.datastructures import MultiDict

from mockserver.vendors.medusa.errors import refuse_unreadable_query
from mockserver.vendors.medusa.models import Ledger, Totals, json_number
from mockserver.vendors.medusa.querying import (
    matches,
    order_by,
    page_numbers,
    parse_filters,
    pick,
    select,
)

ACCOUNT_DEFAULTS = (
    "id",
    "currency_code",
    "customer_id",
    "code",
    "credits",
    "debits",
    "balance",
    "updated_at",
    "created_at",
    "metadata",
    "*customer",
)
ACCOUNT_FIELDS = ACCOUNT_DEFAULTS[:-1] + ("deleted_at",)
TOTAL_FIELDS = ("balance", "debits", "credits")
ACCOUNT_RECORD_FIELDS = (
    "id",
    "code",
    "currency_code",
    "customer_id",
    "metadata",
    "created_at",
    "updated_at",
    "deleted_at",
)
CUSTOMER_FIELDS = (
    "id",
    "company_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "has_account",
    "metadata",
    "created_by",
    "created_at",
    "updated_at",
    "deleted_at",
)
TRANSACTION_DEFAULTS = (
    "id",
    "amount",
    "type",
    "reference",
    "reference_id",
    "note",
    "updated_at",
    "created_at",
    "metadata",
)
TRANSACTION_FIELDS = TRANSACTION_DEFAULTS + ("account_id", "raw_amount", "deleted_at")
ACCOUNT_FILTERS = ("id", "currency_code", "customer_id", "created_at", "updated_at")
TRANSACTION_FILTERS = ("id", "created_at", "updated_at")


def transaction_view(record: dict[str, Any]) -> dict[str, Any]:
    """Every field of a transaction (what `*transactions` embeds)."""
    amount = Decimal(record["amount"])
    view = {k: record.get(k) for k in TRANSACTION_FIELDS if k not in ("amount", "raw_amount")}
    view["raw_amount"] = {"value": record["amount"], "precision": 20}
    view["amount"] = json_number(amount)
    return view


def account_view(
    ledger: Ledger,
    record: dict[str, Any],
    totals: Totals,
    fields: str | None,
    in_list: bool = False,
) -> dict[str, Any]:
    selection = select(fields, ACCOUNT_DEFAULTS)
    full = dict(record)
    full.update(
        credits=json_number(totals.credits),
        debits=json_number(totals.debits),
        balance=json_number(totals.balance),
    )
    view = {k: full.get(k) for k in ACCOUNT_FIELDS if k in selection.names}
    embed, wanted = selection.relation("transactions")
    if embed:
        trx = [transaction_view(t) for t in ledger.transactions(record["id"])]
        view["transactions"] = [pick(t, wanted) for t in trx]
    embed, wanted = selection.relation("customer")
    if embed:
        view["customer_id"] = record["customer_id"]  # the join needs it, so it is always sent
        customer = ledger.customer(record["customer_id"])
        if customer is not None:
            full_customer = {k: customer.get(k) for k in CUSTOMER_FIELDS}
            view["customer"] = pick(full_customer, None if wanted is None else wanted | {"id"})
    if in_list:
        view.update({k: full[k] for k in TOTAL_FIELDS})
    return view


def account_answer(ledger: Ledger, record: dict[str, Any], fields: str | None) -> dict[str, Any]:
    totals = ledger.totals([record["id"]]).get(record["id"], Totals())
    return {"store_credit_account": account_view(ledger, record, totals, fields)}


def _one_page(
    given: Mapping[str, Any],
    limit: int,
    offset: int,
    *,
    unfiltered: bool,
    by_id: Callable[[int, int, bool], tuple[list[dict[str, Any]], int]],
    matching: Callable[[], list[dict[str, Any]]],
    sort_value: Callable[[dict[str, Any], str], Any],
) -> tuple[list[dict[str, Any]], int]:
    """One page of a list in the query's order, and how many records the query selects.
    Unfiltered in id order (the default), the store reads just the page (`by_id`): O(page),
    not O(history); otherwise every match is read and sorted."""
    order = given.get("order") or "id"
    if unfiltered and order in ("id", "-id"):
        return by_id(offset, limit, order == "-id")
    found = order_by(matching(), order, sort_value)
    return found[offset : offset + limit], len(found)


def account_page(ledger: Ledger, args: MultiDict[str, str]) -> dict[str, Any]:
    given = refuse_unreadable_query(args)
    conditions = parse_filters(given, ACCOUNT_FILTERS)
    limit, offset = page_numbers(given)
    search = (given.get("q") or "").lower()
    page, count = _one_page(
        given,
        limit,
        offset,
        unfiltered=not conditions and not search,
        by_id=ledger.accounts_by_id,
        matching=lambda: [
            a
            for a in ledger.accounts()
            if matches(a, conditions) and search in str(a["currency_code"]).lower()
        ],
        sort_value=lambda item, name: item.get(name),
    )
    totals = ledger.totals(a["id"] for a in page)
    items = [
        account_view(ledger, a, totals.get(a["id"], Totals()), given.get("fields"), in_list=True)
        for a in page
    ]
    return {"store_credit_accounts": items, "count": count, "offset": offset, "limit": limit}


def transaction_page(ledger: Ledger, account_id: str, args: MultiDict[str, str]) -> dict[str, Any]:
    """An unknown account simply has no transactions (200, empty), as on the real server."""
    given = refuse_unreadable_query(args)
    conditions = parse_filters(given, TRANSACTION_FILTERS)
    limit, offset = page_numbers(given)
    page, count = _one_page(
        given,
        limit,
        offset,
        unfiltered=not conditions,
        by_id=functools.partial(ledger.transactions_by_id, account_id),
        matching=lambda: [t for t in ledger.transactions(account_id) if matches(t, conditions)],
        sort_value=lambda item, name: (
            Decimal(item["amount"]) if name == "amount" else item.get(name)
        ),
    )
    selection = select(given.get("fields"), TRANSACTION_DEFAULTS)
    embed, wanted = selection.relation("account")
    account = ledger.store.get("account", account_id) if embed else None
    items = []
    for record in page:
        full = transaction_view(record)
        item = {k: full[k] for k in TRANSACTION_FIELDS if k in selection.names}
        if account is not None:
            item["account"] = pick({k: account.get(k) for k in ACCOUNT_RECORD_FIELDS}, wanted)
        items.append(item)
    return {"transactions": items, "count": count, "offset": offset, "limit": limit}
