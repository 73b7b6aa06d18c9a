"""Planted Spree bugs: one (or two) per rule of `contracts/inventory.yaml`'s Spree rows."""

from __future__ import annotations

import json
import re
import unicodedata

from tests.contracts import planted as p
from tests.mutation.harness import Bug

LIST = r"store_credits$"
ITEM = r"store_credits/\{id\}$"
CREDIT_PATH = r"^/api/v2/platform/store_credits/[^/]+$"
TOKEN = "/spree_oauth/token"
DEMO_CLIENT = {"grant_type": "client_credentials", "client_id": "test_client"}


def _same_credit(req) -> tuple[str, str]:
    return req.path, ""


def _edit_memo(change):
    def edit(attributes):
        if isinstance(attributes.get("memo"), str):
            attributes["memo"] = change(attributes["memo"])

    return edit


def _patch(edit):
    """A request hook for PATCHes of one credit: `edit(store_credit)` returns the new one."""

    def change(body):
        fields = body.get("store_credit")
        if not isinstance(fields, dict):
            return None
        return {**body, "store_credit": edit(dict(fields))}

    return p.edit_body(CREDIT_PATH, "PATCH", change)


def amount_drift(app):
    """An update books one unit more than the amount sent."""

    def edit(fields):
        if isinstance(fields.get("amount"), (int, float)) and fields["amount"] > 0:
            fields["amount"] += 1
        return fields

    return p.Planted(app, request=_patch(edit))


def amount_used_ignored(app):
    """An update silently ignores `amount_used`."""
    return p.Planted(
        app,
        request=_patch(lambda f: {k: v for k, v in f.items() if k != "amount_used"} or None),
    )


def overuse_accepted(app):
    """Using or authorizing more than the amount answers 200 (nothing saved) instead of 422."""
    return p.accept_refusal(app, CREDIT_PATH, "PATCH", b"amount_", _same_credit)


def zero_amount_accepted(app):
    """An amount of 0 or less answers 200 (nothing saved) instead of 422."""
    return p.accept_refusal(app, CREDIT_PATH, "PATCH", b"greater than 0", _same_credit)


def delete_used_accepted(app):
    """Deleting a used credit answers 204 but keeps it, instead of 422."""
    return p.accept_refusal(app, CREDIT_PATH, "DELETE", b"delete", _same_credit, status=204)


def stale_after_delete(app):
    """Reads of a credit are cached; an update refreshes them, a delete does not."""
    return p.cached_reads(app, CREDIT_PATH, ("PATCH", "PUT"))


def stale_after_update(app):
    """Reads of a credit are cached; a delete refreshes them, an update does not."""
    return p.cached_reads(app, CREDIT_PATH, ("DELETE",))


def deleted_still_listed(app):
    """The list keeps showing credits after they are deleted."""
    gone: dict[tuple[str, str], dict] = {}

    def before_delete(req, body):
        if req.method == "DELETE" and re.search(CREDIT_PATH, req.path):
            status, content = p.sub_request(app, req, "GET", req.path)
            if status == 200:
                key = (req.headers.get("Authorization", ""), req.path.rsplit("/", 1)[-1])
                gone[key] = json.loads(content)["data"]
        return None

    def answer(req, code, headers, content):
        if req.method != "GET" or not req.path.endswith("/store_credits") or code != 200:
            return None
        body = json.loads(content)
        auth = req.headers.get("Authorization", "")
        shown = {item["id"] for item in body["data"]}
        body["data"] += [d for (a, i), d in gone.items() if a == auth and i not in shown]
        return code, headers, json.dumps(body).encode()

    return p.Planted(app, request=before_delete, answer=answer)


def memo_marks_stripped(app):
    """Memos lose their combining marks (a "slugify" on save)."""

    def strip(text):
        return "".join(
            ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
        )

    return p.Planted(
        app,
        answer=p.rewrite_json(
            "/store_credits", None, lambda b: p.each_credit(b, _edit_memo(strip))
        ),
    )


def memo_latin1(app):
    """Memos are stored in a Latin-1 column: other characters come back as '?'."""
    change = _edit_memo(lambda text: text.encode("latin-1", "replace").decode("latin-1"))
    return p.Planted(
        app, answer=p.rewrite_json("/store_credits", None, lambda b: p.each_credit(b, change))
    )


def astral_memo_500(app):
    """A memo with a character outside the BMP (an emoji) crashes the handler (utf8mb3)."""

    def hook(req, body):
        fields = body.get("store_credit") if isinstance(body, dict) else None
        memo = fields.get("memo") if isinstance(fields, dict) else None
        if isinstance(memo, str) and any(ord(ch) > 0xFFFF for ch in memo):
            return 500, p.JSON, b'{"error":"Internal Server Error"}'
        return None

    return p.Planted(app, request=hook)


def create_answers_200(app):
    """Creating a credit answers 200 instead of the documented 201."""

    def hook(req, code, headers, content):
        if req.method == "POST" and req.path.endswith("/store_credits") and code == 201:
            return 200, headers, content
        return None

    return p.Planted(app, answer=hook)


def validation_without_errors(app):
    """422 answers lose their `errors` map."""

    def hook(req, code, headers, content):
        if code == 422 and "/store_credits" in req.path:
            body = json.loads(content)
            body.pop("errors", None)
            return code, headers, json.dumps(body).encode()
        return None

    return p.Planted(app, answer=hook)


