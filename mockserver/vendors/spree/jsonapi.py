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

from mockserver.vendors.spree.money import display, rails_decimal

INCLUDABLE = (
    "user",
    "created_by",
    "store_credit_category",
    "store_credit_type",
    "store_credit_events",
)
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 500


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
        "created_by": _to_one(credit["created_by_id"], "user"),
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


def related(kind: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """An `included` resource (user, category, type or event)."""
    return {"id": record["id"], "type": kind, "attributes": _RENDERERS[kind](record)}


def document(data: Any, included: Iterable[tuple[str, Mapping[str, Any]]] | None) -> dict:
    """`{data}` plus `included` when the request asked for relationships."""
    doc: dict[str, Any] = {"data": data}
    if included is not None:
        doc["included"] = [related(kind, record) for kind, record in included]
    return doc


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
        number = max(int(page), 1) if page else 1
        size = int(per_page) if per_page else DEFAULT_PER_PAGE
        if not 1 <= size <= MAX_PER_PAGE:
            size = DEFAULT_PER_PAGE
        return cls(number, size)

    def slice(self, items: Sequence[Any]) -> Sequence[Any]:
        start = (self.number - 1) * self.size
        return items[start : start + self.size]


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
            "prev": link(page.number - 1 if page.number > 1 else 1),
            "last": link(total_pages),
            "first": link(1),
        },
    }


def _to_one(record_id: str, kind: str) -> dict[str, Any]:
    return {"data": {"id": record_id, "type": kind}}


def _user(record: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "email": record["email"],
        "first_name": record.get("first_name"),
        "last_name": record.get("last_name"),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "public_metadata": record.get("public_metadata", {}),
        "private_metadata": record.get("private_metadata", {}),
    }


def _category(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in ("name", "created_at", "updated_at")}


def _credit_type(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in ("name", "priority", "created_at", "updated_at")}


def _event(record: Mapping[str, Any]) -> dict[str, Any]:
    amount = Decimal(record["amount"])
    return {
        "action": record["action"],
        "amount": rails_decimal(amount),
        "authorization_code": record["authorization_code"],
        "user_total_amount": rails_decimal(Decimal(record["user_total_amount"])),
        "amount_remaining": rails_decimal(Decimal(record["amount_remaining"])),
        "originator_type": record["originator_type"],
        "deleted_at": record["deleted_at"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "display_amount": display(amount, record["currency"]),
    }


_RENDERERS = {
    "user": _user,
    "store_credit_category": _category,
    "store_credit_type": _credit_type,
    "store_credit_event": _event,
}
