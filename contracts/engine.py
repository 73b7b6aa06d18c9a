"""Schemathesis' engine for one vendor: its events in, `Outcome`s and warnings out.

Nothing here prints. Each failed check becomes one outcome with the failing answer's status
and first bytes, a cause (what tells it apart from other failures of the same check on the
same operation) and the request as a replay line; Schemathesis' own warnings ("most generated
data was rejected", "every request got 401") are collected with its `WarningCollector`, as
its CLI does, instead of being lost.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from contracts.budget import is_budget
from contracts.results import Outcome, VendorResult

ANSWER_BYTES = 200
# Checks whose cause is the generated data: their failures are told apart by the parameter
# the coverage phase varied (a 500 on `order` and a 500 on `updated_at` are two failures).
DATA_CHECKS = ("not_a_server_error", "negative_data_rejection", "positive_data_acceptance")
WARNING_TEXT = {
    "missing_auth": "answered 401/403 to authenticated requests: are the credentials right?",
    "missing_test_data": "every valid request was refused as not found: no test data there",
    "validation_mismatch": "valid requests refused with 4xx: spec and server disagree",
    "low_valid_rate": "mostly rejected generated data: few valid requests were accepted",
    "rate_limited": "mostly answered 429: lower --rate-limit",
    "base_url_mismatch": "every request answered 404: is --base-url right?",
}


@dataclass(frozen=True)
class Progress:
    """One step of the run, for a live view: a finished scenario or a phase boundary."""

    vendor: str
    phase: str
    label: str
    status: str
    cases: int


ProgressCallback = Callable[[Progress], None]
Sink = Callable[[Outcome], None]


class _Operations:
    """What Schemathesis' `WarningCollector` needs of its CLI context: operations by label."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema

    def find_operation(self, label: str) -> Any:
        return self.schema.find_operation_by_label(label)


def run_engine(
    schema: Any,
    vendor: str,
    result: VendorResult,
    sink: Sink,
    progress: ProgressCallback | None,
) -> None:
    from schemathesis.cli.commands.run.warnings import WarningCollector
    from schemathesis.engine import events, from_schema

    collector = WarningCollector(config=schema.config)
    operations = _Operations(schema)
    stream = from_schema(schema).execute()
    for event in stream:
        if isinstance(event, events.ScenarioFinished):
            per_operation = _collect(event.recorder, vendor, sink)
            cases = sum(per_operation.values())
            result.cases += cases
            result.operation_cases.update(per_operation)
            collector.on_scenario_finished(operations, event)  # type: ignore[arg-type]
            if progress:
                label = event.recorder.label
                progress(Progress(vendor, event.phase.value, label, event.status.value, cases))
        elif isinstance(event, events.NonFatalError):
            if is_budget(event.value):
                result.budget_exhausted = True
                stream.stop()
                continue
            result.errors.append(
                f"{event.label}: {event.info.title}: {first_line(event.info.message)}"
            )
        elif isinstance(event, events.FatalError):
            if is_budget(event.exception):
                result.budget_exhausted = True
            else:
                result.errors.append(f"fatal: {event.exception}")
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:
                sink(
                    Outcome(
                        vendor, failure.operation or "(run)", "after_run", False, _reason(failure)
                    )
                )
        elif isinstance(event, events.PhaseStarted) and progress:
            progress(Progress(vendor, event.phase.name.value, "", "started", 0))
    for kind, labels in collector.data.as_labels().items():
        if labels and kind in WARNING_TEXT:
            result.warnings.append(f"{', '.join(labels)}: {WARNING_TEXT[kind]}")
        elif labels:
            result.warnings.append(f"{', '.join(labels)}: Schemathesis warning {kind}")


def first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return " ".join(lines[:2])[:300]


def _reason(failure: Any) -> str:
    message = first_line(failure.message)
    return f"{failure.title}: {message}" if message else failure.title


def _collect(recorder: Any, vendor: str, sink: Sink) -> Counter[str]:
    """Turn one scenario's check results into outcomes; returns how many test cases it ran
    per operation."""
    for case_id, nodes in recorder.checks.items():
        node = recorder.cases.get(case_id)
        operation = node.value.operation.label if node is not None else recorder.label
        interaction = recorder.interactions.get(case_id)
        response = getattr(interaction, "response", None)
        seconds = getattr(response, "elapsed", 0.0) or 0.0
        for check in nodes:
            if check.status.value == "success":
                sink(Outcome(vendor, operation, check.name, True, seconds=seconds))
            elif check.failure_info is not None:
                failed = _failed(vendor, operation, check, node, interaction)
                sink(dataclasses.replace(failed, seconds=seconds))
    # Counted as Schemathesis counts them (`total_cases` in its own statistics).
    return Counter(node.value.operation.label for node in recorder.cases.values())


def _failed(vendor: str, operation: str, check: Any, node: Any, interaction: Any) -> Outcome:
    info = check.failure_info
    failure = info.failure
    response = getattr(interaction, "response", None)
    status = getattr(failure, "status_code", None)
    answer = ""
    if response is not None and (status is None or status == response.status_code):
        status = response.status_code
        answer = response.content[:ANSWER_BYTES].decode("utf-8", "replace")
    cause = _reason(failure)
    if check.name in DATA_CHECKS:
        cause = f"{failure.title} ({status}) {_varied(node)}".strip()
    curl = info.code_sample.strip()
    return Outcome(
        vendor,
        operation,
        check.name,
        False,
        message=_reason(failure),
        curl=curl,
        status=status,
        answer=answer,
        request=unquote(curl),
        cause=cause,
        code=getattr(failure, "code", ""),
    )


def _varied(node: Any) -> str:
    """Which input the coverage phase varied in this case ("query order"), if it says."""
    meta = getattr(getattr(node, "value", None), "meta", None)
    data = getattr(getattr(meta, "phase", None), "data", None)
    parameter = getattr(data, "parameter", None)
    location = getattr(data, "parameter_location", None)
    if not parameter:
        return ""
    where = getattr(location, "value", location) or ""
    return f"[{where} {parameter}]".replace("[ ", "[")
