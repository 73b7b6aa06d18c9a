"""Planted Appstle bugs: one (or two) per rule of `contracts/inventory.yaml`'s Appstle rows."""

from __future__ import annotations

import json
import re

from tests.contracts import planted as p
from tests.mutation.harness import Bug

WRITES = r"/(add-points|remove-points|add-credits|redeem-points)$"
READ = r"customer-loyalty"
LOYALTY = "/api/external/customer-loyalty"
DEMO_KEY = "apst_test_demo"


def _customer_view(req) -> tuple[str, str]:
    body = p.request_json(req) or {}
    if body.get("customerId") is not None:
        return LOYALTY, f"customerId={body['customerId']}"
    return LOYALTY, f"customerEmail={body.get('customerEmail', '')}"


def credits_drift(app):
    """add-credits books a cent more than asked."""
    return p.Planted(
        app,
        request=p.edit_body(
            r"/add-credits$",
            "POST",
            lambda b: (
                {**b, "credits": b["credits"] + 0.01}
                if isinstance(b.get("credits"), (int, float)) and b["credits"] > 0
                else None
            ),
        ),
    )


def overdraw_accepted(app):
    """Removing more points than available answers 200 (nothing removed) instead of 400."""
    return p.accept_refusal(app, r"/remove-points$", "POST", b"nsufficient", _customer_view)


def redeem_overdraw_accepted(app):
    """Redeeming more points than available answers 200 (nothing redeemed) instead of 400."""
    return p.accept_refusal(app, r"/redeem-points$", "POST", b"nsufficient", _customer_view)


def inactive_rule_accepted(app):
    """Redeeming with an INACTIVE rule redeems the shop's first rule instead of refusing."""

    def hook(req, body):
        rule = body.get("redeemRuleId") if isinstance(body, dict) else None
        if not req.path.endswith("/redeem-points") or not isinstance(rule, int):
            return None
        status, content = p.sub_request(app, req, "GET", "/api/external/point-redeem-rules")
        rules = json.loads(content) if status == 200 else []
        inactive = {r["id"] for r in rules if r.get("status") == "INACTIVE"}
        return {**body, "redeemRuleId": rules[0]["id"]} if rule in inactive else None

    return p.Planted(app, request=hook)


def reward_dropped(app):
    """Store-credit rewards are missing from the customer's rewards (a wrong type filter)."""

    def change(body):
        if isinstance(body, dict) and isinstance(body.get("rewards"), list):
            body["rewards"] = [r for r in body["rewards"] if r.get("rewardType") != "STORE_CREDIT"]

    return p.Planted(app, answer=p.rewrite_json("/api/external/", None, change))


def redeem_spends_whole_rule(app):
    """A redemption ignores the points asked and spends the rule's full price."""
    return p.Planted(
        app,
        request=p.edit_body(
            r"/redeem-points$",
            "POST",
            lambda b: {k: v for k, v in b.items() if k != "points"} if "points" in b else None,
        ),
    )


def zero_credits_accepted(app):
    """add-credits of 0 or less answers 200 (nothing added) instead of 400."""
    return p.accept_refusal(app, r"/add-credits$", "POST", b"greater than 0", _customer_view)


def long_note_accepted(app):
    """Notes above 500 characters are cut to 500 instead of refused."""
    return p.Planted(
        app,
        request=p.edit_body(
            WRITES,
            "POST",
            lambda b: (
                {**b, "note": b["note"][:500]}
                if isinstance(b.get("note"), str) and len(b["note"]) > 500
                else None
            ),
        ),
    )


def both_selectors_accepted(app):
    """A write naming both customerId and customerEmail uses the id instead of refusing."""
    return p.Planted(
        app,
        request=p.edit_body(
            WRITES,
            "POST",
            lambda b: (
                {k: v for k, v in b.items() if k != "customerEmail"}
                if b.get("customerId") is not None and b.get("customerEmail") is not None
                else None
            ),
        ),
    )


def unenrolled_falls_back(app):
    """A write for a customer not in the loyalty program goes to the demo shop's first one."""

    def hook(req, body):
        customer = body.get("customerId") if isinstance(body, dict) else None
        if req.method != "POST" or not re.search(WRITES, req.path) or not isinstance(customer, int):
            return None
        status, _ = p.sub_request(app, req, "GET", LOYALTY, f"customerId={customer}")
        return {**body, "customerId": 1001} if status == 404 else None

    return p.Planted(app, request=hook)


