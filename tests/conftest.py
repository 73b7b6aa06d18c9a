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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests against the real Medusa share one server and database: one xdist group, in turn."""
    for item in items:
        if item.get_closest_marker("real_medusa"):
            item.add_marker(pytest.mark.xdist_group("real_medusa"))


@pytest.fixture(scope="session")
def real_medusa(worker_id: str) -> realmedusa.RealMedusa:
    """The real Medusa server (setup.sh), its store-credit tables emptied once per test run."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"{worker_id}-{os.getpid()}"
    return realmedusa.start(run_id)
