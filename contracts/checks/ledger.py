"""Money adds up: per-response invariants, exact deltas of each move, refused overdrafts."""

from __future__ import annotations

from typing import Any

import schemathesis

from contracts.checks.scenario import ScenarioContext, diff
from contracts.vendors import for_path


@schemathesis.check
def ledger_invariants(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis check: a successful body keeps the vendor's money invariants
    (Medusa balance = credits - debits; Spree decimal-string amounts matching display_amount;
    no negative Appstle balance)."""
    profile = for_path(case.operation.path)
    if profile is None or not 200 <= response.status_code < 300:
        return True
    try:
        body = response.json()
    except Exception:
        return True  # not JSON: content_type_conformance and schema checks say so
    problems = list(profile.invariants(body))
    if problems:
        raise AssertionError("; ".join(problems))
    return None


def ledger_arithmetic(sc: ScenarioContext) -> None:
    """Each move changes exactly the fields it should, by exactly the amount, and nothing else."""
    ledger = sc.profile.ledger
    handle = sc.open()
    for move in ledger.moves(handle, sc.snapshot(handle)[0] or {}):
        before, proof = sc.snapshot(handle)
        if before is None:
            sc.failed("ledger_arithmetic", move.request.operation, "cannot read the object", proof)
            return
        answer = sc.api.send(move.request)
        if not 200 <= answer.status < 300:
            message = f"a valid move was refused: {answer.status} {answer.content[:200]!r}"
            sc.failed("ledger_arithmetic", move.request.operation, message, answer)
            return
        after, proof = sc.snapshot(handle)
        problems = diff(before, after or {}, move.expect)
        answered = ledger.money(answer.json)
        if not problems and answered and answered != after and diff(after, answered, {}):
            problems = [f"the answer shows {answered}, a read shows {after}"]
        if problems:
            sc.failed("ledger_arithmetic", move.request.operation, "; ".join(problems), answer)
        else:
            sc.passed("ledger_arithmetic", move.request.operation)


def overdraft_refused(sc: ScenarioContext) -> None:
    """Asking for more than the balance holds is refused (4xx) and changes nothing."""
    ledger = sc.profile.ledger
    handle = sc.open()
    for move in ledger.moves(handle, sc.snapshot(handle)[0] or {})[:1]:
        sc.api.send(move.request)  # put some money in first
    before, proof = sc.snapshot(handle)
    request = ledger.overdraft(handle, before or {})
    if request is None:
        return
    answer = sc.api.send(request)
    after, _ = sc.snapshot(handle)
    if not 400 <= answer.status < 500:
        sc.failed(
            "overdraft_refused",
            request.operation,
            f"overdraft answered {answer.status}, expected a 4xx refusal",
            answer,
        )
    elif problems := diff(before or {}, after or {}, {}):
        sc.failed(
            "overdraft_refused",
            request.operation,
            "refused overdraft changed state: " + "; ".join(problems),
            answer,
        )
    else:
        sc.passed("overdraft_refused", request.operation)
