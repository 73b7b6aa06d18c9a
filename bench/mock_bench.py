"""Throughput and latency of one validated, stateful write per vendor, side by side with a bare
Flask handler, the same handler keeping a balance in the mock's store (the floor of any
stateful write on these parts; same gunicorn settings) and Prism mocking the same spec, all
on this machine.

    .venv/bin/python bench/mock_bench.py [--duration 10] [--connections 16] [--skip-prism]
                                         [--markdown] [--loadgen auto|wrk|python]

Progress goes to stderr; the results table goes to stdout (markdown with --markdown). Every
server it starts listens on 127.0.0.1 only and is stopped on the way out, Ctrl-C included.
Exit status: 0 every target met, 1 a target missed, 2 the bench itself could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import list_bench  # bench/list_bench.py, beside this file

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SPECS = ROOT / "specs"
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # all benchmark traffic stays on the loopback interface
WORKERS, THREADS = 2, 8  # the mock and bare Flask get the same gunicorn settings

# The targets from the issue.
MIN_VS_PRISM = 2.0
MIN_VS_BARE = 0.5
MAX_P99_MS = 20.0
MAX_READY_S = 1.0

AMOUNT = Decimal("1.25")  # every write adds this much store credit


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- talking to a server (no proxies: everything is on 127.0.0.1) -------------------------

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(
    base: str, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None
) -> tuple[int, Any]:
    """One request; answers (status, JSON body with exact decimals, or the raw text)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
        request.add_header(name, value)
    try:
        with _OPENER.open(request, timeout=10) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    try:
        return status, json.loads(raw, parse_float=Decimal)
    except ValueError:
        return status, raw.decode(errors="replace")


def expect(base: str, method: str, path: str, **kwargs: Any) -> Any:
    status, body = call(base, method, path, **kwargs)
    if not 200 <= status < 300:
        raise BenchError(f"{method} {path} answered {status}: {str(body)[:300]}")
    return body


class BenchError(Exception):
    """Something the bench needs did not work; the message says what."""


# --- the writes under test, one per vendor -----------------------------------------------


@dataclass
class Ledger:
    balance: Decimal  # what the customer holds
    writes: int  # bench writes the server has recorded


@dataclass
class Write:
    """One vendor's write: how wrk (or the Python load generator) sends it, and how to read
    the ledger it changes."""

    vendor: str
    title: str
    spec: str
    lua: str
    path: str
    headers: dict[str, str]
    body: str
    env: dict[str, str] = field(default_factory=dict)

    def prepare(self, base: str, *, prism: bool) -> None:
        """Fill in what the request needs from the server (an id, a token)."""

    def ledger(self, base: str) -> Ledger:
        raise NotImplementedError


def tenant_records(base: str, tenant: str, kind: str) -> list[dict[str, Any]]:
    state = expect(base, "GET", "/__admin/state")
    records = state["tenants"].get(tenant, {}).get("records", {}).get(kind, [])
    return [record["data"] for record in records]


class AppstleAddCredits(Write):
    KEY = "apst_test_bench"

    def __init__(self) -> None:
        super().__init__(
            vendor="appstle",
            title="Appstle add-credits",
            spec="appstle-loyalty.yaml",
            lua="appstle_add_credits.lua",
            path="/api/external/add-credits",
            headers={"X-API-Key": self.KEY, "Content-Type": "application/json"},
            body='{"customerId": 1001, "credits": 1.25, "note": "bench"}',
        )

    def ledger(self, base: str) -> Ledger:
        customer = expect(
            base,
            "GET",
            "/api/external/customer-loyalty?customerId=1001",
            headers={"X-API-Key": self.KEY},
        )
        writes = [
            t
            for t in tenant_records(base, f"appstle:{self.KEY}", "transaction")
            if t.get("note") == "bench" and t.get("unit") == "STORE_CREDIT"
        ]
        return Ledger(Decimal(str(customer["storeCreditBalance"])), len(writes))


