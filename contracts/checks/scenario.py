"""The frame every scenario check runs in: two identities, one vendor, a place to report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from contracts.results import Outcome
from contracts.target import Exchange
from contracts.vendors import Api, Request, Snapshot, VendorProfile

TOLERANCE = Decimal("1e-6")


@dataclass
class ScenarioContext:
    """What a scenario may use; `outcomes` collects what it found."""

    profile: VendorProfile
    api: Api
    second: Api
    outcomes: list[Outcome] = field(default_factory=list)
    created: list[str] = field(default_factory=list)

    def passed(self, check: str, operation: str) -> None:
        self.outcomes.append(Outcome(self.profile.name, operation, check, True))

    def failed(self, check: str, operation: str, message: str, exchange: Exchange | None) -> None:
        self.outcomes.append(
            Outcome(
                self.profile.name,
                operation,
                check,
                False,
                message=message,
                curl=exchange.curl() if exchange else "",
                status=exchange.status if exchange else None,
                answer=exchange.content[:200].decode("utf-8", "replace") if exchange else "",
                request=exchange.request_line() if exchange else "",
                cause=message,
            )
        )

    def open(self) -> str:
        """A fresh object of the first identity (remembered for cleanup)."""
        handle, _ = self.profile.ledger.open(self.api)
        if self.profile.ledger.owned_objects:
            self.created.append(handle)
        return handle

    def snapshot(self, handle: str, api: Api | None = None) -> tuple[Snapshot | None, Exchange]:
        """The object's money as `api` sees it; None when it cannot read it (with the proof)."""
        ledger = self.profile.ledger
        answer = (api or self.api).send(ledger.read(handle))
        if answer.status != 200:
            return None, answer
        return ledger.money(answer.json), answer


Scenario = Callable[[ScenarioContext], None]


# Vendors that keep money in doubles (Appstle) cannot move a huge balance by a cent; allow
# the rounding of the values compared, no more.
DOUBLE_PRECISION = Decimal("1e-12")


def same(a: Decimal, b: Decimal, scale: Decimal = Decimal(0)) -> bool:
    allowed = TOLERANCE * max(Decimal(1), abs(a), abs(b)) + DOUBLE_PRECISION * scale
    return abs(a - b) <= allowed


def diff(before: Snapshot, after: Snapshot, expect: dict[str, Decimal]) -> list[str]:
    """How `after` differs from `before` + `expect` (every other field must stay put)."""
    problems = []
    for name in sorted(set(before) | set(after)):
        if name not in before or name not in after:
            problems.append(f"{name} missing before or after")
            continue
        wanted = expect.get(name, Decimal(0))
        moved = after[name] - before[name]
        if not same(moved, wanted, max(abs(before[name]), abs(after[name]))):
            problems.append(f"{name} moved by {moved:f}, expected {wanted:f}")
    return problems


def label(request: Request) -> str:
    return request.operation
