"""Helpers shared by the vendor tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mockserver.store import TenantStore


class DecodeCounter:
    """Counts the records `TenantStore.get`/`all` decode: the work a write does, measured
    without a clock, so "constant however long the ledger" can be asserted exactly."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real_get, real_all = TenantStore.get, TenantStore.all

        def get(store: TenantStore, kind: str, record_id: str) -> Any:
            found = real_get(store, kind, record_id)
            self.count += found is not None
            return found

        def all_(store: TenantStore, kind: str) -> list[dict[str, Any]]:
            found = real_all(store, kind)
            self.count += len(found)
            return found

        monkeypatch.setattr(TenantStore, "get", get)
        monkeypatch.setattr(TenantStore, "all", all_)

    def during(self, action: Callable[[], Any]) -> int:
        self.count = 0
        action()
        return self.count
