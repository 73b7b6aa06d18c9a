"""Appstle's external endpoints: read the validated request, call the ledger, answer.

The core has already checked the request against the spec, so handlers only pick fields.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from mockserver.requestctx import body, query, respond, tenant_store, utcnow
from mockserver.vendors.appstle.discounts import Discounts
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


@blueprint.get("/point-earn-rules")
def point_earn_rules() -> Response:
    include = query().get("includeInactive", "false").lower() == "true"
    return respond(_ledger().earn_rules(include))


@blueprint.put("/approve-pending-transactions")
def approve_pending_transactions() -> Response:
    approve_all = query().get("approveAllPendingTransactions", "false").lower() == "true"
    _ledger().approve_pending(body(), approve_all)
    return respond(None, 204)


@blueprint.put("/check-discount")
def check_discount() -> Response:
    data = body()
    return respond(Discounts(_ledger()).check(data["customerId"], data["discountCode"]))


@blueprint.put("/update-discount")
def update_discount() -> Response:
    data = body()
    return respond(
        Discounts(_ledger()).update(data["customerId"], data["discountCode"], data["status"])
    )


@blueprint.put("/update-discount-code-status")
def update_discount_code_status() -> Response:
    data = body()
    return respond(Discounts(_ledger()).update_by_code(data["discountCode"], data["status"]))


@blueprint.put("/update-customer-birth-date")
def update_customer_birth_date() -> Response:
    data = body()
    return respond(_ledger().update_birth_date(data["customerId"], data["dob"]))