class MedusaCredit(Write):
    KEY = "sk_test_bench"
    SPEC_EXAMPLE_ACCOUNT = "sc_acc_01JDEMQ0USD0000000000000AA"  # what Prism is sent

    def __init__(self) -> None:
        super().__init__(
            vendor="medusa",
            title="Medusa credit",
            spec="medusa-store-credit.yaml",
            lua="medusa_credit.lua",
            path="",
            headers={
                "Authorization": "Basic c2tfdGVzdF9iZW5jaDo=",
                "Content-Type": "application/json",
            },
            body='{"amount": 1.25, "note": "bench"}',
        )
        self.account = self.SPEC_EXAMPLE_ACCOUNT

    def prepare(self, base: str, *, prism: bool) -> None:
        if not prism:
            accounts = expect(base, "GET", "/admin/store-credit-accounts", headers=self._auth())[
                "store_credit_accounts"
            ]
            if not accounts:
                raise BenchError("GET /admin/store-credit-accounts listed no account to credit")
            self.account = accounts[0]["id"]
        self.path = f"/admin/store-credit-accounts/{self.account}/credit"

    def _auth(self) -> dict[str, str]:
        return {"Authorization": self.headers["Authorization"]}

    def _transactions(self, base: str) -> list[dict[str, Any]]:
        """Every transaction of the account, through the public API, page by page."""
        found: list[dict[str, Any]] = []
        while True:
            page = expect(
                base,
                "GET",
                f"/admin/store-credit-accounts/{self.account}/transactions"
                f"?fields=type,note&limit=500&offset={len(found)}",
                headers=self._auth(),
            )
            found += page["transactions"]
            if not page["transactions"] or len(found) >= page["count"]:
                return found

    def ledger(self, base: str) -> Ledger:
        account = expect(
            base, "GET", f"/admin/store-credit-accounts/{self.account}", headers=self._auth()
        )["store_credit_account"]
        writes = [
            t
            for t in self._transactions(base)
            if t.get("type") == "credit" and t.get("note") == "bench"
        ]
        return Ledger(Decimal(str(account["balance"])), len(writes))


class SpreeStoreCredit(Write):
    CLIENT, SECRET = "test_bench", "test_secret"

    def __init__(self) -> None:
        super().__init__(
            vendor="spree",
            title="Spree create store credit",
            spec="spree-platform-store-credits.yaml",
            lua="spree_store_credit.lua",
            path="/api/v2/platform/store_credits",
            headers={"Content-Type": "application/vnd.api+json"},
            body=json.dumps(
                {
                    "store_credit": {
                        "user_id": "1",
                        "created_by_id": "2",
                        "category_id": "1",
                        "type_id": "1",
                        "store_id": "1",
                        "currency": "USD",
                        "amount": 1.25,
                        "memo": "bench",
                    }
                }
            ),
        )

    def prepare(self, base: str, *, prism: bool) -> None:
        token = "prism-accepts-any-token"
        if not prism:
            token = expect(
                base,
                "POST",
                "/spree_oauth/token",
                body={
                    "grant_type": "client_credentials",
                    "client_id": self.CLIENT,
                    "client_secret": self.SECRET,
                    "scope": "admin",
                },
            )["access_token"]
        self.env = {"BENCH_BEARER_TOKEN": token}
        self.headers["Authorization"] = f"Bearer {token}"

    def ledger(self, base: str) -> Ledger:
        credits = [
            c
            for c in tenant_records(base, f"spree:{self.CLIENT}", "store_credit")
            if c.get("user_id") == "1" and c.get("deleted_at") is None
        ]
        balance = sum(
            (Decimal(c["amount"]) - Decimal(c["amount_used"]) for c in credits), Decimal()
        )
        return Ledger(balance, sum(1 for c in credits if c.get("memo") == "bench"))


# --- servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def answers(host: str, port: int, path: str, ok: Callable[[int], bool]) -> bool:
    conn = http.client.HTTPConnection(host, port, timeout=0.5)
    try:
        conn.request("GET", path)
        return ok(conn.getresponse().status)
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


@dataclass
class Server:
    name: str
    base: str
    ready_s: float


