"""Shared fixtures: every test builds its own app from the factory, with fresh state."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from mockserver import MockConfig, create_app


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
