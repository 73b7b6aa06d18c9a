"""`contracts diff`: the arguments and the command (registered by `contracts.cli`).

Exit status 0 only when every difference is listed as intended; 1 otherwise; 2 on bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from contracts.config import PHASES


def add_parser(commands: Any) -> None:
    diff = commands.add_parser(
        "diff",
        help="send the same generated requests to two targets and report every difference",
        description="Send the same generated request sequences (Schemathesis cases and the "
        "suite's scenarios, one seed) to a base target (the real vendor) and another (the "
        "mock), and report every difference not listed as intended.",
    )
    diff.add_argument("--vendor", required=True, help="appstle, medusa or spree")
    diff.add_argument("--base-url", required=True, help="the base target, e.g. the real vendor")
    diff.add_argument(
        "--against",
        default="mock",
        help="`mock` (a fresh in-process mock, vendor fidelity; default) or a base URL",
    )
    diff.add_argument("--seed", type=int, default=1, help="data generation seed (default 1)")
    diff.add_argument("--max-examples", type=int, default=25, help="cases per operation/phase")
    diff.add_argument("--phases", help=f"comma list of {','.join(PHASES)} (default: all)")
    diff.add_argument("--no-scenarios", action="store_true", help="only Schemathesis' cases")
    diff.add_argument("--max-requests", type=int, help="stop after this many mirrored requests")
    diff.add_argument(
        "--known", type=Path, help="YAML of intended differences (default: the bundled one)"
    )
    diff.add_argument(
        "--report", dest="reports", action="append", default=[], help="json:PATH or junit:PATH"
    )
    diff.add_argument(
        "--cred",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="base target credential (default: the vendor's environment variables)",
    )
    diff.add_argument(
        "--against-cred",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="credential for the other target (default: the mock's demo credentials)",
    )
    diff.add_argument("--quiet", action="store_true", help="no progress lines")


def _pairs(items: list[str], flag: str) -> dict[str, str]:
    found = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"contracts diff: {flag} {item!r} must be NAME=VALUE")
        found[name] = value
    return found


def _environment_credentials(vendor: str) -> dict[str, str]:
    from contracts.vendors import registry

    profile = registry()[vendor]
    names = {n for option in profile.credentials for n in option.names}
    return {
        name + suffix: os.environ[name + suffix]
        for name in names
        for suffix in ("", "_2")
        if os.environ.get(name + suffix)
    }


def main(args: argparse.Namespace) -> int:
    from contracts.diff.known import KnownFileError
    from contracts.diff.report import summary, write_reports
    from contracts.diff.run import DiffSettings, run_diff
    from contracts.vendors import registry

    if args.vendor not in registry():
        raise SystemExit(f"contracts diff: unknown vendor {args.vendor!r}")
    settings = DiffSettings(
        vendor=args.vendor,
        base_url=args.base_url,
        other=args.against,
        seed=args.seed,
        max_examples=args.max_examples,
        phases=tuple(p.strip() for p in args.phases.split(",")) if args.phases else PHASES,
        scenarios=not args.no_scenarios,
        max_requests=args.max_requests,
        known=args.known,
        credentials=_environment_credentials(args.vendor) | _pairs(args.cred, "--cred"),
        other_credentials=_pairs(args.against_cred, "--against-cred"),
    )

    def progress(step: Any) -> None:
        print(f"{step.vendor}: {step.phase} {step.label} {step.status}", file=sys.stderr)

    try:
        result = run_diff(settings, None if args.quiet else progress)
    except (KnownFileError, OSError) as exc:
        print(f"contracts diff: {exc}", file=sys.stderr)
        return 2
    summary(result, sys.stdout)
    for path in write_reports(result, tuple(args.reports)):
        print(f"report written: {path}")
    return 0 if result.ok else 1
