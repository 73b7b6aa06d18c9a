"""Spree store credits as a ledger over one tenant's `TenantStore` (no HTTP here).

Records are JSON documents; amounts are kept as cent strings ("150.00", a `decimal(8,2)`
column) and validated as sent, before rounding, as ActiveRecord does. Failures raise the
vendor's `ApiError`s (`errors.validation_failed`, `errors.not_found`), moto-style.

Each allocation event records the user's total available store credit in its currency. So
that a write costs the same however many credits exist, that total is kept as a running value
per (user, currency) (`USER_TOTAL` records), moved in the same transaction as the credit it
changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from mockserver.store import TenantStore
from mockserver.vendors.spree import errors
from mockserver.vendors.spree.money import to_cents, to_decimal

CREDIT = "store_credit"
EVENT = "store_credit_event"
USER = "user"
STORE = "store"
CATEGORY = "store_credit_category"
CREDIT_TYPE = "store_credit_type"
# Running `user.total_available_store_credit`: the remaining amounts of a user's live credits
# in one currency, one record per (user, currency).
USER_TOTAL = "user_store_credit_total"

# Request attribute -> (record kind it names, errors key), in Rails' validation order.
REFERENCES = {
    "user_id": (USER, "user"),
    "category_id": (CATEGORY, "category"),
    "created_by_id": (USER, "created_by"),
    "type_id": (CREDIT_TYPE, "credit_type"),
    "store_id": (STORE, "store"),
}
AMOUNTS = ("amount", "amount_used", "amount_authorized")
PLAIN = (
    "currency",
    "memo",
    "originator_id",
    "originator_type",
    "public_metadata",
    "private_metadata",
)
PERMITTED = (*REFERENCES, *AMOUNTS, *PLAIN)
SORTABLE = (
    "id",
    "amount",
    "amount_used",
    "amount_authorized",
    "currency",
    "created_at",
    "updated_at",
)
ZERO = Decimal("0")
# A mock limit (Spree's `memo` is an unlimited text column), worded as Rails' length check:
# a ledger that many clients write to for hours must not grow by megabytes a request.
MEMO_MAX_LENGTH = 10_000


def timestamp(now: datetime) -> str:
    """Rails' JSON time: UTC with milliseconds, "2022-11-08T19:35:39.272Z"."""
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def amount_of(doc: Mapping[str, Any], name: str) -> Decimal:
    return Decimal(doc[name])


def amount_remaining(credit: Mapping[str, Any]) -> Decimal:
    """Spree: `amount - amount_used - amount_authorized`."""
    return (
        amount_of(credit, "amount")
        - amount_of(credit, "amount_used")
        - amount_of(credit, "amount_authorized")
    )


@dataclass(frozen=True)
class CreditQuery:
    """Index filters (Ransack predicates) and sort keys, already parsed from the query."""

    user_id_eq: str | None = None
    created_by_id_eq: str | None = None
    amount_gteq: str | None = None
    currency_eq: str | None = None
    sort: str | None = None


