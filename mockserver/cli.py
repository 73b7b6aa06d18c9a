"""`mockserver`: the mock under gunicorn (threads, and N processes sharing one SQLite file),
printing where each vendor lives and the demo credentials; `wait` for CI, `quirks`,
`check-fixtures` and the validation `proxy`.

Every option can also be set by a `MOCKSERVER_<OPTION>` variable (shown in `--help`); a
mistake is one line naming the flag, and exit code 2, before anything is served.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
import urllib.error
import urllib.request

import click

from mockserver import accesslog, startup
from mockserver.app import create_app, fixture_folder
from mockserver.commandline import (
    DISTRIBUTION,
    NameList,
    command_settings,
    fail,
    flatten,
    option,
    run,
)
from mockserver.config import MockConfig
from mockserver.fidelity import DEFAULT_FIDELITY, FIDELITY_MODES, describe
from mockserver.fixtures import FixtureError, load_fixtures
from mockserver.registry import discover_vendors
from mockserver.server import TemporaryState, run_gunicorn
from mockserver.startup import UsageError

DEFAULT_PORT = 8080
SETTINGS = command_settings("MOCKSERVER")
VENDOR_NAMES = [v.name for v in discover_vendors()]
VENDORS = option(
    "--vendor",
    type=NameList(VENDOR_NAMES),
    multiple=True,
    metavar="NAME[,NAME]",
    help="only these vendors (repeatable)",
)
PORT = click.IntRange(0, 65535)
COUNT = click.IntRange(min=1)


@click.group(context_settings=SETTINGS)
@click.version_option(package_name=DISTRIBUTION, prog_name="mockserver")
def cli() -> None:
    """Stateful, spec-validated mock of the Appstle Loyalty, Medusa store-credit and Spree
    Platform store-credit APIs, all on one port at their real paths."""


@cli.command(context_settings=SETTINGS)
@option("--host", default="127.0.0.1", show_default=True, help="interface to bind")
@option("--port", type=PORT, default=DEFAULT_PORT, show_default=True, help="port (0: any free)")
@option("--state", metavar="PATH", help="SQLite file kept across restarts (default: fresh state)")
@option("--fixtures", metavar="DIR", help="fixture folder: DIR/<vendor>/*.yaml")
@option("--workers", type=COUNT, default=1, show_default=True, help="worker processes")
@option("--threads", type=COUNT, default=8, show_default=True, help="threads per worker")
@VENDORS
@option("--token-ttl", type=COUNT, default=7200, show_default=True, help="token lifetime (s)")
@option("--admin-token", help="require this token on /__admin (X-Admin-Token)")
@option(
    "--insecure-admin",
    is_flag=True,
    help="serve the admin API without a token on a non-loopback --host (refused otherwise)",
)
@option("--max-tenants", type=COUNT, default=10_000, show_default=True, help="tenants kept")
@option(
    "--idempotency-ttl",
    type=COUNT,
    default=86_400,
    show_default=True,
    metavar="SECONDS",
    help="how long an Idempotency-Key answer is replayed",
)
@option(
    "--sandbox-pattern",
    "sandbox_pattern",
    multiple=True,
    metavar="VENDOR=REGEX",
    help="credentials that open their own fresh tenant, e.g. appstle=apst_test_.+",
)
@option(
    "--fidelity",
    type=click.Choice(FIDELITY_MODES),
    default=DEFAULT_FIDELITY,
    show_default=True,
    help="vendor: reproduce the vendors' known defects (see `mockserver quirks`); "
    "spec: answer what the specs promise instead",
)
@option("--strict-responses", is_flag=True, help="answer 500 when a response breaks its spec")
@option("--replay", metavar="DIR", help="answer recorded requests from a `proxy --record` DIR")
@option("--quiet", "-q", is_flag=True, help="no access log (warnings are still printed)")
@option(
    "--log-format",
    type=click.Choice(accesslog.LOG_FORMATS),
    default="text",
    show_default=True,
    help="the access log and warnings on stderr as text lines or JSON lines",
)
def serve(**options: object) -> int:
    """Serve the mock (gunicorn)."""
    return _serve(Options(**options))


@dataclasses.dataclass(frozen=True)
class Options:
    """`serve`'s options, as click parsed them."""

    host: str
    port: int
    state: str | None
    fixtures: str | None
    workers: int
    threads: int
    vendor: tuple[tuple[str, ...], ...]
    token_ttl: int
    admin_token: str | None
    insecure_admin: bool
    max_tenants: int
    idempotency_ttl: int
    sandbox_pattern: tuple[str, ...]
    fidelity: str
    strict_responses: bool
    replay: str | None
    quiet: bool
    log_format: accesslog.LogFormat


