"""HTTP handlers: read the validated request, call the ledger, shape the answer.

Every successful POST answers 200 (not 201), as Medusa does.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from mockserver.fidelity import reproduces
from mockserver.requestctx import (
    body,
    config,
    fixtures,
    principal,
    query,
    respond,
    signing_key,
    tenant_store,
    utcnow,
)
from mockserver.vendors.medusa.auth import login
from mockserver.vendors.medusa.errors import invalid_data, refuse_unreadable_query, unknown_error
from mockserver.vendors.medusa.models import Actor, Ledger, parse_amount
from mockserver.vendors.medusa.quirks import NUL_500
from mockserver.vendors.medusa.v8json import express_json_error
from mockserver.vendors.medusa.views import account_answer, account_page, transaction_page

blueprint = Blueprint("medusa", __name__)

ACCOUNTS = "/admin/store-credit-accounts"


def _ledger() -> Ledger:
    return Ledger(tenant_store())


def _payload() -> Any:
    """The validated body, and the fields query checked; a NUL in any string fails the write
    as on the real server's PostgreSQL (vendor fidelity)."""
    refuse_unreadable_query(query())
    payload = body()
    if reproduces(NUL_500) and _holds_nul(payload):
        raise unknown_error()
    return payload


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _fields() -> str | None:
    """`fields` as Medusa reads the query (`[fields]=id` too), once zod has checked it."""
    return refuse_unreadable_query(query()).get("fields")


def _actor() -> Actor:
    caller = principal()
    return Actor(caller.scheme, caller.subject)


@blueprint.get(ACCOUNTS)
def list_accounts() -> Response:
    return respond(account_page(_ledger(), query()))


@blueprint.post(ACCOUNTS)
def create_account() -> Response:
    payload = _payload()
    ledger = _ledger()
    record = ledger.create_account(
        payload["currency_code"], payload.get("customer_id"), payload.get("metadata"), utcnow()
    )
    return respond(account_answer(ledger, record, _fields()))


@blueprint.get(f"{ACCOUNTS}/<id>")
def get_account(id: str) -> Response:  # noqa: A002 - the spec's parameter name
    fields = _fields()
    ledger = _ledger()
    return respond(account_answer(ledger, ledger.account(id), fields))


@blueprint.post(f"{ACCOUNTS}/<id>/credit")
def credit_account(id: str) -> Response:  # noqa: A002
    payload = _payload()
    ledger = _ledger()
    amount = parse_amount(payload["amount"])
    record = ledger.credit(id, amount, payload.get("note"), _actor(), utcnow())
    return respond(account_answer(ledger, record, _fields()))


@blueprint.post(f"{ACCOUNTS}/<id>/debit")
def debit_account(id: str) -> Response:  # noqa: A002
    payload = _payload()
    ledger = _ledger()
    amount = parse_amount(payload["amount"])
    record = ledger.debit(id, amount, payload.get("note"), _actor(), utcnow())
    return respond(account_answer(ledger, record, _fields()))


@blueprint.get(f"{ACCOUNTS}/<id>/transactions")
def list_transactions(id: str) -> Response:  # noqa: A002
    return respond(transaction_page(_ledger(), id, query()))


@blueprint.post("/auth/user/emailpass")
def login_emailpass() -> Response:
    raw = request.get_data(cache=True).decode("utf-8", "replace")
    unreadable = express_json_error(raw) if raw.strip() else None
    if unreadable:  # express.json() is strict: `null` or `5` is refused before the provider
        raise invalid_data(unreadable)
    return respond({"token": login(body(), fixtures(), signing_key(), config().token_ttl)})
