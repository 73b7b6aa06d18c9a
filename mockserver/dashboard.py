"""The dashboard at `/__admin/`: one static page (shipped in the package, no build step) that
polls the admin API, plus `GET /__admin/summary`, each tenant's money as its vendor sums it up
through `Vendor.summarize`. The page sends the admin token the person typed in, as
`X-Admin-Token`; the summary asks for it like every other admin route."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from flask import Blueprint, Response, current_app, json, send_from_directory

from mockserver.admin import require_admin_token

STATIC = Path(__file__).resolve().parent / "static"

blueprint = Blueprint("mock_dashboard", __name__, url_prefix="/__admin")


@blueprint.get("/")
def page() -> Response:
    """The page itself holds no data, so it is served without the token."""
    return send_from_directory(STATIC, "dashboard.html")


@blueprint.get("/assets/<name>")
def asset(name: str) -> Response:
    return send_from_directory(STATIC, name)


@blueprint.get("/summary")
def summary() -> Response:
    refused = require_admin_token()
    if refused is not None:
        return refused
    pipeline = current_app.extensions["mockserver"]
    vendors = {v.name: v for v in pipeline.vendors}
    tenants = []
    with pipeline.store.transaction(write=False) as tx:
        for tenant in tx.tenants():
            vendor = vendors.get(tenant["vendor"])
            if vendor is None or vendor.summarize is None:
                accounts: list[dict[str, object]] = []
            else:
                accounts = [asdict(a) for a in vendor.summarize(tx.tenant(tenant["name"])).accounts]
            tenants.append(
                {
                    "name": tenant["name"],
                    "vendor": tenant["vendor"],
                    "vendor_title": vendor.title if vendor else tenant["vendor"],
                    "accounts": accounts,
                }
            )
    return Response(json.dumps({"tenants": tenants}), content_type="application/json")