def _config(options: Options, state_path: str) -> MockConfig:
    """The server's configuration; every option checked first (`UsageError`)."""
    everyone = discover_vendors()
    patterns = startup.sandbox_patterns(options.sandbox_pattern, everyone)
    if options.fixtures is not None:
        startup.check_fixture_root(options.fixtures, everyone)
    return MockConfig(
        state_path=state_path,
        fixtures_dir=options.fixtures,
        strict_responses=options.strict_responses,
        token_ttl=options.token_ttl,
        sandbox_patterns=patterns,
        admin_token=options.admin_token,
        vendors=flatten(options.vendor) or None,
        max_tenants=options.max_tenants,
        idempotency_ttl=options.idempotency_ttl,
        fidelity=options.fidelity,  # type: ignore[arg-type]
        replay_dir=options.replay,
    )


def banner(config: MockConfig, host: str, port: int) -> str:
    base = f"http://{host}:{port}"
    lines = [f"credit-contracts mock server on {base}"]
    vendors = discover_vendors(config.vendors)
    lines.append("  " + describe(config.fidelity, sum(len(v.quirks) for v in vendors)))
    for vendor in vendors:
        lines.append(f"  {vendor.title}: {base}{vendor.path_prefixes[0]}")
        lines += [f"    {credential}" for credential in vendor.demo_credentials]
    lines.append(f"  admin API: {base}/__admin/health")
    lines.append(f"  state: {config.state_path}")
    return "\n".join(lines)


def _serve(options: Options) -> int:
    """Check every option, build the app, listen, and only then print the banner and serve.
    Gunicorn forks its workers inside `run_gunicorn`: they leave through this function too."""
    temporary = TemporaryState() if options.state is None else None
    listener = None
    try:
        if options.state is not None:
            startup.check_state_file(options.state)
        config = _config(options, options.state or temporary.path)
        warning = startup.check_admin_exposure(
            options.host, options.admin_token, options.insecure_admin
        )
        accesslog.configure(options.log_format, access=not options.quiet)
        app = create_app(config)  # built once, before forking: bad fixtures fail here
        if warning:
            click.secho(f"mockserver: {warning}", file=sys.stderr, fg="yellow")
        listener = startup.listen(options.host, options.port)
        click.echo(banner(config, options.host, listener.getsockname()[1]))
        sys.stdout.flush()
        run_gunicorn(app, listener, options.workers, options.threads)
    except (UsageError, FixtureError) as exc:
        return _refuse(exc)
    finally:
        if listener is not None:
            listener.close()
        if temporary is not None:
            temporary.remove()  # by the master only: workers leave it to the master
    return 0


@cli.command(context_settings=SETTINGS)
@click.argument("url")
@option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="seconds to wait before giving up",
)
def wait(url: str, timeout: float) -> int:
    """Wait until the mock at URL is healthy (GET URL/__admin/health answers 200).

    Exit 0 once it is; 1, with the last reason, when TIMEOUT seconds pass first. For CI:
    `mockserver serve & mockserver wait http://127.0.0.1:8080 && contracts run ...`."""
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r}: give a base URL, e.g. http://127.0.0.1:8080")
    health = url.rstrip("/") + "/__admin/health"
    deadline = time.monotonic() + timeout
    while True:
        reason = _unhealthy(health)
        if reason is None:
            click.secho(f"mockserver: {url} is healthy", fg="green")
            return 0
        if time.monotonic() >= deadline:
            fail(f"mockserver wait: {url} not healthy after {timeout:g} s ({reason})")
            return 1
        time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))


