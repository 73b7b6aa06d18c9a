"""`contracts run`: fuzz an implementation of the vendor APIs and say whether it conforms.

Exit status: 0 every check passed (known deviations aside); 1 new failures or errors; 2 bad
usage, unreachable target or refused credentials; 3 the request budget ran out before the run
was complete, with no failure so far. `contracts baseline` runs the same way and prints a
known-deviations file of what failed.
`contracts diff` (contracts/diff/cli.py) compares two implementations instead.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from collections.abc import Callable
from typing import Any

import click

from contracts.config import PHASES, TARGETS, VENDORS, ConfigError, load
from contracts.diff import cli as diff_cli
from contracts.results import EXIT_OK, EXIT_UNUSABLE
from mockserver.commandline import (
    DISTRIBUTION,
    CommaSeparated,
    NameList,
    command_settings,
    fail,
    flatten,
    option,
    run,
)

MISSING_EXTRA = (
    "contracts: the contract suite needs Schemathesis, which a plain install leaves out: "
    "pip install 'credit-contracts[contracts]'"
)
EPILOG = """\b
Credentials (flags or environment; `_2` names are the second identity for isolation checks):
APPSTLE_API_KEY, MEDUSA_SECRET_KEY or MEDUSA_JWT or MEDUSA_EMAIL + MEDUSA_PASSWORD,
SPREE_CLIENT_ID + SPREE_CLIENT_SECRET. Against the mock, demo credentials are the default;
against a vendor they must be given.
Settings: flags > CONTRACTS_<NAME> variables > [tool.contracts] in pyproject.toml > defaults.
"""
SETTINGS = command_settings("CONTRACTS")
# Names the settings (contracts.config) know the same variables by, where they differ.
SETTING_NAMES = {"vendor": "vendors", "report": "reports", "cred": "credentials"}


def _check_names() -> list[str]:
    from contracts.checks import check_names

    return check_names()


CHECK_NAMES = NameList(_check_names)


@click.group(context_settings=SETTINGS)
@click.version_option(package_name=DISTRIBUTION, prog_name="contracts")
def cli() -> None:
    """Fuzz an implementation of the vendor APIs and say whether it conforms."""


def run_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of `run` and `baseline`. A flag left out is None, so the environment and
    pyproject.toml still apply (`contracts.config.load`)."""
    flag = functools.partial(option, is_flag=True, default=None)
    repeatable = functools.partial(option, multiple=True, type=CommaSeparated())
    decorators = [
        option(
            "--vendor",
            type=NameList((*VENDORS, "all")),
            metavar="NAME[,NAME]",
            help=f"{', '.join(VENDORS)} or all (comma list)",
        ),
        option("--base-url", help="test a running server instead of the in-process mock"),
        option(
            "--target",
            type=click.Choice(TARGETS),
            help="what answers at --base-url: our mock, a vendor, or auto (probe /__admin/health)",
        ),
        repeatable(
            "--known",
            metavar="FILE",
            help="known vendor deviations (YAML, repeatable): expected, reported, not failed",
        ),
        option("--max-examples", type=click.IntRange(min=1), help="cases per operation/phase"),
        option("--seed", type=int, help="make data generation reproducible"),
        option("--workers", type=click.IntRange(min=1), help="concurrent Schemathesis workers"),
        option(
            "--processes",
            type=click.IntRange(min=1),
            help="vendors tested at once, one process each (default: all of them)",
        ),
        repeatable(
            "--report",
            metavar="KIND:PATH",
            help="junit:PATH or html:PATH (repeatable)",
        ),
        option("--max-requests", type=click.IntRange(min=1), help="stop after this many (staging)"),
        option("--rate-limit", help="requests per second, e.g. 5 or 5/s (staging)"),
        flag("--read-only", help="skip state-changing operations"),
        flag("--no-cleanup", help="keep what the run created"),
        flag("--no-scenarios", help="only Schemathesis' cases, no ledger/idempotency sequences"),
        option("--phases", type=NameList(PHASES), metavar="PHASE[,PHASE]", help=", ".join(PHASES)),
        option(
            "--exclude-check",
            "exclude_checks",
            type=CHECK_NAMES,
            multiple=True,
            metavar="CHECK[,CHECK]",
            help="skip a check by name (Schemathesis' and the scenarios' alike)",
        ),
        option(
            "--include-check",
            "include_checks",
            type=CHECK_NAMES,
            multiple=True,
            metavar="CHECK[,CHECK]",
            help="run only the named checks (repeatable)",
        ),
        flag("--hostile-values", help="against a vendor, also send extreme amounts, NUL bytes"),
        flag(
            "--distinct-tenants",
            help="the `_2` credentials belong to another tenant: isolation checks on a vendor",
        ),
        option("--include-path", help="only operations whose path matches this regex"),
        option("--request-timeout", type=click.FloatRange(min=0, min_open=True), help="seconds"),
        flag("--no-shrink", help="report failures unminimised (faster)"),
        flag("--quiet", "-q", help="no live progress: one summary line per vendor, and failures"),
        repeatable(
            "--cred",
            metavar="NAME=VALUE",
            help="a credential, e.g. --cred APPSTLE_API_KEY=apst_... (overrides the environment)",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


@cli.command("run", context_settings=SETTINGS, epilog=EPILOG)
@run_options
def run_command(**options: Any) -> int:
    """Run the contract suite."""
    return _run(options, baseline=False)


@cli.command("baseline", context_settings=SETTINGS, epilog=EPILOG)
@run_options
def baseline_command(**options: Any) -> int:
    """Run the suite and print a known-deviations file of what failed."""
    return _run(options, baseline=True)


cli.add_command(diff_cli.diff)


def _flags(options: dict[str, Any]) -> dict[str, Any]:
    """click's values as the settings' fields; None (and an unused repeatable) = not given."""
    flags: dict[str, Any] = {}
    for name, value in options.items():
        if value is None or value == ():
            continue
        if name in ("no_cleanup", "no_scenarios", "quiet"):
            field = {"no_cleanup": "cleanup", "no_scenarios": "scenarios"}.get(name, "progress")
            flags[field] = not value
        elif name in ("exclude_checks", "include_checks"):
            flags[name] = flatten(value)
        else:
            flags[SETTING_NAMES.get(name, name)] = value
    creds = {}
    for item in flags.get("credentials", ()):
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} must be NAME=VALUE", param_hint="'--cred'")
        creds[name] = value
    flags["credentials"] = creds
    return flags


def _run(options: dict[str, Any], baseline: bool) -> int:
    try:
        settings = load(_flags(options))
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    from contracts.handlers import file_reports
    from contracts.handlers.console import LiveView, Summary
    from contracts.runner import run as run_contracts

    handlers: list[Any] = [LiveView(sys.stderr)] if settings.progress else []
    if not baseline:
        handlers += [Summary(sys.stdout, brief=not settings.progress)]
        handlers += file_reports(settings.reports)
    try:
        result = run_contracts(
            settings, progress=lambda step: [h.on_progress(step) for h in handlers]
        )
    except (FileNotFoundError, ConfigError) as exc:
        fail(f"contracts: {exc}")
        return EXIT_UNUSABLE
    for handler in handlers:
        handler.on_finish(result)
    for report in settings.reports if not baseline else ():
        click.echo(f"report written: {report.partition(':')[2]}")
    for vendor in result.vendors:
        if vendor.preflight:
            fail(f"contracts: {vendor.preflight}")
    if baseline:
        from contracts.known import baseline as known_file

        sys.stdout.write(known_file(result))
        return EXIT_UNUSABLE if result.exit_code == EXIT_UNUSABLE else EXIT_OK
    return result.exit_code


def main(argv: list[str] | None = None) -> int:
    if importlib.util.find_spec("schemathesis") is None:
        fail(MISSING_EXTRA)
        return 2
    return run(cli, argv, "contracts")


if __name__ == "__main__":
    sys.exit(main())
