"""`contracts diff`: the arguments and the command (registered by `contracts.cli`).

Exit status 0 only when every difference is listed as intended; 1 otherwise; 2 on bad usage.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from contracts.config import PHASES, VENDORS
from mockserver.commandline import CommaSeparated, NameList, command_settings, option


@click.command("diff", context_settings=command_settings("CONTRACTS_DIFF"))
@option("--vendor", type=click.Choice(VENDORS), required=True, help="whose API both serve")
@option("--base-url", required=True, help="the base target, e.g. the real vendor")
@option(
    "--against",
    default="mock",
    show_default=True,
    help="`mock` (a fresh in-process mock, vendor fidelity) or a base URL",
)
@option("--seed", type=int, default=1, show_default=True, help="data generation seed")
@option(
    "--max-examples",
    type=click.IntRange(min=1),
    default=25,
    show_default=True,
    help="cases per operation/phase",
)
@option("--phases", type=NameList(PHASES), metavar="PHASE[,PHASE]", help="default: all")
@option("--no-scenarios", is_flag=True, help="only Schemathesis' cases")
@option("--max-requests", type=click.IntRange(min=1), help="stop after this many requests")
@option("--known", type=click.Path(path_type=Path), help="YAML of intended differences")
@option(
    "--report",
    "reports",
    type=CommaSeparated(),
    multiple=True,
    metavar="KIND:PATH",
    help="json:PATH or junit:PATH",
)
@option(
    "--cred",
    multiple=True,
    type=CommaSeparated(),
    metavar="NAME=VALUE",
    help="base target credential (default: the vendor's environment variables)",
)
@option(
    "--against-cred",
    multiple=True,
    type=CommaSeparated(),
    metavar="NAME=VALUE",
    help="credential for the other target (default: the mock's demo credentials)",
)
@option("--quiet", "-q", is_flag=True, help="no progress lines")
def diff(**options: Any) -> int:
    """Send the same generated request sequences (Schemathesis cases and the suite's
    scenarios, one seed) to a base target (the real vendor) and another (the mock), and
    report every difference not listed as intended."""
    return main(SimpleNamespace(**options))


def _pairs(items: list[str], flag: str) -> dict[str, str]:
    found = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} must be NAME=VALUE", param_hint=f"'{flag}'")
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


def main(args: Any) -> int:
    from contracts.diff.known import KnownFileError
    from contracts.diff.report import summary, write_reports
    from contracts.diff.run import DiffSettings, run_diff

    settings = DiffSettings(
        vendor=args.vendor,
        base_url=args.base_url,
        other=args.against,
        seed=args.seed,
        max_examples=args.max_examples,
        phases=args.phases or PHASES,
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
