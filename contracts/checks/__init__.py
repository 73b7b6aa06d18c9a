"""The suite's own checks, on top of all of Schemathesis'.

Two kinds:
- response checks (`@schemathesis.check`, `(ctx, response, case)`): run by Schemathesis on every
  response of every phase, including stateful sequences. Importing this package registers them.
  They stay silent (return True = "not applicable") for paths no known vendor owns, so they do
  not disturb a user's other Schemathesis runs.
- scenario checks (`Scenario`s below): explicit multi-call sequences for ledger arithmetic,
  history against totals, idempotency, tenant isolation, refusals (by schema and by the
  vendor's model), reads after writes and deletes, and paging, which need a before and an after.
"""

from __future__ import annotations

from contracts.checks import (
    business,
    deletion,
    envelope,
    freshness,
    history,
    idempotency,
    isolation,
    ledger,
    paging,
    refusal,
)
from contracts.checks.scenario import Scenario

RESPONSE_CHECKS = ("vendor_error_envelope", "ledger_invariants")

SCENARIOS: tuple[Scenario, ...] = (
    ledger.ledger_arithmetic,
    ledger.overdraft_refused,
    idempotency.idempotency,
    isolation.tenant_isolation,
    refusal.refused_request_changes_nothing,
    deletion.deleted_stays_deleted,
    history.history_matches_balance,
    business.business_rules_refused,
    freshness.reads_see_writes,
    paging.pages_agree,
)


def check_names() -> list[str]:
    """Every check a run can include or exclude by name: Schemathesis' own (its OpenAPI
    checks register on import), ours, and the scenarios."""
    import schemathesis.specs.openapi.checks  # noqa: F401  (registers Schemathesis' checks)
    from schemathesis.checks import CHECKS

    return sorted({*CHECKS.get_all_names(), *(s.__name__ for s in SCENARIOS)})


__all__ = ["RESPONSE_CHECKS", "SCENARIOS", "check_names", "envelope", "ledger"]
