"""Rules of the vendor's model, not of its schema: a schema-valid request the vendor refuses
(a non-positive amount, over-use, a bound) is still refused, in the vendor's error body, with
no change."""

from __future__ import annotations

from contracts.checks.scenario import ScenarioContext, diff

CHECK = "business_rules_refused"


def business_rules_refused(sc: ScenarioContext) -> None:
    ledger = sc.profile.ledger
    handle = sc.open()
    for move in ledger.moves(handle, sc.snapshot(handle)[0] or {})[:1]:
        sc.api.send(move.request)  # some money in first, so "over" means over a real balance
    for rule in ledger.business_rules(handle, sc.snapshot(handle)[0] or {}):
        for step in rule.setup:
            sc.api.send(step)
        before, _ = sc.snapshot(handle)
        answer = sc.api.send(rule.request)
        after, _ = sc.snapshot(handle)
        for step in rule.undo:
            sc.api.send(step)
        operation = rule.request.operation
        problem = None
        if answer.status != rule.status:
            problem = (
                f"{rule.rule}: answered {answer.status} {answer.content[:150]!r}, "
                f"expected the vendor's {rule.status} refusal"
            )
        elif envelope := sc.profile.envelope(answer.status, answer.json):
            problem = f"{rule.rule}: the {answer.status} refusal is not a vendor error: {envelope}"
        elif problems := diff(before or {}, after or {}, {}):
            problem = f"{rule.rule}: the refusal changed state: " + "; ".join(problems)
        if problem:
            sc.failed(CHECK, operation, problem, answer)
        else:
            sc.passed(CHECK, operation)
