"""Spree Platform API v2: OAuth client credentials, JSON:API bodies, `{"error": ...}` errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from contracts.auth import AuthError, TokenEndpoint, json_token
from contracts.target import Exchange, Target
from contracts.vendors import (
    Api,
    BusinessRule,
    CredentialOption,
    Entry,
    Move,
    Paging,
    Request,
    Snapshot,
    TextEdit,
    VendorProfile,
    decimal,
    walk,
)
from contracts.vendors.examples import request_example

CREDITS = "/api/v2/platform/store_credits"
ITEM = f"{CREDITS}/{{id}}"
AMOUNTS = ("amount", "amount_used", "amount_authorized")
DECIMAL_STRING = re.compile(r"^-?\d+(\.\d+)?$")
FALLBACK_CREATE = {
    "store_credit": {
        "user_id": "1",
        "category_id": "1",
        "type_id": "1",
        "created_by_id": "1",
        "currency": "USD",
        "store_id": "1",
        "amount": 150,
    }
}

# Schema-valid requests Spree refuses (operationId -> extra statuses for
# `positive_data_acceptance`): model validations that depend on stored data or rounding answer
# 422 - an unknown user, amount_used above amount, 0.004 rounding to 0, deleting a credit
# already used; a form body without any `store_credit[...]` key is Rails' 400 (the form
# schema stays open because Rails drops unknown keys). PUT is PATCH.
BUSINESS_REFUSALS = {
    "createStoreCredit": ("400", "422"),
    "updateStoreCredit": ("400", "422"),
    "replaceStoreCredit": ("400", "422"),
    "deleteStoreCredit": ("422",),
}


def envelope(status: int, body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        return 'expected a JSON object with a string "error" (Spree error body)'
    if status == 422:
        errors = body.get("errors")
        if not isinstance(errors, dict) or not all(
            isinstance(v, list) and all(isinstance(m, str) for m in v) for v in errors.values()
        ):
            return 'a Spree 422 lists "errors" as {field: [message, ...]}'
    return None


def display_number(text: str) -> Decimal | None:
    """The number inside a money string like "$1,150.00" or "1.150,00 €"."""
    digits = re.sub(r"[^\d.,-]", "", text)
    if not digits:
        return None
    if re.search(r",\d{2}$", digits):  # comma decimal separator
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    return decimal(digits)


def invariants(body: Any) -> Iterator[str]:
    for item in walk(body):
        attributes = item.get("attributes")
        if item.get("type") != "store_credit" or not isinstance(attributes, dict):
            continue
        label = f"store_credit {item.get('id')}"
        values = {}
        for name in AMOUNTS:
            raw = attributes.get(name)
            if name in attributes and not (isinstance(raw, str) and DECIMAL_STRING.match(raw)):
                yield f'{label}: {name} is {raw!r}; Spree amounts are decimal strings ("150.0")'
            values[name] = decimal(raw) if isinstance(raw, str) else None
        for amount, shown in (("amount", "display_amount"), ("amount_used", "display_amount_used")):
            if values.get(amount) is None or not isinstance(attributes.get(shown), str):
                continue
            number = display_number(attributes[shown])
            if number is None or number != values[amount].quantize(Decimal("0.01")):
                shown_text, raw_amount = attributes[shown], attributes[amount]
                yield f"{label}: {shown} {shown_text!r} does not show {amount} {raw_amount!r}"
        amount, used, authorized = (values.get(n) for n in AMOUNTS)
        if None not in (amount, used, authorized) and used + authorized > amount:
            yield f"{label}: amount_used {used} + amount_authorized {authorized} > amount {amount}"


def _client_credentials(client_id: str, secret: str):
    def fetch(target: Target, refresh: str | None) -> tuple[str, float | None, str | None]:
        if refresh:
            body = {"grant_type": "refresh_token", "refresh_token": refresh}
        else:
            body = {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": secret,
                "scope": "admin",
            }
        answer = target.request("POST", "/spree_oauth/token", json_body=body)
        token = json_token(answer, "access_token")
        data = answer.json
        expires = data.get("expires_in")
        if expires is not None and not isinstance(expires, (int, float)):
            raise AuthError(f"expires_in is {expires!r}, not a number of seconds")
        return token, expires, data.get("refresh_token")

    return fetch


class SpreeLedger:
    """Each run creates its own store credit from the spec's create example, deleted at the end."""

    owned_objects = True

    def open(self, api: Api) -> tuple[str, Exchange]:
        body = request_example(api.spec, CREDITS, "post") or FALLBACK_CREATE
        body.setdefault("store_credit", {}).update(
            {"amount": 150, "amount_used": 0, "amount_authorized": 0, "currency": "USD"}
        )
        answer = api.send(Request("POST", CREDITS, body))
        data = (answer.json or {}).get("data") if answer.status == 201 else None
        if not isinstance(data, dict) or "id" not in data:
            raise LookupError(f"could not create a store credit: {answer.describe()}")
        return str(data["id"]), answer

    def read(self, handle: str) -> Request:
        return Request("GET", f"{CREDITS}/{handle}", label=f"GET {ITEM}")

    def money(self, body: Any) -> Snapshot:
        attributes = ((body or {}).get("data") or {}).get("attributes") or {}
        return {n: d for n in AMOUNTS if (d := decimal(attributes.get(n))) is not None}

    def _patch(self, handle: str, **fields: Any) -> Request:
        return Request(
            "PATCH", f"{CREDITS}/{handle}", {"store_credit": fields}, label=f"PATCH {ITEM}"
        )

    def moves(self, handle: str, before: Snapshot) -> list[Move]:
        amount = before.get("amount", Decimal(150))
        used = before.get("amount_used", Decimal(0))
        return [
            Move(self._patch(handle, amount=float(amount + 25)), {"amount": Decimal(25)}),
            Move(self._patch(handle, amount_used=float(used + 10)), {"amount_used": Decimal(10)}),
            Move(self._patch(handle, amount_used=float(used)), {"amount_used": Decimal(-10)}),
        ]

    def overdraft(self, handle: str, before: Snapshot) -> Request | None:
        return self._patch(handle, amount_used=float(before.get("amount", Decimal(0)) + 1))

    def refused(self, handle: str) -> list[Request]:
        return [
            self._patch(handle, amount=-1),
            self._patch(handle, amount=0),
            Request("PATCH", f"{CREDITS}/{handle}", {"amount": 5}, label=f"PATCH {ITEM}"),
        ]

    def history(self, handle: str) -> Request | None:
        return Request(
            "GET",
            f"{CREDITS}/{handle}",
            params={"include": "store_credit_events"},
            label=f"GET {ITEM}",
        )

    def entries(self, body: Any) -> list[Entry]:
        included = (body or {}).get("included") if isinstance(body, dict) else None
        return [
            Entry(
                str(item.get("id")),
                str((item.get("attributes") or {}).get("action")),
                decimal((item.get("attributes") or {}).get("amount")),
            )
            for item in included or []
            if isinstance(item, dict) and item.get("type") == "store_credit_event"
        ]

    def history_totals(self, entries: list[Entry]) -> Snapshot:
        """The credit's `allocation` event is rewritten on every save: it shows the amount."""
        allocations = [e.amount or Decimal(0) for e in entries if e.kind == "allocation"]
        return {"amount": sum(allocations, Decimal(0))}

    def business_rules(self, handle: str, before: Snapshot) -> list[BusinessRule]:
        """Model validations of Spree::StoreCredit [V/S]: what is used or authorized never
        exceeds the amount, and a credit that has been used cannot be deleted."""
        amount = before.get("amount", Decimal(0))
        used = before.get("amount_used", Decimal(0))
        return [
            BusinessRule(
                "amount_used + amount_authorized above the amount",
                self._patch(handle, amount_authorized=float(amount - used + 1)),
                422,
            ),
            BusinessRule(
                "an amount below what is already used",
                self._patch(handle, amount=float(used + 1)),
                422,
                setup=(self._patch(handle, amount_used=float(used + 2)),),
                undo=(self._patch(handle, amount_used=float(used)),),
            ),
            BusinessRule(
                "deleting a credit that has been used",
                self.cleanup(handle),
                422,
                setup=(self._patch(handle, amount_used=float(used + 1)),),
                undo=(self._patch(handle, amount_used=float(used)),),
            ),
        ]

    def text_edits(self, handle: str, text: str) -> list[TextEdit]:
        return [
            TextEdit(
                self._patch(handle, memo=text),
                self.read(handle),
                lambda body: (((body or {}).get("data") or {}).get("attributes") or {}).get("memo"),
            )
        ]

    def paging(self) -> Paging | None:
        return Paging(
            lambda number, size, descending: Request(
                "GET",
                CREDITS,
                params={"per_page": size, "page": number, "sort": "-id" if descending else "id"},
            ),
            lambda body: [
                str(item.get("id"))
                for item in ((body or {}).get("data") or [])
                if isinstance(item, dict)
            ],
        )

    def cleanup(self, handle: str) -> Request:
        return Request("DELETE", f"{CREDITS}/{handle}", label=f"DELETE {ITEM}")

    def listing(self) -> Request | None:
        return Request("GET", CREDITS, params={"sort": "-id", "per_page": 100})

    def listed(self, body: Any, handle: str) -> bool:
        data = body.get("data") if isinstance(body, dict) else None
        return isinstance(data, list) and any(
            isinstance(item, dict) and str(item.get("id")) == handle for item in data
        )

    def created(self, path: str, body: Any) -> str | None:
        data = body.get("data") if isinstance(body, dict) else None
        if path != CREDITS or not isinstance(data, dict) or "id" not in data:
            return None
        return str(data["id"])


PROFILE = VendorProfile(
    name="spree",
    title="Spree Platform store credits",
    spec_file="spree-platform-store-credits.yaml",
    path_prefixes=("/api/v2/platform/", "/spree_oauth/"),
    credentials=(
        CredentialOption(
            ("SPREE_CLIENT_ID", "SPREE_CLIENT_SECRET"),
            lambda t, c, s: TokenEndpoint(
                t,
                _client_credentials(c["SPREE_CLIENT_ID"], c["SPREE_CLIENT_SECRET"]),
                f"SPREE_ACCESS_TOKEN{s}",
            ),
        ),
    ),
    demo={"SPREE_CLIENT_ID": "test_client", "SPREE_CLIENT_SECRET": "test_secret"},
    demo_second={"SPREE_CLIENT_ID": "test_contracts2", "SPREE_CLIENT_SECRET": "test_secret"},
    envelope=envelope,
    invariants=invariants,
    ledger=SpreeLedger(),
    probe=Request("GET", CREDITS, params={"per_page": 1}),
    business_refusals=BUSINESS_REFUSALS,
    free_text=("memo",),
)
