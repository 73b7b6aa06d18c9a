"""A toy vendor that exercises every hook of the core, so core tests need no real vendor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Request

from mockserver.errors import ApiError, Problem
from mockserver.fixtures import read_yaml
from mockserver.requestctx import body, query, respond, tenant_store
from mockserver.store import TenantStore
from mockserver.vendor import AuthContext, Principal, Vendor

HERE = Path(__file__).parent
blueprint = Blueprint("toy", __name__)


def _error(status: int, message: str, problems: list[str] | None = None) -> ApiError:
    payload: dict[str, Any] = {"error": message}
    if problems is not None:
        payload["problems"] = problems
    return ApiError(status, payload)


class ToyErrors:
    def invalid_request(self, problems: list[Problem]) -> ApiError:
        return _error(400, "invalid", [f"{p.location}:{p.field}:{p.kind}" for p in problems])

    def malformed_body(self, detail: str, raw: bytes) -> ApiError:
        return _error(400, f"malformed: {detail}")

    def unsupported_media_type(self, content_type: str) -> ApiError:
        return _error(400, f"media type {content_type}")

    def payload_too_large(self, limit: int) -> ApiError:
        return _error(413, f"over {limit} bytes")

    def route_not_found(self, method: str, path: str) -> ApiError:
        return _error(404, f"no route {method} {path}")

    def method_not_allowed(self, method: str, path: str, allowed: list[str]) -> ApiError:
        return _error(405, f"{method} not allowed")

    def idempotency_conflict(self) -> ApiError:
        return _error(409, "idempotency conflict")

    def injected_fault(self, status: int) -> ApiError:
        return _error(status, "injected")

    def internal_error(self) -> ApiError:
        return _error(500, "internal")


def authenticate(request: Request, ctx: AuthContext) -> Principal:
    key = request.headers.get("X-Key", "")
    if key == "toy_demo":
        return Principal("toy:demo", key, "key")
    if key and ctx.is_sandbox_credential(key):
        return Principal(f"toy:{key}", key, "key")
    raise _error(401, "unauthorized")


def seed(store: TenantStore, fixtures: Any) -> None:
    for item in fixtures.get("items", []):
        store.put("item", item["id"], item)


@blueprint.post("/toy/items")
def create_item() -> Any:
    data = body()
    store = tenant_store()
    if data["name"] == "boom":
        store.put("item", "partial", {"id": "partial", "name": "x", "qty": 1})
        raise _error(400, "refused after a write")
    item = {"id": str(store.next_id("item", 100)), **data}
    store.put("item", item["id"], item)
    return respond(item, 201)


@blueprint.get("/toy/items")
def list_items() -> Any:
    items = tenant_store().all("item")
    limit = query().get("limit", type=int)
    if limit == 7:
        return respond({"items": [{"id": 1}]})  # breaks the spec on purpose
    return respond({"items": items if limit is None else items[:limit]})


@blueprint.get("/toy/items/<item_id>")
def get_item(item_id: str) -> Any:
    item = tenant_store().get("item", item_id)
    if item is None:
        raise _error(404, "not found")
    return respond(item)


@blueprint.get("/toy/ping")
def ping() -> Any:
    return respond({"pong": True})


VENDOR = Vendor(
    name="toy",
    title="Toy",
    spec_file=str(HERE / "spec.yaml"),
    path_prefixes=("/toy/",),
    blueprint=blueprint,
    errors=ToyErrors(),
    authenticate=authenticate,
    seed=seed,
    fixtures_dir=HERE / "fixtures",
    fixture_schema={
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {"type": "object", "required": ["id", "name", "qty"]},
            }
        },
    },
    sandbox_pattern=r"toy_test_\w+",
    demo_credentials=("X-Key: toy_demo",),
    query_root=lambda key: key.split("[", 1)[0],
    secret_fields=frozenset({"x-key"}),
    record_schema=read_yaml(HERE / "records.yaml"),
)
