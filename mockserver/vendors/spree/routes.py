"""Spree's URLs -> the ledger and the token issuer. Handlers only read the validated request,
call the model and shape the JSON:API answer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from mockserver.errors import ApiError
from mockserver.fidelity import reproduces
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
from mockserver.vendors.spree import errors, jsonapi, ransack
from mockserver.vendors.spree.auth import TokenIssuer
from mockserver.vendors.spree.casting import nest_form
from mockserver.vendors.spree.models import CATEGORY, CREDIT_TYPE, CreditQuery, StoreCreditLedger
from mockserver.vendors.spree.quirks import MISSING_USER_500

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
    pairs = list(args.items(multi=True))
    page = jsonapi.Page.from_query(args.get("page"), args.get("per_page"))
    selection = CreditQuery(tuple(ransack.conditions(pairs)), args.get("sort"))
    shown, total = ledger.page(selection, page.offset, page.size)
    fields = _fieldset()
    resources = [jsonapi.store_credit(c, fields) for c in shown]
    doc = jsonapi.paginated(resources, total, page, request.base_url, pairs)
    names = _includes()
    if names:
        doc["included"] = [_related(ledger, k, r) for k, r in ledger.included(shown, names)]
    return respond(doc)


@blueprint.post(f"{PLATFORM}/store_credits")
def create_store_credit() -> Response:
    ledger = _ledger()
    return _credit_answer(ledger, ledger.create(_credit_params()), 201)


@blueprint.get(f"{PLATFORM}/store_credits/<id>")
def get_store_credit(id: str) -> Response:
    ledger = _ledger()
    return _credit_answer(ledger, ledger.get(id))


@blueprint.route(f"{PLATFORM}/store_credits/<id>", methods=["PATCH", "PUT"])
def update_store_credit(id: str) -> Response:
    """`resources :store_credits` routes PUT and PATCH alike to `update`."""
    ledger = _ledger()
    return _credit_answer(ledger, ledger.update(id, _credit_params()))


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
    crash = reproduces(MISSING_USER_500)
    return StoreCreditLedger(tenant_store(), utcnow(), crash_without_user=crash)


def _credit_params() -> dict[str, Any]:
    """`params.require(:store_credit)` from a JSON or a form-encoded body (Rack's nested
    keys); a missing or empty wrapper is `ParameterMissing`, a 400."""
    given = body() or {}
    if request.mimetype == "application/x-www-form-urlencoded":
        given = nest_form(given)
    attributes = given.get("store_credit") if isinstance(given, dict) else None
    if not isinstance(attributes, dict) or not attributes:
        raise errors.parameter_missing()
    return attributes


def _includes() -> list[str]:
    """`include` as Spree splits it; empty (or absent) means no included records."""
    return jsonapi.parse_list(query().get("include"))


def _fieldset() -> frozenset[str] | None:
    """`fields[store_credit]`; an empty list keeps everything, as jsonapi-serializer does."""
    names = jsonapi.parse_list(query().get("fields[store_credit]"))
    return frozenset(names) if names else None


def _related(ledger: StoreCreditLedger, kind: str, record: dict[str, Any]) -> dict[str, Any]:
    balances = ledger.user_balances(record["id"]) if kind in jsonapi.USER_TYPES else []
    return jsonapi.related(kind, record, balances)


def _credit_answer(
    ledger: StoreCreditLedger, credit: dict[str, Any], status: int = 200
) -> Response:
    names = _includes()
    doc: dict[str, Any] = {"data": jsonapi.store_credit(credit, _fieldset())}
    if names:
        doc["included"] = [_related(ledger, k, r) for k, r in ledger.included([credit], names)]
    return respond(doc, status)


def _record_list(kind: str) -> Response:
    args = query()
    records = _ledger().records(kind)
    page = jsonapi.Page.from_query(args.get("page"), args.get("per_page"))
    resources = [jsonapi.related(kind, r) for r in page.slice(records)]
    doc = jsonapi.paginated(resources, len(records), page, request.base_url, args.items(multi=True))
    return respond(doc)
