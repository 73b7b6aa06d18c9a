"""Planted Medusa bugs: one (or two) per rule of `contracts/inventory.yaml`'s Medusa rows."""

from __future__ import annotations

import base64
import json
import re

from tests.contracts import planted as p
from tests.mutation.harness import Bug

ACCOUNTS = r"^/admin/store-credit-accounts$"
ITEM = r"^/admin/store-credit-accounts/\{id\}$"
MOVES = r"/(credit|debit)$"
TRANSACTIONS = r"/transactions$"
DEMO = "Basic " + base64.b64encode(b"sk_test_demo:").decode()


def _account_of(req) -> tuple[str, str]:
    return "/".join(req.path.split("/")[:-1]), ""


def debit_drift(app):
    """A debit books half the amount asked."""
    return p.Planted(
        app,
        request=p.edit_body(
            r"/debit$",
            "POST",
            lambda b: (
                {**b, "amount": b["amount"] / 2}
                if isinstance(b.get("amount"), (int, float))
                else None
            ),
        ),
    )


def history_drops_entry(app):
    """The transaction list leaves out the newest transaction."""

    def change(body):
        if body.get("transactions"):
            body["transactions"] = body["transactions"][:-1]
            body["count"] = max(0, body["count"] - 1)

    return p.Planted(app, answer=p.rewrite_json("/transactions", "GET", change))


def history_misbooks(app):
    """Debits show in the transaction list as credits."""

    def change(body):
        for item in body.get("transactions") or []:
            if item.get("type") == "debit":
                item["type"] = "credit"

    return p.Planted(app, answer=p.rewrite_json("/transactions", "GET", change))


def zero_debit_accepted(app):
    """A debit of 0 or less answers 200 (nothing booked) instead of 400."""
    return p.accept_refusal(app, r"/debit$", "POST", b"greater than 0", _account_of)


def duplicate_account_accepted(app):
    """A second account for the same customer and currency is created (customer dropped)."""
    return p.Planted(
        app,
        request=p.edit_body(
            ACCOUNTS, "POST", lambda b: {k: v for k, v in b.items() if k != "customer_id"}
        ),
    )


def unknown_field_accepted(app):
    """Credit and debit bodies with unknown fields are accepted (the extras dropped)."""
    return p.Planted(
        app,
        request=p.edit_body(
            MOVES, "POST", lambda b: {k: v for k, v in b.items() if k in ("amount", "note")}
        ),
    )


def unknown_account_credited(app):
    """A credit to an unknown account answers 200 with an empty account instead of 404."""

    def hook(req, code, headers, content):
        if req.method == "POST" and req.path.endswith("/credit") and code == 404:
            account = {"id": req.path.split("/")[-2], "balance": 0, "credits": 0, "debits": 0}
            return 200, p.JSON, json.dumps({"store_credit_account": account}).encode()
        return None

    return p.Planted(app, answer=hook)


def auth_ignored(app):
    """Requests without credentials are served as the demo key's."""
    return p.swap_header(app, "HTTP_AUTHORIZATION", lambda value, req: value or DEMO)


def offset_ignored(app):
    """The account list ignores `offset`: every page is the first."""

    def hook(req, body):
        if re.search(ACCOUNTS, req.path) and req.method == "GET":
            query = "&".join(
                part
                for part in req.environ.get("QUERY_STRING", "").split("&")
                if not part.startswith("offset=")
            )
            req.environ["QUERY_STRING"] = query
        return None

    return p.Planted(app, request=hook)


def order_ignored(app):
    """The account list ignores `order`: always ascending by id."""

    def hook(req, body):
        if re.search(ACCOUNTS, req.path) and req.method == "GET":
            query = req.environ.get("QUERY_STRING", "").replace("order=-", "order=")
            req.environ["QUERY_STRING"] = query
        return None

    return p.Planted(app, request=hook)


def note_mangled(app):
    """Transaction notes come back with every non-ASCII character as '?'."""

    def change(body):
        for item in body.get("transactions") or []:
            if isinstance(item.get("note"), str):
                item["note"] = item["note"].encode("ascii", "replace").decode()

    return p.Planted(app, answer=p.rewrite_json("/transactions", "GET", change))


def astral_note_500(app):
    """A note with a character outside the BMP (an emoji) crashes the handler (utf8mb3)."""

    def hook(req, body):
        note = body.get("note") if isinstance(body, dict) else None
        astral = isinstance(note, str) and any(ord(ch) > 0xFFFF for ch in note)
        if astral and re.search(MOVES, req.path):
            return 500, p.JSON, p.UNKNOWN_ERROR
        return None

    return p.Planted(app, request=hook)


