"""Appstle Loyalty external API: API-key auth, `{"error": ...}` errors, shared seeded customers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from contracts.auth import StaticHeader
from contracts.target import Exchange
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
    Undeletable,
    VendorProfile,
    decimal,
    entries_in,
    walk,
)
from contracts.vendors.examples import values_named

LOYALTY = "/api/external/customer-loyalty"
EXTERNAL = "/api/external"
# What the scenarios redeem: a STORE_CREDIT rule worth `discount` for `redeemPoints` points
# (the demo shop's rule 2: $10 for 1000 points), partly: 100 points give $1.00.
REDEEM_RULE = {"id": 2, "points": Decimal(1000), "value": Decimal(10)}
REDEEM_POINTS = Decimal(100)
INACTIVE_RULE = 3  # the demo shop's INACTIVE rule; on a shop without it: 400 "not found"
NOT_ENROLLED = 424242  # no enrolled customer has this id (the spec's 404 example)
APPROVE = "/api/external/approve-pending-transactions"
MONEY = ("availablePoints", "creditedPoints", "pendingPoints", "storeCreditBalance", "spentAmount")

# Schema-valid requests Appstle refuses for business reasons (operationId -> extra statuses
# for `positive_data_acceptance`): removing or redeeming more points than the customer has
# available, or redeeming with an inactive rule; approving no list or a transaction that is
# not pending; checking or re-using a discount code that is used, expired or refunded; a
# legacy status update with a status that is no reward status. Each answers 400.
BUSINESS_REFUSALS = {
    "removePoints": ("400",),
    "redeemPoints": ("400",),
    "approvePendingTransactions": ("400",),
    "checkDiscount": ("400",),
    "updateDiscount": ("400",),
    "updateDiscountCodeStatus": ("400",),
}


def envelope(status: int, body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        return 'expected a JSON object with a string "error" (Appstle error body)'
    return None


def invariants(body: Any) -> Iterator[str]:
    for item in walk(body):
        for name in ("availablePoints", "storeCreditBalance"):
            value = decimal(item.get(name))
            if value is not None and value < 0:
                yield f"{name} is negative ({item[name]}); a balance never goes below zero"


class AppstleLedger(Undeletable):
    """Customers are seeded in every tenant; the suite picks one the spec's examples name.

    Seeded customers stay: Appstle has no way to delete a customer or undo a credit.
    """

    owned_objects = False

    def open(self, api: Api) -> tuple[str, Exchange]:
        candidates = [os.environ.get("APPSTLE_CUSTOMER_ID")] + list(
            values_named(api.spec, "customerId")
        )
        last: Exchange | None = None
        for candidate in dict.fromkeys(c for c in candidates if c not in (None, "")):
            last = api.send(self.read(str(candidate)))
            if last.status == 200:
                return str(candidate), last
        if last is None:
            raise LookupError("no customerId example in the spec; set APPSTLE_CUSTOMER_ID")
        raise LookupError(
            f"no enrolled customer found (last: {last.describe()}); set APPSTLE_CUSTOMER_ID"
        )

    def read(self, handle: str) -> Request:
        return Request("GET", LOYALTY, params={"customerId": handle}, label=f"GET {LOYALTY}")

    def money(self, body: Any) -> Snapshot:
        return {name: d for name in MONEY if (d := decimal((body or {}).get(name))) is not None}

    def moves(self, handle: str, before: Snapshot) -> list[Move]:
        """Store credit and points in, a redemption; and, while points wait, approving all
        pending points moves them from pendingPoints to availablePoints and creditedPoints."""
        customer = _customer(handle)
        credits, points = Decimal("10.55"), Decimal("7")
        reward = REDEEM_RULE["value"] * REDEEM_POINTS / REDEEM_RULE["points"]
        redeem = {
            "customerId": customer,
            "redeemRuleId": REDEEM_RULE["id"],
            "points": float(REDEEM_POINTS),
        }
        pending = before.get("pendingPoints", Decimal(0))
        approval = [
            Move(
                Request("PUT", APPROVE, params={"approveAllPendingTransactions": "true"}),
                {"availablePoints": pending, "creditedPoints": pending, "pendingPoints": -pending},
            )
        ]
        return [
            Move(
                Request(
                    "POST", "/api/external/add-credits", {"customerId": customer, "credits": 10.55}
                ),
                {"storeCreditBalance": credits},
            ),
            Move(
                Request("POST", "/api/external/add-points", {"customerId": customer, "points": 7}),
                {"availablePoints": points, "creditedPoints": points},
            ),
            # A redemption spends points and appends a reward; a STORE_CREDIT reward's value
            # goes to the store credit balance [V].
            Move(
                Request("POST", f"{EXTERNAL}/redeem-points", redeem),
                {"availablePoints": -REDEEM_POINTS, "storeCreditBalance": reward},
                ("STORE_CREDIT", reward),
            ),
        ] + (approval if pending > 0 else [])

    def overdraft(self, handle: str, before: Snapshot) -> Request | None:
        """Removing more points than are available is refused and changes nothing [I]."""
        customer = _customer(handle)
        too_many = float(before.get("availablePoints", Decimal(0)) + 1000)
        return Request(
            "POST", "/api/external/remove-points", {"customerId": customer, "points": too_many}
        )

    def refused(self, handle: str) -> list[Request]:
        customer = _customer(handle)
        return [
            Request("POST", "/api/external/add-credits", {"customerId": customer, "credits": -5}),
            Request("POST", "/api/external/add-points", {"customerId": customer, "points": 0}),
            Request(
                "POST",
                "/api/external/add-points",
                {"customerId": customer, "customerEmail": "both@example.com", "points": 3},
            ),
            # Appstle's one documented 400: neither approveAll nor a list.
            Request("PUT", APPROVE, []),
            Request("PUT", APPROVE, [{"transactionId": 987654321, "customerId": customer}]),
            Request(
                "PUT",
                "/api/external/check-discount",
                {"customerId": customer, "discountCode": "NO-SUCH-CODE-0"},
            ),
            Request(
                "PUT",
                "/api/external/update-discount",
                {"customerId": customer, "discountCode": "NO-SUCH-CODE-0", "status": "USED"},
            ),
        ]

    def history(self, handle: str) -> Request | None:
        """The rewards a customer's redemptions left (no endpoint shows the transactions)."""
        return self.read(handle)

    def entries(self, body: Any) -> list[Entry]:
        return entries_in(body, "rewards", "rewardType")

    def history_totals(self, entries: list[Entry]) -> Snapshot:
        return {}  # seeded balances predate the rewards: only each move's own entry is known

    def business_rules(self, handle: str, before: Snapshot) -> list[BusinessRule]:
        """Refusals Appstle's model makes [V/I]: spending more points than available, an
        inactive redeem rule, non-positive credits, a note above 500 characters, a
        customer outside the loyalty programme."""
        customer = _customer(handle)
        available = before.get("availablePoints", Decimal(0))
        return [
            BusinessRule(
                "redeeming more points than available",
                Request(
                    "POST",
                    f"{EXTERNAL}/redeem-points",
                    {"customerId": customer, "redeemRuleId": 2, "points": float(available + 1)},
                ),
                400,
            ),
            BusinessRule(
                "redeeming with an inactive rule",
                Request(
                    "POST",
                    f"{EXTERNAL}/redeem-points",
                    {"customerId": customer, "redeemRuleId": INACTIVE_RULE},
                ),
                400,
            ),
            BusinessRule(
                "adding 0 credits",
                Request("POST", f"{EXTERNAL}/add-credits", {"customerId": customer, "credits": 0}),
                400,
            ),
            BusinessRule(
                "a note longer than 500 characters",
                Request(
                    "POST",
                    f"{EXTERNAL}/add-points",
                    {"customerId": customer, "points": 1, "note": "é" * 501},
                ),
                400,
            ),
            BusinessRule(
                "a customer not enrolled in the loyalty program",
                Request(
                    "POST",
                    f"{EXTERNAL}/add-points",
                    {"customerId": NOT_ENROLLED, "points": 1},
                ),
                404,
            ),
        ]

    def text_edits(self, handle: str, text: str) -> list[TextEdit]:
        # Notes go to transactions, which no endpoint shows: the write must be accepted.
        note = {"customerId": _customer(handle), "points": 1, "note": text}
        return [TextEdit(Request("POST", f"{EXTERNAL}/add-points", note))]

    def paging(self) -> Paging | None:
        return None  # no paged list


def _customer(handle: str) -> int | str:
    return int(handle) if handle.isdigit() else handle


PROFILE = VendorProfile(
    name="appstle",
    title="Appstle Loyalty",
    spec_file="appstle-loyalty.yaml",
    path_prefixes=("/api/external/",),
    credentials=(
        CredentialOption(
            ("APPSTLE_API_KEY",),
            lambda t, c, s: StaticHeader("X-API-Key", c["APPSTLE_API_KEY"], f"$APPSTLE_API_KEY{s}"),
        ),
    ),
    demo={"APPSTLE_API_KEY": "apst_test_demo"},
    demo_second={"APPSTLE_API_KEY": "apst_test_contracts2"},
    envelope=envelope,
    invariants=invariants,
    ledger=AppstleLedger(),
    probe=Request("GET", "/api/external/point-redeem-rules"),
    business_refusals=BUSINESS_REFUSALS,
    free_text=("note",),
)
