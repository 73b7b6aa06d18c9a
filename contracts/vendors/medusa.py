"""Medusa store credit (loyalty plugin): secret key or JWT auth, `{type, message}` errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from contracts.auth import TokenEndpoint, basic_secret_key, json_token
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
    Undeletable,
    VendorProfile,
    decimal,
    entries_in,
    walk,
)

ACCOUNTS = "/admin/store-credit-accounts"
# Error `type` each status must carry (401 has none, or "unauthorized" for a bad password).
TYPES_BY_STATUS = {
    400: {"invalid_data", "not_allowed"},
    401: {None, "unauthorized"},
    404: {"not_found"},
    422: {"duplicate_error"},
    500: {"unknown_error", "database_error"},
}

# Schema-valid requests Medusa refuses for business reasons (operationId -> extra statuses
# for `positive_data_acceptance`): a second account for the same (customer_id, currency_code)
# is a 400 duplicate; a debit larger than the balance is a 400 "insufficient balance".
BUSINESS_REFUSALS = {
    "createStoreCreditAccount": ("400",),
    "debitStoreCreditAccount": ("400",),
}


def envelope(status: int, body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return 'expected a JSON object with a string "message" (Medusa error body)'
    allowed = TYPES_BY_STATUS.get(status)
    if allowed is not None and body.get("type") not in allowed:
        shown = sorted(str(t) for t in allowed)
        return f'"type" is {body.get("type")!r}; a Medusa {status} has type in {shown}'
    if allowed is None and not isinstance(body.get("type"), str):
        return f'a Medusa {status} error carries a string "type"'
    return None


def invariants(body: Any) -> Iterator[str]:
    for item in walk(body):
        if {"balance", "credits", "debits"} <= item.keys():
            balance, credits, debits = (decimal(item[k]) for k in ("balance", "credits", "debits"))
            if None in (balance, credits, debits):
                yield f"account {item.get('id')}: balance/credits/debits are not all numbers"
            elif abs(balance - (credits - debits)) > Decimal("1e-9") * max(1, abs(credits)):
                yield (
                    f"account {item.get('id')}: balance {item['balance']} != credits "
                    f"{item['credits']} - debits {item['debits']}"
                )


def _emailpass(email: str, password: str):
    def fetch(target: Target, _refresh: str | None) -> tuple[str, float | None, str | None]:
        answer = target.request(
            "POST", "/auth/user/emailpass", json_body={"email": email, "password": password}
        )
        return json_token(answer, "token"), None, None

    return fetch


class MedusaLedger(Undeletable):
    """Each run opens its own customer-less account (those are not limited to one per currency).

    The plugin has no delete for accounts.
    """

    owned_objects = True

    def open(self, api: Api) -> tuple[str, Exchange]:
        answer = api.send(Request("POST", ACCOUNTS, {"currency_code": "usd"}))
        account = (answer.json or {}).get("store_credit_account") if answer.status == 200 else None
        if not isinstance(account, dict) or "id" not in account:
            raise LookupError(f"could not create a store credit account: {answer.describe()}")
        return str(account["id"]), answer

    def read(self, handle: str) -> Request:
        return Request("GET", f"{ACCOUNTS}/{handle}", label=f"GET {ACCOUNTS}/{{id}}")

    def money(self, body: Any) -> Snapshot:
        account = (body or {}).get("store_credit_account") or {}
        return {
            k: d
            for k in ("balance", "credits", "debits")
            if (d := decimal(account.get(k))) is not None
        }

    def _op(self, handle: str, kind: str, body: Any) -> Request:
        return Request(
            "POST", f"{ACCOUNTS}/{handle}/{kind}", body, label=f"POST {ACCOUNTS}/{{id}}/{kind}"
        )

    def moves(self, handle: str, before: Snapshot) -> list[Move]:
        credit, debit = Decimal("10.55"), Decimal("4.25")
        return [
            Move(
                self._op(handle, "credit", {"amount": 10.55}),
                {"balance": credit, "credits": credit},
                ("credit", credit),
            ),
            Move(
                self._op(handle, "debit", {"amount": 4.25}),
                {"balance": -debit, "debits": debit},
                ("debit", debit),
            ),
        ]

    def overdraft(self, handle: str, before: Snapshot) -> Request | None:
        too_much = float(before.get("balance", Decimal(0)) + 1000)
        return self._op(handle, "debit", {"amount": too_much})

    def refused(self, handle: str) -> list[Request]:
        return [
            self._op(handle, "credit", {"amount": 0}),
            self._op(handle, "credit", {"amount": -3}),
            self._op(handle, "credit", {"amount": 5, "foo": "bar"}),
            self._op(handle, "debit", {}),
        ]

    def history(self, handle: str) -> Request | None:
        return Request(
            "GET",
            f"{ACCOUNTS}/{handle}/transactions",
            params={"limit": 100},
            label=f"GET {ACCOUNTS}/{{id}}/transactions",
        )

    def entries(self, body: Any) -> list[Entry]:
        return entries_in(body, "transactions", "type")

    def history_totals(self, entries: list[Entry]) -> Snapshot:
        """balance = sum(credits) - sum(debits), computed from the transactions [R]."""
        credits = sum((e.amount or 0 for e in entries if e.kind == "credit"), Decimal(0))
        debits = sum((e.amount or 0 for e in entries if e.kind == "debit"), Decimal(0))
        return {"credits": credits, "debits": debits, "balance": credits - debits}

    def business_rules(self, handle: str, before: Snapshot) -> list[BusinessRule]:
        """Refusals the plugin's model makes [R]: amount > 0 on both moves (after the schema,
        so they hold for any amount a client computes), one account per customer and
        currency, an unknown account is a 404."""
        customer = {"customer_id": f"cus_contracts_{uuid.uuid4().hex[:12]}", "currency_code": "usd"}
        create = Request("POST", ACCOUNTS, customer)
        unknown = f"sc_acc_contracts{uuid.uuid4().hex[:10].upper()}"
        return [
            BusinessRule("a debit of 0", self._op(handle, "debit", {"amount": 0}), 400),
            BusinessRule("a negative debit", self._op(handle, "debit", {"amount": -2.5}), 400),
            BusinessRule("a credit of 0", self._op(handle, "credit", {"amount": 0}), 400),
            BusinessRule(
                "a second account for one customer and currency", create, 400, setup=(create,)
            ),
            BusinessRule(
                "a credit to an unknown account",
                self._op(unknown, "credit", {"amount": 1}),
                404,
            ),
        ]

    def text_edits(self, handle: str, text: str) -> list[TextEdit]:
        """A credit's note shows unchanged in the (fresh) account's only transaction."""
        return [
            TextEdit(
                self._op(handle, "credit", {"amount": 1, "note": text}),
                self.history(handle),
                lambda body: next(iter((body or {}).get("transactions") or []), {}).get("note"),
            )
        ]

    def paging(self) -> Paging | None:
        return Paging(
            lambda number, size, descending: Request(
                "GET",
                ACCOUNTS,
                params={
                    "limit": size,
                    "offset": (number - 1) * size,
                    "order": "-id" if descending else "id",
                },
            ),
            lambda body: [
                str(item.get("id"))
                for item in ((body or {}).get("store_credit_accounts") or [])
                if isinstance(item, dict)
            ],
        )


PROFILE = VendorProfile(
    name="medusa",
    title="Medusa store credit",
    spec_file="medusa-store-credit.yaml",
    path_prefixes=("/admin/", "/auth/"),
    credentials=(
        CredentialOption(
            ("MEDUSA_SECRET_KEY",), lambda t, c: basic_secret_key(c["MEDUSA_SECRET_KEY"])
        ),
        CredentialOption(
            ("MEDUSA_EMAIL", "MEDUSA_PASSWORD"),
            lambda t, c: TokenEndpoint(t, _emailpass(c["MEDUSA_EMAIL"], c["MEDUSA_PASSWORD"])),
        ),
    ),
    demo={"MEDUSA_SECRET_KEY": "sk_test_demo"},
    demo_second={"MEDUSA_SECRET_KEY": "sk_test_contracts2"},
    envelope=envelope,
    invariants=invariants,
    ledger=MedusaLedger(),
    business_refusals=BUSINESS_REFUSALS,
    free_text=("note",),
)
