"""A refused request (invalid input, missing credentials) changes no state."""

from __future__ import annotations

from contracts.checks.scenario import ScenarioContext, diff


def refused_request_changes_nothing(sc: ScenarioContext) -> None:
    ledger = sc.profile.ledger
    handle = sc.open()
    first = ledger.moves(handle, sc.snapshot(handle)[0] or {})[0]
    attempts = [(request, True) for request in ledger.refused(handle)] + [(first.request, False)]
    for request, authenticated in attempts:
        before, _ = sc.snapshot(handle)
        answer = sc.api.send(request, authenticated=authenticated)
        after, _ = sc.snapshot(handle)
        what = "invalid request" if authenticated else "request without credentials"
        if not 400 <= answer.status < 500:
            message = f"{what} answered {answer.status}, expected a 4xx refusal"
            sc.failed("refused_request_changes_nothing", request.operation, message, answer)
        elif problems := diff(before or {}, after or {}, {}):
            message = f"refused {what} changed state: " + "; ".join(problems)
            sc.failed("refused_request_changes_nothing", request.operation, message, answer)
        else:
            sc.passed("refused_request_changes_nothing", request.operation)
