"""Checks of `mockserver serve` options before anything is served. Each mistake is a
`UsageError` naming its flag, printed as one line (exit 2): never a traceback, and never a
silently ignored option."""

from __future__ import annotations

import errno
import ipaddress
import os
import re
import socket
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from mockserver.vendor import Vendor

FIXTURE_LAYOUT = "DIR/<vendor>/*.yaml or DIR/<vendor>.yaml"
ADMIN_EXPOSURE = (
    "state export and import (every tenant's records and issued tokens), reset, fixtures, "
    "faults (injected errors and latency) and the request journal"
)


class UsageError(Exception):
    """An option that cannot be used, and why, in one sentence naming the flag."""

    def __init__(self, flag: str, message: str) -> None:
        super().__init__(f"{flag} {message}")


def sandbox_patterns(items: Iterable[str], vendors: Iterable[Vendor]) -> dict[str, str]:
    """`VENDOR=REGEX` options as {vendor: regex}, each naming a vendor and compiling."""
    names = sorted(v.name for v in vendors)
    patterns = {}
    for item in items:
        vendor, sep, regex = item.partition("=")
        if not sep:
            raise UsageError("--sandbox-pattern", f"{item!r}: write it as VENDOR=REGEX")
        if vendor not in names:
            raise UsageError(
                "--sandbox-pattern", f"{item!r}: {vendor!r} is none of {', '.join(names)}"
            )
        try:
            re.compile(regex)
        except re.error as exc:
            raise UsageError("--sandbox-pattern", f"{item!r}: not a valid regex ({exc})") from None
        patterns[vendor] = regex
    return patterns


def check_fixture_root(folder: str, vendors: Iterable[Vendor]) -> None:
    """`--fixtures DIR` holds fixtures of at least one vendor, and nothing named after none."""
    names = sorted(v.name for v in vendors)
    root = Path(folder)
    if not root.is_dir():
        raise UsageError("--fixtures", f"{folder}: no such folder")
    entries = [e for e in root.iterdir() if not e.name.startswith(".")]
    laid_out = [e for e in entries if e.is_dir() or e.suffix in (".yaml", ".yml")]
    for entry in laid_out:
        if entry.name not in names and not (entry.suffix == ".yaml" and entry.stem in names):
            raise UsageError(
                "--fixtures",
                f"{entry} names no vendor: lay fixtures out as {FIXTURE_LAYOUT} "
                f"(vendors: {', '.join(names)})",
            )
    if not laid_out:
        raise UsageError("--fixtures", f"{folder} holds no fixtures: expected {FIXTURE_LAYOUT}")


def check_state_file(path: str) -> None:
    """The state file can be opened as an SQLite database and written."""
    target = Path(path)
    if target.is_dir():
        raise UsageError("--state", f"{path} is a folder: give a file, e.g. {target / 'state.db'}")
    if not target.parent.is_dir():
        raise UsageError("--state", f"{path}: folder {target.parent} does not exist")
    try:
        with closing(sqlite3.connect(path, timeout=10)) as conn:
            conn.execute("BEGIN IMMEDIATE")  # reads the header and takes the write lock
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise UsageError(
            "--state", f"{path}: cannot use it as an SQLite state file ({exc})"
        ) from None


def is_loopback(host: str) -> bool:
    """True when every address `host` names is a loopback one (127.0.0.0/8, ::1)."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None, proto=6)}
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError("--host", f"{host!r}: not an address of this machine ({exc})") from None
    return all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def check_admin_exposure(host: str, admin_token: str | None, insecure_admin: bool) -> str | None:
    """Refuse an unauthenticated admin API on a non-loopback host unless the operator insists;
    when they do, return the warning to print."""
    if admin_token or is_loopback(host):
        return None
    if not insecure_admin:
        raise UsageError(
            "--host",
            f"{host} is not a loopback address and the admin API has no token: anyone who "
            f"reaches it could use {ADMIN_EXPOSURE}; give --admin-token TOKEN "
            "(or --insecure-admin to serve it open anyway)",
        )
    return (
        f"WARNING: --insecure-admin: the admin API (/__admin) on {host} has no token; anyone "
        f"who reaches it can use {ADMIN_EXPOSURE}."
    )


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port), made before anything is printed, so a busy port
    or a foreign address is one clear error rather than a banner followed by a failure."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=2048)
    except OSError as exc:
        # create_server re-raises with the address in the message; name-lookup failures have
        # negative numbers (EAI_*), the rest are errno values with a plain reason.
        code = exc.errno or 0
        reason = os.strerror(code) if code > 0 else "no such host"
        on_host = code < 0 or code == errno.EADDRNOTAVAIL
        flag, value = ("--host", host) if on_host else ("--port", port)
        raise UsageError(flag, f"{value}: cannot listen on {host}:{port}: {reason}") from None
