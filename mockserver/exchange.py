"""One HTTP exchange as the proxy saw it, and what a vendor can read from it.

Kept free of Flask and of any vendor, so the proxy, the recorder, the replayer and the
vendor packages can share it without importing each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Exchange:
    """A request and the answer it got, bodies as bytes (exactly as sent)."""

    method: str
    path: str
    query: str
    request_headers: dict[str, str]
    request_body: bytes
    status: int
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""

    @property
    def request_json(self) -> Any:
        return parse_json(self.request_body)

    @property
    def response_json(self) -> Any:
        return parse_json(self.response_body)


@dataclass(frozen=True)
class LedgerReading:
    """What one exchange says about an account's balance.

    `balance` is the balance the answer shows; `change` what the exchange itself should have
    done to it (+amount for a credit, -amount for a debit, 0 for a read). Consecutive
    readings of one account must add up: previous balance + change = balance.
    """

    account: str
    balance: Decimal
    change: Decimal


def parse_json(raw: bytes) -> Any:
    """The JSON value of a body, or None when it is empty or not JSON."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
