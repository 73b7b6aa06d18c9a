"""`mockserver serve`: the mock under gunicorn (threads, and N processes sharing one SQLite
file), printing where each vendor lives and the demo credentials."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
from typing import Any

from mockserver.app import create_app, fixture_folder
from mockserver.config import MockConfig
from mockserver.fidelity import DEFAULT_FIDELITY, FIDELITY_MODES, describe
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
    quirks = commands.add_parser(
        "quirks", help="list the vendor defects the default (vendor) fidelity reproduces"
    )
    quirks.add_argument("--vendor", action="append", dest="vendors", help="only this vendor")
    quirks.add_argument("--json", action="store_true", help="print JSON instead of text")
    commands.add_parser("check-fixtures", help="validate fixture files and exit").add_argument(
        "--fixtures", metavar="DIR", help="fixture folder (default: the bundled demo data)"
    )
    return parser


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
        fidelity=args.fidelity,
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
    commands = {"serve": serve, "quirks": list_quirks, "check-fixtures": check_fixtures}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