def stale_account_reads(app):
    """Account reads are cached and never refreshed after a credit or debit."""
    return p.cached_reads(app, r"^/admin/store-credit-accounts/[^/]+$", ())


BUGS = [
    Bug(
        "ledger_drift",
        "medusa.credit-exact",
        p.ledger_drift,
        frozenset({"ledger_arithmetic"}),
        MOVES,
    ),
    Bug("debit_drift", "medusa.debit-exact", debit_drift, frozenset({"ledger_arithmetic"}), MOVES),
    Bug(
        "balance_identity_broken",
        "medusa.balance-identity",
        p.balance_identity_broken,
        frozenset({"ledger_invariants", "history_matches_balance"}),
        ACCOUNTS,
    ),
    Bug(
        "history_drops_entry",
        "medusa.history-matches",
        history_drops_entry,
        frozenset({"history_matches_balance"}),
        TRANSACTIONS,
    ),
    Bug(
        "history_misbooks",
        "medusa.history-matches",
        history_misbooks,
        frozenset({"history_matches_balance"}),
        TRANSACTIONS,
    ),
    Bug(
        "refused_but_changed",
        "medusa.amount-positive",
        p.refused_but_changed,
        frozenset({"refused_request_changes_nothing"}),
        MOVES,
    ),
    Bug(
        "zero_debit_accepted",
        "medusa.amount-positive",
        zero_debit_accepted,
        frozenset({"business_rules_refused"}),
        MOVES,
    ),
    Bug(
        "overdraft_accepted",
        "medusa.no-overdraft",
        p.overdraft_accepted,
        frozenset({"overdraft_refused"}),
        MOVES,
    ),
    Bug(
        "duplicate_account_accepted",
        "medusa.one-account-per-customer",
        duplicate_account_accepted,
        frozenset({"business_rules_refused"}),
        ACCOUNTS,
    ),
    Bug(
        "unknown_field_accepted",
        "medusa.strict-bodies",
        unknown_field_accepted,
        frozenset({"refused_request_changes_nothing", "negative_data_rejection"}),
        MOVES,
    ),
    Bug(
        "unknown_account_credited",
        "medusa.unknown-account-404",
        unknown_account_credited,
        frozenset({"business_rules_refused"}),
        MOVES,
    ),
    Bug(
        "idempotency_ignored",
        "medusa.idempotency",
        p.idempotency_ignored,
        frozenset({"idempotency"}),
        MOVES,
    ),
    Bug(
        "tenant_leak",
        "medusa.tenant-isolation",
        p.tenant_leak,
        frozenset({"tenant_isolation"}),
        ITEM,
    ),
    Bug(
        "medusa_auth_ignored",
        "medusa.auth-required",
        auth_ignored,
        frozenset({"ignored_auth", "refused_request_changes_nothing"}),
        ITEM,
    ),
    Bug(
        "wrong_error_envelope",
        "medusa.error-body",
        p.wrong_error_envelope,
        frozenset({"vendor_error_envelope"}),
        ITEM,
    ),
    Bug(
        "wrong_status",
        "medusa.post-answers-200",
        p.wrong_status,
        frozenset({"status_code_conformance"}),
        ACCOUNTS,
    ),
    Bug(
        "missing_field",
        "medusa.account-shape",
        p.missing_field,
        frozenset({"response_schema_conformance"}),
        ACCOUNTS,
    ),
    Bug(
        "server_error_on_odd_input",
        "medusa.no-server-errors",
        p.server_error_on_odd_input,
        frozenset({"not_a_server_error"}),
        MOVES,
    ),
    Bug("offset_ignored", "medusa.paging", offset_ignored, frozenset({"pages_agree"}), ACCOUNTS),
    Bug("order_ignored", "medusa.ordering", order_ignored, frozenset({"pages_agree"}), ACCOUNTS),
    Bug(
        "note_mangled",
        "medusa.text-kept",
        note_mangled,
        frozenset({"reads_see_writes"}),
        TRANSACTIONS,
    ),
    Bug(
        "astral_note_500",
        "medusa.text-accepted",
        astral_note_500,
        frozenset({"reads_see_writes", "not_a_server_error"}),
        MOVES,
    ),
    Bug(
        "stale_account_reads",
        "medusa.reads-fresh",
        stale_account_reads,
        frozenset({"ledger_arithmetic"}),
        ITEM,
    ),
]
