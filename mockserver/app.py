"""The application factory: one Flask app serving every vendor at its real paths."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from flask import Flask, Response, g
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from mockserver import accesslog, admin, dashboard
from mockserver.bodies import SizedBodies
from mockserver.config import MockConfig
from mockserver.errors import ApiError
from mockserver.fixtures import load_fixtures
from mockserver.pipeline import Pipeline
from mockserver.recording import Replay, replay_hook
from mockserver.registry import discover_vendors
from mockserver.store import Store
from mockserver.tenancy import ensure_signing_key, publish_fixtures
from mockserver.vendor import Vendor

log = logging.getLogger("mockserver")


def fixture_folder(vendor: Vendor, override: str | None) -> Path:
    """`<override>/<vendor>/` or `<override>/<vendor>.yaml` when given, else the bundled demo."""
    if override:
        for candidate in (Path(override) / vendor.name, Path(override) / f"{vendor.name}.yaml"):
            if candidate.exists():
                return candidate
    return vendor.fixtures_dir


def create_app(config: MockConfig | None = None, vendors: list[Vendor] | None = None) -> Flask:
    """Build a mock server; fixture problems raise `FixtureError` here, before serving.

    `vendors` replaces discovery (tests serve a vendor of their own this way).
    """
    config = config or MockConfig()
    vendors = vendors if vendors is not None else discover_vendors(config.vendors)
    fixtures = {
        v.name: load_fixtures(fixture_folder(v, config.fixtures_dir), v.fixture_schema)
        for v in vendors
    }
    store = Store(config.state_path)
    store.index_lookups({f for v in vendors for f in v.lookup_fields})
    store.index_marks({f for v in vendors for f in v.mark_fields})
    publish_fixtures(store, fixtures)
    pipeline = Pipeline(config, store, vendors, ensure_signing_key(store))
    while pipeline.purge():  # a state file from an earlier run starts without its backlog
        pass

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.wsgi_app = SizedBodies(app.wsgi_app, config.max_body_bytes)  # type: ignore[method-assign]
    app.extensions["mockserver"] = pipeline
    for vendor in vendors:
        app.register_blueprint(vendor.blueprint)
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(dashboard.blueprint)
    accesslog.install(app)  # first: its clock spans every other hook
    if config.replay_dir:
        app.before_request(replay_hook(Replay(config.replay_dir)))
    app.before_request(pipeline.before)
    app.after_request(pipeline.after)
    app.teardown_request(pipeline.teardown)
    app.register_error_handler(ApiError, _render_api_error)
    app.register_error_handler(HTTPException, _render_http_error)
    app.register_error_handler(Exception, _render_unexpected)
    return app


def _render_api_error(error: ApiError) -> Response:
    """The vendor's body as sent (key order kept; a string, such as a framework's HTML error
    page, goes out verbatim); a Content-Type in its headers wins."""
    vendor = g.get("vendor")
    headers = dict(error.headers)
    content_type = headers.pop("Content-Type", None) or (
        vendor.content_type if vendor else "application/json"
    )
    if error.body is None:
        response = Response(status=error.status, headers=headers)
        del response.headers["Content-Type"]
        return response
    text = error.body if isinstance(error.body, str) else json.dumps(error.body)
    return Response(text, status=error.status, headers=headers, content_type=content_type)


def _render_http_error(error: HTTPException) -> Response:
    """Werkzeug's own errors (outside vendor routes, or a body over the size limit)."""
    vendor = g.get("vendor")
    if vendor is not None and isinstance(error, RequestEntityTooLarge):
        return _render_api_error(vendor.errors.payload_too_large(g.mock_config.max_body_bytes))
    if vendor is not None and (error.code or 500) < 500:
        return _render_api_error(vendor.errors.malformed_body(error.description or "", b""))
    if vendor is not None:
        return _render_api_error(vendor.errors.internal_error())
    return Response(
        json.dumps({"error": error.name, "message": error.description}),
        status=error.code or 500,
        content_type="application/json",
    )


def _render_unexpected(error: Exception) -> Response:
    log.exception("unexpected error in the mock", exc_info=error)
    vendor = g.get("vendor")
    if vendor is not None:
        return _render_api_error(vendor.errors.internal_error())
    # The exception's text can quote what it choked on (a file, a body): the log has it.
    return Response(
        json.dumps({"error": "internal error", "message": "see the server log"}),
        status=500,
        content_type="application/json",
    )