class StoreCreditLedger:
    """Store credits, their events and the records they point at, for one tenant."""

    def __init__(self, store: TenantStore, now: datetime) -> None:
        self.store = store
        self.now = timestamp(now)

    # -- reading -----------------------------------------------------------------------

    def get(self, credit_id: str) -> dict[str, Any]:
        credit = self.store.get(CREDIT, credit_id)
        if credit is None or credit["deleted_at"] is not None:
            raise errors.not_found()
        return credit

    def list(self, query: CreditQuery) -> list[dict[str, Any]]:
        credits = [c for c in self.store.all(CREDIT) if c["deleted_at"] is None]
        credits = [c for c in credits if _matches(c, query)]
        return _sorted(credits, query.sort)

    def record(self, kind: str, record_id: str) -> dict[str, Any]:
        """A category, type, user or store, or 404."""
        found = self.store.get(kind, record_id)
        if found is None:
            raise errors.not_found()
        return found

    def records(self, kind: str) -> list[dict[str, Any]]:
        return self.store.all(kind)

    def events(self, credit: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [e for e in (self.store.get(EVENT, i) for i in credit["event_ids"]) if e]

    def included(
        self, credits: Iterable[Mapping[str, Any]], names: Iterable[str]
    ) -> list[tuple[str, dict[str, Any]]]:
        """(kind, record) for every related record named, each once, in first-seen order."""
        wanted = list(dict.fromkeys(names))
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for credit in credits:
            for name in wanted:
                for kind, record in self._related(credit, name):
                    seen.setdefault((kind, record["id"]), record)
        return [(kind, record) for (kind, _), record in seen.items()]

    def _related(self, credit: Mapping[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
        if name == "store_credit_events":
            return [(EVENT, e) for e in self.events(credit)]
        kind, key = {
            "user": (USER, "user_id"),
            "created_by": (USER, "created_by_id"),
            "store_credit_category": (CATEGORY, "category_id"),
            "store_credit_type": (CREDIT_TYPE, "type_id"),
        }[name]
        record = self.store.get(kind, credit[key])
        return [(kind, record)] if record else []

    # -- writing -----------------------------------------------------------------------

    def create(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        given = _permitted(attributes)
        draft: dict[str, Any] = {
            **dict.fromkeys(REFERENCES),
            "amount": None,
            "amount_used": ZERO,
            "amount_authorized": ZERO,
            "currency": None,
            "memo": None,
            "originator_id": None,
            "originator_type": None,
            "public_metadata": {},
            "private_metadata": {},
            **given,
        }
        self._validate(draft)
        credit = {
            "id": str(self.store.next_id(CREDIT)),
            **_stored(draft),
            "deleted_at": None,
            "created_at": self.now,
            "updated_at": self.now,
            "event_ids": [],
        }
        self._move_user_totals(None, credit)
        self._save_with_event(credit, amounts_changed=True)
        return credit

    def update(self, credit_id: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
        credit = self.get(credit_id)
        given = _permitted(attributes)
        draft = {**credit, **{a: amount_of(credit, a) for a in AMOUNTS}, **given}
        self._validate(draft)
        updated = {**credit, **_stored(draft)}
        amounts_changed = any(updated[a] != credit[a] for a in AMOUNTS)
        if updated != credit:
            updated["updated_at"] = self.now
        self._move_user_totals(credit, updated)
        self._save_with_event(updated, amounts_changed)
        return updated

    def delete(self, credit_id: str) -> None:
        """Soft delete (`acts_as_paranoid`); refused once any of the credit was used."""
        credit = self.get(credit_id)
        if amount_of(credit, "amount_used") > ZERO:
            raise errors.validation_failed(
                {"amount_used": ["is greater than zero. Can not delete store credit."]}
            )
        deleted = {**credit, "deleted_at": self.now}
        self._move_user_totals(credit, deleted)
        self.store.put(CREDIT, credit_id, deleted)

    # -- rules -------------------------------------------------------------------------

    def _validate(self, draft: Mapping[str, Any]) -> None:
        """Every failure at once, keyed and worded as Spree's `StoreCredit` model does."""
        found: dict[str, list[str]] = {}

        def fail(key: str, message: str) -> None:
            found.setdefault(key, []).append(message)

        for attribute, (kind, key) in REFERENCES.items():
            record_id = draft.get(attribute)
            if record_id in (None, ""):
                fail(key, "can't be blank")
            elif self.store.get(kind, str(record_id)) is None:
                fail(key, "must exist")
        if not draft.get("currency"):
            fail("currency", "can't be blank")
        if isinstance(draft.get("memo"), str) and len(draft["memo"]) > MEMO_MAX_LENGTH:
            fail("memo", f"is too long (maximum is {MEMO_MAX_LENGTH} characters)")
        amount, used = draft["amount"], draft["amount_used"]
        authorized = draft["amount_authorized"]
        if amount is None:
            fail("amount", "is not a number")
        elif amount <= ZERO:
            fail("amount", "must be greater than 0")
        if used < ZERO:
            fail("amount_used", "must be greater than or equal to 0")
        if amount is not None and used > amount:
            fail("amount_used", "Cannot be greater than amount.")
        if amount is not None and used + authorized > amount:
            fail("amount_authorized", "Exceeds total credits.")
        if found:
            raise errors.validation_failed(found)

    def _save_with_event(self, credit: dict[str, Any], amounts_changed: bool) -> None:
        """Spree's `after_save :store_event`: one `allocation` event, rewritten on changes."""
        if amounts_changed:
            self.store.put(CREDIT, credit["id"], credit)
            event_id = credit["event_ids"][0] if credit["event_ids"] else None
            event = self.store.get(EVENT, event_id) if event_id else None
            if event is None:
                event_id = str(self.store.next_id(EVENT))
                credit["event_ids"] = [event_id, *credit["event_ids"]]
                event = {
                    "id": event_id,
                    "store_credit_id": credit["id"],
                    "action": "allocation",
                    "authorization_code": f"{credit['id']}-SC-{_code_time(self.now)}",
                    "originator_type": credit["originator_type"],
                    "deleted_at": None,
                    "created_at": self.now,
                }
            event.update(
                amount=credit["amount"],
                amount_remaining=str(to_cents(amount_remaining(credit))),
                user_total_amount=str(self._user_total(credit)),
                currency=credit["currency"],
                updated_at=self.now,
            )
            self.store.put(EVENT, event_id, event)
        self.store.put(CREDIT, credit["id"], credit)

    def _user_total(self, credit: Mapping[str, Any]) -> Decimal:
        """`user.total_available_store_credit` in the credit's currency (this credit counted,
        as `_move_user_totals` has run)."""
        found = self.store.get(USER_TOTAL, _user_key(credit))
        return Decimal(found["amount"]) if found else ZERO

    def _move_user_totals(
        self, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
    ) -> None:
        """Take a credit's old remaining amount out of its (user, currency) total and put its
        new one in; a deleted credit counts in none."""
        changes = _remaining_by_user(((before, -1), (after, 1)))
        for key, (credit, change) in changes.items():
            if change != ZERO or self.store.get(USER_TOTAL, key) is None:
                self._add_to_user_total(key, credit, change)

    def _add_to_user_total(self, key: str, credit: Mapping[str, Any], change: Decimal) -> None:
        found = self.store.get(USER_TOTAL, key)
        total = Decimal(found["amount"]) if found else ZERO
        self.store.put(
            USER_TOTAL,
            key,
            {
                "user_id": credit["user_id"],
                "currency": credit["currency"],
                "amount": str(total + change),
            },
        )


def _user_key(credit: Mapping[str, Any]) -> str:
    """The id of a credit's (user, currency) total; values compared as stored, as before."""
    return json.dumps([credit["user_id"], credit["currency"]])


def _remaining_by_user(
    signed: Iterable[tuple[Mapping[str, Any] | None, int]],
) -> dict[str, tuple[Mapping[str, Any], Decimal]]:
    """Signed sums of live credits' remaining amounts per (user, currency) key, each with a
    credit of that key (for its user id and currency), in the order given."""
    sums: dict[str, tuple[Mapping[str, Any], Decimal]] = {}
    for credit, sign in signed:
        if credit is not None and credit["deleted_at"] is None:
            key = _user_key(credit)
            sums[key] = (credit, sums.get(key, (credit, ZERO))[1] + sign * amount_remaining(credit))
    return sums


def _permitted(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Strong parameters: known attributes only, amounts as exact decimals."""
    given = {k: v for k, v in attributes.items() if k in PERMITTED}
    for name in AMOUNTS:
        if given.get(name) is not None:
            given[name] = to_decimal(given[name])
    return given


def _stored(draft: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of a validated draft, amounts rounded to cents as the database keeps them."""
    columns = {name: draft[name] for name in (*REFERENCES, *PLAIN)}
    columns.update({name: str(to_cents(draft[name])) for name in AMOUNTS})
    return columns


def _code_time(stamp: str) -> str:
    """Spree's authorization code clock: `%Y%m%d%H%M%S%6N` (we keep milliseconds)."""
    digits = "".join(ch for ch in stamp if ch.isdigit())
    return digits + "000"


def _matches(credit: Mapping[str, Any], query: CreditQuery) -> bool:
    if query.user_id_eq is not None and credit["user_id"] != query.user_id_eq:
        return False
    if query.created_by_id_eq is not None and credit["created_by_id"] != query.created_by_id_eq:
        return False
    if query.currency_eq is not None and credit["currency"] != query.currency_eq:
        return False
    return query.amount_gteq is None or _at_least(credit, query.amount_gteq)


def _at_least(credit: Mapping[str, Any], floor_text: str) -> bool:
    """`amount_gteq`; a floor that is no number (NaN) matches nothing."""
    try:
        floor = Decimal(floor_text)
    except InvalidOperation:
        return False
    return not floor.is_nan() and amount_of(credit, "amount") >= floor


def _sorted(credits: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    """Spree's sorter: comma-separated keys, `-` for descending, unknown keys ignored."""
    keys = [k.strip() for k in (sort or "").split(",") if k.strip()]
    for key in reversed(keys):
        name = key.removeprefix("-")
        if name in SORTABLE:
            descending = key.startswith("-")
            credits = sorted(credits, key=lambda c, n=name: _sort_value(c, n), reverse=descending)
    return credits


def _sort_value(credit: Mapping[str, Any], name: str) -> Any:
    if name == "id":
        return int(credit["id"])
    if name in AMOUNTS:
        return Decimal(credit[name])
    return credit[name]


def seed(store: TenantStore, fixtures: Mapping[str, Any], now: datetime) -> None:
    """Fill a new tenant: reference records keep their fixture ids; store credits are created
    through the ledger (ids from 1, validated, each with its allocation event and counted in
    its user's running total), so a seeded tenant is laid out as one built by API calls."""
    stamp = timestamp(now)
    for key, kind in (
        ("users", USER),
        ("stores", STORE),
        ("store_credit_categories", CATEGORY),
        ("store_credit_types", CREDIT_TYPE),
    ):
        for record in fixtures.get(key, []):
            doc = {"created_at": stamp, "updated_at": stamp, **record, "id": str(record["id"])}
            store.put(kind, doc["id"], doc)
    ledger = StoreCreditLedger(store, now)
    for attributes in fixtures.get("store_credits", []):
        ledger.create(attributes)
