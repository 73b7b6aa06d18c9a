"""`contracts run`: fuzz an implementation of the vendor APIs and say whether it conforms.

Exit status: 0 every check passed (known deviations aside); 1 new failures or errors; 2 bad
usage, unreachable target or refused credentials; 3 the request budget ran out before the run
was complete, with no failure so far. `contracts baseline` runs the same way and prints a
known-deviations file of what failed.
`contracts diff` (contracts/diff/cli.py) compares two implementations instead.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

from contracts.config import PHASES, TARGETS, ConfigError, load
from contracts.diff import cli as diff_cli
from contracts.results import EXIT_OK, EXIT_UNUSABLE

MISSING_EXTRA = (
    "contracts: the contract suite needs Schemathesis, which a plain install leaves out: "
    "pip install 'credit-contracts[contracts]'"
)
EPILOG = """\
credentials (flags or environment; `_2` names are the second identity for isolation checks):
  APPSTLE_API_KEY, MEDUSA_SECRET_KEY or MEDUSA_JWT or MEDUSA_EMAIL + MEDUSA_PASSWORD,
  SPREE_CLIENT_ID + SPREE_CLIENT_SECRET. Against the mock, demo credentials are the default;
  against a vendor they must be given.
settings also come from CONTRACTS_<NAME> variables and [tool.contracts] in pyproject.toml.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contracts", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("run", "run the contract suite"),
        ("baseline", "run the suite and print a known-deviations file of what failed"),
    ):
        _run_options(
            commands.add_parser(
                name, help=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
            )
        )
    diff_cli.add_parser(commands)
    return parser


def _run_options(run: argparse.ArgumentParser) -> None:
    run.add_argument("--vendor", dest="vendors", help="appstle, medusa, spree or all (comma list)")
    run.add_argument("--base-url", help="test a running server instead of the in-process mock")
    run.add_argument(
        "--target",
        choices=TARGETS,
        help="what answers at --base-url: our mock, a vendor, or auto (probe /__admin/health)",
    )
    run.add_argument(
        "--known",
        action="append",
        metavar="FILE",
        help="known vendor deviations (YAML, repeatable): expected, reported, not failed",
    )
    run.add_argument("--max-examples", type=int, help="generated cases per operation and phase")
    run.add_argument("--seed", type=int, help="make data generation reproducible")
    run.add_argument("--workers", type=int, help="concurrent Schemathesis workers (threads)")
    run.add_argument(
        "--processes",
        type=int,
        help="vendors tested at once, one process each (default: one per CPU core)",
    )
    run.add_argument(
        "--report", dest="reports", action="append", help="junit:PATH or html:PATH (repeatable)"
    )
    run.add_argument("--max-requests", type=int, help="stop after this many requests (staging)")
    run.add_argument("--rate-limit", help="requests per second, e.g. 5 or 5/s (staging)")
    run.add_argument(
        "--read-only", action="store_const", const=True, help="skip state-changing operations"
    )
    run.add_argument(
        "--no-cleanup",
        dest="cleanup",
        action="store_const",
        const=False,
        help="keep what the run created",
    )
    run.add_argument(
        "--no-scenarios",
        dest="scenarios",
        action="store_const",
        const=False,
        help="only Schemathesis' generated cases, no ledger/idempotency/isolation sequences",
    )
    run.add_argument("--phases", help=f"comma list of {','.join(PHASES)}")
    run.add_argument(
        "--exclude-check",
        dest="exclude_checks",
        action="append",
        help="skip a check by name (Schemathesis' and the scenarios' alike)",
    )
    run.add_argument(
        "--include-check",
        dest="include_checks",
        action="append",
        help="run only the named checks (repeatable)",
    )
    run.add_argument(
        "--hostile-values",
        action="store_const",
        const=True,
        help="against a vendor, also send extreme amounts, NUL and control characters",
    )
    run.add_argument(
        "--distinct-tenants",
        action="store_const",
        const=True,
        help="the `_2` credentials belong to another tenant: run tenant isolation on a vendor",
    )
    run.add_argument("--include-path", help="only operations whose path matches this regex")
    run.add_argument("--request-timeout", type=float, help="seconds per request")
    run.add_argument(
        "--no-shrink", action="store_const", const=True, help="report failures unminimised (faster)"
    )
    run.add_argument(
        "--quiet", dest="progress", action="store_const", const=False, help="no live progress"
    )
    run.add_argument(
        "--cred",
        dest="credentials",
        action="append",
        metavar="NAME=VALUE",
        help="a credential, e.g. --cred APPSTLE_API_KEY=apst_... (overrides the environment)",
    )


def _flags(args: argparse.Namespace) -> dict:
    flags = {k: v for k, v in vars(args).items() if k != "command"}
    if flags.get("reports"):
        flags["reports"] = tuple(flags["reports"])
    for name in ("exclude_checks", "include_checks", "known"):
        if flags.get(name):
            flags[name] = tuple(flags[name])
    creds = {}
    for item in flags.get("credentials") or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--cred {item!r} must be NAME=VALUE")
        creds[name] = value
    flags["credentials"] = creds
    return flags


def main(argv: list[str] | None = None) -> int:
    if importlib.util.find_spec("schemathesis") is None:
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "diff":
        return diff_cli.main(args)
    try:
        settings = load(_flags(args))
    except ConfigError as exc:
        parser.error(str(exc))
    from contracts.handlers import file_reports
    from contracts.handlers.console import LiveView, Summary
    from contracts.runner import run

    handlers = [LiveView(sys.stderr)] if settings.progress else []
    if args.command == "run":
        handlers += [Summary(sys.stdout), *file_reports(settings.reports)]
    try:
        result = run(settings, progress=lambda step: [h.on_progress(step) for h in handlers])
    except (FileNotFoundError, ConfigError) as exc:
        print(f"contracts: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    for handler in handlers:
        handler.on_finish(result)
    for report in settings.reports if args.command == "run" else ():
        print(f"report written: {report.partition(':')[2]}")
    for vendor in result.vendors:
        if vendor.preflight:
            print(f"contracts: {vendor.preflight}", file=sys.stderr)
    if args.command == "baseline":
        from contracts.known import baseline

        sys.stdout.write(baseline(result))
        return EXIT_UNUSABLE if result.exit_code == EXIT_UNUSABLE else EXIT_OK
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
