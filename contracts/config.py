"""Run settings: flags > environment variables > `[tool.contracts]` in pyproject.toml > defaults.

Every setting has one name, spelt `max-examples` in pyproject.toml, `CONTRACTS_MAX_EXAMPLES`
in the environment and `--max-examples` on the command line. Credentials are separate: they
come only from flags (`--cred NAME=VALUE`) or the vendor's own environment variables
(`APPSTLE_API_KEY`, ..., with `_2` for the second identity), never from a committed file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

VENDORS = ("appstle", "medusa", "spree")
TARGETS = ("auto", "mock", "vendor")
PHASES = ("examples", "coverage", "fuzzing", "stateful")
ENV_PREFIX = "CONTRACTS_"


class ConfigError(ValueError):
    """A setting has a value the suite cannot use; the message says which and why."""


@dataclass
class Settings:
    """Everything one `contracts run` needs (credentials excepted)."""

    vendors: tuple[str, ...] = VENDORS
    base_url: str | None = None
    target: str = "auto"  # mock, vendor, or auto: probe the mock's /__admin/health
    known: tuple[str, ...] = ()  # known-deviation YAML files (`contracts/known/`)
    max_examples: int = 25
    seed: int | None = None
    workers: int = 1
    processes: int | None = None  # vendors tested at once; None: all of them
    reports: tuple[str, ...] = ()
    max_requests: int | None = None
    rate_limit: float | None = None
    read_only: bool = False
    cleanup: bool = True
    scenarios: bool = True
    phases: tuple[str, ...] = PHASES
    exclude_checks: tuple[str, ...] = ()
    include_checks: tuple[str, ...] = ()
    hostile_values: bool = False  # against a vendor: also send 1e308, NUL, lone surrogates
    distinct_tenants: bool = False  # the `_2` credentials belong to another tenant (vendor)
    include_path: str | None = None
    request_timeout: float = 10.0
    no_shrink: bool = False
    progress: bool = True
    credentials: dict[str, str] = field(default_factory=dict)

    def with_overrides(self, values: Mapping[str, Any]) -> Settings:
        """A copy with `values` (already parsed, keys as field names) applied; None = unset."""
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, value in values.items():
            if value is None:
                continue
            if name not in current:
                raise ConfigError(f"unknown setting {name!r}")
            current[name] = value
        settings = Settings(**current)
        settings.validate()
        return settings

    def validate(self) -> None:
        unknown = sorted(set(self.vendors) - set(VENDORS))
        if unknown:
            raise ConfigError(
                f"unknown vendor {', '.join(unknown)}; choose from {', '.join(VENDORS)} or all"
            )
        if self.target not in TARGETS:
            raise ConfigError(f"unknown target {self.target}; choose from {', '.join(TARGETS)}")
        bad_phases = sorted(set(self.phases) - set(PHASES))
        if bad_phases:
            raise ConfigError(
                f"unknown phase {', '.join(bad_phases)}; choose from {', '.join(PHASES)}"
            )
        for report in self.reports:
            kind, _, path = report.partition(":")
            if kind not in ("junit", "html") or not path:
                raise ConfigError(f"report {report!r} must be junit:PATH or html:PATH")
        if self.max_examples < 1 or self.workers < 1:
            raise ConfigError("max-examples and workers must be at least 1")
        if self.processes is not None and self.processes < 1:
            raise ConfigError("processes must be at least 1")
        if self.max_requests is not None and self.max_requests < 1:
            raise ConfigError("max-requests must be at least 1")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ConfigError("rate-limit must be a positive number of requests per second")


def parse(name: str, raw: Any) -> Any:
    """Convert a raw value (string from env/flags, or TOML value) to the field's type."""
    if name == "vendors":
        items = _items(raw)
        return VENDORS if items in (["all"], []) else tuple(items)
    if name in ("reports", "phases", "exclude_checks", "include_checks", "known"):
        return tuple(_items(raw))
    if name in ("max_examples", "workers", "max_requests", "seed", "processes"):
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{name.replace('_', '-')} must be an integer, got {raw!r}") from None
    if name in ("rate_limit", "request_timeout"):
        text = str(raw).removesuffix("/s")
        try:
            return float(text)
        except ValueError:
            raise ConfigError(f"{name.replace('_', '-')} must be a number, got {raw!r}") from None
    if name in (
        "read_only",
        "cleanup",
        "scenarios",
        "no_shrink",
        "progress",
        "hostile_values",
        "distinct_tenants",
    ):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{name.replace('_', '-')} must be true or false, got {raw!r}")
    return raw


def _items(raw: Any) -> list[str]:
    if isinstance(raw, (list, tuple)):
        return [str(item) for item in raw]
    return [part.strip() for part in str(raw).split(",") if part.strip()]


def _field_names() -> list[str]:
    return [f.name for f in fields(Settings) if f.name != "credentials"]


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest pyproject.toml from `start` (cwd) upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def from_pyproject(path: Path | None) -> dict[str, Any]:
    if path is None or not path.is_file():
        return {}
    with path.open("rb") as handle:
        table = tomllib.load(handle).get("tool", {}).get("contracts", {})
    values = {}
    known = _field_names()
    for key, raw in table.items():
        name = key.replace("-", "_")
        if name == "vendor":
            name = "vendors"
        if name == "report":
            name = "reports"
        if name not in known:
            raise ConfigError(f"{path}: unknown key {key!r} in [tool.contracts]")
        values[name] = parse(name, raw)
    return values


def from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    values = {}
    for name in _field_names():
        aliases = {"vendors": "VENDOR", "reports": "REPORT"}
        key = ENV_PREFIX + aliases.get(name, name.upper())
        if key in environ:
            values[name] = parse(name, environ[key])
    return values


def load(
    flags: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    pyproject: Path | None = None,
) -> Settings:
    """Merge the four layers; `flags` holds only what the user passed (None = not given)."""
    environ = os.environ if environ is None else environ
    settings = Settings()
    settings = settings.with_overrides(from_pyproject(pyproject if pyproject else find_pyproject()))
    settings = settings.with_overrides(from_env(environ))
    parsed = {
        k: parse(k, v) for k, v in (flags or {}).items() if v is not None and k != "credentials"
    }
    settings = settings.with_overrides(parsed)
    creds = {k: v for k, v in environ.items() if _is_credential_name(k)}
    creds.update((flags or {}).get("credentials") or {})
    settings.credentials = creds
    return settings


def _is_credential_name(name: str) -> bool:
    return name.split("_", 1)[0] in ("APPSTLE", "MEDUSA", "SPREE")