@contextlib.contextmanager
def serving(
    name: str,
    command: list[str],
    port: int,
    probe: str,
    ok: Callable[[int], bool] = lambda s: s == 200,
    timeout: float = 60.0,
) -> Iterator[Server]:
    """Start a server in its own process group, time it until `probe` answers (polled every
    10 ms), and stop the whole group on the way out, whatever happens."""
    with tempfile.TemporaryFile() as output:  # the server's own output, shown if it fails
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            while not answers(HOST, port, probe, ok):
                if exit_status(process) is not None:
                    output.seek(0)
                    tail = output.read().decode(errors="replace").strip()[-1500:]
                    raise BenchError(
                        f"{name} exited ({exit_status(process)}) before answering:\n{tail}"
                    )
                if time.perf_counter() - started > timeout:
                    raise BenchError(f"{name} did not answer GET {probe} within {timeout:.0f} s")
                time.sleep(0.01)
            ready = time.perf_counter() - started
            log(f"{name} ready in {ready:.3f} s on {HOST}:{port}")
            yield Server(name, f"http://{HOST}:{port}", ready)
        finally:
            stop(process)


def exit_status(process: subprocess.Popen[bytes]) -> int | None:
    """The leader's exit status, None while it runs. It is left unreaped (a zombie) so that
    its pid, which is also its process group's id, cannot be reused before `stop` is done
    with the group: signals to that group reach only processes this bench started."""
    info = os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    return None if info is None else info.si_status


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the process group this bench started (gunicorn's master and workers, or Prism's
    node): TERM, KILL if it lingers, then KILL any member left behind, and reap the leader."""
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        if exit_status(process) is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        deadline = time.monotonic() + grace
        while exit_status(process) is None and time.monotonic() < deadline:
            time.sleep(0.02)
    with contextlib.suppress(ProcessLookupError):  # workers whose master died first
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


# --- tools: wrk and Prism, installed by the bench itself ----------------------------------


def ensure_wrk(choice: str) -> str | None:
    """Path to wrk, installing Debian's package when we are root; None means: use the Python
    load generator."""
    if choice == "python":
        return None
    path = shutil.which("wrk")
    if path is None and os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing: apt-get install -y wrk")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for attempt in (["apt-get", "install", "-y", "wrk"], ["apt-get", "update"]) * 2:
            if subprocess.run(attempt, stdout=sys.stderr, env=env).returncode == 0 and (
                path := shutil.which("wrk")
            ):
                break
    if path is None:
        why = "wrk is not installed (as root, `apt-get install -y wrk`)"
        if choice == "wrk":
            raise BenchError(why)
        log(f"{why}; using the bounded Python load generator instead (it needs a core of its")
        log("own, so its figures are lower than wrk's: compare rows of one run, not across runs)")
    return path


def ensure_prism(skip: bool) -> tuple[Path | None, str]:
    """Path to bench/node_modules/.bin/prism (npm-installing the pinned version when missing),
    or None and the reason it is skipped."""
    prism = BENCH / "node_modules" / ".bin" / "prism"
    if skip:
        return None, "--skip-prism"
    if prism.exists():
        return prism, ""
    npm = shutil.which("npm")
    if npm is None or shutil.which("npx") is None:
        return None, "npm/npx not found (install Node.js and npm to compare with Prism)"
    verb = "ci" if (BENCH / "package-lock.json").exists() else "install"
    log(f"installing Prism from bench/package.json: npm {verb}")
    done = subprocess.run(
        [npm, verb, "--no-audit", "--no-fund"], cwd=BENCH, capture_output=True, text=True
    )
    if done.returncode != 0 or not prism.exists():
        tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-2:])
        return None, f"npm {verb} in bench/ failed: {tail}"
    return prism, ""


# --- load ---------------------------------------------------------------------------------


@dataclass
class Load:
    tool: str
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    ok_2xx: int
    non_2xx: int  # answers outside 2xx (wrk's "Non-2xx or 3xx responses" counts only >= 400)
    socket_errors: int

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(text: str) -> Load:
    """Read wrk's own summary (requests/s, latency distribution, non-2xx, socket errors) and
    the 2xx count our Lua script adds."""

    def latency(percent: int) -> float:
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
        if not found:
            raise BenchError(f"wrk printed no {percent}% latency:\n{text}")
        return float(found[1]) * _UNITS_MS[found[2]]

    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    total = re.search(r"^\s+(\d+) requests in", text, re.M)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    result = re.search(r"^bench-result (\{.*\})$", text, re.M)
    if not (rps and total and result):
        raise BenchError(f"could not read wrk's output:\n{text}")
    counted = json.loads(result[1])
    return Load(
        tool="wrk",
        requests=int(total[1]),
        rps=float(rps[1]),
        p50_ms=latency(50),
        p90_ms=latency(90),
        p99_ms=latency(99),
        ok_2xx=counted["ok_2xx"],
        # wrk counts only >= 400 as "Non-2xx or 3xx"; the Lua count also catches 1xx/3xx.
        non_2xx=max(int(non_2xx[1]) if non_2xx else 0, counted["other_status"]),
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def run_wrk(wrk: str, base: str, write: Write, duration: int, connections: int) -> tuple[Load, str]:
    command = [
        wrk,
        "-t2",
        f"-c{connections}",
        f"-d{duration:g}s",
        "--latency",
        "--timeout",
        "5s",
        "-s",
        str(BENCH / "wrk" / write.lua),
        base + write.path,
    ]
    env = {**os.environ, **write.env}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=duration + 30)
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse_wrk(done.stdout), shlex.join(command)


def run_python(base: str, write: Write, duration: int, connections: int) -> Load:
    """A small load generator for machines without wrk: one keep-alive connection per thread,
    each sending the write back to back until the deadline."""
    url = urlsplit(base)
    deadline = time.monotonic() + duration
    latencies: list[float] = []
    counts = {"ok": 0, "other": 0, "socket": 0}
    lock = threading.Lock()

    def connection() -> None:
        mine: list[float] = []
        ok = other = broken = 0
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("POST", write.path, body=write.body, headers=write.headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                broken += 1
                conn.close()
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
                continue
            mine.append((time.perf_counter() - started) * 1000)
            if 200 <= response.status < 300:
                ok += 1
            else:
                other += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            counts["ok"] += ok
            counts["other"] += other
            counts["socket"] += broken

    started = time.monotonic()
    workers = [threading.Thread(target=connection, daemon=True) for _ in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(duration + 10)
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0.0

    return Load(
        tool="python",
        requests=len(latencies),
        rps=len(latencies) / elapsed,
        p50_ms=percentile(0.50),
        p90_ms=percentile(0.90),
        p99_ms=percentile(0.99),
        ok_2xx=counts["ok"],
        non_2xx=counts["other"],
        socket_errors=counts["socket"],
    )


# --- one benchmark run --------------------------------------------------------------------


@dataclass
class Row:
    target: str
    kind: str  # "mock", "bare", "floor", "prism"
    vendor: str | None
    load: Load | None = None
    ready_s: float | None = None
    ledger: str = ""
    ledger_ok: bool | None = None
    failure: str = ""  # why there are no figures


@dataclass
class Bench:
    duration: int
    connections: int
    warmup: int
    wrk: str | None
    rows: list[Row] = field(default_factory=list)
    load_before: float = field(default_factory=lambda: os.getloadavg()[0])
    commands: list[str] = field(default_factory=list)
    list_lines: list[str] = field(default_factory=list)  # list_bench.py's table and verdict
    list_met: bool = True

    def drive(self, base: str, write: Write, duration: int) -> Load:
        if self.wrk:
            load, command = run_wrk(self.wrk, base, write, duration, self.connections)
            if duration == self.duration:
                self.commands.append(command)
            return load
        return run_python(base, write, duration, self.connections)

    def warm(self, base: str, write: Write) -> None:
        """Unmeasured load first: the first writes open the tenant and warm the caches."""
        if self.warmup:
            self.drive(base, write, self.warmup)

    def measure(self, row: Row, base: str, write: Write) -> None:
        row.load = self.drive(base, write, self.duration)
        log(
            f"{row.target}: {row.load.rps:,.0f} req/s, p99 {row.load.p99_ms:.2f} ms, "
            f"{row.load.ok_2xx} 2xx, {row.load.errors} errors"
        )


def settled(write: Write, base: str, quiet: float = 1.0, limit: float = 15.0) -> Ledger:
    """The ledger once it has stopped moving for `quiet` seconds: wrk abandons the requests in
    flight when its clock runs out, and the server still finishes and commits them."""
    reading, since = write.ledger(base), time.monotonic()
    deadline = since + limit
    while time.monotonic() - since < quiet and time.monotonic() < deadline:
        time.sleep(0.25)
        again = write.ledger(base)
        if again != reading:
            reading, since = again, time.monotonic()
    return reading


def check_ledger(write: Write, base: str, before: Ledger, load: Load, connections: int) -> str:
    """The balance must have grown by exactly AMOUNT per write the server recorded, and those
    writes must be the 2xx answers wrk saw plus at most one in flight per connection when
    wrk's clock ran out (wrk drops those answers; the server still commits them)."""
    after = settled(write, base)
    grew = after.balance - before.balance
    writes = after.writes - before.writes
    in_flight = writes - load.ok_2xx
    exact = grew == AMOUNT * writes
    # A request wrk timed out on may still have been committed, like one cut off at the end.
    unanswered = connections + load.socket_errors
    matched = 0 <= in_flight <= unanswered
    verdict = "OK" if exact and matched else "INCONSISTENT"
    return (
        f"{verdict}: balance {before.balance} -> {after.balance} (+{grew}) = {AMOUNT} x "
        f"{writes} recorded writes{'' if exact else ' is FALSE'}; "
        f"wrk saw {load.ok_2xx} 2xx, {in_flight} more were in flight at its deadline"
        f"{'' if matched else f' (expected 0..{unanswered})'}"
    )


