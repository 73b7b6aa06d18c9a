"""Spree's URLs -> the ledger and the token issuer. Handlers only read the validated request,
call the model and shape the JSON:API answer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from mockserver.errors import ApiError
from mockserver.requestctx import (
    body,
    config,
    global_store,
    query,
    respond,
    sandbox_pattern,
    tenant_store,
    utcnow,
)
from mockserver.vendors.spree import jsonapi
from mockserver.vendors.spree.auth import TokenIssuer
from mockserver.vendors.spree.models import CATEGORY, CREDIT_TYPE, CreditQuery, StoreCreditLedger

blueprint = Blueprint("spree", __name__)

PLATFORM = "/api/v2/platform"
OAUTH_JSON = {"Content-Type": "application/json"}  # Doorkeeper answers plain JSON
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@blueprint.post("/spree_oauth/token")
def create_oauth_token() -> Response:
    issuer = TokenIssuer(global_store(), sandbox_pattern(), config().token_ttl, utcnow())
    try:
        token = issuer.issue(body(), request.headers.get("Authorization"))
    except ApiError as error:  # answered here so it keeps Doorkeeper's content type
        return respond(error.body, error.status, {**OAUTH_JSON, **NO_STORE})
    return respond(token, 200, {**OAUTH_JSON, **NO_STORE})


@blueprint.get(f"{PLATFORM}/store_credits")
def list_store_credits() -> Response:
    ledger, args = _ledger(), query()
    credits = ledger.list(
        CreditQuery(
            user_id_eq=args.get("filter[user_id_eq]"),
            created_by_id_eq=args.get("filter[created_by_id_eq]"),
            amount_gteq=args.get("filter[amount_gteq]"),
            currency_eq=args.get("filter[currency_eq]"),
            sort=args.get("sort"),
        )
    )
    page = jsonapi.Page.from_query(args.get("page"), args.get("per_page"))
    shown = page.slice(credits)
    fields = _fieldset()
    resources = [jsonapi.store_credit(c, fields) for c in shown]
    doc = jsonapi.paginated(resources, len(credits), page, request.base_url, args.items(multi=True))
    names = _includes()
    if names is not None:
        doc["included"] = [jsonapi.related(k, r) for k, r in ledger.included(shown, names)]
    return respond(doc)


@blueprint.post(f"{PLATFORM}/store_credits")
def create_store_credit() -> Response:
    ledger = _ledger()
    return _credit_answer(ledger, ledger.create(body()["store_credit"]), 201)


@blueprint.get(f"{PLATFORM}/store_credits/<id>")
def get_store_credit(id: str) -> Response:
    ledger = _ledger()
    return _credit_answer(ledger, ledger.get(id))


@blueprint.patch(f"{PLATFORM}/store_credits/<id>")
def update_store_credit(id: str) -> Response:
    ledger = _ledger()
    return _credit_answer(ledger, ledger.update(id, body()["store_credit"]))


@blueprint.delete(f"{PLATFORM}/store_credits/<id>")
def delete_store_credit(id: str) -> Response:
    _ledger().delete(id)
    return respond(None, 204)  # Rails' `head :no_content`: no body, no media type


@blueprint.get(f"{PLATFORM}/store_credit_categories")
def list_store_credit_categories() -> Response:
    return _record_list(CATEGORY)


@blueprint.get(f"{PLATFORM}/store_credit_categories/<id>")
def get_store_credit_category(id: str) -> Response:
    return respond({"data": jsonapi.related(CATEGORY, _ledger().record(CATEGORY, id))})


@blueprint.get(f"{PLATFORM}/store_credit_types")
def list_store_credit_types() -> Response:
    return _record_list(CREDIT_TYPE)


@blueprint.get(f"{PLATFORM}/store_credit_types/<id>")
def get_store_credit_type(id: str) -> Response:
    return respond({"data": jsonapi.related(CREDIT_TYPE, _ledger().record(CREDIT_TYPE, id))})


def _ledger() -> StoreCreditLedger:
    return StoreCreditLedger(tenant_store(), utcnow())


def _includes() -> list[str] | None:
    value = query().get("include")
    return None if value is None else jsonapi.parse_list(value)


def _fieldset() -> frozenset[str] | None:
    value = query().get("fields[store_credit]")
    return None if value is None else frozenset(jsonapi.parse_list(value))


def _credit_answer(
    ledger: StoreCreditLedger, credit: dict[str, Any], status: int = 200
) -> Response:
    names = _includes()
    included = None if names is None else ledger.included([credit], names)
    data = jsonapi.store_credit(credit, _fieldset())
    return respond(jsonapi.document(data, included), status)


def _record_list(kind: str) -> Response:
    args = query()
    records = _ledger().records(kind)
    page = jsonapi.Page.from_query(args.get("page"), args.get("per_page"))
    resources = [jsonapi.related(kind, r) for r in page.slice(records)]
    doc = jsonapi.paginated(resources, len(records), page, request.base_url, args.items(multi=True))
    return respond(doc)
