"""Run the contract suite: wire target, preflight, schema, engine hooks, engine, scenarios,
cleanup and known deviations, vendor by vendor. Nothing here decides a verdict or prints:
the `RunResult` goes to the report handlers (`contracts.handlers`).

For each vendor: reach the target and learn its kind (our mock or a vendor), pick the
credentials (demo ones only for the mock) and prove them, load the spec as that kind of target
may see it, watch Schemathesis' calls (safety, what was created), run our scenarios and then
Schemathesis' engine, clean up and list what stays. Every failure passes through one sink
that hides secrets in its replay line and files it as known when a deviation explains it.
"""

from __future__ import annotations

import dataclasses
import random
import time
from typing import Any

from contracts import hooks, preflight, replay
from contracts.auth import Authenticator
from contracts.budget import Limiter, RequestBudgetExceeded
from contracts.cleanup import clean_up
from contracts.config import Settings
from contracts.credentials import SECOND, authenticator, identities
from contracts.engine import ProgressCallback, run_engine
from contracts.fidelity import fidelity_notes
from contracts.known import NONE, KnownDeviations, load
from contracts.processes import run_in_processes, vendor_processes
from contracts.results import Outcome, RunResult, VendorResult
from contracts.scenarios import Capabilities, run_scenarios
from contracts.schema import check_enabled, load_schema, raw_spec, takes_header, vendor_version
from contracts.target import HttpTarget, InProcessTarget, Kind, Target, detect_kind
from contracts.vendors import Api, VendorProfile, registry

IN_PROCESS_URL = "http://localhost"


def default_app() -> Any:
    """A fresh in-process mock with demo data, in `spec` fidelity: the suite tests the spec, so
    the vendors' reproduced defects stay off (imported late: only the default target needs it)."""
    from mockserver import MockConfig, create_app

    return create_app(MockConfig(fidelity="spec"))


def run(
    settings: Settings, *, app: Any = None, progress: ProgressCallback | None = None
) -> RunResult:
    """Test every selected vendor; `app` replaces the default in-process mock.

    The seed is always fixed (drawn here when not given), so every run can be replayed.
    """
    started = time.monotonic()
    if settings.seed is None:
        settings = settings.with_overrides({"seed": random.randrange(2**31)})
    known = load(settings.known) if settings.known else NONE
    result = RunResult(seed=settings.seed)
    processes = vendor_processes(settings, app)
    if processes > 1:
        result.vendors.extend(run_in_processes(settings, processes, progress))
    else:
        limiter = Limiter(settings.max_requests, settings.rate_limit)
        if settings.base_url is None and app is None:
            app = default_app()
        for name in settings.vendors:
            target = _target(settings, app, limiter)
            try:
                outcome = run_vendor(registry()[name], settings, target, known, progress)
            finally:
                target.close()
            result.vendors.append(outcome)
            if outcome.budget_exhausted or outcome.preflight:
                break
    result.seconds = time.monotonic() - started
    return result


def _target(settings: Settings, app: Any, limiter: Limiter) -> Target:
    if settings.base_url is None:
        return InProcessTarget(app, IN_PROCESS_URL, limiter)
    return HttpTarget(settings.base_url.rstrip("/"), settings.request_timeout, limiter)


@dataclasses.dataclass
class _Identities:
    first: Authenticator
    second: Authenticator | None
    separate_tenants: bool


def _prepare(
    profile: VendorProfile, settings: Settings, target: Target
) -> tuple[Kind, _Identities]:
    """Preflight: reachable, which kind, whose credentials, accepted (PreflightError if not)."""
    preflight.reachable(target)
    kind = detect_kind(target, settings.target)
    first, second = identities(profile, settings.credentials, kind)
    auth = authenticator(profile, target, first)
    preflight.authenticated(profile, target, auth, "the")
    auth2 = authenticator(profile, target, second, SECOND) if second is not None else None
    separate = auth2 is not None and (kind is Kind.MOCK or settings.distinct_tenants)
    if auth2 is not None and separate:
        preflight.authenticated(profile, target, auth2, "the second (_2)")
    return kind, _Identities(auth, auth2, separate)