def auth_ignored(app):
    """Requests without a token are served with a fresh admin token of the demo client."""

    def hook(req, body):
        if req.path.startswith("/api/v2/platform/") and not req.headers.get("Authorization"):
            grant = {**DEMO_CLIENT, "client_secret": "test_secret", "scope": "admin"}
            status, content = p.sub_request(app, req, "POST", TOKEN, body=grant)
            if status == 200:
                req.environ["HTTP_AUTHORIZATION"] = "Bearer " + json.loads(content)["access_token"]
        return None

    return p.Planted(app, request=hook)


def tenant_leak(app):
    """The second client's token is issued for the first client's store."""
    return p.Planted(
        app,
        request=p.edit_body(
            f"^{TOKEN}$",
            "POST",
            lambda b: (
                {**b, "client_id": "test_client"}
                if b.get("client_id") == "test_contracts2"
                else None
            ),
        ),
    )


def page_ignored(app):
    """The credit list ignores `page`: every page is the first."""

    def hook(req, body):
        if req.method == "GET" and req.path.endswith("/store_credits"):
            parts = req.environ.get("QUERY_STRING", "").split("&")
            req.environ["QUERY_STRING"] = "&".join(x for x in parts if not x.startswith("page="))
        return None

    return p.Planted(app, request=hook)


def sort_ignored(app):
    """The credit list ignores a descending `sort`."""

    def hook(req, body):
        if req.method == "GET" and req.path.endswith("/store_credits"):
            query = req.environ.get("QUERY_STRING", "")
            req.environ["QUERY_STRING"] = query.replace("sort=-", "sort=").replace(
                "sort=%2D", "sort="
            )
        return None

    return p.Planted(app, request=hook)


def event_amount_stale(app):
    """The allocation event keeps the credit's first amount after updates."""
    first: dict[str, str] = {}

    def change(body):
        for item in body.get("included") or []:
            if item.get("type") == "store_credit_event":
                attributes = item["attributes"]
                attributes["amount"] = first.setdefault(item["id"], attributes["amount"])

    return p.Planted(app, answer=p.rewrite_json("/store_credits/", "GET", change))


BUGS = [
    Bug("amount_drift", "spree.amount-exact", amount_drift, frozenset({"ledger_arithmetic"}), ITEM),
    Bug(
        "amount_used_ignored",
        "spree.amount-used-exact",
        amount_used_ignored,
        frozenset({"ledger_arithmetic"}),
        ITEM,
    ),
    Bug(
        "wrong_type",
        "spree.decimal-strings",
        p.wrong_type,
        frozenset({"response_schema_conformance", "ledger_invariants"}),
        LIST,
    ),
    Bug(
        "display_amount_wrong",
        "spree.display-amount",
        p.display_amount_wrong,
        frozenset({"ledger_invariants"}),
        ITEM,
    ),
    Bug(
        "overuse_accepted",
        "spree.no-overuse",
        overuse_accepted,
        frozenset({"overdraft_refused", "business_rules_refused"}),
        ITEM,
    ),
    Bug(
        "zero_amount_accepted",
        "spree.amount-positive",
        zero_amount_accepted,
        frozenset({"refused_request_changes_nothing"}),
        ITEM,
    ),
    Bug(
        "delete_used_accepted",
        "spree.used-credit-kept",
        delete_used_accepted,
        frozenset({"business_rules_refused"}),
        ITEM,
    ),
    Bug(
        "deleted_still_readable",
        "spree.delete-removes",
        p.deleted_still_readable,
        frozenset({"deleted_stays_deleted"}),
        ITEM,
    ),
    Bug(
        "stale_after_delete",
        "spree.delete-removes",
        stale_after_delete,
        frozenset({"deleted_stays_deleted"}),
        ITEM,
    ),
    Bug(
        "deleted_still_listed",
        "spree.delete-unlisted",
        deleted_still_listed,
        frozenset({"deleted_stays_deleted"}),
        LIST,
    ),
    Bug(
        "stale_after_update",
        "spree.reads-fresh",
        stale_after_update,
        frozenset({"reads_see_writes", "ledger_arithmetic"}),
        ITEM,
    ),
    Bug(
        "memo_marks_stripped",
        "spree.text-kept",
        memo_marks_stripped,
        frozenset({"reads_see_writes"}),
        ITEM,
    ),
    Bug("memo_latin1", "spree.text-kept", memo_latin1, frozenset({"reads_see_writes"}), ITEM),
    Bug(
        "astral_memo_500",
        "spree.text-accepted",
        astral_memo_500,
        frozenset({"reads_see_writes", "not_a_server_error"}),
        ITEM,
    ),
    Bug(
        "create_answers_200",
        "spree.create-answers-201",
        create_answers_200,
        frozenset({"status_code_conformance"}),
        LIST,
    ),
    Bug(
        "validation_without_errors",
        "spree.error-body",
        validation_without_errors,
        frozenset({"vendor_error_envelope", "business_rules_refused"}),
        ITEM,
    ),
    Bug(
        "wrong_content_type",
        "spree.jsonapi-content-type",
        p.wrong_content_type,
        frozenset({"content_type_conformance"}),
        LIST,
    ),
    Bug(
        "spree_auth_ignored",
        "spree.auth-required",
        auth_ignored,
        frozenset({"ignored_auth", "refused_request_changes_nothing"}),
        LIST,
    ),
    Bug(
        "spree_tenant_leak",
        "spree.tenant-isolation",
        tenant_leak,
        frozenset({"tenant_isolation"}),
        ITEM,
    ),
    Bug("page_ignored", "spree.paging", page_ignored, frozenset({"pages_agree"}), LIST),
    Bug("sort_ignored", "spree.ordering", sort_ignored, frozenset({"pages_agree"}), LIST),
    Bug(
        "event_amount_stale",
        "spree.history-matches",
        event_amount_stale,
        frozenset({"history_matches_balance"}),
        ITEM,
    ),
]
