"""Fault injection rules, set through the admin API and shared by every worker process.

A rule matches requests by path glob, and optionally method, vendor and tenant; it then fires
with its probability, adding latency, forcing a status (429 with `Retry-After`, 503, ...), or
both. Rules live in the store so every worker of a multi-process server sees the same set.
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import asdict, dataclass
from fnmatch import fnmatchcase
from typing import Any

from mockserver.store import Transaction

META_KEY = "fault_rules"

RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string", "minLength": 1},
        "method": {"type": "string"},
        "vendor": {"type": "string"},
        "tenant": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "latency_ms": {"type": "integer", "minimum": 0, "maximum": 60000},
        "probability": {"type": "number", "minimum": 0, "maximum": 1},
        "retry_after": {"type": "integer", "minimum": 0},
    },
    "anyOf": [{"required": ["status"]}, {"required": ["latency_ms"]}],
}


@dataclass(frozen=True)
class FaultRule:
    id: str
    path: str = "*"
    method: str | None = None
    vendor: str | None = None
    tenant: str | None = None
    status: int | None = None
    latency_ms: int = 0
    probability: float = 1.0
    retry_after: int | None = None

    def matches(self, method: str, path: str, vendor: str, tenant: str | None) -> bool:
        return (
            fnmatchcase(path, self.path)
            and (self.method is None or self.method.upper() == method)
            and (self.vendor is None or self.vendor == vendor)
            and (self.tenant is None or self.tenant == tenant)
        )


def list_rules(tx: Transaction) -> list[FaultRule]:
    raw = tx.meta(META_KEY)
    return [FaultRule(**rule) for rule in json.loads(raw)] if raw else []


def add_rule(tx: Transaction, fields: dict[str, Any]) -> FaultRule:
    rule = FaultRule(id=secrets.token_hex(4), **fields)
    _save(tx, [*list_rules(tx), rule])
    return rule


def remove_rule(tx: Transaction, rule_id: str) -> bool:
    rules = list_rules(tx)
    kept = [r for r in rules if r.id != rule_id]
    _save(tx, kept)
    return len(kept) != len(rules)


def clear_rules(tx: Transaction) -> None:
    _save(tx, [])


def _save(tx: Transaction, rules: list[FaultRule]) -> None:
    tx.set_meta(META_KEY, json.dumps([asdict(r) for r in rules]))


@dataclass(frozen=True)
class FaultOutcome:
    latency_ms: int
    status: int | None
    retry_after: int | None


def decide(
    tx: Transaction, method: str, path: str, vendor: str, tenant: str | None
) -> FaultOutcome | None:
    """Roll the dice for every matching rule; latencies add up, the first status wins."""
    latency, status, retry_after, fired = 0, None, None, False
    for rule in list_rules(tx):
        if not rule.matches(method, path, vendor, tenant) or random.random() >= rule.probability:
            continue
        fired = True
        latency += rule.latency_ms
        if status is None and rule.status is not None:
            status, retry_after = rule.status, rule.retry_after
    return FaultOutcome(latency, status, retry_after) if fired else None
