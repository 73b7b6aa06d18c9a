"""pytest fixtures to run the contract suite from a user's own tests (entry point `pytest11`).

Loaded by every pytest run of anyone who installs credit-contracts, so this module imports
nothing heavy at import time; Schemathesis and the mock load when a fixture is first used.

    def test_my_staging_conforms(contracts_run):
        result = contracts_run(vendors=("medusa",), base_url="https://staging.example.com")
        assert result.ok, result.failed_checks

    def test_my_client_against_the_mock(contracts_mock_server):
        base_url = contracts_mock_server  # a real HTTP server on 127.0.0.1, like moto's server mode
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest


@pytest.fixture
def contracts_mock_app() -> Any:
    """A fresh in-process mock (a WSGI app) with demo data, vendor defects off (`spec`)."""
    from contracts.runner import default_app

    return default_app()


@pytest.fixture
def contracts_mock_server(contracts_mock_app: Any) -> Iterator[str]:
    """The mock served over HTTP on a free loopback port; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, contracts_mock_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def contracts_run(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Run the suite: `contracts_run(vendors=..., base_url=..., app=..., **settings)`.

    Settings default to `[tool.contracts]` and `CONTRACTS_*` variables, like the CLI; without
    `base_url` or `app` the target is a fresh in-process mock.
    """

    def run(app: Any = None, **overrides: Any) -> Any:
        from contracts.config import load
        from contracts.runner import run as run_suite

        settings = load({"progress": False}).with_overrides(overrides)
        return run_suite(settings, app=app)

    return run