def _working_object(profile: VendorProfile, api: Api, created: list[str]) -> dict[str, str]:
    """On a vendor the spec's example ids do not exist, so every `{id}` operation would only
    ever test its 404: one object the run opens stands in for `{id}` instead."""
    if "{id}" not in profile.ledger.read("x").operation:
        return {}
    handle, _ = profile.ledger.open(api)
    if profile.ledger.owned_objects:
        created.append(handle)
    return {"path.id": handle}


def run_vendor(
    profile: VendorProfile,
    settings: Settings,
    target: Target,
    known: KnownDeviations = NONE,
    progress: ProgressCallback | None = None,
) -> VendorResult:
    result = VendorResult(profile.name, target=settings.base_url or "")
    started, sent_before = time.monotonic(), target.limiter.sent
    try:
        kind, who = _prepare(profile, settings, target)
    except preflight.PreflightError as exc:
        result.preflight = str(exc)
        return result
    except RequestBudgetExceeded:
        result.budget_exhausted = True
        return result

    result.notes.extend(fidelity_notes(target, profile.name))
    auths = [who.first, who.second]
    names = [name for option in profile.credentials for name in option.names]

    def sink(outcome: Outcome) -> None:
        if not outcome.ok:
            secrets = replay.secrets(auths, settings.credentials, names)
            outcome = dataclasses.replace(
                outcome,
                curl=replay.mask(outcome.curl, secrets),
                request=replay.mask(outcome.request, secrets),
            )
        result.add(outcome, known.match(outcome) if not outcome.ok else None)

    spec = raw_spec(profile, kind)
    result.version = vendor_version(spec)
    capabilities = Capabilities(
        idempotency_keys=takes_header(spec, "Idempotency-Key"), second_tenant=who.separate_tenants
    )
    created: list[str] = []
    schema = None
    try:
        parameters = {}
        if kind is Kind.VENDOR and not settings.read_only:
            try:
                parameters = _working_object(profile, Api(target, who.first, spec), created)
            except LookupError as exc:  # the scenarios will report what is wrong with it
                result.notes.append(f"no working object for {{id}} operations: {exc}")
            except RequestBudgetExceeded:
                result.budget_exhausted = True
        schema = load_schema(profile, settings, target, who.first, kind, parameters)
        tame = kind is Kind.VENDOR and not settings.hostile_values
        hooks.watch(schema, hooks.Watch(profile, tame_values=tame, created=created))
        if settings.read_only:
            result.notes.append(
                "read-only: skipped state-changing operations, the scenarios and the "
                "unsupported_method probes (they send DELETE/PUT/PATCH/POST to existing ids)"
            )
        # Scenarios first: their exact arithmetic needs balances the fuzzer has not yet
        # pushed to extremes, where a double cannot show a 10.55 move.
        if settings.scenarios and not settings.read_only:
            first = Api(target, who.first, spec)
            second = Api(target, who.second, spec) if who.second is not None else None
            wanted = lambda name: check_enabled(settings, name)  # noqa: E731
            run_scenarios(
                profile, first, second, capabilities, wanted, result, sink, created, progress
            )
        if settings.phases and not result.budget_exhausted:
            run_engine(schema, profile.name, result, sink, progress)
    finally:
        if schema is not None:
            hooks.unwatch(schema)
        if not settings.read_only:
            clean_up(profile, Api(target, who.first, spec), created, result, settings.cleanup)
        result.known_unseen = [i for i in known.ids(profile.name) if i not in result.known]
        result.requests = target.limiter.sent - sent_before
        result.seconds = time.monotonic() - started
    if target.limiter.exhausted:
        result.budget_exhausted = True
    if result.budget_exhausted:
        result.notes.append(
            f"stopped early: request budget of {target.limiter.max_requests} spent; "
            "failures so far are reported"
        )
    return result
