"""A real `mockserver serve` (gunicorn) on a free loopback port, for tests that need HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SERVE = [sys.executable, "-m", "mockserver.cli", "serve"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], bool], timeout: float = 30, what: str = "it") -> None:
    """Poll `condition` every 50 ms; fail the test when it does not hold within `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.05)


class ServerProcess:
    """A running `mockserver serve`: its base URL, its process and what it printed."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path, base: str) -> None:
        self.process = process
        self.log = log
        self.base = base

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def workers(self) -> set[int]:
        """Pids of the gunicorn workers (the master's children)."""
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[1]) == self.process.pid:
                found.add(int(stat.parent.name))
        return found

    def answering(self) -> bool:
        """It answers HTTP: healthy, or a 401 when started with --admin-token."""
        try:
            with urllib.request.urlopen(f"{self.base}/__admin/health", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    def kill_all(self) -> None:
        """SIGKILL the master and every worker at once, as a crash would."""
        for pid in [self.process.pid, *self.workers()]:
            os.kill(pid, signal.SIGKILL)
        self.process.wait()


@contextmanager
def started_server(
    *args: str, ready_timeout: float = 30, command: list[str] | None = None
) -> Iterator[ServerProcess]:
    """Start `mockserver serve ARGS` (or `command ARGS`) on 127.0.0.1 and yield it once
    healthy; stop it after."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mockserver-test-") as folder:
        log = Path(folder) / "output.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [*(command or SERVE), "--port", str(port), *args],
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        server = ServerProcess(process, log, f"http://127.0.0.1:{port}")
        try:
            deadline = time.monotonic() + ready_timeout
            while not server.answering():
                if process.poll() is not None:
                    raise RuntimeError(f"mockserver exited: {server.output()}")
                if time.monotonic() > deadline:
                    raise RuntimeError("mockserver did not become ready")
                time.sleep(0.05)
            yield server
        finally:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def running_server(
    *args: str, ready_timeout: float = 30, command: list[str] | None = None
) -> Iterator[str]:
    """Start `mockserver serve ARGS` on 127.0.0.1 and yield its base URL; stop it after.

    `command` replaces how `mockserver serve` is invoked (another installation's script)."""
    with started_server(*args, ready_timeout=ready_timeout, command=command) as server:
        yield server.base


def call(
    method: str, url: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """One JSON request; returns (status, parsed body or None)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    return status, json.loads(raw) if raw else None


def raw_exchange(
    base: str, request: bytes, timeout: float = 30
) -> tuple[int, dict[str, str], bytes]:
    """Send REQUEST bytes as they are on a fresh connection; return the first answer's
    status, headers (lower-case names) and body (read to Content-Length or to the close)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        reader = sock.makefile("rb")
        status = int(reader.readline().split()[1])
        headers = {}
        while (line := reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        length = headers.get("content-length")
        body = reader.read(int(length)) if length is not None else reader.read()
    return status, headers, body
