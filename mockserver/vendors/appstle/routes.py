"""Appstle's six external endpoints: read the validated request, call the ledger, answer.

The core has already checked the request against the spec, so handlers only pick fields.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from mockserver.requestctx import body, query, respond, tenant_store, utcnow
from mockserver.vendors.appstle.models import CustomerRef, Ledger

blueprint = Blueprint("appstle", __name__, url_prefix="/api/external")


def _ledger() -> Ledger:
    return Ledger(tenant_store(), utcnow())


def _customer(data: dict[str, Any]) -> CustomerRef:
    return CustomerRef(data.get("customerId"), data.get("customerEmail"))


@blueprint.post("/add-points")
def add_points() -> Response:
    data = body()
    return respond(
        _ledger().add_points(
            _customer(data), data["points"], data.get("note"), data.get("earnRuleId")
        )
    )


@blueprint.post("/remove-points")
def remove_points() -> Response:
    data = body()
    return respond(
        _ledger().remove_points(
            _customer(data), data["points"], data.get("note"), data.get("earnRuleId")
        )
    )


@blueprint.post("/add-credits")
def add_credits() -> Response:
    data = body()
    return respond(
        _ledger().add_credits(
            _customer(data), data["credits"], data.get("note"), data.get("earnRuleId")
        )
    )


@blueprint.post("/redeem-points")
def redeem_points() -> Response:
    data = body()
    return respond(
        _ledger().redeem_points(
            _customer(data), data["redeemRuleId"], data.get("points"), data.get("variantId")
        )
    )


@blueprint.get("/customer-loyalty")
def customer_loyalty() -> Response:
    args = query()
    ref = CustomerRef(args.get("customerId", type=int), args.get("customerEmail"))
    return respond(_ledger().customer_loyalty(ref, args.get("status")))


@blueprint.get("/point-redeem-rules")
def point_redeem_rules() -> Response:
    return respond(_ledger().redeem_rules())
