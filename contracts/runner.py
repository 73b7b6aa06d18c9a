"""Run Schemathesis (its engine, in-process) and the scenario checks against one target.

One `run(settings)` call tests each selected vendor in turn: it loads the vendor's spec, points
it at the in-process mock (a WSGI app, no socket) or at `base_url`, authenticates both
identities, streams the Schemathesis engine's events into `Outcome`s (with progress callbacks
for a live view), runs the scenario checks, and cleans up what it created.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts import _compat
from contracts.auth import Authenticator, AuthError, schemathesis_provider
from contracts.config import Settings
from contracts.fidelity import fidelity_notes
from contracts.results import Outcome, RunResult, VendorResult
from contracts.target import HttpTarget, InProcessTarget, Limiter, RequestBudgetExceeded, Target
from contracts.vendors import Api, Request, VendorProfile, positive_data_statuses, registry

IN_PROCESS_URL = "http://localhost"
STATE_CHANGING = ["POST", "PUT", "PATCH", "DELETE"]
IDEMPOTENCY_HEADER = "idempotency-key"


@dataclass(frozen=True)
class Progress:
    """One step of the run, for a live view: a finished scenario or a phase boundary."""

    vendor: str
    phase: str
    label: str
    status: str
    cases: int


ProgressCallback = Callable[[Progress], None]


def specs_dir() -> Path:
    """The folder holding the vendor specs (source checkout first, then the installed package)."""
    try:
        from mockserver import specs_dir as mock_specs_dir  # type: ignore[attr-defined]

        return Path(mock_specs_dir())
    except (ImportError, AttributeError):
        pass
    checkout = Path(__file__).resolve().parents[1] / "specs"
    if checkout.is_dir():
        return checkout
    return Path(str(importlib.resources.files("mockserver") / "specs"))


def spec_path(profile: VendorProfile) -> Path:
    folder = specs_dir()
    exact = folder / profile.spec_file
    if exact.is_file():
        return exact
    matches = sorted(folder.glob(f"{profile.name}*.yaml"))
    if not matches:
        raise FileNotFoundError(f"no spec for {profile.name} in {folder}")
    return matches[0]


def identities(profile: VendorProfile, credentials: dict[str, str]) -> list[dict[str, str]]:
    """Credential values of the first and second identity: given ones, else the demo ones."""
    found = []
    for suffix, demo in (("", profile.demo), ("_2", profile.demo_second)):
        chosen = dict(demo)
        for option in profile.credentials:
            values = {name: credentials.get(name + suffix, "") for name in option.names}
            if all(values.values()):
                chosen = values
                break
        found.append(chosen)
    return found


def authenticator(profile: VendorProfile, target: Target, values: dict[str, str]) -> Authenticator:
    for option in profile.credentials:
        if set(option.names) <= set(values):
            return option.build(target, values)
    raise AuthError(f"no usable {profile.title} credentials")


def default_app() -> Any:
    """A fresh in-process mock with demo data, in `spec` fidelity: the suite tests the spec, so
    the vendors' reproduced defects stay off (imported late: only the default target needs it)."""
    from mockserver import MockConfig, create_app

    return create_app(MockConfig(fidelity="spec"))


def business_refusal_operations(profile: VendorProfile) -> list[dict[str, Any]]:
    """Per-operation Schemathesis settings: the vendor's business refusals of valid data.

    One `[[operations]]` entry per operationId, so the extra statuses apply to that operation
    only and `positive_data_acceptance` stays strict everywhere else.
    """
    return [
        {
            "include-operation-id": [operation_id],
            "checks": {
                "positive_data_acceptance": {"expected-statuses": positive_data_statuses(extra)}
            },
        }
        for operation_id, extra in sorted(profile.business_refusals.items())
    ]


