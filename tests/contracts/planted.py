"""Faulty variants of the mock, one conformance bug each, as WSGI middlewares.

Each variant wraps the real app and changes one behaviour on the wire (a request rewritten
before the app sees it, or an answer rewritten after), so the mock itself ships no test-only
switches. `VARIANTS` maps a name to (bug, vendor, path regex, phases, scenarios, check).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from werkzeug.test import run_wsgi_app
from werkzeug.wrappers import Request

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Planted:
    """Wrap `app`; `request(req, body)` may return a new body or a finished answer;
    `answer(req, status, headers, content)` may rewrite the answer."""

    app: Any
    request: Callable[[Request, Any], Any] | None = None
    answer: Callable[[Request, int, dict[str, str], bytes], Answer | None] | None = None

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = BytesIO(raw)
        req = Request(environ)
        if self.request is not None:
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            change = self.request(req, body)
            if isinstance(change, tuple):
                return self._send(start_response, *change)
            if change is not None:
                raw = json.dumps(change).encode()
                environ["CONTENT_LENGTH"] = str(len(raw))
            environ["wsgi.input"] = BytesIO(raw)
        iterable, status, headers = run_wsgi_app(self.app, environ)
        content = b"".join(iterable)
        if hasattr(iterable, "close"):
            iterable.close()
        code = int(status.split()[0])
        header_map = dict(headers.items())
        if self.answer is not None:
            changed = self.answer(req, code, header_map, content)
            if changed is not None:
                code, header_map, content = changed
        return self._send(start_response, code, header_map, content)

    @staticmethod
    def _send(start_response: Callable, code: int, headers: dict[str, str], content: bytes) -> Any:
        headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
        headers["Content-Length"] = str(len(content))
        start_response(f"{code} X", list(headers.items()))
        return [content]


UNKNOWN_ERROR = b'{"type":"unknown_error","message":"An unknown error occurred."}'


def _json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return None


def rewrite_json(
    path_part: str, method: str | None, change: Callable[[Any], None], statuses=range(200, 300)
):
    """An answer hook that edits the JSON body of matching successful answers."""

    def hook(req: Request, code: int, headers: dict[str, str], content: bytes) -> Answer | None:
        if path_part not in req.path or (method and req.method != method) or code not in statuses:
            return None
        body = _json(content)
        if body is None:
            return None
        change(body)
        return code, headers, json.dumps(body).encode()

    return hook


def each_account(body: Any, edit: Callable[[dict], None]) -> None:
    for key in ("store_credit_account",):
        if isinstance(body.get(key), dict):
            edit(body[key])
    for item in body.get("store_credit_accounts") or []:
        edit(item)


def each_credit(body: Any, edit: Callable[[dict], None]) -> None:
    data = body.get("data")
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict) and isinstance(item.get("attributes"), dict):
            edit(item["attributes"])


# --- the bugs ---------------------------------------------------------------------------------


def wrong_status(app):  # Medusa create answers 201 instead of its documented 200
    def hook(req, code, headers, content):
        if req.method == "POST" and req.path == "/admin/store-credit-accounts" and code == 200:
            return 201, headers, content
        return None

    return Planted(app, answer=hook)


def missing_field(app):  # Medusa accounts lose their required `id`
    return Planted(
        app,
        answer=rewrite_json(
            "/admin/store-credit-accounts",
            "GET",
            lambda b: each_account(b, lambda a: a.pop("id", None)),
            statuses=(200,),
        ),
    )


def wrong_type(app):  # Spree amount as a JSON number
    def edit(attrs):
        if "amount" in attrs:
            attrs["amount"] = float(attrs["amount"])

    return Planted(
        app, answer=rewrite_json("/store_credits", "GET", lambda b: each_credit(b, edit))
    )


def bad_enum(app):  # Appstle customerStatus outside its enum
    def edit(body):
        if isinstance(body, dict) and "customerStatus" in body:
            body["customerStatus"] = "SUSPENDED"

    return Planted(app, answer=rewrite_json("/customer-loyalty", "GET", edit))


def wrong_error_envelope(app):  # Medusa errors in Spree's shape
    def hook(req, code, headers, content):
        if req.path.startswith("/admin/") and code >= 400:
            return code, headers, json.dumps({"error": "not found"}).encode()
        return None

    return Planted(app, answer=hook)


def server_error_on_odd_input(app):  # Medusa credit crashes when amount is not a number
    def hook(req, body):
        if req.path.endswith("/credit") and req.method == "POST":
            amount = body.get("amount") if isinstance(body, dict) else None
            if not isinstance(amount, (int, float)) or isinstance(amount, bool):
                return 500, {"Content-Type": "application/json"}, UNKNOWN_ERROR
        return None

    return Planted(app, request=hook)


def auth_ignored(app):  # Appstle serves callers without a key as the demo shop
    def hook(req, body):
        if req.path.startswith("/api/external/") and not req.headers.get("X-API-Key"):
            req.environ["HTTP_X_API_KEY"] = "apst_test_demo"
        return None

    planted = Planted(app, request=hook)
    return planted


def ledger_drift(app):  # Medusa credit books one cent more than asked
    def hook(req, body):
        if (
            req.path.endswith("/credit")
            and isinstance(body, dict)
            and isinstance(body.get("amount"), (int, float))
        ):
            return {**body, "amount": body["amount"] + 0.01}
        return None

    return Planted(app, request=hook)


def appstle_points_drift(app):  # Appstle add-points books only half the points
    def hook(req, body):
        if (
            req.path.endswith("/add-points")
            and isinstance(body, dict)
            and isinstance(body.get("points"), (int, float))
        ):
            return {**body, "points": body["points"] / 2}
        return None

    return Planted(app, request=hook)


def overdraft_accepted(app):  # Medusa answers 200 to a debit beyond the balance
    def hook(req, code, headers, content):
        if req.path.endswith("/debit") and code == 400 and b"nsufficient" in content:
            account_id = req.path.split("/")[-2]
            return 200, headers, json.dumps({"store_credit_account": {"id": account_id}}).encode()
        return None

    return Planted(app, answer=hook)


def deleted_still_readable(app):  # Spree DELETE answers 204 but keeps the record
    def hook(req, body):
        if req.method == "DELETE" and "/store_credits/" in req.path:
            return 204, {}, b""
        return None

    return Planted(app, request=hook)


CREATE_FIELDS = {"currency_code": str, "customer_id": str, "metadata": (dict, type(None))}


def invalid_input_accepted(app):  # Medusa create skips body validation: wrong types get a 200
    def valid(body):
        return (
            isinstance(body, dict)
            and isinstance(body.get("currency_code"), str)
            and body["currency_code"] != ""
            and all(k in CREATE_FIELDS and isinstance(v, CREATE_FIELDS[k]) for k, v in body.items())
        )

    def hook(req, body):
        if req.method == "POST" and req.path == "/admin/store-credit-accounts" and not valid(body):
            return {"currency_code": "usd"}  # what a lenient handler would fall back to
        return None

    return Planted(app, request=hook)


def wrong_content_type(app):  # Spree answers as text/html
    def hook(req, code, headers, content):
        if req.path.startswith("/api/v2/platform/store_credits") and content:
            return code, {**headers, "Content-Type": "text/html"}, content
        return None

    return Planted(app, answer=hook)


def tenant_leak(app):  # Medusa's second identity lands in the first one's tenant
    import base64

    second = "Basic " + base64.b64encode(b"sk_test_contracts2:").decode()
    first = "Basic " + base64.b64encode(b"sk_test_demo:").decode()

    def hook(req, body):
        if req.headers.get("Authorization") == second:
            req.environ["HTTP_AUTHORIZATION"] = first
        return None

    return Planted(app, request=hook)


def idempotency_ignored(app):  # the Idempotency-Key header never reaches the core
    def hook(req, body):
        req.environ.pop("HTTP_IDEMPOTENCY_KEY", None)
        return None

    return Planted(app, request=hook)


def refused_but_changed(app):  # Medusa books a credit before refusing amount <= 0
    def hook(req, body):
        if (
            req.path.endswith("/credit")
            and isinstance(body, dict)
            and body.get("amount") in (0, -3)
        ):
            sub = dict(req.environ)
            raw = json.dumps({"amount": 1}).encode()
            sub.update({"wsgi.input": BytesIO(raw), "CONTENT_LENGTH": str(len(raw))})
            b"".join(run_wsgi_app(app, sub)[0])
        return None

    return Planted(app, request=hook)


def balance_identity_broken(app):  # Medusa balance off credits - debits
    def edit(account):
        if isinstance(account.get("balance"), (int, float)):
            account["balance"] = account["balance"] + 1

    return Planted(
        app,
        answer=rewrite_json("/admin/store-credit-accounts", None, lambda b: each_account(b, edit)),
    )


def display_amount_wrong(app):  # Spree display_amount not matching amount
    def edit(attrs):
        if "display_amount" in attrs:
            attrs["display_amount"] = "$0.01"

    return Planted(app, answer=rewrite_json("/store_credits", None, lambda b: each_credit(b, edit)))


ACCOUNTS = r"^/admin/store-credit-accounts$"
CREDIT = r"/credit$"
SCENARIO_ONLY = ()
# name: (variant, vendor, include-path regex or None, phases, scenarios?, expected check(s))
VARIANTS: dict[str, tuple] = {
    "wrong_status": (
        wrong_status,
        "medusa",
        ACCOUNTS,
        ("examples",),
        False,
        {"status_code_conformance"},
    ),
    "missing_field": (
        missing_field,
        "medusa",
        ACCOUNTS,
        ("fuzzing",),
        False,
        {"response_schema_conformance"},
    ),
    "wrong_type": (
        wrong_type,
        "spree",
        r"store_credits$",
        ("examples",),
        False,
        {"response_schema_conformance", "ledger_invariants"},
    ),
    "bad_enum": (
        bad_enum,
        "appstle",
        r"customer-loyalty",
        ("examples",),
        False,
        {"response_schema_conformance"},
    ),
    "wrong_error_envelope": (
        wrong_error_envelope,
        "medusa",
        r"\{id\}$",
        ("examples", "coverage"),
        False,
        {"vendor_error_envelope"},
    ),
    "server_error_on_odd_input": (
        server_error_on_odd_input,
        "medusa",
        CREDIT,
        ("coverage",),
        False,
        {"not_a_server_error"},
    ),
    "auth_ignored": (
        auth_ignored,
        "appstle",
        r"customer-loyalty",
        ("examples",),
        False,
        {"ignored_auth"},
    ),
    "ledger_drift": (ledger_drift, "medusa", None, SCENARIO_ONLY, True, {"ledger_arithmetic"}),
    "appstle_points_drift": (
        appstle_points_drift,
        "appstle",
        None,
        SCENARIO_ONLY,
        True,
        {"ledger_arithmetic"},
    ),
    "overdraft_accepted": (
        overdraft_accepted,
        "medusa",
        None,
        SCENARIO_ONLY,
        True,
        {"overdraft_refused"},
    ),
    # Caught by our own scenario check: Schemathesis' `use_after_free` needs the stateful
    # phase to happen upon create -> delete -> read, which a small budget does not promise.
    "deleted_still_readable": (
        deleted_still_readable,
        "spree",
        None,
        SCENARIO_ONLY,
        True,
        {"deleted_stays_deleted"},
    ),
    # A 2xx for a mistyped body: only `negative_data_rejection` can see it. (A handler that
    # crashes on such a body answers 5xx, which that check counts as a rejection; that bug is
    # `server_error_on_odd_input`, caught by `not_a_server_error`.) The coverage phase sends
    # the mistyped bodies deterministically.
    "invalid_input_accepted": (
        invalid_input_accepted,
        "medusa",
        ACCOUNTS,
        ("coverage",),
        False,
        {"negative_data_rejection"},
    ),
    "wrong_content_type": (
        wrong_content_type,
        "spree",
        r"store_credits$",
        ("examples",),
        False,
        {"content_type_conformance"},
    ),
    "tenant_leak": (tenant_leak, "medusa", None, SCENARIO_ONLY, True, {"tenant_isolation"}),
    "idempotency_ignored": (
        idempotency_ignored,
        "medusa",
        None,
        SCENARIO_ONLY,
        True,
        {"idempotency"},
    ),
    "refused_but_changed": (
        refused_but_changed,
        "medusa",
        None,
        SCENARIO_ONLY,
        True,
        {"refused_request_changes_nothing"},
    ),
    "balance_identity_broken": (
        balance_identity_broken,
        "medusa",
        ACCOUNTS,
        ("fuzzing",),
        False,
        {"ledger_invariants"},
    ),
    "display_amount_wrong": (
        display_amount_wrong,
        "spree",
        r"store_credits/\{id\}$",
        ("examples",),
        False,
        {"ledger_invariants"},
    ),
}