def server_options(port: int) -> list[str]:
    """The mock and both baselines get the same port option and gunicorn settings."""
    return ["--port", str(port), "--workers", str(WORKERS), "--threads", str(THREADS)]


def bench_bare(bench: Bench) -> None:
    """The two floors of `bare_flask.py`: the issue's bare Flask, then the same with a SQLite
    ledger write through the mock's store (what any stateful write on these parts costs)."""
    for target, kind, flags in (
        ("bare Flask (add-credits)", "bare", []),
        ("floor: Flask + store write", "floor", ["--ledger"]),
    ):
        row = Row(target, kind, None)
        bench.rows.append(row)
        port = free_port()
        command = [sys.executable, str(BENCH / "bare_flask.py"), *server_options(port), *flags]
        try:
            with serving(target, command, port, "/__admin/health") as server:
                row.ready_s = server.ready_s
                bench.warm(server.base, AppstleAddCredits())
                bench.measure(row, server.base, AppstleAddCredits())
        except BenchError as exc:
            row.failure = str(exc)
            log(f"{target}: {exc}")


def bench_mock(bench: Bench, writes: list[Write]) -> None:
    port = free_port()
    command = [str(VENV_BIN / "mockserver"), "serve", *server_options(port), "--fidelity", "spec"]
    rows = [Row(f"mock {w.title}", "mock", w.vendor) for w in writes]
    bench.rows.extend(rows)
    try:
        with serving("mock", command, port, "/__admin/health") as server:
            for row, write in zip(rows, writes, strict=True):
                row.ready_s = server.ready_s
                try:
                    write.prepare(server.base, prism=False)
                    bench.warm(server.base, write)
                    before = settled(write, server.base)
                    bench.measure(row, server.base, write)
                    row.ledger = check_ledger(
                        write, server.base, before, row.load, bench.connections
                    )
                    row.ledger_ok = row.ledger.startswith("OK")
                    log(f"{row.target} ledger {row.ledger}")
                except (BenchError, KeyError, TypeError, ValueError) as exc:
                    row.failure = f"{write.vendor} not working: {exc}"
                    log(f"{row.target}: {row.failure}")
    except BenchError as exc:
        for row in rows:
            row.failure = row.failure or str(exc)
        log(f"mock: {exc}")


