"""Tests against a real `mockserver serve` process (gunicorn) on loopback."""

from tests.live.helpers import running_server

__all__ = ["running_server"]
