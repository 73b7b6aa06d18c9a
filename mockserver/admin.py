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
from mockserver.fixtures import FixtureError, check_fixture, describe, load_fixtures
from mockserver.requestctx import utcnow
from mockserver.tenancy import is_tenant_of, publish_fixtures, seed_tenant
from mockserver.vendor import Vendor

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


def _admin_token_given() -> bool:
    token = _pipeline().config.admin_token
    if token is None:
        return True
    given = request.headers.get("X-Admin-Token") or request.headers.get(
        "Authorization", ""
    ).removeprefix("Bearer ")
    return hmac.compare_digest(given.encode(), token.encode())


@blueprint.before_request
def require_admin_token() -> Response | None:
    # Health stays open (a container's health check, `mockserver wait` and the suite's
    # target probe carry no token); it shows its details only to the token's holder.
    if request.endpoint == f"{blueprint.name}.health" or _admin_token_given():
        return None
    return _error(401, "admin token missing or wrong: send it as X-Admin-Token")


@blueprint.get("/health")
def health() -> Response:
    pipeline = _pipeline()
    vendors = {v.name: {"quirks": [q.name for q in v.quirks]} for v in pipeline.vendors}
    public = {"status": "ok", "vendors": vendors, "fidelity": pipeline.config.fidelity}
    if not _admin_token_given():
        return _json(public)
    for v in pipeline.vendors:
        vendors[v.name] |= {
            "title": v.title,
            "paths": list(v.path_prefixes),
            "demo_credentials": list(v.demo_credentials),
        }
    with pipeline.store.transaction(write=False) as tx:
        tenants = len(tx.tenants())
    state = pipeline.config.state_path or "temporary (fresh each run)"
    return _json(public | {"tenants": tenants, "state": state})


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
    problem = _field_problem(body, {"tenant": str})
    if problem:
        return _error(400, problem)
    pipeline = _pipeline()
    with pipeline.store.transaction(write=True) as tx:
        names = [body["tenant"]] if "tenant" in body else [t["name"] for t in tx.tenants()]
        for name in names:
            tx.drop_tenant(name)
    return _json({"reset": names})


@blueprint.post("/fixtures")
def load_fixture_data() -> Response:
    """Replace a vendor's fixtures and reseed its tenants.

    Body: `{"vendor": "...", "fixtures": {...}}` to load given data, or `{"vendor": "...",
    "path": "dir-or-file"}` to read files from the server's fixture folders (`--fixtures` and
    the bundled ones; a relative path is taken inside `--fixtures`); `"tenant"` limits the
    reseed to one tenant.
    """
    body = _body()
    pipeline = _pipeline()
    vendors = {v.name: v for v in pipeline.vendors}
    if not isinstance(body, dict) or not isinstance(body.get("vendor"), str):
        return _error(400, f"name a vendor: one of {sorted(vendors)}")
    vendor = vendors.get(body["vendor"])
    problem = _field_problem(body, {"path": str, "tenant": str})
    if vendor is None or problem:
        return _error(400, problem or f"name a vendor: one of {sorted(vendors)}")
    if "tenant" in body and not is_tenant_of(vendor, body["tenant"]):
        return _error(400, f"a {vendor.name} tenant's name starts with '{vendor.name}:'")
    try:
        if "path" in body:
            roots = _fixture_roots(vendor)
            data = load_fixtures(_fixture_path(body["path"]), vendor.fixture_schema, roots)
        else:
            data = body.get("fixtures")
            check_fixture(data, vendor.fixture_schema, "request body field 'fixtures'")
    except FixtureError as exc:
        return _error(400, str(exc))
    except OSError as exc:
        return _error(400, f"{body['path']}: cannot be read ({exc.strerror})")
    publish_fixtures(pipeline.store, {vendor.name: data})
    with pipeline.store.transaction(write=True) as tx:
        targets = (
            [body["tenant"]]
            if "tenant" in body
            else [t["name"] for t in tx.tenants() if t["vendor"] == vendor.name]
        )
        for name in targets:
            seed_tenant(tx, vendor, name)
    return _json({"vendor": vendor.name, "reseeded": targets})


def _fixture_roots(vendor: Vendor) -> tuple[Path, ...]:
    """The only folders fixture files are read from: `--fixtures` and the bundled demo."""
    configured = _pipeline().config.fixtures_dir
    return (vendor.fixtures_dir, *([Path(configured)] if configured else []))


def _fixture_path(given: str) -> Path:
    configured = _pipeline().config.fixtures_dir
    path = Path(given)
    return path if path.is_absolute() or not configured else Path(configured) / path


