"""Spree store credits as a ledger over one tenant's `TenantStore` (no HTTP here).

Records are JSON documents; amounts are kept as cent strings ("150.00", a `decimal(8,2)`
column), rounded to cents before they are validated, as ActiveRecord casts them. Failures
raise the vendor's `ApiError`s (`errors.validation_failed`, `errors.not_found`), moto-style.

Each allocation event records the user's total available store credit in the store's default
currency (`user.total_available_store_credit`), and an included user lists one per currency. So
that a write costs the same however many credits exist, that total is kept as a running value
per (user, currency) (`USER_TOTAL` records), moved in the same transaction as the credit it
changes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from mockserver.store import TenantStore
from mockserver.vendors.spree import casting, errors, ransack
from mockserver.vendors.spree.money import to_cents

CREDIT = "store_credit"
EVENT = "store_credit_event"
USER = "user"
STORE = "store"
CATEGORY = "store_credit_category"
CREDIT_TYPE = "store_credit_type"
ADMIN_USER = "admin_user"  # how Spree types a `created_by` user in JSON:API
# Running `user.total_available_store_credit`: the remaining amounts of a user's live credits
# in one currency, one record per (user, currency).
USER_TOTAL = "user_store_credit_total"

# Integer columns a client may set, and the record kind each names. Only the user is needed
# (its running total is updated on save); the others are optional (`belongs_to_required_by_
# default` is false) and stored as given, even when they name no record.
REFERENCES = {
    "user_id": USER,
    "category_id": CATEGORY,
    "created_by_id": USER,
    "type_id": CREDIT_TYPE,
    "store_id": STORE,
    "originator_id": None,
}
AMOUNTS = ("amount", "amount_used", "amount_authorized")
PLAIN = ("currency", "memo", "originator_type")
METADATA = ("public_metadata", "private_metadata")
COLUMNS = (*REFERENCES, *PLAIN, *METADATA)
# `default_sort_attributes` that are columns of store credits; Spree's platform controller
# means to add the permitted attributes but appends them as one nested array, which never
# matches, so amounts and currency do not sort.
SORTABLE = ("id", "created_at", "updated_at", "deleted_at")
MAX_AMOUNT = Decimal("999999.99")  # decimal(8,2)
ZERO = Decimal("0")
# A mock limit (Spree's `memo` is an unlimited text column), worded as Rails' length check:
# a ledger that many clients write to for hours must not grow by megabytes a request.
MEMO_MAX_LENGTH = 10_000
# Spree saves a currency the money gem does not know and then fails to show it (400 "Unknown
# currency"); the mock refuses it up front. Every code the gem knows is three letters, in any
# case ("usd" works): other shapes are refused, three-letter inventions still pass.
CURRENCY_CODE = re.compile(r"[A-Za-z]{3}")


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
    """Index filters (Ransack conditions) and the `sort` parameter, parsed from the query."""

    conditions: tuple[ransack.Condition, ...] = ()
    sort: str | None = None


class StoreCreditLedger:
    """Store credits, their events and the records they point at, for one tenant.

    `crash_without_user` reproduces Spree 4.10's defect: a credit saved with no user (none
    given, or an id naming nobody) crashes in `after_save :store_event` (a 500). Without it
    the ledger answers as Spree 4.5-4.8 did: 422 "User can't be blank".
    """

    def __init__(self, store: TenantStore, now: datetime, crash_without_user: bool = False) -> None:
        self.store = store
        self.now = timestamp(now)
        self.crash_without_user = crash_without_user

    # -- reading -----------------------------------------------------------------------

    def get(self, credit_id: str) -> dict[str, Any]:
        credit = self.store.get(CREDIT, credit_id)
        if credit is None or credit["deleted_at"] is not None:
            raise errors.not_found()
        return credit

    def list(self, query: CreditQuery) -> list[dict[str, Any]]:
        credits = [c for c in self.store.all(CREDIT) if c["deleted_at"] is None]
        credits = [c for c in credits if all(k.matches(c) for k in query.conditions)]
        return _sorted(credits, query.sort)

    def page(self, query: CreditQuery, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """One page of `list(query)` and the length of the whole. Unfiltered and in the
        default order (what a client paging through every credit sends), the page is read
        alone and the live credits counted, not decoded."""
        if query.conditions or _sort_keys(query.sort):
            credits = self.list(query)
            return credits[offset : offset + limit], len(credits)
        total = self.store.count(CREDIT) - self.store.count_marked(CREDIT, "deleted_at")
        return self.store.page_unmarked(CREDIT, "deleted_at", offset, limit), total

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

    def user_balances(self, user_id: str) -> list[tuple[str, Decimal]]:
        """`user.available_store_credits`: (currency, remaining) for each currency the user
        holds a live credit in, as the included `user` shows them."""
        return [
            (total["currency"], Decimal(total["amount"]))
            for total in self.store.all(USER_TOTAL)
            if total["user_id"] == user_id and total.get("credits", 1) > 0
        ]

    def included(
        self, credits: Iterable[Mapping[str, Any]], names: Iterable[str]
    ) -> list[tuple[str, dict[str, Any]]]:
        """(JSON:API type, record) for every related record named, each once, in first-seen
        order; `created_by` is rendered by Spree's admin user serializer (`admin_user`)."""
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
        kind, rendered_as, key = {
            "user": (USER, USER, "user_id"),
            "created_by": (USER, ADMIN_USER, "created_by_id"),
            "store_credit_category": (CATEGORY, CATEGORY, "category_id"),
            "store_credit_type": (CREDIT_TYPE, CREDIT_TYPE, "type_id"),
        }[name]
        record = self.store.get(kind, credit[key]) if credit[key] is not None else None
        return [(rendered_as, record)] if record else []

    # -- writing -----------------------------------------------------------------------

    def create(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        """`StoreCredit.new(permitted)`, the current store set, validated and saved."""
        draft: dict[str, Any] = {
            **dict.fromkeys(COLUMNS),
            "public_metadata": {},
            "private_metadata": {},
            **dict.fromkeys(AMOUNTS, ZERO),  # the columns' default 0.0
            **_permitted(attributes),
            "store_id": self._current_store(),
        }
        self._validate(draft, None)
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
        draft = {
            **credit,
            **{a: amount_of(credit, a) for a in AMOUNTS},
            **_permitted(attributes),
            "store_id": credit["store_id"],  # `ensure_current_store` keeps it
        }
        self._validate(draft, credit)
        updated = {**credit, **_stored(draft)}
        changed = any(updated[a] != credit[a] for a in AMOUNTS)
        if updated != credit:
            updated["updated_at"] = self.now
        self._move_user_totals(credit, updated)
        self._save_with_event(updated, changed)
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

    def _validate(self, draft: Mapping[str, Any], before: Mapping[str, Any] | None) -> None:
        """Every failure at once, keyed and worded as Spree's `StoreCredit` model does.

        Amounts are compared as the `decimal(8,2)` columns hold them: ActiveRecord rounds to
        cents before validating (0.004 is "must be greater than 0"). `before` is the stored
        credit of an update (None on create).
        """
        found: dict[str, list[str]] = {}

        def fail(key: str, message: str) -> None:
            found.setdefault(key, []).append(message)

        has_user = draft["user_id"] is not None and self.store.get(USER, draft["user_id"])
        if not has_user and not self.crash_without_user:
            fail("user", "can't be blank")
        currency = str(draft["currency"] or "").strip()
        if not currency:
            fail("currency", "can't be blank")
        elif not CURRENCY_CODE.fullmatch(currency):
            fail("currency", "is invalid")  # as the JSON body's pattern is reported
        if isinstance(draft.get("memo"), str) and len(draft["memo"]) > MEMO_MAX_LENGTH:
            fail("memo", f"is too long (maximum is {MEMO_MAX_LENGTH} characters)")
        for name in AMOUNTS:
            if draft[name] is None:
                fail(name, "is not a number")
            elif draft[name].copy_abs() > MAX_AMOUNT:  # exact, even for 1e999999999 (Spree: 500)
                fail(name, f"must be less than or equal to {MAX_AMOUNT}")
        if found.keys() & set(AMOUNTS):
            raise errors.validation_failed(found)
        amount, used, authorized = (to_cents(draft[a]) for a in AMOUNTS)
        if amount <= ZERO:
            fail("amount", "must be greater than 0")
        if used < ZERO:
            fail("amount_used", "must be greater than or equal to 0")
        if used > amount:
            fail("amount_used", "Cannot be greater than amount.")
        if used + authorized > amount:
            fail("amount_authorized", "Exceeds total credits.")
        if found:
            raise errors.validation_failed(found)
        changed = before is None or any(to_cents(draft[a]) != amount_of(before, a) for a in AMOUNTS)
        if not has_user and changed:
            raise errors.server_error()  # `nil.total_available_store_credit` in after_save

    def _current_store(self) -> str:
        """`ensure_current_store`: the tenant's store replaces whatever `store_id` was sent."""
        return self._store()["id"]

    def _store(self) -> dict[str, Any]:
        return self.store.all(STORE)[0]

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
                    "originator_type": None,
                    "deleted_at": None,
                    "created_at": self.now,
                }
            event.update(
                amount=credit["amount"],
                user_total_amount=str(self._user_total(credit["user_id"])),
                currency=credit["currency"],
                updated_at=self.now,
            )
            self.store.put(EVENT, event_id, event)
        self.store.put(CREDIT, credit["id"], credit)

    def _user_total(self, user_id: str) -> Decimal:
        """`user.total_available_store_credit` with no arguments: the store's default
        currency, whatever the credit's (this credit counted, as `_move_user_totals` ran)."""
        currency = self._store().get("default_currency", "USD")
        found = self.store.get(USER_TOTAL, _user_key(user_id, currency))
        return Decimal(found["amount"]) if found else ZERO

    def _move_user_totals(
        self, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
    ) -> None:
        """Take a credit's old remaining amount out of its (user, currency) total and put its
        new one in; a deleted credit counts in none."""
        changes = _remaining_by_user(((before, -1), (after, 1)))
        for key, (credit, change, count) in changes.items():
            if change != ZERO or count != 0 or self.store.get(USER_TOTAL, key) is None:
                self._add_to_user_total(key, credit, change, count)

    def _add_to_user_total(
        self, key: str, credit: Mapping[str, Any], change: Decimal, count: int
    ) -> None:
        found = self.store.get(USER_TOTAL, key) or {}
        self.store.put(
            USER_TOTAL,
            key,
            {
                "user_id": credit["user_id"],
                "currency": credit["currency"],
                "amount": str(Decimal(found.get("amount", "0")) + change),
                "credits": found.get("credits", 0) + count,
            },
        )


