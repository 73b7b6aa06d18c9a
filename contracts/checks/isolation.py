"""Tenant isolation: the second credential can neither read nor change the first one's objects."""

from __future__ import annotations

from contracts.checks.scenario import ScenarioContext, diff


def tenant_isolation(sc: ScenarioContext) -> None:
    ledger = sc.profile.ledger
    handle = sc.open()
    mine, _ = sc.snapshot(handle)
    _, read = sc.snapshot(handle, sc.second)
    read_op = ledger.read(handle).operation
    if ledger.owned_objects:
        if read.status != 404:
            message = f"another tenant read this tenant's object: {read.status}, expected 404"
            sc.failed("tenant_isolation", read_op, message, read)
            return
        sc.passed("tenant_isolation", read_op)
    for move in ledger.moves(handle, mine or {})[:1]:
        # The other tenant acts on the same id: on owned objects it must be told 404; on
        # shared seeded ids it acts on its own copy. Either way ours must not move.
        answer = sc.second.send(move.request)
        after, _ = sc.snapshot(handle)
        operation = move.request.operation
        if ledger.owned_objects and answer.status != 404:
            message = f"another tenant changed this tenant's object: {answer.status}, expected 404"
            sc.failed("tenant_isolation", operation, message, answer)
        elif problems := diff(mine or {}, after or {}, {}):
            message = "another tenant's request changed this tenant's data: " + "; ".join(problems)
            sc.failed("tenant_isolation", operation, message, answer)
        else:
            sc.passed("tenant_isolation", operation)
        theirs, _ = sc.snapshot(handle, sc.second)
        if not ledger.owned_objects and theirs is not None:
            # And our own move must not show in the other tenant's copy.
            sc.api.send(move.request)
            seen, proof = sc.snapshot(handle, sc.second)
            problems = diff(theirs, seen, {}) if seen is not None else []
            if problems:
                message = "this tenant's change showed in another tenant: " + "; ".join(problems)
                sc.failed("tenant_isolation", read_op, message, proof)