def schemathesis_config(settings: Settings, profile: VendorProfile | None = None) -> Any:
    from schemathesis.config import SchemathesisConfig

    phases = {
        name: {"enabled": name in settings.phases}
        for name in ("examples", "coverage", "fuzzing", "stateful")
    }
    data: dict[str, Any] = {
        "generation": {
            "max-examples": settings.max_examples,
            "database": "none",
            "no-shrink": settings.no_shrink,
        },
        "phases": phases,
        "workers": settings.workers,
        "request-timeout": settings.request_timeout,
        "continue-on-failure": True,
        "checks": {name: {"enabled": False} for name in settings.exclude_checks},
        "operations": business_refusal_operations(profile) if profile else [],
    }
    if settings.seed is not None:
        data["seed"] = settings.seed
    return SchemathesisConfig.from_dict(data)


def load_schema(
    profile: VendorProfile, settings: Settings, target: Target, auth: Authenticator
) -> Any:
    import schemathesis

    import contracts.checks  # noqa: F401  (registers the response checks)

    _compat.install()
    schema = schemathesis.openapi.from_path(
        spec_path(profile), config=schemathesis_config(settings, profile)
    )
    if target.app is not None:
        schema.app = target.app
    schema.config.base_url = target.base_url
    schema.auth(refresh_interval=None)(schemathesis_provider(auth))
    if settings.read_only:
        schema = schema.exclude(method=STATE_CHANGING)
    if settings.include_path:
        # An exclude, not `include(path_regex=...)`: with per-operation config Schemathesis
        # already holds an include-everything filter, and includes are alternatives.
        wanted = re.compile(settings.include_path)
        schema = schema.exclude(func=lambda ctx: not wanted.search(ctx.operation.path))
    return schema


def run(
    settings: Settings,
    *,
    app: Any = None,
    progress: ProgressCallback | None = None,
) -> RunResult:
    """Test every selected vendor; `app` replaces the default in-process mock."""
    started = time.monotonic()
    result = _run(settings, app, progress)
    result.seconds = time.monotonic() - started
    return result


def _run(settings: Settings, app: Any, progress: ProgressCallback | None) -> RunResult:
    result = RunResult(seed=settings.seed)
    processes = vendor_processes(settings, app)
    if processes > 1:
        result.vendors.extend(_run_in_processes(settings, processes, progress))
        return result
    limiter = Limiter(settings.max_requests, settings.rate_limit)
    if settings.base_url is None and app is None:
        app = default_app()
    for name in settings.vendors:
        profile = registry()[name]
        if settings.base_url is None:
            target: Target = InProcessTarget(app, IN_PROCESS_URL, limiter)
        else:
            target = HttpTarget(settings.base_url.rstrip("/"), settings.request_timeout, limiter)
        result.vendors.append(run_vendor(profile, settings, target, progress))
        if limiter.exhausted:
            break
    return result


def vendor_processes(settings: Settings, app: Any = None) -> int:
    """How many vendors to test at once, each in a process of its own.

    Schemathesis' generation and the in-process mock are pure Python, so threads share one
    core; a process per vendor uses the others. Only for the default target (each process
    builds its own mock) or a base URL, and never with a request budget or rate limit, which
    are shared by the whole run.
    """
    if app is not None or settings.max_requests is not None or settings.rate_limit is not None:
        return 1
    wanted = settings.processes or os.cpu_count() or 1
    return max(1, min(wanted, len(settings.vendors)))


def _run_in_processes(
    settings: Settings, processes: int, progress: ProgressCallback | None
) -> list[VendorResult]:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    lock = threading.Lock()

    def report(step: Progress) -> None:
        if progress is not None:
            with lock:
                progress(step)

    with ThreadPoolExecutor(processes) as pool:
        futures = [
            pool.submit(_vendor_process, settings, name, report) for name in settings.vendors
        ]
        return [future.result() for future in futures]


