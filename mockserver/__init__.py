"""A stateful mock server for store-credit and loyalty APIs, driven by their OpenAPI specs.

`create_app` and `MockConfig` are loaded on first use (PEP 562), so importing one of the
package's small modules (`mockserver.commandline` for the contract suite's CLI, `mockserver.
server` for the benchmark's bare-Flask baseline) does not pay for Flask and openapi-core.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockserver.app import create_app
    from mockserver.config import MockConfig

__all__ = ["MockConfig", "create_app"]

_HOMES = {"create_app": "mockserver.app", "MockConfig": "mockserver.config"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