def _field_problem(body: dict[str, Any], types: dict[str, type]) -> str | None:
    """The first optional field of the wrong type or empty, worded for the admin's 400."""
    for name, kind in types.items():
        if name in body and (not isinstance(body[name], kind) or not body[name]):
            return f"field {name!r} must be a non-empty {kind.__name__}"
    return None


@blueprint.get("/state")
def export_state() -> Response:
    """Every tenant's records (or `?tenant=` one), as JSON that `PUT /state` takes back."""
    only = request.args.get("tenant")
    if only == "":
        return _error(400, "name a tenant (?tenant=...) or leave the parameter out for all")
    with _pipeline().store.transaction(write=False) as tx:
        names = [only] if only else [t["name"] for t in tx.tenants()]
        missing = [n for n in names if tx.tenant_vendor(n) is None]
        if missing:
            return _error(404, f"no tenant {missing[0]!r}")
        return _json({"tenants": {name: tx.export_tenant(name) for name in names}})


# Sequences are SQLite integers: anything wider would fail at the database, not here.
_MAX_SEQUENCE = 2**63 - 1


def _state_schema(vendors: list[str], max_name: int) -> dict[str, Any]:
    """The envelope of a `GET /state` export; each vendor's records are checked after."""
    return {
        "type": "object",
        "required": ["tenants"],
        "additionalProperties": False,
        "properties": {
            "tenants": {
                "type": "object",
                "propertyNames": {"minLength": 1, "maxLength": max_name},
                "additionalProperties": {
                    "type": "object",
                    "required": ["vendor"],
                    "additionalProperties": False,
                    "properties": {
                        "vendor": {"enum": vendors},
                        "records": {"type": "object"},
                        "sequences": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "integer",
                                "minimum": 0,
                                "maximum": _MAX_SEQUENCE,
                            },
                        },
                    },
                },
            }
        },
    }


def records_schema(vendor: Vendor) -> dict[str, Any]:
    """JSON Schema of one tenant's `records` export: only the kinds the vendor declares,
    each a list of `{id, data}` whose data has the declared shape."""
    declared = vendor.record_schema
    return {
        "$defs": dict(declared.get("$defs", {})),
        "type": "object",
        "additionalProperties": False,
        "patternProperties": {
            f"^(?:{kind})$": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "data"],
                    "additionalProperties": False,
                    "properties": {"id": {"type": "string", "minLength": 1}, "data": schema},
                },
            }
            for kind, schema in declared.get("kinds", {}).items()
        },
    }


def _first_problem(data: Any, schema: dict[str, Any], where: str) -> str | None:
    validator = jsonschema.Draft202012Validator(schema)
    found = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not found:
        return None
    path = "/".join([where, *(str(p) for p in found[0].absolute_path)]).strip("/")
    return f"state at {path or '(top level)'}: {describe(found[0])}"


def _import_problem(body: Any, vendors: list[Vendor], max_credential: int) -> str | None:
    """The first thing wrong with a state import, or None when every tenant fits."""
    by_name = {v.name: v for v in vendors}
    # A tenant's name is its vendor's name, a colon, and a credential or a store name.
    longest = max_credential + max(len(name) for name in by_name) + 1
    problem = _first_problem(body, _state_schema(sorted(by_name), longest), "")
    if problem:
        return problem
    for name, dump in body["tenants"].items():
        vendor = by_name[dump["vendor"]]
        if not is_tenant_of(vendor, name):
            return f"tenant {name!r}: a {vendor.name} tenant's name starts with '{vendor.name}:'"
        where = f"tenants/{name}/records"
        problem = _first_problem(dump.get("records", {}), records_schema(vendor), where)
        if problem:
            return problem
    return None


@blueprint.put("/state")
def import_state() -> Response:
    """Replace the tenants named in a `GET /state` export (others are left alone).

    Every tenant is checked against its vendor's record schema before anything is written,
    so an import either fits every handler or changes nothing; the server-wide store (issued
    tokens, tenant `""`) is not a tenant and cannot be imported."""
    body = _body()
    pipeline = _pipeline()
    problem = _import_problem(body, pipeline.vendors, pipeline.config.max_credential_length)
    if problem:
        return _error(400, f"{problem} (send what GET /__admin/state gave)")
    with pipeline.store.transaction(write=True) as tx:
        new = [name for name in body["tenants"] if tx.tenant_vendor(name) is None]
        if tx.tenant_count() + len(new) > pipeline.config.max_tenants:
            limit = pipeline.config.max_tenants
            return _error(400, f"the import would exceed {limit} tenants (--max-tenants)")
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
