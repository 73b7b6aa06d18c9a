"""The store-credit ledger: accounts, their transactions, and the rules Medusa applies.

A balance is never stored: like the plugin, it is `sum(credits) - sum(debits)` over the
account's transactions, in exact decimal arithmetic (amounts are kept as decimal strings, so
10.55, 0.001 and 1e12 add up exactly). Records are plain JSON documents in a `TenantStore`;
this module knows nothing of HTTP.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from mockserver.store import TenantStore
from mockserver.vendors.medusa.errors import invalid_data, js_string, not_found

ACCOUNT = "account"
TRANSACTION = "transaction"
CUSTOMER = "customer"
USER = "user"
API_KEY = "api_key"

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def encode_base32(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 32)
        chars.append(CROCKFORD[digit])
    return "".join(reversed(chars))


def new_ulid(store: TenantStore, now: datetime) -> str:
    """26 Crockford characters: time (ms), a per-tenant counter, randomness.

    The counter keeps ids in creation order even within one millisecond, so the default
    order (by id) is the creation order, as on the real server.
    """
    millis = int(now.timestamp() * 1000)
    counter = store.next_id("ulid")
    random_part = "".join(secrets.choice(CROCKFORD) for _ in range(10))
    return encode_base32(millis, 10) + encode_base32(counter, 6) + random_part


def iso(moment: datetime) -> str:
    """Medusa's timestamps: UTC, milliseconds, `Z`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def to_decimal(value: int | float | str | Decimal) -> Decimal:
    """A JSON number as the decimal the client wrote (floats via their shortest repr)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def json_number(value: Decimal) -> int | float:
    """A decimal for a JSON answer: integers stay integers, others print without noise."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


@dataclass(frozen=True)
class Totals:
    credits: Decimal = Decimal(0)
    debits: Decimal = Decimal(0)

    @property
    def balance(self) -> Decimal:
        return self.credits - self.debits

    def add(self, kind: str, amount: Decimal) -> Totals:
        if kind == "credit":
            return Totals(self.credits + amount, self.debits)
        return Totals(self.credits, self.debits + amount)


@dataclass(frozen=True)
class Actor:
    """Who wrote a transaction: `reference` is "user" or "api-key", `reference_id` their id."""

    reference: str
    reference_id: str


class Ledger:
    """One tenant's store credit: the backend the route handlers call."""

    def __init__(self, store: TenantStore) -> None:
        self.store = store

    # -- reads ----------------------------------------------------------------------------

    def account(self, account_id: str) -> dict[str, Any]:
        record = self.store.get(ACCOUNT, account_id)
        if record is None:
            raise not_found(account_id)
        return record

    def accounts(self) -> list[dict[str, Any]]:
        return self.store.all(ACCOUNT)

    def customer(self, customer_id: str | None) -> dict[str, Any] | None:
        return self.store.get(CUSTOMER, customer_id) if customer_id else None

    def transactions(self, account_id: str) -> list[dict[str, Any]]:
        return [t for t in self.store.all(TRANSACTION) if t["account_id"] == account_id]

    def totals(self, account_ids: Iterable[str] | None = None) -> dict[str, Totals]:
        """Credits and debits per account, in one pass over the ledger."""
        wanted = None if account_ids is None else set(account_ids)
        totals: dict[str, Totals] = {}
        for trx in self.store.all(TRANSACTION):
            owner = trx["account_id"]
            if wanted is None or owner in wanted:
                totals[owner] = totals.get(owner, Totals()).add(trx["type"], Decimal(trx["amount"]))
        return totals

    # -- writes ---------------------------------------------------------------------------

    def create_account(
        self,
        currency_code: str,
        customer_id: str | None,
        metadata: dict[str, Any] | None,
        now: datetime,
    ) -> dict[str, Any]:
        """One account per (customer, currency); currency kept exactly as sent."""
        if not currency_code:
            raise invalid_data("Currency code is required to create a store credit account")
        if customer_id is not None:
            for other in self.accounts():
                if other["customer_id"] == customer_id and other["currency_code"] == currency_code:
                    raise invalid_data(
                        f"Store credit account with customer_id: {customer_id}, "
                        f"currency_code: {currency_code}, already exists."
                    )
        stamp = iso(now)
        record = {
            "id": "sc_acc_" + new_ulid(self.store, now),
            "currency_code": currency_code,
            "customer_id": customer_id,
            "code": self._new_code(),
            "metadata": metadata,
            "created_at": stamp,
            "updated_at": stamp,
            "deleted_at": None,
        }
        self.store.put(ACCOUNT, record["id"], record)
        return record

    def credit(
        self, account_id: str, amount: Decimal, note: str | None, actor: Actor, now: datetime
    ) -> dict[str, Any]:
        return self._post(account_id, "credit", amount, note, actor, now)

    def debit(
        self, account_id: str, amount: Decimal, note: str | None, actor: Actor, now: datetime
    ) -> dict[str, Any]:
        """Refused when the balance does not cover `amount` (debiting all of it is fine)."""
        return self._post(account_id, "debit", amount, note, actor, now)

    def add_transaction(
        self,
        account_id: str,
        kind: str,
        amount: Decimal,
        note: str,
        actor: Actor,
        now: datetime,
        transaction_id: str | None = None,
    ) -> dict[str, Any]:
        """Write one ledger entry without business checks (seeding uses it directly)."""
        stamp = iso(now)
        record = {
            "id": transaction_id or "sc_trx_" + new_ulid(self.store, now),
            "account_id": account_id,
            "amount": format(amount, "f"),
            "type": kind,
            "reference": actor.reference,
            "reference_id": actor.reference_id,
            "note": note,
            "metadata": None,
            "created_at": stamp,
            "updated_at": stamp,
            "deleted_at": None,
        }
        self.store.put(TRANSACTION, record["id"], record)
        return record

    def _post(
        self,
        account_id: str,
        kind: str,
        amount: Decimal,
        note: str | None,
        actor: Actor,
        now: datetime,
    ) -> dict[str, Any]:
        check_amount(amount)
        account = self.account(account_id)
        if kind == "debit":
            balance = self.totals([account_id]).get(account_id, Totals()).balance
            if amount > balance:
                raise invalid_data("Insufficient balance")
        self.add_transaction(account_id, kind, amount, note or "", actor, now)
        return account

    def _new_code(self) -> str:
        taken = {a["code"] for a in self.accounts()}
        while True:
            chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
            code = "SC-" + "-".join(chars[i : i + 4] for i in range(0, 16, 4))
            if code not in taken:
                return code


def check_amount(amount: Decimal) -> None:
    """Medusa checks `amount > 0` after the schema and before looking the account up."""
    if not amount.is_finite() or amount <= 0:
        raise invalid_data("Amount must be greater than 0")


def parse_amount(value: Any) -> Decimal:
    """A schema-valid JSON number as an exact decimal; non-finite ones are not numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        raise invalid_data(
            "Invalid request: Expected type: 'number' for field 'amount', "
            f"got: '{js_string(value)}'"
        )
    return to_decimal(value)
