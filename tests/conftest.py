"""Shared fixtures: every test builds its own app from the factory, with fresh state."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from mockserver import MockConfig, create_app
from tests import realmedusa


@pytest.fixture
def make_app() -> Iterator[Callable[..., Flask]]:
    """`make_app(**MockConfig fields)`: an app with strict response checks, closed afterwards."""
    apps: list[Flask] = []

    def build(vendors: Any = None, **overrides: Any) -> Flask:
        overrides.setdefault("strict_responses", True)
        app = create_app(MockConfig(**overrides), vendors=vendors)
        app.testing = True
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.extensions["mockserver"].store.close()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests against the real Medusa share one server and database: one xdist group, in turn.

    First among the hooks: an xdist worker reads the groups in its own hook of this name, and
    a group added after it is ignored (the tests then run at once on every worker)."""
    for item in items:
        if item.get_closest_marker("real_medusa"):
            item.add_marker(pytest.mark.xdist_group("real_medusa"))


@pytest.fixture(autouse=True)
def _real_medusa_alone(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test against the real Medusa holds it alone (see `realmedusa.alone`)."""
    if request.node.get_closest_marker("real_medusa") is None:
        yield
        return
    with realmedusa.alone():
        yield


@pytest.fixture(scope="session")
def real_medusa(worker_id: str) -> realmedusa.RealMedusa:
    """The real Medusa server (setup.sh), its store-credit tables emptied once per test run."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"{worker_id}-{os.getpid()}"
    return realmedusa.start(run_id)


SUMMARY_PROPERTY = "terminal_summary"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print what tests recorded as `terminal_summary` (the mutation score): with xdist
    only the controller writes to the terminal, and user properties reach it."""
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, text in getattr(report, "user_properties", ()):
                if name == SUMMARY_PROPERTY and getattr(report, "when", "") == "call":
                    terminalreporter.write_sep("=", report.nodeid.rsplit("::", 1)[-1])
                    terminalreporter.write_line(text)