# Straight to the mock: an HTTP(S)_PROXY variable set for the job must not reroute the check.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _unhealthy(health: str) -> str | None:
    """Why the health check failed, or None when it answered 200."""
    try:
        with _DIRECT.open(health, timeout=2) as answer:
            return None if answer.status == 200 else f"status {answer.status}"
    except urllib.error.HTTPError as exc:
        return f"status {exc.code}"
    except OSError as exc:
        return str(getattr(exc, "reason", exc))


@cli.command("check-fixtures", context_settings=SETTINGS)
@option("--fixtures", metavar="DIR", help="fixture folder (default: the bundled demo data)")
def check_fixtures(fixtures: str | None) -> int:
    """Validate fixture files and exit."""
    vendors = discover_vendors()
    try:
        if fixtures is not None:
            startup.check_fixture_root(fixtures, vendors)
        for vendor in vendors:
            folder = fixture_folder(vendor, fixtures)
            load_fixtures(folder, vendor.fixture_schema)
            click.echo(f"{vendor.name}: {folder} " + click.style("ok", fg="green"))
    except (UsageError, FixtureError) as exc:
        return _refuse(exc)
    return 0


def _refuse(error: Exception) -> int:
    """Print a start-up mistake as one line (YAML errors span several) and give exit code 2."""
    fail(f"mockserver: {error}")
    return 2


@cli.command("quirks", context_settings=SETTINGS)
@VENDORS
@option("--json", "as_json", is_flag=True, help="print JSON instead of text")
def list_quirks(vendor: tuple[tuple[str, ...], ...], as_json: bool) -> int:
    """List the vendor defects the default (vendor) fidelity reproduces: what the vendor
    does, what spec mode does, and the evidence."""
    chosen = discover_vendors(flatten(vendor) or None)
    if as_json:
        listing = {v.name: [dataclasses.asdict(q) for q in v.quirks] for v in chosen}
        click.echo(json.dumps(listing, indent=2))
        return 0
    for vendor in chosen:
        click.secho(f"{vendor.name}: {len(vendor.quirks)} reproduced defect(s)", bold=True)
        for quirk in vendor.quirks:
            click.echo(f"  {quirk.name}")
            click.echo(f"    vendor: {quirk.vendor_does}")
            click.echo(f"    spec:   {quirk.spec_does}")
            click.echo(f"    evidence: {quirk.evidence}")
    return 0


@cli.command(context_settings=SETTINGS)
@option(
    "--vendor", type=click.Choice(VENDOR_NAMES), required=True, help="whose API the upstream serves"
)
@option("--upstream", required=True, metavar="URL", help="http://HOST:PORT")
@option("--port", type=PORT, default=DEFAULT_PORT, show_default=True, help="port")
@option("--record", metavar="DIR", help="write each exchange (redacted) to DIR")
@option("--report", "reports", multiple=True, metavar="KIND:PATH", help="junit:PATH or html:PATH")
@option("--fail-on-violation", is_flag=True, help="exit 1 when any exchange broke a rule")
def proxy(
    vendor: str,
    upstream: str,
    port: int,
    record: str | None,
    reports: tuple[str, ...],
    fail_on_violation: bool,
) -> int:
    """Pass traffic to the real vendor, judging every exchange against its spec."""
    from mockserver.proxy import run_proxy

    for report in reports:
        kind, _, path = report.partition(":")
        if kind not in ("junit", "html") or not path:
            raise click.BadParameter(
                f"{report!r}: write junit:PATH or html:PATH", param_hint="--report"
            )
    try:
        return run_proxy(
            discover_vendors((vendor,))[0], upstream, port, record, list(reports), fail_on_violation
        )
    except ValueError as exc:
        return _refuse(exc)


def main(argv: list[str] | None = None) -> int:
    return run(cli, argv, "mockserver")


if __name__ == "__main__":
    sys.exit(main())
