"""The vendor's spec as Schemathesis should see it for one target.

Loads the spec, drops what is marked `x-mock-only: true` when the target is a vendor (our
`Idempotency-Key` header: a vendor neither honours nor validates it, so fuzzing it there only
finds our own invention), builds the Schemathesis configuration of the run and applies the
run's filters (read-only, path, checks).
"""

from __future__ import annotations

import copy
import importlib.resources
import re
from pathlib import Path
from typing import Any

from contracts import _compat, text
from contracts.auth import Authenticator, schemathesis_provider
from contracts.config import Settings
from contracts.hooks import STATE_CHANGING
from contracts.target import Kind, Target
from contracts.vendors import VendorProfile, positive_data_statuses

MOCK_ONLY = "x-mock-only"
# Checks that send requests the run did not generate: `unsupported_method` sends DELETE, PUT,
# PATCH and POST to the operation's path, with a real object's id; on a vendor those routes
# may exist, so a read-only run must not send them.
WRITE_PROBING_CHECKS = ("unsupported_method",)


def specs_dir() -> Path:
    """The folder holding the vendor specs (source checkout first, then the installed package)."""
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


def raw_spec(profile: VendorProfile, kind: Kind = Kind.MOCK) -> dict[str, Any]:
    """The spec as a dict; without its mock-only parts when the target is a vendor. Read
    with libyaml, as the mock reads it: pure-Python PyYAML took ~0.5 s a spec, twice a run."""
    from mockserver.fixtures import read_yaml

    spec = read_yaml(spec_path(profile))
    return without_mock_only(spec) if kind is Kind.VENDOR else spec


def vendor_version(spec: dict[str, Any]) -> str:
    """What the spec describes, for the reports: its `info.x-vendor-version` (a text, or a
    mapping such as `{medusa: 2.21.1, loyalty-plugin: 2.21.1}`), else `info.version`."""
    info = spec.get("info") or {}
    version = info.get("x-vendor-version", info.get("version", ""))
    if isinstance(version, dict):
        return ", ".join(f"{name} {value}" for name, value in version.items())
    return str(version)


def without_mock_only(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of `spec` without operations, parameters, responses and properties marked
    `x-mock-only: true` (a parameter also when its `$ref` target is marked)."""
    spec = copy.deepcopy(spec)

    def marked(node: Any) -> bool:
        if isinstance(node, dict) and "$ref" in node:
            node = _resolve(spec, node["$ref"])
        return isinstance(node, dict) and node.get(MOCK_ONLY) is True

    def prune(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                prune(item)
            return
        if not isinstance(node, dict):
            return
        if isinstance(node.get("parameters"), list):
            node["parameters"] = [p for p in node["parameters"] if not marked(p)]
        for key in ("properties", "responses"):
            if isinstance(node.get(key), dict):
                for name in [n for n, v in node[key].items() if marked(v)]:
                    del node[key][name]
                    if key == "properties" and name in node.get("required", []):
                        node["required"].remove(name)
        for value in node.values():
            prune(value)

    for path_item in spec.get("paths", {}).values():
        for method in [m for m, op in path_item.items() if marked(op)]:
            del path_item[method]
    prune(spec.get("paths", {}))
    return spec


def _resolve(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def takes_header(spec: dict[str, Any], name: str) -> bool:
    """Whether any operation of `spec` declares the header `name` (after pruning)."""
    for path_item in spec.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if isinstance(parameter, dict) and "$ref" in parameter:
                    parameter = _resolve(spec, parameter["$ref"])
                if (
                    isinstance(parameter, dict)
                    and parameter.get("in") == "header"
                    and str(parameter.get("name", "")).lower() == name.lower()
                ):
                    return True
    return False


def business_refusal_operations(
    profile: VendorProfile, enabled: bool = True
) -> list[dict[str, Any]]:
    """Per-operation Schemathesis settings: the vendor's business refusals of valid data.

    One `[[operations]]` entry per operationId, so the extra statuses apply to that operation
    only and `positive_data_acceptance` stays strict everywhere else. `enabled` repeats the
    run's choice: an operation's entry would otherwise switch an excluded check back on.
    """
    return [
        {
            "include-operation-id": [operation_id],
            "checks": {
                "positive_data_acceptance": {
                    "enabled": enabled,
                    "expected-statuses": positive_data_statuses(extra),
                }
            },
        }
        for operation_id, extra in sorted(profile.business_refusals.items())
    ]


def check_enabled(settings: Settings, name: str) -> bool:
    """Whether the run wants check `name` (Schemathesis' and the scenarios' alike):
    `--include-check` narrows, `--exclude-check` removes, read-only drops the write probes."""
    if settings.include_checks and name not in settings.include_checks:
        return False
    if settings.read_only and name in WRITE_PROBING_CHECKS:
        return False
    return name not in settings.exclude_checks


def schemathesis_config(
    settings: Settings,
    profile: VendorProfile | None = None,
    kind: Kind = Kind.MOCK,
    parameters: dict[str, str] | None = None,
) -> Any:
    from schemathesis.config import SchemathesisConfig

    phases = {
        name: {"enabled": name in settings.phases}
        for name in ("examples", "coverage", "fuzzing", "stateful")
    }
    named = set(settings.exclude_checks) | set(settings.include_checks) | set(WRITE_PROBING_CHECKS)
    checks: dict[str, Any] = {name: {"enabled": check_enabled(settings, name)} for name in named}
    if settings.include_checks:
        checks["enabled"] = False
    refusals_checked = check_enabled(settings, "positive_data_acceptance")
    data: dict[str, Any] = {
        "generation": {
            "max-examples": settings.max_examples,
            "database": "none",
            "no-shrink": settings.no_shrink,
            # A vendor's ledger keeps what it is sent; NUL bytes are the worst of it.
            "allow-x00": kind is Kind.MOCK or settings.hostile_values,
        },
        "phases": phases,
        "workers": settings.workers,
        "request-timeout": settings.request_timeout,
        "continue-on-failure": True,
        # Replay lines need the real request; `contracts.replay` hides the secrets instead.
        "output": {"sanitization": {"enabled": False}},
        "checks": checks,
        "operations": business_refusal_operations(profile, refusals_checked) if profile else [],
        "parameters": parameters or {},
    }
    if settings.seed is not None:
        data["seed"] = settings.seed
    return SchemathesisConfig.from_dict(data)


def load_schema(
    profile: VendorProfile,
    settings: Settings,
    target: Target,
    auth: Authenticator,
    kind: Kind = Kind.MOCK,
    parameters: dict[str, str] | None = None,
) -> Any:
    """The Schemathesis schema of one vendor for this target; `parameters` fixes parameter
    values (`{"path.id": ...}`: an object that exists on a vendor, where the spec's example
    ids do not)."""
    import schemathesis

    import contracts.checks  # noqa: F401  (registers the response checks)

    _compat.install()
    text.install()
    schema = schemathesis.openapi.from_dict(
        text.annotate(raw_spec(profile, kind), profile.free_text),
        config=schemathesis_config(settings, profile, kind, parameters),
    )
    if target.app is not None:
        schema.app = target.app
    schema.config.base_url = target.base_url
    schema.auth(refresh_interval=None)(schemathesis_provider(auth))
    if settings.read_only:
        schema = schema.exclude(method=list(STATE_CHANGING))
    if settings.include_path:
        # An exclude, not `include(path_regex=...)`: with per-operation config Schemathesis
        # already holds an include-everything filter, and includes are alternatives.
        wanted = re.compile(settings.include_path)
        schema = schema.exclude(func=lambda ctx: not wanted.search(ctx.operation.path))
    return schema