def bench_prism(bench: Bench, prism: Path | None, why: str, writes: list[Write]) -> None:
    for write in writes:
        row = Row(f"Prism {write.title}", "prism", write.vendor)
        bench.rows.append(row)
        if prism is None:
            row.failure = f"skipped: {why}"
            continue
        port = free_port()
        command = [str(prism), "mock", "-p", str(port), "-h", HOST, str(SPECS / write.spec)]
        try:
            # Prism answers any path once it listens (404 for unknown ones).
            with serving(f"Prism {write.vendor}", command, port, "/", lambda s: s > 0) as server:
                row.ready_s = server.ready_s
                write.prepare(server.base, prism=True)
                bench.warm(server.base, write)
                bench.measure(row, server.base, write)
        except BenchError as exc:
            row.failure = str(exc)
            log(f"Prism {write.vendor}: {exc}")


# --- the report ---------------------------------------------------------------------------


def ratio(row: Row, reference: Row | None) -> float | None:
    if not (row.load and reference and reference.load) or reference.load.rps == 0:
        return None
    if row is reference or reference.load.errors:
        return None
    return row.load.rps / reference.load.rps


def verdicts(row: Row, bare: Row | None, prism: Row | None) -> list[tuple[str, str, str]]:
    """(target, PASS/MISS/SKIP, the figure) for one mock row."""
    load = row.load
    if load is None:
        return [("ran", "MISS", row.failure)]
    clean = load.errors == 0
    checks: list[tuple[str, str, str]] = []
    if not clean:
        checks.append(
            (
                "no errors",
                "MISS",
                f"{load.non_2xx} non-2xx, {load.socket_errors} socket errors: not counted as fast",
            )
        )
    for name, ref, minimum in (
        (f">= {MIN_VS_PRISM:g}x Prism", prism, MIN_VS_PRISM),
        (f">= {MIN_VS_BARE:g}x bare Flask", bare, MIN_VS_BARE),
    ):
        value = ratio(row, ref)
        if value is None:
            why = ref.failure if ref and ref.failure else "reference run had errors"
            checks.append((name, "SKIP", why))
        else:
            checks.append((name, _pass(clean and value >= minimum), f"{value:.2f}x"))
    checks.append(
        (
            f"p99 < {MAX_P99_MS:g} ms",
            _pass(clean and load.p99_ms < MAX_P99_MS),
            f"{load.p99_ms:.2f} ms",
        )
    )
    if row.ready_s is not None:
        checks.append(
            (f"ready < {MAX_READY_S:g} s", _pass(row.ready_s < MAX_READY_S), f"{row.ready_s:.3f} s")
        )
    if row.ledger_ok is not None:
        checks.append(("ledger exact", _pass(row.ledger_ok), row.ledger.split(":")[0]))
    return checks


