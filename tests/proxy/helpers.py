"""A real `mockserver proxy` process, and a loopback proxy that corrupts answers on purpose
(a vendor breaking its contract, planted between our proxy and the upstream)."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.live.helpers import free_port


@dataclass
class ProxyRun:
    """Where the proxy listens; after it stopped, its output and exit status."""

    base: str
    output: str = ""
    returncode: int | None = None
    journal: list[dict[str, Any]] = field(default_factory=list)

    def problems(self) -> list[dict[str, Any]]:
        return [p for entry in self.journal for p in entry["problems"]]


@contextmanager
def running_proxy(upstream: str, *args: str, ready_timeout: float = 90) -> Iterator[ProxyRun]:
    """`mockserver proxy --vendor medusa --upstream URL ARGS`; stopped with SIGTERM after, its
    journal read just before."""
    port = free_port()
    command = [sys.executable, "-m", "mockserver.cli", "proxy", "--vendor", "medusa"]
    command += ["--upstream", upstream, "--port", str(port), *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    run = ProxyRun(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"proxy exited: {process.stdout.read().decode()}")
            try:
                urllib.request.urlopen(f"{run.base}/__admin/requests", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("proxy did not become ready") from None
                time.sleep(0.1)
        yield run
        with urllib.request.urlopen(f"{run.base}/__admin/requests", timeout=10) as answer:
            run.journal = json.loads(answer.read())["requests"]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            run.output = process.communicate(timeout=30)[0].decode()
        except subprocess.TimeoutExpired:
            process.kill()
            run.output = process.communicate()[0].decode()
        run.returncode = process.returncode


Mutation = Callable[[str, str, int, Any], tuple[int, Any]]


@contextmanager
def corrupting_proxy(upstream: str, mutate: Mutation) -> Iterator[str]:
    """A loopback HTTP proxy to `upstream` whose JSON answers pass through
    `mutate(method, path, status, body) -> (status, body)`; yields its base URL."""
    target = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            connection.request(self.command, self.path, body, headers)
            answer = connection.getresponse()
            raw = answer.read()
            connection.close()
            try:
                status, data = mutate(self.command, self.path, answer.status, json.loads(raw))
                raw = json.dumps(data).encode()
            except ValueError:
                status = answer.status
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_DELETE = _forward

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