def error_envelope_renamed(app):
    """400 answers say `message` instead of Appstle's `error`."""

    def hook(req, code, headers, content):
        if code == 400 and req.path.startswith("/api/external/"):
            body = json.loads(content)
            body["message"] = body.pop("error", "")
            return code, headers, json.dumps(body).encode()
        return None

    return p.Planted(app, answer=hook)


def tenant_leak(app):
    """The second shop's key is served as the demo shop's."""
    return p.swap_header(
        app,
        "HTTP_X_API_KEY",
        lambda value, req: DEMO_KEY if value == "apst_test_contracts2" else value,
    )


def idempotency_ignored(app):
    """The Idempotency-Key header never reaches the core: a replay books twice."""
    return p.swap_header(app, "HTTP_IDEMPOTENCY_KEY", lambda value, req: None)


def non_latin1_note_500(app):
    """A note outside Latin-1 crashes the handler (a Latin-1 column)."""

    def hook(req, body):
        note = body.get("note") if isinstance(body, dict) else None
        if isinstance(note, str) and any(ord(ch) > 0xFF for ch in note):
            return 500, p.JSON, b'{"error":"Internal Server Error"}'
        return None

    return p.Planted(app, request=hook)


BUGS = [
    Bug(
        "appstle_points_drift",
        "appstle.add-points-exact",
        p.appstle_points_drift,
        frozenset({"ledger_arithmetic"}),
        WRITES,
    ),
    Bug(
        "credits_drift",
        "appstle.add-credits-exact",
        credits_drift,
        frozenset({"ledger_arithmetic"}),
        WRITES,
    ),
    Bug(
        "overdraw_accepted",
        "appstle.no-overdraw",
        overdraw_accepted,
        frozenset({"overdraft_refused"}),
        WRITES,
    ),
    Bug(
        "redeem_overdraw_accepted",
        "appstle.redeem-covered",
        redeem_overdraw_accepted,
        frozenset({"business_rules_refused"}),
        WRITES,
    ),
    Bug(
        "inactive_rule_accepted",
        "appstle.redeem-active-rule",
        inactive_rule_accepted,
        frozenset({"business_rules_refused"}),
        WRITES,
    ),
    Bug(
        "reward_dropped",
        "appstle.redeem-reward",
        reward_dropped,
        frozenset({"history_matches_balance"}),
        READ,
    ),
    Bug(
        "redeem_spends_whole_rule",
        "appstle.redeem-value",
        redeem_spends_whole_rule,
        frozenset({"ledger_arithmetic", "history_matches_balance"}),
        WRITES,
    ),
    Bug(
        "zero_credits_accepted",
        "appstle.amount-positive",
        zero_credits_accepted,
        frozenset({"refused_request_changes_nothing", "business_rules_refused"}),
        WRITES,
    ),
    Bug(
        "long_note_accepted",
        "appstle.note-bound",
        long_note_accepted,
        frozenset({"business_rules_refused", "negative_data_rejection"}),
        WRITES,
    ),
    Bug(
        "both_selectors_accepted",
        "appstle.one-selector",
        both_selectors_accepted,
        frozenset({"refused_request_changes_nothing"}),
        WRITES,
    ),
    Bug(
        "unenrolled_falls_back",
        "appstle.enrolled-only",
        unenrolled_falls_back,
        frozenset({"business_rules_refused"}),
        WRITES,
    ),
    Bug("auth_ignored", "appstle.auth-required", p.auth_ignored, frozenset({"ignored_auth"}), READ),
    Bug(
        "error_envelope_renamed",
        "appstle.error-body",
        error_envelope_renamed,
        frozenset({"vendor_error_envelope", "business_rules_refused"}),
        WRITES,
    ),
    Bug(
        "bad_enum",
        "appstle.loyalty-shape",
        p.bad_enum,
        frozenset({"response_schema_conformance"}),
        READ,
    ),
    Bug(
        "appstle_tenant_leak",
        "appstle.tenant-isolation",
        tenant_leak,
        frozenset({"tenant_isolation"}),
        READ,
    ),
    Bug(
        "appstle_idempotency_ignored",
        "appstle.idempotency",
        idempotency_ignored,
        frozenset({"idempotency"}),
        WRITES,
    ),
    Bug(
        "non_latin1_note_500",
        "appstle.text-accepted",
        non_latin1_note_500,
        frozenset({"not_a_server_error", "reads_see_writes"}),
        WRITES,
    ),
]
