"""What Medusa's answers say about money, for the proxy and the dashboard.

`read_ledger` turns one exchange into a balance reading (the proxy checks that consecutive
readings of one account add up); `summarize` shows a tenant's accounts and ledgers.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from mockserver.exchange import Exchange, LedgerReading
from mockserver.store import TenantStore
from mockserver.vendor import AccountSummary, TenantSummary
from mockserver.vendors.medusa.models import Ledger, Totals

_ACCOUNT_PATH = re.compile(r"^/admin/store-credit-accounts/([^/]+)(?:/(credit|debit))?/?$")
_SIGN = {None: 0, "credit": 1, "debit": -1}


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def read_ledger(exchange: Exchange) -> LedgerReading | None:
    """A 200 answer to a read, credit or debit of one account that shows its balance."""
    match = _ACCOUNT_PATH.match(exchange.path)
    if match is None or exchange.status != 200 or exchange.method not in ("GET", "POST"):
        return None
    action = match.group(2)
    if (exchange.method == "POST") != (action is not None):
        return None
    account = (exchange.response_json or {}).get("store_credit_account")
    balance = _decimal(account.get("balance")) if isinstance(account, dict) else None
    if balance is None:
        return None
    amount = Decimal(0)
    if action is not None:
        amount = _decimal((exchange.request_json or {}).get("amount")) or Decimal(0)
    return LedgerReading(match.group(1), balance, _SIGN[action] * amount)


def summarize(store: TenantStore) -> TenantSummary:
    ledger = Ledger(store)
    accounts = []
    for record in ledger.accounts():
        totals = Totals.stored(record)
        entries = tuple(
            {
                "at": t.get("created_at"),
                "kind": t.get("type"),
                "amount": t.get("amount"),
                "note": t.get("note"),
            }
            for t in ledger.transactions(record["id"])
        )
        accounts.append(
            AccountSummary(
                id=record["id"],
                label=record.get("code") or record["id"],
                balance=str(totals.balance),
                currency=record.get("currency_code") or "",
                ledger=entries,
            )
        )
    return TenantSummary(accounts=tuple(accounts))
