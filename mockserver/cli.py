"""`mockserver serve`: the mock under gunicorn (threads, and N processes sharing one SQLite
file), printing where each vendor lives and the demo credentials."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any, NoReturn

from mockserver import startup
from mockserver.app import create_app, fixture_folder
from mockserver.config import MockConfig
from mockserver.fidelity import DEFAULT_FIDELITY, FIDELITY_MODES, describe
from mockserver.fixtures import FixtureError, load_fixtures
from mockserver.registry import discover_vendors
from mockserver.server import TemporaryState, run_gunicorn
from mockserver.startup import UsageError

DEFAULT_PORT = 8080


class _Parser(argparse.ArgumentParser):
    """Option mistakes in one line (argparse would print the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mockserver",
        description="Stateful, spec-validated mock of the Appstle Loyalty, Medusa store-credit "
        "and Spree Platform store-credit APIs, all on one port at their real paths.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock (gunicorn)")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=startup.port_number, default=DEFAULT_PORT, help="port (default 8080)"
    )
    serve.add_argument(
        "--state", metavar="PATH", help="SQLite file kept across restarts (default: fresh state)"
    )
    serve.add_argument("--fixtures", metavar="DIR", help="fixture folder: DIR/<vendor>/*.yaml")
    serve.add_argument(
        "--workers", type=startup.positive_int, default=1, help="worker processes (default 1)"
    )
    serve.add_argument(
        "--threads", type=startup.positive_int, default=8, help="threads per worker (default 8)"
    )
    serve.add_argument(
        "--vendor", action="append", dest="vendors", help="serve only this vendor (repeatable)"
    )
    serve.add_argument(
        "--token-ttl", type=startup.positive_int, default=7200, help="access token lifetime (s)"
    )
    serve.add_argument("--admin-token", help="require this token on /__admin (X-Admin-Token)")
    serve.add_argument(
        "--insecure-admin",
        action="store_true",
        help="serve the admin API without a token on a non-loopback --host (refused otherwise)",
    )
    serve.add_argument(
        "--max-tenants",
        type=startup.positive_int,
        default=10_000,
        help="tenants kept at most (default 10000)",
    )
    serve.add_argument(
        "--idempotency-ttl",
        type=startup.positive_int,
        default=86_400,
        metavar="SECONDS",
        help="how long an Idempotency-Key answer is replayed (default 86400, 24 h)",
    )
    serve.add_argument(
        "--sandbox-pattern",
        action="append",
        default=[],
        metavar="VENDOR=REGEX",
        help="credentials that open their own fresh tenant, e.g. appstle=apst_test_.+",
    )
    serve.add_argument(
        "--fidelity",
        choices=FIDELITY_MODES,
        default=DEFAULT_FIDELITY,
        help="vendor (default): reproduce the vendors' known defects (see `mockserver quirks`); "
        "spec: answer what the specs promise instead",
    )
    serve.add_argument(
        "--strict-responses",
        action="store_true",
        help="answer 500 when a response breaks its spec (default: log it)",
    )
    serve.add_argument(
        "--replay", metavar="DIR", help="answer recorded requests from a `proxy --record` DIR"
    )
    _add_proxy_parser(commands)
    quirks = commands.add_parser(
        "quirks", help="list the vendor defects the default (vendor) fidelity reproduces"
    )
    quirks.add_argument("--vendor", action="append", dest="vendors", help="only this vendor")
    quirks.add_argument("--json", action="store_true", help="print JSON instead of text")
    commands.add_parser("check-fixtures", help="validate fixture files and exit").add_argument(
        "--fixtures", metavar="DIR", help="fixture folder (default: the bundled demo data)"
    )
    return parser


def _add_proxy_parser(commands: Any) -> None:
    proxy = commands.add_parser(
        "proxy", help="pass traffic to the real vendor, judging every exchange against its spec"
    )
    proxy.add_argument("--vendor", required=True, help="whose API the upstream serves")
    proxy.add_argument("--upstream", required=True, metavar="URL", help="http://HOST:PORT")
    proxy.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8080)")
    proxy.add_argument("--record", metavar="DIR", help="write each exchange (redacted) to DIR")
    proxy.add_argument(
        "--report", dest="reports", action="append", default=[], help="junit:PATH or html:PATH"
    )
    proxy.add_argument(
        "--fail-on-violation", action="store_true", help="exit 1 when any exchange broke a rule"
    )


