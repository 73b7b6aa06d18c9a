"""The suite's own checks, on top of all of Schemathesis'.

Two kinds:
- response checks (`@schemathesis.check`, `(ctx, response, case)`): run by Schemathesis on every
  response of every phase, including stateful sequences. Importing this package registers them.
  They stay silent (return True = "not applicable") for paths no known vendor owns, so they do
  not disturb a user's other Schemathesis runs.
- scenario checks (`Scenario`s below): explicit multi-call sequences for ledger arithmetic,
  idempotency, tenant isolation, refusals and deletion, which need a before and an after.
"""

from __future__ import annotations

from contracts.checks import deletion, envelope, idempotency, isolation, ledger, refusal
from contracts.checks.scenario import Scenario

RESPONSE_CHECKS = ("vendor_error_envelope", "ledger_invariants")

SCENARIOS: tuple[Scenario, ...] = (
    ledger.ledger_arithmetic,
    ledger.overdraft_refused,
    idempotency.idempotency,
    isolation.tenant_isolation,
    refusal.refused_request_changes_nothing,
    deletion.deleted_stays_deleted,
)

__all__ = ["RESPONSE_CHECKS", "SCENARIOS", "envelope", "ledger"]
