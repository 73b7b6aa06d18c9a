"""Our own multi-call scenarios (ledger arithmetic, overdrafts, idempotency, isolation,
refusals, deletion) for one vendor, run only where the target offers what they test."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

from contracts.budget import RequestBudgetExceeded
from contracts.engine import Progress, ProgressCallback, Sink
from contracts.results import VendorResult
from contracts.vendors import Api, VendorProfile


@dataclass(frozen=True)
class Capabilities:
    """What the target offers beyond the vendor's documented API.

    `idempotency_keys`: it honours `Idempotency-Key` (our mock; a vendor whose spec still
    declares the header once the `x-mock-only` parts are dropped). `second_tenant`: the second
    identity is another tenant (the mock's sandbox keys; a vendor only when the user says so,
    since one Medusa deployment is one store whatever the key).
    """

    idempotency_keys: bool = True
    second_tenant: bool = True


# scenario name -> (capability it needs, why it is skipped without it)
NEEDS = {
    "idempotency": ("idempotency_keys", "the target does not honour Idempotency-Key"),
    "tenant_isolation": (
        "second_tenant",
        "no second tenant (give `_2` credentials and --distinct-tenants)",
    ),
}


def run_scenarios(
    profile: VendorProfile,
    api: Api,
    second: Api | None,
    capabilities: Capabilities,
    wanted: Callable[[str], bool],
    result: VendorResult,
    sink: Sink,
    created: list[str],
    progress: ProgressCallback | None,
) -> None:
    """Run every scenario whose check the run wants (`wanted(name)`) and the target can
    answer; what they create goes to `created`; skips are noted in `result`."""
    from contracts.checks import SCENARIOS
    from contracts.checks.scenario import ScenarioContext

    for scenario in SCENARIOS:
        name = scenario.__name__
        if not wanted(name):
            continue
        capability, why = NEEDS.get(name, ("", ""))
        if capability and not getattr(capabilities, capability):
            result.notes.append(f"skipped scenario {name}: {why}")
            continue
        sc = ScenarioContext(profile, api, second or api)
        started = time.monotonic()
        try:
            scenario(sc)
        except RequestBudgetExceeded:
            result.budget_exhausted = True
            return
        except Exception as exc:  # the implementation broke the sequence itself
            sc.failed(name, "(scenario)", f"could not run: {exc}", None)
        finally:
            created.extend(sc.created)
        # The reports time each check; a scenario's outcomes share its time evenly.
        share = (time.monotonic() - started) / max(len(sc.outcomes), 1)
        for item in sc.outcomes:
            sink(dataclasses.replace(item, seconds=share))
            result.operation_cases[item.operation] += 1
        if progress:
            failed = sum(1 for item in sc.outcomes if not item.ok)
            status = "failure" if failed else "success"
            progress(Progress(profile.name, "scenarios", name, status, len(sc.outcomes)))
