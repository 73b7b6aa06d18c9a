"""JSON:API documents as Spree's `jsonapi-serializer` serializers render them: resources with
`attributes` and `relationships`, sparse fieldsets, `included`, and Kaminari pagination
`meta`/`links`. Pure functions over stored records; URLs come in from the handler.
Record kinds in the store are the JSON:API type names ("user", "store_credit_event", ...)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from mockserver.vendors.spree.casting import to_i
from mockserver.vendors.spree.money import display, money_to_s, rails_decimal

INCLUDABLE = (
    "user",
    "created_by",
    "store_credit_category",
    "store_credit_type",
    "store_credit_events",
)
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 500
USER_TYPES = ("user", "admin_user")  # `created_by` uses the admin user serializer
# `StoreCreditEvent#display_action` (Spree's English locale).
ACTION_NAMES = {
    "allocation": "Added",
    "capture": "Used",
    "authorize": "Authorized",
    "void": "Credit",
    "credit": "Credit",
}


def store_credit(credit: Mapping[str, Any], fields: frozenset[str] | None = None) -> dict[str, Any]:
    """One `store_credit` resource; `fields` is the `fields[store_credit]` sparse fieldset."""
    currency = credit["currency"]
    amount, used = Decimal(credit["amount"]), Decimal(credit["amount_used"])
    attributes = {
        "amount": rails_decimal(amount),
        "amount_used": rails_decimal(used),
        "memo": credit["memo"],
        "deleted_at": credit["deleted_at"],
        "currency": currency,
        "amount_authorized": rails_decimal(Decimal(credit["amount_authorized"])),
        "originator_type": credit["originator_type"],
        "created_at": credit["created_at"],
        "updated_at": credit["updated_at"],
        "public_metadata": credit["public_metadata"],
        "private_metadata": credit["private_metadata"],
        "display_amount": display(amount, currency),
        "display_amount_used": display(used, currency),
    }
    relationships = {
        "user": _to_one(credit["user_id"], "user"),
        "created_by": _to_one(credit["created_by_id"], "admin_user"),
        "store_credit_category": _to_one(credit["category_id"], "store_credit_category"),
        "store_credit_type": _to_one(credit["type_id"], "store_credit_type"),
        "store_credit_events": {
            "data": [{"id": i, "type": "store_credit_event"} for i in credit["event_ids"]]
        },
    }
    if fields is not None:
        attributes = {k: v for k, v in attributes.items() if k in fields}
        relationships = {k: v for k, v in relationships.items() if k in fields}
    return {
        "id": credit["id"],
        "type": "store_credit",
        "attributes": attributes,
        "relationships": relationships,
    }


def related(
    kind: str, record: Mapping[str, Any], balances: Iterable[tuple[str, Decimal]] = ()
) -> dict[str, Any]:
    """A category, type, user or event resource; `balances` are a user's available store
    credit per currency (its `store_credits` attribute)."""
    if kind in USER_TYPES:
        return _user(kind, record, balances)
    if kind == "store_credit_event":
        return _event(record)
    return {"id": record["id"], "type": kind, "attributes": _RENDERERS[kind](record)}


def parse_list(value: str | None) -> list[str]:
    """A comma-separated query value ("a,b") as names, blanks dropped."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@dataclass(frozen=True)
class Page:
    """Kaminari's view of one page: `page` from 1, `per_page` 1..500 else 25."""

    number: int
    size: int

    @classmethod
    def from_query(cls, page: str | None, per_page: str | None) -> Page:
        """Spree's paginator and Kaminari read both with Ruby's `to_i`: any string is
        accepted and a bad one means the default (page 1, 25 a page). Kaminari's `per` also
        ignores a value not starting with a digit (" 5", "+5")."""
        number = max(to_i(page), 1) if page is not None else 1
        size = DEFAULT_PER_PAGE
        if per_page is not None and 1 <= to_i(per_page) <= MAX_PER_PAGE and per_page[:1].isdigit():
            size = to_i(per_page)
        return cls(number, size)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def slice(self, items: Sequence[Any]) -> Sequence[Any]:
        return items[self.offset : self.offset + self.size]


def paginated(
    resources: list[dict[str, Any]],
    total: int,
    page: Page,
    url: str,
    query: Iterable[tuple[str, str]],
) -> dict[str, Any]:
    """`meta` and `links` as Spree's `collection_meta`/`collection_links` render them.

    `self` is the URL as requested; the others are it with `page` replaced. `next` falls
    back to the last page and `prev` to the first, so every link is a URL. Queries are
    re-encoded, so brackets and commas arrive percent-encoded (valid URIs).
    """
    query = list(query)
    total_pages = math.ceil(total / page.size)
    pairs = [(k, v) for k, v in query if k != "page"]

    def link(number: int) -> str:
        return f"{url}?{urlencode([*pairs, ('page', str(number))])}"

    return {
        "data": resources,
        "meta": {"count": len(resources), "total_count": total, "total_pages": total_pages},
        "links": {
            "self": f"{url}?{urlencode(query)}" if query else url,
            "next": link(page.number + 1 if page.number < total_pages else total_pages),
            "prev": link(page.number - 1 if 1 < page.number <= total_pages else 1),
            "last": link(total_pages),
            "first": link(1),
        },
    }


def _to_one(record_id: str | None, kind: str) -> dict[str, Any]:
    """A to-one relationship; `{"data": null}` when the column is empty."""
    return {"data": None if record_id is None else {"id": record_id, "type": kind}}


def _user(kind: str, record: Mapping[str, Any], balances: Iterable[tuple[str, Decimal]]) -> dict:
    """Spree's platform `UserSerializer`: order statistics (none: the mock has no orders),
    available store credit per currency, and the two address relationships."""
    attributes = {
        "email": record["email"],
        "first_name": record.get("first_name"),
        "last_name": record.get("last_name"),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "public_metadata": record.get("public_metadata", {}),
        "private_metadata": record.get("private_metadata", {}),
        "selected_locale": record.get("selected_locale"),
        "average_order_value": [],
        "lifetime_value": [],
        "store_credits": [
            {"currency": currency, "amount": money_to_s(amount)} for currency, amount in balances
        ],
    }
    return {
        "id": record["id"],
        "type": kind,
        "attributes": attributes,
        "relationships": {"bill_address": {"data": None}, "ship_address": {"data": None}},
    }


def _event(record: Mapping[str, Any]) -> dict[str, Any]:
    """Spree's platform `StoreCreditEventSerializer`: the table's columns (4.10 has no
    `amount_remaining`) and its `display_*` methods."""
    amount, currency = Decimal(record["amount"]), record["currency"]
    total = Decimal(record["user_total_amount"])
    attributes = {
        "action": record["action"],
        "amount": rails_decimal(amount),
        "authorization_code": record["authorization_code"],
        "user_total_amount": rails_decimal(total),
        "originator_type": record["originator_type"],
        "deleted_at": record["deleted_at"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "display_amount": display(amount, currency),
        "display_user_total_amount": display(total, currency),
        "display_action": ACTION_NAMES.get(record["action"], ""),
    }
    return {
        "id": record["id"],
        "type": "store_credit_event",
        "attributes": attributes,
        "relationships": {
            "store_credit": _to_one(record["store_credit_id"], "store_credit"),
            "originator": {"data": None},
        },
    }


def _category(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in ("name", "created_at", "updated_at")}


def _credit_type(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in ("name", "priority", "created_at", "updated_at")}


_RENDERERS = {
    "store_credit_category": _category,
    "store_credit_type": _credit_type,
}
