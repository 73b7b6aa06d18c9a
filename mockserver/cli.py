"""`mockserver serve`: the mock under gunicorn (threads, and N processes sharing one SQLite
file), printing where each vendor lives and the demo credentials."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from typing import Any

from mockserver.app import create_app, fixture_folder
from mockserver.config import MockConfig
from mockserver.fixtures import FixtureError, load_fixtures
from mockserver.registry import discover_vendors

DEFAULT_PORT = 8080


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mockserver",
        description="Stateful, spec-validated mock of the Appstle Loyalty, Medusa store-credit "
        "and Spree Platform store-credit APIs, all on one port at their real paths.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock (gunicorn)")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8080)")
    serve.add_argument(
        "--state", metavar="PATH", help="SQLite file kept across restarts (default: fresh state)"
    )
    serve.add_argument("--fixtures", metavar="DIR", help="fixture folder: DIR/<vendor>/*.yaml")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--threads", type=int, default=8, help="threads per worker (default 8)")
    serve.add_argument(
        "--vendor", action="append", dest="vendors", help="serve only this vendor (repeatable)"
    )
    serve.add_argument("--token-ttl", type=int, default=7200, help="access token lifetime (s)")
    serve.add_argument("--admin-token", help="require this token on /__admin (X-Admin-Token)")
    serve.add_argument(
        "--sandbox-pattern",
        action="append",
        default=[],
        metavar="VENDOR=REGEX",
        help="credentials that open their own fresh tenant, e.g. appstle=apst_test_.+",
    )
    serve.add_argument(
        "--quirk", action="append", default=[], help="reproduce a real-server defect by name"
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
    patterns = {}
    for item in args.sandbox_pattern:
        vendor, sep, regex = item.partition("=")
        if not sep:
            raise SystemExit(f"--sandbox-pattern {item!r}: write it as VENDOR=REGEX")
        patterns[vendor] = regex
    return MockConfig(
        state_path=state_path,
        fixtures_dir=args.fixtures,
        strict_responses=args.strict_responses,
        token_ttl=args.token_ttl,
        sandbox_patterns=patterns,
        admin_token=args.admin_token,
        vendors=tuple(args.vendors) if args.vendors else None,
        quirks=frozenset(args.quirk),
        replay_dir=args.replay,
    )


def banner(config: MockConfig, host: str, port: int) -> str:
    base = f"http://{host}:{port}"
    lines = [f"credit-contracts mock server on {base}"]
    for vendor in discover_vendors(config.vendors):
        lines.append(f"  {vendor.title}: {base}{vendor.path_prefixes[0]}")
        lines += [f"    {credential}" for credential in vendor.demo_credentials]
    lines.append(f"  admin API: {base}/__admin/health")
    lines.append(f"  state: {config.state_path}")
    return "\n".join(lines)


def run_gunicorn(app: Any, host: str, port: int, workers: int, threads: int) -> None:
    """Serve a WSGI app under gunicorn: threaded workers forked from a preloaded app, so start-up
    work (specs, fixtures) is done once. The benchmark's bare-Flask baseline runs through this
    too, so the two differ only in the app."""
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "preload_app": True,
                "accesslog": None,
                "loglevel": "warning",
                "timeout": 120,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    _Server().run()


def serve(args: argparse.Namespace) -> int:
    temporary = None
    if args.state is None:
        temporary = tempfile.TemporaryDirectory(prefix="mockserver-")
        state_path = os.path.join(temporary.name, "state.sqlite3")
    else:
        state_path = args.state
    config = _config(args, state_path)
    try:
        app = create_app(config)  # built once, before forking: bad fixtures fail here
    except (FixtureError, ValueError) as exc:
        print(f"mockserver: {exc}", file=sys.stderr)
        return 2

    print(banner(config, args.host, args.port), flush=True)
    try:
        run_gunicorn(app, args.host, args.port, args.workers, args.threads)
    finally:
        if temporary is not None:
            temporary.cleanup()
    return 0


def check_fixtures(args: argparse.Namespace) -> int:
    for vendor in discover_vendors():
        folder = fixture_folder(vendor, args.fixtures)
        try:
            load_fixtures(folder, vendor.fixture_schema)
        except FixtureError as exc:
            print(f"mockserver: {exc}", file=sys.stderr)
            return 2
        print(f"{vendor.name}: {folder} ok")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    commands = {"serve": serve, "check-fixtures": check_fixtures, "proxy": proxy}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
