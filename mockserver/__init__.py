"""A stateful mock server for store-credit and loyalty APIs, driven by their OpenAPI specs."""

from mockserver.app import create_app
from mockserver.config import MockConfig

__all__ = ["MockConfig", "create_app"]