def _pass(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _fmt(value: float | None, unit: str = "", digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def table(bench: Bench) -> tuple[list[str], list[list[str]]]:
    bare = next((r for r in bench.rows if r.kind == "bare"), None)
    floor = next((r for r in bench.rows if r.kind == "floor"), None)
    prisms = {r.vendor: r for r in bench.rows if r.kind == "prism"}
    header = [
        "target",
        "req/s",
        "p50",
        "p90",
        "p99",
        "errors",
        "vs bare Flask",
        "vs floor",
        "vs Prism",
        "ready",
    ]
    body = []
    for row in bench.rows:
        load = row.load
        if load is None:
            body.append([row.target, "-", "-", "-", "-", row.failure, "-", "-", "-", "-"])
            continue
        errors = "0"
        if load.errors:
            errors = f"{load.errors} ERRORS ({load.non_2xx} non-2xx, {load.socket_errors} socket)"
        prism = prisms.get(row.vendor) if row.kind == "mock" else None
        body.append(
            [
                row.target,
                _fmt(load.rps, digits=0),
                _fmt(load.p50_ms, " ms"),
                _fmt(load.p90_ms, " ms"),
                _fmt(load.p99_ms, " ms"),
                errors,
                _fmt(ratio(row, bare), "x"),
                _fmt(ratio(row, floor) if row.kind == "mock" else None, "x"),
                _fmt(ratio(row, prism), "x"),
                _fmt(row.ready_s, " s", 3),
            ]
        )
    return header, body


def report(bench: Bench, command: str, markdown: bool) -> bool:
    header, body = table(bench)
    bare = next((r for r in bench.rows if r.kind == "bare"), None)
    prisms = {r.vendor: r for r in bench.rows if r.kind == "prism"}
    tool = "wrk" if bench.wrk else "the Python load generator"
    load_now = os.getloadavg()[0]
    setting = (
        f"{tool}, {bench.connections} connections, {bench.duration:g} s per target after a "
        f"{bench.warmup:g} s warm-up; gunicorn gthread {WORKERS} workers x {THREADS} threads; "
        f"{os.cpu_count()} CPUs, load average {bench.load_before:.2f} before, {load_now:.2f} "
        "after; "
        f"Python {platform.python_version()}"
    )
    all_pass = True
    verdict_lines = []
    ledger_lines = []
    for row in bench.rows:
        if row.kind != "mock":
            continue
        checks = verdicts(row, bare, prisms.get(row.vendor))
        all_pass &= all(state != "MISS" for _, state, _ in checks)
        verdict_lines.append(
            (row.target, ", ".join(f"{state} {name} ({figure})" for name, state, figure in checks))
        )
        if row.ledger:
            ledger_lines.append((row.target, row.ledger))
    out = []
    if markdown:
        out.append(f"Command: `{command}`  \n{setting}.\n")
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
        out += ["| " + " | ".join(cells) + " |" for cells in body]
        out.append("")
        out += [f"- **{target}**: {text}" for target, text in verdict_lines]
        out += [f"- ledger, {target}: {text}" for target, text in ledger_lines]
    else:
        widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
        out.append(f"{command}\n{setting}\n")
        for cells in [header, *body]:
            out.append(
                "  ".join(
                    c.ljust(w) if i == 0 else c.rjust(w)
                    for i, (c, w) in enumerate(zip(cells, widths, strict=True))
                )
            )
        out.append("")
        out += [f"{target}: {text}" for target, text in verdict_lines]
        out += [f"ledger, {target}: {text}" for target, text in ledger_lines]
    if bench.list_lines:
        out += ["", *bench.list_lines]
        all_pass &= bench.list_met
    out.append(f"\n{'ALL TARGETS MET' if all_pass else 'TARGETS MISSED'}")
    print("\n".join(out), flush=True)
    return all_pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per target (10)")
    parser.add_argument("--connections", type=int, default=16, help="open connections (16)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured seconds first (1)")
    parser.add_argument("--skip-prism", action="store_true", help="do not run Prism")
    parser.add_argument("--markdown", action="store_true", help="print the table as markdown")
    parser.add_argument(
        "--skip-lists", action="store_true", help="do not time list pages (bench/list_bench.py)"
    )
    parser.add_argument(
        "--loadgen",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="wrk (installed with apt-get when missing and root), the Python generator, or "
        "auto: wrk when it can be had (default)",
    )
    parser.add_argument(
        "--vendor",
        action="append",
        choices=("appstle", "medusa", "spree"),
        help="only this vendor's write (repeatable; default all)",
    )
    return parser


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.duration <= 0 or args.duration > 600 or args.connections < 1:
        raise SystemExit("--duration must be in (0, 600] s and --connections at least 1")
    command = shlex.join([".venv/bin/python", "bench/mock_bench.py", *(argv or sys.argv[1:])])
    signal.signal(signal.SIGTERM, _terminate)  # so `finally` stops the servers on kill too
    writes: list[Write] = [
        w
        for w in (AppstleAddCredits(), MedusaCredit(), SpreeStoreCredit())
        if not args.vendor or w.vendor in args.vendor
    ]
    try:
        wrk = ensure_wrk(args.loadgen)
        prism, why = ensure_prism(args.skip_prism)
        if prism is None:
            log(f"Prism skipped: {why}")
        bench = Bench(args.duration, args.connections, args.warmup, wrk)
        bench_bare(bench)
        bench_mock(bench, writes)
        bench_prism(bench, prism, why, writes)
        if not args.skip_lists:
            log("list bench: a page of transactions at 100 and at 20,000 (in-process)")
            bench.list_lines, bench.list_met = list_bench.measure(100, 20_000, 30)
    except BenchError as exc:
        log(str(exc))
        return 2
    except KeyboardInterrupt:
        log("interrupted; every server this run started has been stopped")
        return 130
    return 0 if report(bench, command, args.markdown) else 1


if __name__ == "__main__":
    sys.exit(main())