def _vendor_process(settings: Settings, name: str, report: ProgressCallback) -> VendorResult:
    """Run one vendor in `python -m contracts.worker`, relaying its progress."""
    import pickle
    import subprocess
    import sys

    from contracts import worker

    child = subprocess.Popen(
        [sys.executable, "-m", "contracts.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    outcome = None
    try:
        pickle.dump((settings, name), child.stdin)
        child.stdin.close()
        while (message := worker.receive(child.stdout)) is not None:
            kind, value = message
            if kind == "progress":
                report(value)
            elif kind == "result":
                outcome = value
    finally:
        code = child.wait()
    if outcome is None:  # the child died: say so instead of losing the vendor
        return VendorResult(name, errors=[f"worker process exited with status {code}"])
    return outcome


def run_vendor(
    profile: VendorProfile, settings: Settings, target: Target, progress: ProgressCallback | None
) -> VendorResult:
    outcome = VendorResult(profile.name)
    started = time.monotonic()
    first, second = identities(profile, settings.credentials)
    auth = authenticator(profile, target, first)
    auth2 = authenticator(profile, target, second)
    try:
        auth.headers()
        auth2.headers()
    except (AuthError, RequestBudgetExceeded) as exc:
        outcome.errors.append(f"authentication failed: {exc}")
        return outcome
    outcome.notes.extend(fidelity_notes(target, profile.name))
    spec = _raw_spec(profile)
    created: list[Request] = []
    schema = None
    try:
        schema = load_schema(profile, settings, target, auth)
        _watch(schema, profile, target.limiter, created)
        # Scenarios first: their exact arithmetic needs balances the fuzzer has not yet
        # pushed to 1e308, where a double cannot show a 10.55 move.
        if settings.scenarios and not settings.read_only:
            first_api, second_api = Api(target, auth, spec), Api(target, auth2, spec)
            _run_scenarios(profile, first_api, second_api, outcome, created, progress)
        if settings.phases and not target.limiter.exhausted:
            _run_engine(schema, profile, outcome, progress)
    finally:
        _WATCHED.pop(id(schema.raw_schema), None) if schema is not None else None
        if settings.cleanup and not settings.read_only:
            _cleanup(Api(target, auth, spec), created, outcome)
        outcome.seconds = time.monotonic() - started
    if target.limiter.exhausted:
        outcome.notes.append(
            f"stopped early: request budget of {target.limiter.max_requests} spent"
        )
    return outcome


def _raw_spec(profile: VendorProfile) -> dict[str, Any]:
    import yaml

    with spec_path(profile).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass
class _Watch:
    """Per-run hook state: the request budget and the cleanup list of one schema."""

    profile: VendorProfile
    limiter: Limiter
    created: list[Request]


# Schemathesis allows `before_call`/`after_call` only as global hooks, so two hooks are
# registered once and dispatch by schema; schemas that are not ours are left alone.
_WATCHED: dict[int, _Watch] = {}
_hooks_registered = False


def _watch(schema: Any, profile: VendorProfile, limiter: Limiter, created: list[Request]) -> None:
    """Budget/rate every Schemathesis request and remember what it created, for cleanup."""
    global _hooks_registered
    if not _hooks_registered:
        import schemathesis

        schemathesis.hook(_before_call)
        schemathesis.hook(_after_call)
        _hooks_registered = True
    _WATCHED[id(schema.raw_schema)] = _Watch(profile, limiter, created)


def _before_call(context: Any, case: Any, kwargs: Any = None) -> None:
    watch = _WATCHED.get(id(case.operation.schema.raw_schema))
    if watch is not None:
        watch.limiter.take()
        fresh_idempotency_key(case)


def fresh_idempotency_key(case: Any) -> None:
    """Give a generated write a key no other request used.

    Schemathesis draws `Idempotency-Key` values from a small space (the spec's example, "0",
    "d"), so unrelated requests share keys and the server answers 409 "key reused with a
    different request" instead of what the request itself deserves; 409 is acceptable to
    both data checks, so it hid their real answers (about one write in six). A value the
    generator meant as invalid (empty, too long) is kept, so its rejection is still tested.
    Replays with one key are the `idempotency` scenario's job.
    """
    headers = case.headers
    if not headers or case.method.upper() not in STATE_CHANGING:
        return
    meta = getattr(case, "meta", None)
    components = getattr(meta, "components", None) or {}
    header_info = next((info for loc, info in components.items() if loc.name == "HEADER"), None)
    if header_info is not None and header_info.mode.is_negative:
        return
    for name, value in list(headers.items()):
        if name.lower() == IDEMPOTENCY_HEADER and isinstance(value, str) and 0 < len(value) <= 255:
            headers[name] = f"contracts-{uuid.uuid4()}"


def _after_call(context: Any, case: Any, response: Any) -> None:
    watch = _WATCHED.get(id(case.operation.schema.raw_schema))
    if watch is None or case.method.upper() != "POST" or not 200 <= response.status_code < 300:
        return
    try:
        body = response.json()
    except Exception:
        return
    request = watch.profile.ledger.created_by(case.operation.path, body)
    if request is not None:
        watch.created.append(request)


_before_call.__name__ = "before_call"
_after_call.__name__ = "after_call"


def _run_engine(
    schema: Any, profile: VendorProfile, outcome: VendorResult, progress: ProgressCallback | None
) -> None:
    from schemathesis.engine import events, from_schema

    stream = from_schema(schema).execute()
    for event in stream:
        if isinstance(event, events.ScenarioFinished):
            cases = _collect(event.recorder, profile.name, outcome)
            outcome.cases += cases
            if progress:
                progress(
                    Progress(
                        profile.name,
                        event.phase.value,
                        event.recorder.label,
                        event.status.value,
                        cases,
                    )
                )
        elif isinstance(event, events.NonFatalError):
            if _is_budget(event.value):
                stream.stop()
                continue
            outcome.errors.append(
                f"{event.label}: {event.info.title}: {_first_line(event.info.message)}"
            )
        elif isinstance(event, events.FatalError):
            outcome.errors.append(f"fatal: {event.exception}")
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:
                outcome.add(
                    Outcome(
                        profile.name,
                        failure.operation or "(run)",
                        "after_run",
                        False,
                        _reason(failure),
                    )
                )
        elif isinstance(event, events.PhaseStarted) and progress:
            progress(Progress(profile.name, event.phase.name.value, "", "started", 0))


def _is_budget(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, RequestBudgetExceeded):
            return True
        error = error.__cause__ or error.__context__
    return False


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return " ".join(lines[:2])[:300]


def _reason(failure: Any) -> str:
    message = _first_line(failure.message)
    return f"{failure.title}: {message}" if message else failure.title


def _collect(recorder: Any, vendor: str, outcome: VendorResult) -> int:
    """Turn one scenario's check results into outcomes; returns how many test cases it ran."""
    for case_id, nodes in recorder.checks.items():
        node = recorder.cases.get(case_id)
        operation = node.value.operation.label if node is not None else recorder.label
        for check in nodes:
            if check.status.value == "success":
                outcome.add(Outcome(vendor, operation, check.name, True))
            elif check.failure_info is not None:
                info = check.failure_info
                outcome.add(
                    Outcome(
                        vendor,
                        operation,
                        check.name,
                        False,
                        _reason(info.failure),
                        info.code_sample,
                    )
                )
    # Counted as Schemathesis counts them (`total_cases` in its own statistics).
    return len(recorder.cases)


def _run_scenarios(
    profile: VendorProfile,
    api: Api,
    second: Api,
    outcome: VendorResult,
    created: list[Request],
    progress: ProgressCallback | None,
) -> None:
    from contracts.checks import SCENARIOS
    from contracts.checks.scenario import ScenarioContext

    for scenario in SCENARIOS:
        sc = ScenarioContext(profile, api, second)
        try:
            scenario(sc)
        except RequestBudgetExceeded:
            return
        except Exception as exc:  # the implementation broke the sequence itself
            sc.failed(scenario.__name__, "(scenario)", f"could not run: {exc}", None)
        for handle in sc.created:
            request = profile.ledger.cleanup(handle)
            if request is not None:
                created.append(request)
        for item in sc.outcomes:
            outcome.add(item)
        if progress:
            failed = sum(1 for item in sc.outcomes if not item.ok)
            progress(
                Progress(
                    profile.name,
                    "scenarios",
                    scenario.__name__,
                    "failure" if failed else "success",
                    len(sc.outcomes),
                )
            )


def _cleanup(api: Api, created: list[Request], outcome: VendorResult) -> None:
    left = 0
    for request in dict.fromkeys(created):
        try:
            answer = api.send(request)
        except RequestBudgetExceeded:
            left += 1
            continue
        if answer.status >= 300 and answer.status != 404:
            left += 1
    if created:
        outcome.notes.append(
            f"cleanup: removed {len(set(created)) - left} of {len(set(created))} created objects"
        )
