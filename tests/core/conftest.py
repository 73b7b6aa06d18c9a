from __future__ import annotations

from typing import Any

import pytest

from tests.core.toy import VENDOR as TOY

KEY = {"X-Key": "toy_demo"}


@pytest.fixture
def toy_app(make_app: Any) -> Any:
    return make_app(vendors=[TOY])


@pytest.fixture
def toy(toy_app: Any) -> Any:
    return toy_app.test_client()
