"""The store-credit ledger: accounts, their transactions, and the rules Medusa applies.

Like the plugin, a balance is `sum(credits) - sum(debits)` over the account's transactions,
in exact decimal arithmetic (amounts are kept as decimal strings, so 10.55, 0.001 and 1e12 add
up exactly). So that a write costs the same however long the ledger grows, the account record
carries the two running sums (`credits`, `debits`, decimal strings), updated in the request's
transaction together with the transaction record, and each account's transactions are a kind
of their own (`transaction:<account id>`). Records are plain JSON documents in a
`TenantStore`; this module knows nothing of HTTP.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from mockserver.store import TenantStore
from mockserver.vendors.medusa.errors import (
    duplicate_account,
    invalid_data,
    not_found,
    type_error,
)

ACCOUNT = "account"
CUSTOMER = "customer"
USER = "user"
API_KEY = "api_key"
# Lookups that keep account creation O(1): by code, and by (customer, currency).
ACCOUNT_CODE = "account_code"
CUSTOMER_ACCOUNT = "customer_account"

NOTE_MAX_LENGTH = 10_000
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


def transactions_kind(account_id: str) -> str:
    """The record kind holding one account's transactions, oldest first."""
    return f"transaction:{account_id}"


def _customer_key(customer_id: str, currency_code: str) -> str:
    return json.dumps([customer_id, currency_code])


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

    @classmethod
    def stored(cls, account: dict[str, Any]) -> Totals:
        """The running sums kept on an account record."""
        return cls(Decimal(account["credits"]), Decimal(account["debits"]))

    def store_on(self, account: dict[str, Any]) -> None:
        """Write the sums onto an account record as exact decimal strings."""
        account["credits"] = str(self.credits)
        account["debits"] = str(self.debits)


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
        """One account's transactions, oldest first."""
        return self.store.all(transactions_kind(account_id))

    def accounts_by_id(
        self, offset: int, limit: int, descending: bool
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the accounts in id order, and how many there are, without reading
        the others (the list's default order)."""
        return self.store.page_by_id(ACCOUNT, offset, limit, descending), self.store.count(ACCOUNT)

    def transactions_by_id(
        self, account_id: str, offset: int, limit: int, descending: bool
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of an account's transactions in id order, and how many there are,
        without reading the others (the list's default order)."""
        kind = transactions_kind(account_id)
        return self.store.page_by_id(kind, offset, limit, descending), self.store.count(kind)

    def totals(self, account_ids: Iterable[str] | None = None) -> dict[str, Totals]:
        """Credits and debits per existing account (all of them by default), read from the
        account records rather than summed, so a page of accounts costs one read each."""
        if account_ids is None:
            accounts = self.accounts()
        else:
            found = (self.store.get(ACCOUNT, i) for i in dict.fromkeys(account_ids))
            accounts = [a for a in found if a is not None]
        return {a["id"]: Totals.stored(a) for a in accounts}

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
        if customer_id is not None and self.store.get(
            CUSTOMER_ACCOUNT, _customer_key(customer_id, currency_code)
        ):
            raise duplicate_account(customer_id, currency_code)
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
        self.add_account(record)
        return record

    def add_account(self, record: dict[str, Any]) -> None:
        """Store a new account with zero sums and its lookup records, without business checks
        (seeding uses it directly), so every account is found by code and (customer, currency)
        without a scan."""
        Totals().store_on(record)
        self.store.put(ACCOUNT, record["id"], record)
        self.store.put(ACCOUNT_CODE, record["code"], {"account_id": record["id"]})
        if record["customer_id"] is not None:
            key = _customer_key(record["customer_id"], record["currency_code"])
            self.store.put(CUSTOMER_ACCOUNT, key, {"account_id": record["id"]})

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
        """Write one ledger entry without business checks (seeding uses it directly); a
        fixture entry whose account does not exist is still listed under its `account_id`."""
        account = self.store.get(ACCOUNT, account_id)
        return self._write_transaction(
            account, account_id, kind, amount, note, actor, now, transaction_id
        )

    def _write_transaction(
        self,
        account: dict[str, Any] | None,
        account_id: str,
        kind: str,
        amount: Decimal,
        note: str,
        actor: Actor,
        now: datetime,
        transaction_id: str | None = None,
    ) -> dict[str, Any]:
        """The transaction record, and the account's running sums moved by its amount."""
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
        if account is not None:
            # Added in the order a fresh sum takes, so the Decimals are identical to one.
            Totals.stored(account).add(kind, Decimal(record["amount"])).store_on(account)
            self.store.put(ACCOUNT, account_id, account)
        self.store.put(transactions_kind(account_id), record["id"], record)
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
        check_note(note)
        account = self.account(account_id)
        if kind == "debit" and amount > Totals.stored(account).balance:
            raise invalid_data("Insufficient balance")
        self._write_transaction(account, account_id, kind, amount, note or "", actor, now)
        return account

    def _new_code(self) -> str:
        while True:
            chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
            code = "SC-" + "-".join(chars[i : i + 4] for i in range(0, 16, 4))
            if self.store.get(ACCOUNT_CODE, code) is None:
                return code


def check_amount(amount: Decimal) -> None:
    """Medusa checks `amount > 0` after the schema and before looking the account up."""
    if not amount.is_finite() or amount <= 0:
        raise invalid_data("Amount must be greater than 0")


def check_note(note: str | None) -> None:
    """A mock limit (Medusa stores any length): a ledger that many clients write to for
    hours must not grow by megabytes a request."""
    if note is not None and len(note) > NOTE_MAX_LENGTH:
        raise invalid_data(
            f"Invalid request: Field 'note' must contain at most {NOTE_MAX_LENGTH} character(s)"
        )


def parse_amount(value: Any) -> Decimal:
    """A schema-valid JSON number as an exact decimal; non-finite ones are not numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        raise type_error("amount", "number", value)
    return to_decimal(value)
