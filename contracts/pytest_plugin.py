"""pytest fixtures for the mock and the contract suite (entry point `pytest11`).

Loaded by every pytest run of anyone who installs credit-contracts, so this module imports
nothing heavy at import time; the mock (and, for `contracts_run`, Schemathesis) loads when a
fixture is first used. The mock fixtures need only the plain install.

    def test_my_client(contracts_mock_server):           # fresh state, this test only
        requests.post(f"{contracts_mock_server}/api/external/add-credits", ...)

    def test_fast(contracts_mock_server_session):         # one server for the whole session
        contracts_mock_server_session.reset()            # forget what earlier tests wrote

    @pytest.mark.contracts_mock(vendors=("medusa",), faults=[{"path": "/admin/*", "status": 503}])
    def test_outage(contracts_mock_server): ...

    def test_my_staging_conforms(contracts_run):
        result = contracts_run(vendors=("medusa",), base_url="https://staging.example.com")
        assert result.ok, result.failed_checks

Options are `MockConfig` fields (`fixtures_dir`, `vendors`, `admin_token`, ...) plus `faults`, a
list of admin fault rules set when the mock starts. They come from the `contracts_mock`
marker of a test, over the session-wide `contracts_mock_options` fixture (override it in your
conftest.py); the session server uses the latter only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

MARKER = "contracts_mock"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): MockConfig fields and `faults` for this test's mock fixtures",
    )


class MockServer(str):
    """The mock's base URL (use it as a string), with its app and two admin shortcuts."""

    app: Any

    def __new__(cls, url: str, app: Any) -> MockServer:
        server = super().__new__(cls, url)
        server.app = app
        return server

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as the plain URL: settings holding it cross to vendor processes, the app
        stays behind."""
        return (str, (str(self),))

    @property
    def url(self) -> str:
        return str(self)

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        """Call the admin API in-process (`admin("GET", "/requests")`); returns its JSON."""
        return _admin(self.app, method, path, body)

    def reset(self) -> None:
        """Forget every tenant: each reseeds from the fixtures on its next request."""
        self.admin("POST", "/reset", {})


def _admin(app: Any, method: str, path: str, body: Any = None) -> Any:
    token = app.extensions["mockserver"].config.admin_token
    headers = {"X-Admin-Token": token} if token else {}
    answer = app.test_client().open(f"/__admin{path}", method=method, json=body, headers=headers)
    if answer.status_code >= 400:
        raise RuntimeError(f"admin {method} {path}: {answer.status_code} {answer.get_data()!r}")
    return answer.get_json()


def _build_app(options: Mapping[str, Any]) -> Any:
    from mockserver import MockConfig, create_app

    settings = dict(options)
    faults = settings.pop("faults", ())
    if "vendors" in settings and isinstance(settings["vendors"], str):
        settings["vendors"] = (settings["vendors"],)
    app = create_app(MockConfig(**settings))
    for rule in faults:
        _admin(app, "POST", "/faults", rule)
    return app


def _close(app: Any) -> None:
    app.extensions["mockserver"].store.close()


def _served(app: Any) -> Iterator[MockServer]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    # A short poll interval: shutdown() waits for the loop's next poll (0.5 s by default).
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield MockServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def contracts_mock_options() -> dict[str, Any]:
    """Session-wide mock options; override this fixture in your conftest.py."""
    return {}


@pytest.fixture
def contracts_mock_app(
    request: pytest.FixtureRequest, contracts_mock_options: dict[str, Any]
) -> Iterator[Any]:
    """A fresh in-process mock (a WSGI app) with demo data, closed after the test."""
    options = dict(contracts_mock_options)
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        options.update(marker.kwargs)
    app = _build_app(options)
    yield app
    _close(app)


@pytest.fixture
def contracts_mock_server(contracts_mock_app: Any) -> Iterator[MockServer]:
    """The mock served over HTTP on a free loopback port, fresh for this test (moto's server
    mode); the value is its base URL."""
    yield from _served(contracts_mock_app)


@pytest.fixture(scope="session")
def contracts_mock_server_session(
    contracts_mock_options: dict[str, Any],
) -> Iterator[MockServer]:
    """One mock server for the whole session (started once); `.reset()` clears its state."""
    app = _build_app(contracts_mock_options)
    yield from _served(app)
    _close(app)


@pytest.fixture
def contracts_run() -> Callable[..., Any]:
    """Run the suite: `contracts_run(vendors=..., base_url=..., app=..., **settings)`.

    Settings default to `[tool.contracts]` and `CONTRACTS_*` variables, like the CLI; without
    `base_url` or `app` the target is a fresh in-process mock. `vendors` may be one name.
    """

    def run(app: Any = None, **overrides: Any) -> Any:
        from contracts.config import load
        from contracts.runner import run as run_suite

        if isinstance(overrides.get("vendors"), str):
            overrides["vendors"] = (overrides["vendors"],)
        settings = load({"progress": False}).with_overrides(overrides)
        return run_suite(settings, app=app)

    return run
