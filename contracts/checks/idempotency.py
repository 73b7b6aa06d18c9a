"""The same `Idempotency-Key` twice has one effect and one answer."""

from __future__ import annotations

import uuid

from contracts.checks.scenario import ScenarioContext, diff


def idempotency(sc: ScenarioContext) -> None:
    ledger = sc.profile.ledger
    handle = sc.open()
    move = ledger.moves(handle, sc.snapshot(handle)[0] or {})[0]
    before, _ = sc.snapshot(handle)
    key = {"Idempotency-Key": f"contracts-{uuid.uuid4()}"}
    first = sc.api.send(move.request, headers=key)
    second = sc.api.send(move.request, headers=key)
    after, _ = sc.snapshot(handle)
    operation = move.request.operation
    if (first.status, first.json) != (second.status, second.json):
        message = (
            f"replay answered {second.status} {second.content[:150]!r}, "
            f"first answer was {first.status} {first.content[:150]!r}"
        )
        sc.failed("idempotency", operation, message, second)
    elif problems := diff(before or {}, after or {}, move.expect):
        sc.failed(
            "idempotency",
            operation,
            "the same key twice had two effects: " + "; ".join(problems),
            second,
        )
    else:
        sc.passed("idempotency", operation)
