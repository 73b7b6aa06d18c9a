"""The admin API under `/__admin` (WireMock's convention): health, tenants, reset, fixtures,
state export/import, the request journal and fault rules. It knows vendors only through
`Vendor` objects, never by name."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

import jsonschema
from flask import Blueprint, Response, current_app, json, request

from mockserver import faults
from mockserver.fixtures import FixtureError, check_fixture, load_fixtures
from mockserver.requestctx import utcnow
from mockserver.tenancy import publish_fixtures, seed_tenant

blueprint = Blueprint("mock_admin", __name__, url_prefix="/__admin")


def _pipeline() -> Any:
    return current_app.extensions["mockserver"]


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")


def _error(status: int, message: str) -> Response:
    return _json({"error": message}, status)


def _body() -> Any:
    data = request.get_json(silent=True)
    return {} if data is None and not request.get_data() else data


@blueprint.before_request
def require_admin_token() -> Response | None:
    token = _pipeline().config.admin_token
    if token is None:
        return None
    given = request.headers.get("X-Admin-Token") or request.headers.get(
        "Authorization", ""
    ).removeprefix("Bearer ")
    if hmac.compare_digest(given.encode(), token.encode()):
        return None
    return _error(401, "admin token missing or wrong: send it as X-Admin-Token")


@blueprint.get("/health")
def health() -> Response:
    pipeline = _pipeline()
    with pipeline.store.transaction(write=False) as tx:
        tenants = len(tx.tenants())
    return _json(
        {
            "status": "ok",
            "vendors": {
                v.name: {
                    "title": v.title,
                    "paths": list(v.path_prefixes),
                    "demo_credentials": list(v.demo_credentials),
                }
                for v in pipeline.vendors
            },
            "tenants": tenants,
            "state": pipeline.config.state_path or "temporary (fresh each run)",
        }
    )


@blueprint.get("/tenants")
def tenants() -> Response:
    with _pipeline().store.transaction(write=False) as tx:
        return _json({"tenants": tx.tenants()})


@blueprint.post("/reset")
def reset() -> Response:
    """Forget every tenant (or the one named in `{"tenant": ...}`); they reseed on next use.

    Issued tokens and fault rules stay: a client mid-run keeps its credentials."""
    body = _body()
    if not isinstance(body, dict):
        return _error(400, 'send a JSON object, e.g. {"tenant": "appstle:apst_test_demo"}')
    pipeline = _pipeline()
    with pipeline.store.transaction(write=True) as tx:
        names = [body["tenant"]] if body.get("tenant") else [t["name"] for t in tx.tenants()]
        for name in names:
            tx.drop_tenant(name)
    return _json({"reset": names})


@blueprint.post("/fixtures")
def load_fixture_data() -> Response:
    """Replace a vendor's fixtures and reseed its tenants.

    Body: `{"vendor": "...", "fixtures": {...}}` to load given data, or `{"vendor": "...",
    "path": "dir-or-file"}` to read files; `"tenant"` limits the reseed to one tenant.
    """
    body = _body()
    pipeline = _pipeline()
    vendors = {v.name: v for v in pipeline.vendors}
    if not isinstance(body, dict) or body.get("vendor") not in vendors:
        return _error(400, f"name a vendor: one of {sorted(vendors)}")
    vendor = vendors[body["vendor"]]
    try:
        if "path" in body:
            data = load_fixtures(Path(body["path"]), vendor.fixture_schema)
        else:
            data = body.get("fixtures")
            check_fixture(data, vendor.fixture_schema, "request body field 'fixtures'")
    except (FixtureError, OSError) as exc:
        return _error(400, str(exc))
    publish_fixtures(pipeline.store, {vendor.name: data})
    with pipeline.store.transaction(write=True) as tx:
        targets = (
            [body["tenant"]]
            if body.get("tenant")
            else [t["name"] for t in tx.tenants() if t["vendor"] == vendor.name]
        )
        for name in targets:
            seed_tenant(tx, vendor, name)
    return _json({"vendor": vendor.name, "reseeded": targets})


@blueprint.get("/state")
def export_state() -> Response:
    """Every tenant's records (or `?tenant=` one), as JSON that `PUT /state` takes back."""
    only = request.args.get("tenant")
    with _pipeline().store.transaction(write=False) as tx:
        names = [only] if only else [t["name"] for t in tx.tenants()]
        missing = [n for n in names if tx.tenant_vendor(n) is None]
        if missing:
            return _error(404, f"no tenant {missing[0]!r}")
        return _json({"tenants": {name: tx.export_tenant(name) for name in names}})


