"""Wire one `contracts diff` run: two targets, the mirror between them, the suite's run through
the mirror, and every difference classified against the intended ones."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from contracts.config import Settings
from contracts.diff.compare import Comparator, Difference
from contracts.diff.forward import AppForwarder, Forwarder, HttpForwarder
from contracts.diff.known import Intended, classify, load_known, strip_headers
from contracts.diff.mirror import IdMap, Mirror, MirroredExchange
from contracts.target import HttpTarget, InProcessTarget, Limiter, Target
from contracts.vendors import VendorProfile, registry

KNOWN_DIR = Path(__file__).resolve().parents[1] / "known"
MIRROR_URL = "http://localhost"


@dataclass
class DiffSettings:
    """One diff run. `other` is "mock" (a fresh in-process mock, vendor fidelity) or a URL."""

    vendor: str
    base_url: str
    other: str = "mock"
    seed: int = 1
    max_examples: int = 25
    phases: tuple[str, ...] = ("examples", "coverage", "fuzzing", "stateful")
    scenarios: bool = True
    max_requests: int | None = None
    known: Path | None = None
    credentials: dict[str, str] = field(default_factory=dict)
    other_credentials: dict[str, str] = field(default_factory=dict)
    request_timeout: float = 30.0


@dataclass
class Group:
    """Identical differences (same operation, kind and values), counted, with one example."""

    difference: Difference
    count: int = 0
    intended: Intended | None = None


@dataclass
class DiffResult:
    vendor: str
    base: str
    other: str
    seed: int
    known_file: str | None = None
    requests: int = 0
    groups: dict[tuple[str, str, str, str], Group] = field(default_factory=dict)
    unused: list[Intended] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def unintended(self) -> list[Group]:
        return [g for g in self.groups.values() if g.intended is None]

    @property
    def intended(self) -> list[Group]:
        return [g for g in self.groups.values() if g.intended is not None]

    @property
    def ok(self) -> bool:
        return not self.unintended and not self.errors


def default_known(vendor: str) -> Path | None:
    """The bundled file of intended differences for `vendor`, if there is one."""
    found = sorted(KNOWN_DIR.glob(f"{vendor}-*-diff.yaml"))
    return found[-1] if found else None


def operation_namer(spec: dict[str, Any]) -> Callable[[str, str], str]:
    """`METHOD /template` for a request path, from the spec's paths; unrouted paths as such."""
    templates = [
        (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"), path)
        for path in spec.get("paths", {})
    ]
    templates.sort(key=lambda item: item[1].count("{"))  # literal segments win

    def name(method: str, path: str) -> str:
        plain = unquote(path)
        for pattern, template in templates:
            if pattern.match(plain):
                return f"{method} {template}"
        return f"{method} (no such route)"

    return name


def _credentials(profile: VendorProfile, given: dict[str, str]) -> dict[str, str]:
    """The given credentials, else the profile's demo ones; the second identity is the first
    unless given: one vendor deployment is one store, and both targets must agree on it."""
    names = {n for option in profile.credentials for n in option.names}
    chosen = {k: v for k, v in given.items() if k in names} or dict(profile.demo)
    for name in list(chosen):
        chosen.setdefault(f"{name}_2", chosen[name])
    for name in names:
        if f"{name}_2" in given:
            chosen[f"{name}_2"] = given[f"{name}_2"]
    return chosen


def _auth_headers(profile: VendorProfile, target: Target, values: dict[str, str]) -> list[dict]:
    from contracts.runner import authenticator, identities

    return [authenticator(profile, target, v).headers() for v in identities(profile, values)]


def default_fixtures(vendor: str) -> Path | None:
    """Bundled starting data for the in-process mock that matches a fresh vendor deployment."""
    found = sorted(p for p in KNOWN_DIR.glob(f"{vendor}-*-diff-fixtures") if p.is_dir())
    return found[-1] if found else None


def _other_side(settings: DiffSettings) -> tuple[Forwarder, Target]:
    if settings.other != "mock":
        url = settings.other.rstrip("/")
        return HttpForwarder(url, settings.request_timeout), HttpTarget(url)
    from mockserver import MockConfig, create_app

    fixtures = default_fixtures(settings.vendor)
    config = MockConfig(fidelity="vendor", fixtures_dir=str(fixtures) if fixtures else None)
    app = create_app(config)
    return AppForwarder(app), InProcessTarget(app)


def run_diff(settings: DiffSettings, progress: Callable[[Any], None] | None = None) -> DiffResult:
    from contracts.runner import run_vendor
    from contracts.schema import raw_spec

    started = time.monotonic()
    profile = registry()[settings.vendor]
    known_path = settings.known or default_known(profile.name)
    known = load_known(known_path) if known_path else []
    stripped = strip_headers(known_path) if known_path else ()
    base = HttpForwarder(settings.base_url.rstrip("/"), settings.request_timeout)
    other, other_target = _other_side(settings)
    result = DiffResult(profile.name, base.name, other.name, settings.seed, str(known_path or ""))

    base_creds = _credentials(profile, settings.credentials)
    other_creds = _credentials(profile, settings.other_credentials)
    ids = IdMap()
    try:
        base_headers = _auth_headers(profile, HttpTarget(base.name), base_creds)
        other_headers = _auth_headers(profile, other_target, other_creds)
    except Exception as exc:  # noqa: BLE001 - any failure to log in ends the run, said plainly
        result.errors.append(f"authentication failed: {exc}")
        return result
    for mine, theirs in zip(base_headers, other_headers, strict=True):
        for header, value in mine.items():
            ids.add(value, theirs.get(header, value))

    comparator = Comparator(operation_namer(raw_spec(profile)), profile.ledger.money, ids)

    def record(exchange: MirroredExchange) -> None:
        result.requests += 1
        for difference in comparator.compare(exchange):
            group = result.groups.get(difference.signature)
            if group is None:
                group = result.groups[difference.signature] = Group(
                    difference, intended=classify(difference, known)
                )
            group.count += 1

    mirror = Mirror(base, other, ids, record, compared=profile.owns, stripped=stripped)
    run_settings = Settings(
        vendors=(profile.name,),
        max_examples=settings.max_examples,
        seed=settings.seed,
        phases=settings.phases,
        scenarios=settings.scenarios,
        cleanup=False,
        progress=False,
        no_shrink=True,
        request_timeout=settings.request_timeout,
        credentials=base_creds,
    )
    target = InProcessTarget(mirror, MIRROR_URL, Limiter(settings.max_requests))
    vendor_result = run_vendor(profile, run_settings, target, progress=progress)
    result.errors += [e for e in vendor_result.errors if "budget" not in e]
    used = {g.intended.id for g in result.intended if g.intended is not None}
    result.unused = [entry for entry in known if entry.id not in used]
    result.seconds = time.monotonic() - started
    return result