def _user_key(user_id: Any, currency: Any) -> str:
    """The id of a (user, currency) total; values compared as stored."""
    return json.dumps([user_id, currency])


def _remaining_by_user(
    signed: Iterable[tuple[Mapping[str, Any] | None, int]],
) -> dict[str, tuple[Mapping[str, Any], Decimal, int]]:
    """Signed sums of live credits' remaining amounts and counts per (user, currency) key,
    each with a credit of that key (for its user id and currency), in the order given."""
    sums: dict[str, tuple[Mapping[str, Any], Decimal, int]] = {}
    for credit, sign in signed:
        if credit is not None and credit["deleted_at"] is None:
            key = _user_key(credit["user_id"], credit["currency"])
            _, total, count = sums.get(key, (credit, ZERO, 0))
            sums[key] = (credit, total + sign * amount_remaining(credit), count + sign)
    return sums


def _permitted(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Strong parameters, then ActiveRecord's casts: ids to integers, amounts to decimals
    (None for a value that is no number), metadata only as objects."""
    given = casting.permit(attributes, (*REFERENCES, *AMOUNTS, *PLAIN), METADATA)
    for name in REFERENCES:
        if name in given:
            given[name] = casting.record_id(given[name])
    for name in AMOUNTS:
        if name in given:
            given[name] = casting.number(given[name])
    for name in PLAIN:
        if given.get(name) is not None:
            given[name] = str(given[name])
    return given


def _stored(draft: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of a validated draft, amounts rounded to cents as the database keeps them."""
    columns = {name: draft[name] for name in COLUMNS}
    columns.update({name: str(to_cents(draft[name])) for name in AMOUNTS})
    return columns


def _code_time(stamp: str) -> str:
    """Spree's authorization code clock: `%Y%m%d%H%M%S%6N` (we keep milliseconds)."""
    digits = "".join(ch for ch in stamp if ch.isdigit())
    return digits + "000"


def _sort_keys(sort: str | None) -> list[str]:
    """Spree's `BaseSorter` reads comma-separated keys, `-` for descending, and ignores the
    keys that are not sortable."""
    return [k for k in (sort or "").split(",") if k and k.removeprefix("-") in SORTABLE]


def _sorted(credits: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    """In the order of the sort keys; by id (insertion order) otherwise."""
    for key in reversed(_sort_keys(sort)):
        name, descending = key.removeprefix("-"), key.startswith("-")
        credits = sorted(credits, key=lambda c, n=name: _sort_value(c, n), reverse=descending)
    return credits


def _sort_value(credit: Mapping[str, Any], name: str) -> Any:
    if name == "id":
        return int(credit["id"])
    return credit[name] or ""


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