def proxy(args: argparse.Namespace) -> int:
    from mockserver.proxy import run_proxy

    vendors = {v.name: v for v in discover_vendors()}
    if args.vendor not in vendors:
        print(f"mockserver: --vendor must be one of {sorted(vendors)}", file=sys.stderr)
        return 2
    for report in args.reports:
        kind, _, path = report.partition(":")
        if kind not in ("junit", "html") or not path:
            print(
                f"mockserver: --report {report!r}: write junit:PATH or html:PATH", file=sys.stderr
            )
            return 2
    try:
        return run_proxy(
            vendors[args.vendor],
            args.upstream,
            args.port,
            args.record,
            args.reports,
            args.fail_on_violation,
        )
    except ValueError as exc:
        print(f"mockserver: {exc}", file=sys.stderr)
        return 2


def _config(args: argparse.Namespace, state_path: str) -> MockConfig:
    """The server's configuration; every option checked first (`UsageError`)."""
    everyone = discover_vendors()
    try:
        discover_vendors(tuple(args.vendors) if args.vendors else None)
    except ValueError as exc:
        raise UsageError("--vendor", str(exc)) from None
    patterns = startup.sandbox_patterns(args.sandbox_pattern, everyone)
    if args.fixtures is not None:
        startup.check_fixture_root(args.fixtures, everyone)
    return MockConfig(
        state_path=state_path,
        fixtures_dir=args.fixtures,
        strict_responses=args.strict_responses,
        token_ttl=args.token_ttl,
        sandbox_patterns=patterns,
        admin_token=args.admin_token,
        vendors=tuple(args.vendors) if args.vendors else None,
        max_tenants=args.max_tenants,
        idempotency_ttl=args.idempotency_ttl,
        fidelity=args.fidelity,
        replay_dir=args.replay,
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


def serve(args: argparse.Namespace) -> int:
    """Check every option, build the app, listen, and only then print the banner and serve.
    Gunicorn forks its workers inside `run_gunicorn`: they leave through this function too."""
    temporary = TemporaryState() if args.state is None else None
    listener = None
    try:
        if args.state is not None:
            startup.check_state_file(args.state)
        config = _config(args, args.state or temporary.path)
        warning = startup.check_admin_exposure(args.host, args.admin_token, args.insecure_admin)
        app = create_app(config)  # built once, before forking: bad fixtures fail here
        if warning:
            print(f"mockserver: {warning}", file=sys.stderr, flush=True)
        listener = startup.listen(args.host, args.port)
        print(banner(config, args.host, listener.getsockname()[1]), flush=True)
        run_gunicorn(app, listener, args.workers, args.threads)
    except (UsageError, FixtureError) as exc:
        return _refuse(exc)
    finally:
        if listener is not None:
            listener.close()
        if temporary is not None:
            temporary.remove()  # by the master only: workers leave it to the master
    return 0


def check_fixtures(args: argparse.Namespace) -> int:
    vendors = discover_vendors()
    try:
        if args.fixtures is not None:
            startup.check_fixture_root(args.fixtures, vendors)
        for vendor in vendors:
            folder = fixture_folder(vendor, args.fixtures)
            load_fixtures(folder, vendor.fixture_schema)
            print(f"{vendor.name}: {folder} ok")
    except (UsageError, FixtureError) as exc:
        return _refuse(exc)
    return 0


def _refuse(error: Exception) -> int:
    """Print a start-up mistake as one line (YAML errors span several) and give exit code 2."""
    print(f"mockserver: {' '.join(str(error).split())}", file=sys.stderr)
    return 2


def list_quirks(args: argparse.Namespace) -> int:
    """Every reproduced vendor defect: what the vendor does, what spec mode does, evidence."""
    vendors = discover_vendors(tuple(args.vendors) if args.vendors else None)
    if args.json:
        listing = {v.name: [dataclasses.asdict(q) for q in v.quirks] for v in vendors}
        print(json.dumps(listing, indent=2))
        return 0
    for vendor in vendors:
        print(f"{vendor.name}: {len(vendor.quirks)} reproduced defect(s)")
        for quirk in vendor.quirks:
            print(f"  {quirk.name}")
            print(f"    vendor: {quirk.vendor_does}")
            print(f"    spec:   {quirk.spec_does}")
            print(f"    evidence: {quirk.evidence}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    commands = {
        "serve": serve,
        "quirks": list_quirks,
        "check-fixtures": check_fixtures,
        "proxy": proxy,
    }
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
