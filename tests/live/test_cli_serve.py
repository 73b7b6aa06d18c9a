"""The served mock from the command line: `mockserver wait` as a readiness gate, the access
log (text and JSON lines, several gunicorn workers, `--quiet`), and the README's CI recipe
run as written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from mockserver.redaction import fingerprint
from tests.ci_recipe import recipe, run_recipe
from tests.live.helpers import (
    SERVE,
    ServerProcess,
    call,
    free_port,
    running_server,
    wait_until,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WAIT = [sys.executable, "-m", "mockserver", "wait"]
SANDBOX_KEY = "apst_test_logged42"  # a credential: it must never reach the log
ACCESS_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) "
    r"(?P<ms>\d+\.\d)ms (?P<tenant>\S+)$"
)


def wait_for(
    url: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run([*WAIT, url, *args], capture_output=True, text=True, timeout=120, env=env)


class Served(ServerProcess):
    """A `mockserver serve` with its stdout and stderr kept apart."""

    def __init__(self, process: subprocess.Popen, folder: Path, base: str) -> None:
        super().__init__(process, folder / "err", base)
        self.folder = folder

    def stop(self) -> tuple[str, str]:
        """Stop it (SIGTERM, as CI does) and return what it printed: (stdout, stderr)."""
        self.process.terminate()
        self.process.wait(timeout=30)
        return (self.folder / "out").read_text(), self.output()


@contextmanager
def serving(*args: str) -> Iterator[Served]:
    """`mockserver serve ARGS` on a free port; ready once `mockserver wait` says so."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mockserver-cli-") as folder:
        out, err = Path(folder) / "out", Path(folder) / "err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            process = subprocess.Popen(
                [*SERVE, "--port", str(port), *args], stdout=stdout, stderr=stderr
            )
        served = Served(process, Path(folder), f"http://127.0.0.1:{port}")
        try:
            assert wait_for(served.base, "--timeout", "60").returncode == 0, err.read_text()
            yield served
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_wait_returns_as_soon_as_a_starting_server_is_healthy():
    """Started together, as a CI script does: `wait` returns 0 only once the mock answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [*SERVE, "--port", str(port), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        done = wait_for(url, "--timeout", "60")
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"mockserver: {url} is healthy"
        assert call("GET", f"{url}/__admin/health")[0] == 200  # no race left for the next step
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_wait_gives_up_after_its_timeout_in_one_line():
    url = f"http://127.0.0.1:{free_port()}"
    done = wait_for(url, "--timeout", "0.3")
    assert done.returncode == 1
    error = one_line(done.stderr)
    assert "Traceback" not in error, error
    assert f"mockserver wait: {url} not healthy after 0.3 s (" in error, error
    assert "refused" in error.lower(), error


def test_wait_needs_no_admin_token_and_ignores_proxy_variables():
    """The health check stays open under --admin-token; a proxy set for the CI job (here one
    that does not exist) is not asked."""
    with running_server("--admin-token", "s3cret", "--quiet") as base:
        proxy = f"http://127.0.0.1:{free_port()}"
        env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy, "no_proxy": ""}
        done = wait_for(base, "--timeout", "10", env=env)
        assert done.returncode == 0, done.stderr


def test_wait_refuses_what_is_not_a_url():
    done = wait_for("127.0.0.1:8080")
    assert done.returncode == 2
    assert "give a base URL, e.g. http://127.0.0.1:8080" in one_line(done.stderr)


def one_line(text: str) -> str:
    assert text.strip() and "\n" not in text.strip(), text
    return text.strip()


def test_the_access_log_has_a_line_per_request_and_no_secret():
    with serving("--workers", "2") as server:
        appstle = {"X-API-Key": SANDBOX_KEY}
        url = f"{server.base}/api/external/customer-loyalty?customerId=1001"
        assert call("GET", url, headers=appstle)[0] == 200
        body = {"customerId": 1001, "credits": 2.5}
        assert call("POST", f"{server.base}/api/external/add-credits", body, appstle)[0] == 200
        assert call("GET", url, headers={"X-API-Key": "wrong"})[0] == 401
        assert call("GET", f"{server.base}/__admin/tenants")[0] == 200
        out, err = server.stop()
    assert "credit-contracts mock server on" in out  # the banner stays on stdout
    assert SANDBOX_KEY not in err
    lines = [m.groupdict() for m in map(ACCESS_LINE.match, err.splitlines()) if m]
    logged = [(e["method"], e["path"], e["status"], e["tenant"]) for e in lines]
    tenant = f"appstle:{fingerprint(SANDBOX_KEY)}"
    assert logged[-4:] == [
        ("GET", "/api/external/customer-loyalty", "200", tenant),
        ("POST", "/api/external/add-credits", "200", tenant),
        ("GET", "/api/external/customer-loyalty", "401", "-"),
        ("GET", "/__admin/tenants", "200", "-"),
    ], err
    assert all(line[:3] == ("GET", "/__admin/health", "200") for line in logged[:-4]), err
    assert all(float(e["ms"]) > 0 for e in lines)


PATH = "/api/external/point-redeem-rules"


def test_json_lines_from_several_workers_stay_whole():
    """Two worker processes write to one stderr at once; every line is one whole record."""
    with serving("--workers", "2", "--threads", "4", "--log-format", "json") as server:
        wait_until(lambda: len(server.workers()) == 2, what="two workers")
        workers = server.workers()
        headers = {"X-API-Key": "apst_test_json"}
        url = f"{server.base}{PATH}"
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: call("GET", url, headers=headers)[0], range(40)))
        assert statuses == [200] * 40
        _, err = server.stop()
    records = [json.loads(line) for line in err.splitlines()]  # each line parses alone
    access = [r for r in records if r["logger"] == "mockserver.access" and r["path"] == PATH]
    assert len(access) == 40, err
    for record in access:
        assert record["method"] == "GET" and record["status"] == 200 and record["ms"] > 0
        assert record["tenant"] == f"appstle:{fingerprint('apst_test_json')}"
        assert record["pid"] in workers and record["level"] == "info"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["time"])


def test_quiet_turns_the_access_log_off():
    with serving("--quiet") as server:
        headers = {"X-API-Key": "apst_test_quiet"}
        url = f"{server.base}/api/external/point-redeem-rules"
        assert call("GET", url, headers=headers)[0] == 200
        out, err = server.stop()
    assert "credit-contracts mock server on" in out
    assert not any(ACCESS_LINE.match(line) for line in err.splitlines()), err
    assert "point-redeem-rules" not in err


BUDGET = {
    "CONTRACTS_VENDOR": "medusa",
    "CONTRACTS_MAX_EXAMPLES": "1",
    "CONTRACTS_PHASES": "examples",
    "CONTRACTS_QUIET": "1",
}


def test_the_readme_ci_recipe_runs_as_written(tmp_path):
    """The README's CI block, run by bash as a CI job does (`-e`), on a free port, with the
    suite's budget cut down through its documented variables (`python -m tests.ci_recipe`
    runs it ten times in a row, the full budget)."""
    assert "mockserver wait" in recipe()
    run = run_recipe(tmp_path, BUDGET)
    assert run.returncode == 0, run.out + run.err
    assert "medusa: ok: 0 failure(s)" in run.out and "PASSED" in run.out, run.out
    junit = (tmp_path / "reports" / "contracts.xml").read_text()
    assert "<testsuite" in junit and 'name="medusa"' in junit


def test_the_readme_ci_recipe_goes_red_with_a_readable_report_on_a_planted_bug(tmp_path):
    run = run_recipe(tmp_path, BUDGET, plant=True)
    assert run.returncode == 1, run.out + run.err
    assert "FAILED" in run.out and "/credit" in run.out, run.out
    assert "replay: curl" in run.out  # each failure says how to send it again
    junit = (tmp_path / "reports" / "contracts.xml").read_text()
    assert "<failure" in junit and "/credit" in junit
