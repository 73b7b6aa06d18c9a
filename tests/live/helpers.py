"""A real `mockserver serve` (gunicorn) on a free loopback port, for tests that need HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(
    *args: str, ready_timeout: float = 30, command: list[str] | None = None
) -> Iterator[str]:
    """Start `mockserver serve ARGS` on 127.0.0.1 and yield its base URL; stop it after.

    `command` replaces how `mockserver serve` is invoked (another installation's script)."""
    port = free_port()
    program = command or [sys.executable, "-m", "mockserver.cli", "serve"]
    command = [*program, "--port", str(port), *args]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ}
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"mockserver exited: {process.stdout.read().decode()}")
            try:
                urllib.request.urlopen(f"{base}/__admin/health", timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # it answers (a 401 when started with --admin-token)
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("mockserver did not become ready") from None
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