_STATE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["tenants"],
    "properties": {
        "tenants": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["vendor"],
                "properties": {
                    "vendor": {"type": "string"},
                    "records": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "data"],
                                "properties": {
                                    "id": {"type": "string"},
                                    "data": {"type": "object"},
                                },
                            },
                        },
                    },
                    "sequences": {"type": "object", "additionalProperties": {"type": "integer"}},
                },
            },
        }
    },
}


@blueprint.put("/state")
def import_state() -> Response:
    """Replace the tenants named in a `GET /state` export (others are left alone)."""
    body = _body()
    try:
        jsonschema.validate(body, _STATE_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        return _error(400, f"state at {where}: {exc.message} (send what GET /__admin/state gave)")
    known = {v.name for v in _pipeline().vendors}
    for name, dump in body["tenants"].items():
        if dump["vendor"] not in known:
            return _error(400, f"tenant {name!r}: 'vendor' must be one of {sorted(known)}")
    with _pipeline().store.transaction(write=True) as tx:
        for name, dump in body["tenants"].items():
            tx.import_tenant(name, dump, utcnow().isoformat())
    return _json({"imported": sorted(body["tenants"])})


@blueprint.get("/requests")
def journal() -> Response:
    """Recorded requests, newest last; filter with `path` (prefix), `method`, `status`,
    `tenant`, `vendor`; `limit` keeps the newest N."""
    entries = _filtered_journal()
    limit = request.args.get("limit", type=int)
    if limit is not None:
        entries = entries[-limit:] if limit > 0 else []
    return _json({"requests": entries, "count": len(entries)})


@blueprint.get("/requests/count")
def journal_count() -> Response:
    return _json({"count": len(_filtered_journal())})


@blueprint.delete("/requests")
def journal_clear() -> Response:
    with _pipeline().store.transaction(write=True) as tx:
        tx.journal_clear()
    return Response(status=204)


def _filtered_journal() -> list[dict[str, Any]]:
    with _pipeline().store.transaction(write=False) as tx:
        entries = tx.journal()
    args = request.args
    if "path" in args:
        entries = [e for e in entries if e["path"].startswith(args["path"])]
    if "status" in args:
        entries = [e for e in entries if str(e["status"]) == args["status"]]
    for key in ("method", "tenant", "vendor"):
        if key in args:
            entries = [e for e in entries if str(e[key]).upper() == args[key].upper()]
    return entries


@blueprint.get("/faults")
def list_faults() -> Response:
    with _pipeline().store.transaction(write=False) as tx:
        return _json({"faults": [vars(r) for r in faults.list_rules(tx)]})


@blueprint.post("/faults")
def add_fault() -> Response:
    body = _body()
    try:
        jsonschema.validate(body, faults.RULE_SCHEMA)
    except jsonschema.ValidationError as exc:
        return _error(400, f"fault rule: {exc.message}")
    with _pipeline().store.transaction(write=True) as tx:
        rule = faults.add_rule(tx, body)
    return _json(vars(rule), 201)


@blueprint.delete("/faults")
def clear_faults() -> Response:
    with _pipeline().store.transaction(write=True) as tx:
        faults.clear_rules(tx)
    return Response(status=204)


@blueprint.delete("/faults/<rule_id>")
def remove_fault(rule_id: str) -> Response:
    with _pipeline().store.transaction(write=True) as tx:
        removed = faults.remove_rule(tx, rule_id)
    return Response(status=204) if removed else _error(404, f"no fault rule {rule_id!r}")
