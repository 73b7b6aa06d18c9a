"""Two views of the same money agree: the history (transactions, events, rewards) and the totals."""

from __future__ import annotations

from contracts.checks.scenario import ScenarioContext, same
from contracts.target import Exchange
from contracts.vendors import Entry, Request

CHECK = "history_matches_balance"


def history_matches_balance(sc: ScenarioContext) -> None:
    """Each move appends exactly its own entry (none vanish) and the history adds up to the
    totals the object shows: a history that silently drops or misbooks an entry fails."""
    ledger = sc.profile.ledger
    handle = sc.open()
    request = ledger.history(handle)
    if request is None:
        return
    for move in ledger.moves(handle, sc.snapshot(handle)[0] or {}):
        before, proof = _entries(sc, request)
        if before is None:
            sc.failed(CHECK, request.operation, f"cannot read the history ({proof.status})", proof)
            return
        answer = sc.api.send(move.request)
        if not 200 <= answer.status < 300:
            return  # a refused move is ledger_arithmetic's finding
        after, proof = _entries(sc, request)
        totals, _ = sc.snapshot(handle)
        problems = _new_entries(before, after or [], move.entry)
        if after is not None and totals is not None:
            for name, value in ledger.history_totals(after).items():
                if name in totals and not same(value, totals[name]):
                    problems.append(
                        f"the history adds up to {name} {value:f}, "
                        f"the object shows {totals[name]:f}"
                    )
        if problems:
            sc.failed(CHECK, move.request.operation, "; ".join(problems), proof)
        else:
            sc.passed(CHECK, move.request.operation)


def _entries(sc: ScenarioContext, request: Request) -> tuple[list[Entry] | None, Exchange]:
    answer = sc.api.send(request)
    if answer.status != 200:
        return None, answer
    return sc.profile.ledger.entries(answer.json), answer


def _new_entries(before: list[Entry], after: list[Entry], wanted: tuple | None) -> list[str]:
    known = {entry.id for entry in after}
    problems = [
        f"history entry {e.id} ({e.kind} {e.amount}) vanished" for e in before if e.id not in known
    ]
    old = {entry.id for entry in before}
    added = [entry for entry in after if entry.id not in old]
    expected = [] if wanted is None else [wanted]
    shown = [(entry.kind, entry.amount) for entry in added]
    if len(shown) != len(expected) or any(
        kind != want_kind or amount is None or not same(amount, want_amount)
        for (kind, amount), (want_kind, want_amount) in zip(shown, expected, strict=False)
    ):
        problems.append(
            f"the move should add history entries {_show(expected)}, it added {_show(shown)}"
        )
    return problems


def _show(entries: list) -> str:
    return "[" + ", ".join(f"{kind} {amount}" for kind, amount in entries) + "]"
