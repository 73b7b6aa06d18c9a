"""`contracts run`: fuzz an implementation of the vendor APIs and say whether it conforms.

Exit status 0 only when every check passed; 1 on failures or errors; 2 on bad usage.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from typing import TextIO

from contracts.config import PHASES, ConfigError, load

MISSING_EXTRA = (
    "contracts: the contract suite needs Schemathesis, which a plain install leaves out: "
    "pip install 'credit-contracts[contracts]'"
)
EPILOG = """\
credentials (flags or environment; `_2` names are the second identity for isolation checks):
  APPSTLE_API_KEY, MEDUSA_SECRET_KEY or MEDUSA_EMAIL + MEDUSA_PASSWORD,
  SPREE_CLIENT_ID + SPREE_CLIENT_SECRET. Against the mock, demo credentials are the default.
settings also come from CONTRACTS_<NAME> variables and [tool.contracts] in pyproject.toml.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contracts", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run",
        help="run the contract suite",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--vendor", dest="vendors", help="appstle, medusa, spree or all (comma list)")
    run.add_argument("--base-url", help="test a running server instead of the in-process mock")
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
        "--exclude-check", dest="exclude_checks", action="append", help="skip a check by name"
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
    return parser


def _flags(args: argparse.Namespace) -> dict:
    flags = {k: v for k, v in vars(args).items() if k != "command"}
    if flags.get("reports"):
        flags["reports"] = tuple(flags["reports"])
    if flags.get("exclude_checks"):
        flags["exclude_checks"] = tuple(flags["exclude_checks"])
    creds = {}
    for item in flags.get("credentials") or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--cred {item!r} must be NAME=VALUE")
        creds[name] = value
    flags["credentials"] = creds
    return flags


class LiveView:
    """A one-line-per-step progress view on stderr (rewritten in place on a terminal)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.cases = 0

    def __call__(self, step) -> None:
        if step.status == "started":
            line = f"{step.vendor}: {step.phase} phase"
        else:
            self.cases += step.cases
            mark = {"success": "ok", "failure": "FAIL", "error": "ERROR", "skip": "skip"}.get(
                step.status, step.status
            )
            line = f"{step.vendor}: {step.phase:<9} {step.label:<55} {mark:<5} ({self.cases} cases)"
        if self.tty:
            self.out.write("\r\033[K" + line[:150])
            if step.status in ("failure", "error"):
                self.out.write("\n")
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def close(self) -> None:
        if self.tty:
            self.out.write("\n")


def main(argv: list[str] | None = None) -> int:
    if importlib.util.find_spec("schemathesis") is None:
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load(_flags(args))
    except ConfigError as exc:
        parser.error(str(exc))
    from contracts import report
    from contracts.runner import run

    view = LiveView(sys.stderr) if settings.progress else None
    try:
        result = run(settings, progress=view)
    except (FileNotFoundError, ConnectionError) as exc:
        print(f"contracts: {exc}", file=sys.stderr)
        return 1
    finally:
        if view:
            view.close()
    report.summary(result, sys.stdout)
    for path in report.write_reports(result, settings.reports):
        print(f"report written: {path}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
