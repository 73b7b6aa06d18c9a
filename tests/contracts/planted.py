"""Faulty variants of the mock, one conformance bug each, as WSGI middlewares.

Each variant wraps the real app and changes one behaviour on the wire (a request rewritten
before the app sees it, or an answer rewritten after), so the mock itself ships no test-only
switches. The helpers below plant the common kinds (a refusal turned into a success, a
cache that serves stale reads, a rewritten field); `tests/mutation` lists every bug with the
inventory rule it breaks and the check that must catch it.
"""

from __future__ import annotations

import json
import re
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
        environ[BODY_KEY] = raw
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
BODY_KEY = "planted.body"
JSON = {"Content-Type": "application/json"}


def request_json(req: Request) -> Any:
    """The JSON body of the request an answer hook is looking at (None if not JSON)."""
    return _json(req.environ.get(BODY_KEY) or b"")


def sub_request(
    app: Any, req: Request, method: str, path: str, query: str = "", body: Any = None
) -> tuple[int, bytes]:
    """Send another request to `app` with the caller's headers (credentials included)."""
    environ = {k: v for k, v in req.environ.items() if k != "wsgi.input"}
    raw = json.dumps(body).encode() if body is not None else b""
    environ.update(
        {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "wsgi.input": BytesIO(raw),
            "CONTENT_LENGTH": str(len(raw)),
        }
    )
    environ.pop("HTTP_IDEMPOTENCY_KEY", None)
    iterable, status, _ = run_wsgi_app(app, environ)
    content = b"".join(iterable)
    if hasattr(iterable, "close"):
        iterable.close()
    return int(status.split()[0]), content


def accept_refusal(
    app: Any,
    path: str,
    method: str,
    said: bytes,
    read: Callable[[Request], tuple[str, str]],
    status: int = 200,
) -> Planted:
    """A refusal (4xx whose body contains `said`) answered as a success that changed nothing:
    the body is what `read(req)` -> (path, query) shows."""

    def hook(req: Request, code: int, headers: dict[str, str], content: bytes) -> Answer | None:
        if not (re.search(path, req.path) and req.method == method and 400 <= code < 500):
            return None
        if said not in content:
            return None
        read_status, body = sub_request(app, req, "GET", *read(req))
        if read_status != 200:
            return None
        return status, headers, body if status != 204 else b""

    return Planted(app, answer=hook)


def cached_reads(app: Any, path: str, forget_on: tuple[str, ...]) -> Planted:
    """A read cache in front of the app: GETs of `path` are answered from the first answer
    until a request with a method in `forget_on` reaches that path."""
    cache: dict[tuple[str, str, str], tuple[int, dict[str, str], bytes]] = {}

    def request_hook(req: Request, body: Any) -> Any:
        key = (req.headers.get("Authorization", ""), req.path, req.query_string.decode())
        if req.method == "GET" and re.search(path, req.path) and key in cache:
            return cache[key]
        if req.method in forget_on:
            for cached in [k for k in cache if k[1] == req.path]:
                del cache[cached]
        return None

    def answer_hook(req: Request, code: int, headers: dict[str, str], content: bytes) -> None:
        key = (req.headers.get("Authorization", ""), req.path, req.query_string.decode())
        if req.method == "GET" and code == 200 and re.search(path, req.path):
            cache.setdefault(key, (code, headers, content))

    return Planted(app, request=request_hook, answer=answer_hook)


def edit_body(path: str, method: str, change: Callable[[dict], Any]) -> Callable:
    """A request hook that rewrites matching JSON object bodies (`change` returns the new one,
    or None to leave it)."""

    def hook(req: Request, body: Any) -> Any:
        if re.search(path, req.path) and req.method == method and isinstance(body, dict):
            return change(dict(body))
        return None

    return hook


def swap_header(app: Any, header: str, mapping: Callable[[str | None, Request], str | None]):
    """Rewrite one request header (WSGI name `HTTP_...`); None removes it."""

    def hook(req: Request, body: Any) -> None:
        changed = mapping(req.environ.get(header), req)
        if changed is None:
            req.environ.pop(header, None)
        else:
            req.environ[header] = changed
        return None

    return Planted(app, request=hook)


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
