"""Hostile input and operator mistakes, through the real `mockserver serve` process: what
gunicorn, the WSGI layer and the command line do can only be seen there."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.live.helpers import (
    SERVE,
    ServerProcess,
    call,
    free_port,
    raw_exchange,
    started_server,
    wait_until,
)
from tests.live.vendors import (
    APPSTLE_CREDIT,
    APPSTLE_CUSTOMER,
    MEDUSA_ACCOUNT,
    SPREE_CREDITS,
    appstle_headers,
    medusa_headers,
    spree_credit,
    spree_headers,
)

pytestmark = pytest.mark.slow

MIB = 1_048_576
# TEST-NET-1 (RFC 5737): a non-loopback address no interface of this machine has, so a
# server told to use it can never listen anywhere but fails to bind instead.
UNASSIGNED_HOST = "192.0.2.1"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    """One server for the request-level tests; each test uses a sandbox tenant of its own."""
    with started_server() as running:
        yield running


def balance(base: str, sandbox: str) -> Decimal:
    status, body = call("GET", base + APPSTLE_CUSTOMER, None, appstle_headers(sandbox))
    assert status == 200, body
    return Decimal(str(body["storeCreditBalance"]))


def state_folder(output: str) -> Path:
    found = re.search(r"^  state: (.+)$", output, re.MULTILINE)
    assert found, output
    return Path(found.group(1)).parent


# -- 1. the temporary state belongs to the master ------------------------------------------


def test_workers_that_exit_leave_the_temporary_state_to_the_master() -> None:
    with started_server("--workers", "2") as server:
        folder = state_folder(server.output())
        start = balance(server.base, "worker_exit")
        call("POST", server.base + APPSTLE_CREDIT, {"customerId": 1001, "credits": 5},
             appstle_headers("worker_exit"))  # fmt: skip
        wait_until(lambda: len(server.workers()) == 2, what="two workers")

        victim = min(server.workers())
        os.kill(victim, signal.SIGTERM)
        wait_until(lambda: victim not in server.workers() and len(server.workers()) == 2,
                   what="a replacement worker")  # fmt: skip
        for _ in range(6):  # requests land on both workers
            assert balance(server.base, "worker_exit") == start + 5

        before_reload = server.workers()
        os.kill(server.process.pid, signal.SIGHUP)
        wait_until(lambda: len(server.workers() - before_reload) == 2, what="a reload")
        for _ in range(6):
            assert balance(server.base, "worker_exit") == start + 5
        assert folder.is_dir()
    assert server.process.returncode == 0
    assert not folder.exists(), "the master removes its temporary state (and -wal/-shm) on exit"


# -- 3. no open admin API on a public interface --------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def assert_refused(result: subprocess.CompletedProcess[str], flag: str) -> str:
    """Exit 2, nothing served, one line on stderr that names `flag`."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "on http://" not in result.stdout, "no banner before a refusal"
    error = result.stderr.strip()
    assert "Traceback" not in error and "\n" not in error, error
    assert flag in error, error
    return error


def test_a_public_host_without_an_admin_token_is_refused() -> None:
    error = assert_refused(run_cli(*SERVE, "--host", UNASSIGNED_HOST, "--port", "9"), "--host")
    assert "--admin-token" in error and "--insecure-admin" in error


def test_insecure_admin_on_a_public_host_says_what_is_exposed() -> None:
    result = run_cli(*SERVE, "--host", UNASSIGNED_HOST, "--port", str(free_port()),
                     "--insecure-admin")  # fmt: skip
    warning, _, failure = result.stderr.strip().rpartition("\n")
    for exposed in ("export", "import", "reset", "faults", "journal"):
        assert exposed in warning, result.stderr
    # It then tried to listen there (and could not: the address is not this machine's).
    assert result.returncode == 2 and "--host" in failure and "listen" in failure, result.stderr


def test_a_public_host_with_an_admin_token_is_allowed() -> None:
    result = run_cli(*SERVE, "--host", UNASSIGNED_HOST, "--port", str(free_port()),
                     "--admin-token", "s3cret")  # fmt: skip
    error = assert_refused(result, "--host")
    assert "listen" in error and "--insecure-admin" not in error


# -- 5, 6. bodies: never parsed when cut, never a 500 when refused ---------------------------


def chunked_post(base: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(body[i : i + 65536]), body[i : i + 65536])
        for i in range(0, len(body), 65536)
    )
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return (
        (
            f"POST {path} HTTP/1.1\r\nHost: {base.removeprefix('http://')}\r\n{head}"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        ).encode()
        + chunks
        + b"0\r\n\r\n"
    )


def padded(document: dict[str, Any], size: int, tail: bytes = b"") -> bytes:
    """A JSON document padded with spaces to `size` bytes, then `tail`."""
    raw = json.dumps(document).encode()
    return raw + b" " * (size - len(raw)) + tail


def test_a_chunked_body_over_the_limit_is_refused_like_a_sized_one(
    server: ServerProcess,
) -> None:
    headers = appstle_headers("chunked_over")
    start = balance(server.base, "chunked_over")
    body = padded({"customerId": 1001, "credits": 5}, MIB, b"garbage")
    status, _, chunked_answer = raw_exchange(
        server.base, chunked_post(server.base, APPSTLE_CREDIT, headers, body)
    )
    sized = call_raw(server.base, APPSTLE_CREDIT, headers, body)
    assert status == 413 and sized == (413, chunked_answer), chunked_answer
    assert balance(server.base, "chunked_over") == start


@pytest.mark.parametrize("size", [MIB - 1, MIB])
def test_a_chunked_body_within_the_limit_is_read_whole(server: ServerProcess, size: int) -> None:
    sandbox = f"chunked_{size}"
    start = balance(server.base, sandbox)
    body = padded({"customerId": 1001, "credits": 5}, size)
    status, _, answer = raw_exchange(
        server.base, chunked_post(server.base, APPSTLE_CREDIT, appstle_headers(sandbox), body)
    )
    assert status == 200, answer
    assert balance(server.base, sandbox) == start + 5


def call_raw(base: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    request = (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        + f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    status, _, answer = raw_exchange(base, request)
    return status, answer


HUGE = "9" * 5001  # Python's int() refuses more than 4,300 digits


def vendor_writes(base: str) -> list[tuple[str, dict[str, str], Callable[[str], bytes]]]:
    """(path, headers, body with a given JSON number as the amount) of one write per vendor."""
    spree = json.dumps(spree_credit("AMOUNT"))
    return [
        (
            APPSTLE_CREDIT,
            appstle_headers("huge"),
            lambda number: f'{{"customerId": 1001, "credits": {number}}}'.encode(),
        ),
        (
            f"{MEDUSA_ACCOUNT}/credit",
            medusa_headers("huge"),
            lambda number: f'{{"amount": {number}}}'.encode(),
        ),
        (
            SPREE_CREDITS,
            spree_headers(base, "huge"),
            lambda number: spree.replace('"AMOUNT"', number).encode(),
        ),
    ]


def test_an_integer_too_long_to_parse_is_each_vendors_400(server: ServerProcess) -> None:
    for path, headers, body in vendor_writes(server.base):
        status, answer = call_raw(server.base, path, headers, body(HUGE))
        _, unparsable = call_raw(server.base, path, headers, body("1")[:-3])
        assert status == 400, (path, answer)
        assert json.loads(answer).keys() == json.loads(unparsable).keys(), (answer, unparsable)
        ok, _ = call_raw(server.base, path, headers, body("1"))
        assert ok in (200, 201), path


# -- 9. request lines and headers: real servers' limits, JSON answers ------------------------


def test_a_long_request_line_within_real_servers_limits_reaches_the_app(
    server: ServerProcess,
) -> None:
    path = f"{APPSTLE_CUSTOMER}&pad={'x' * (8000 - len(APPSTLE_CUSTOMER))}"
    head = "".join(f"{k}: {v}\r\n" for k, v in appstle_headers("long_line").items())
    status, _, answer = raw_exchange(
        server.base, f"GET {path} HTTP/1.1\r\nHost: x\r\n{head}Connection: close\r\n\r\n".encode()
    )
    assert status == 200 and "storeCreditBalance" in json.loads(answer), answer


def test_a_request_line_over_the_limit_is_a_json_414(server: ServerProcess) -> None:
    request = f"GET /__admin/health?pad={'x' * 9000} HTTP/1.1\r\nHost: x\r\n\r\n"
    status, headers, answer = raw_exchange(server.base, request.encode())
    assert status == 414 and headers["content-type"] == "application/json", answer
    assert "request line" in json.loads(answer)["message"].lower()


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"NOT A REQUEST\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\n:x\r\n\r\n",
        # a chunked body that breaks off into garbage: refused whole, never parsed in part
        b"POST /api/external/add-credits HTTP/1.1\r\nHost: x\r\nX-API-Key: apst_test_bad_chunk\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'1f\r\n{"customerId":1001,"credits":5}\r\nzz\r\n',
    ],
)
def test_a_malformed_request_is_a_json_400(server: ServerProcess, request_bytes: bytes) -> None:
    status, headers, answer = raw_exchange(server.base, request_bytes)
    assert status == 400 and headers["content-type"] == "application/json", answer
    assert json.loads(answer)["error"] == "Bad Request"


def test_large_and_many_headers_within_real_servers_limits_reach_the_app(
    server: ServerProcess,
) -> None:
    many = "".join(f"X-Extra-{i}: {i}\r\n" for i in range(150))
    big = f"X-Big: {'y' * 12000}\r\n"
    for extra in (many, big):
        request = f"GET /__admin/health HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n"
        status, _, answer = raw_exchange(server.base, request.encode())
        assert status == 200 and json.loads(answer)["status"] == "ok", answer


def test_a_header_over_the_limit_is_a_json_431(server: ServerProcess) -> None:
    request = f"GET /__admin/health HTTP/1.1\r\nHost: x\r\nX-Big: {'y' * 20000}\r\n\r\n"
    status, headers, answer = raw_exchange(server.base, request.encode())
    assert status == 431 and headers["content-type"] == "application/json", answer


# -- 11. start-up mistakes: one line naming the flag, exit 2 ---------------------------------


def corrupt_state(tmp_path: Path) -> str:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not an SQLite database\n" * 100)
    return str(path)


def fixture_root(tmp_path: Path, layout: str) -> str:
    root = tmp_path / "fixtures"
    if layout != "missing":
        root.mkdir()
    if layout == "flat":
        (root / "demo.yaml").write_text("customers: []\n")
    return str(root)


@pytest.mark.parametrize(
    ("flag", "make_args"),
    [
        ("--port", lambda tmp: ["--port", "99999"]),
        ("--workers", lambda tmp: ["--workers", "0"]),
        ("--state", lambda tmp: ["--state", str(tmp / "missing" / "state.sqlite3")]),
        ("--state", lambda tmp: ["--state", str(tmp)]),
        ("--state", lambda tmp: ["--state", corrupt_state(tmp)]),
        ("--state", lambda tmp: ["--state", "/proc/mockserver-state.sqlite3"]),  # unwritable
        ("--sandbox-pattern", lambda tmp: ["--sandbox-pattern", "appstle=(unclosed"]),
        ("--sandbox-pattern", lambda tmp: ["--sandbox-pattern", "nobody=.+"]),
        ("--fidelity", lambda tmp: ["--fidelity", "nope"]),
        ("--vendor", lambda tmp: ["--vendor", "nope"]),
        ("--fixtures", lambda tmp: ["--fixtures", fixture_root(tmp, "missing")]),
        ("--fixtures", lambda tmp: ["--fixtures", fixture_root(tmp, "empty")]),
        ("--fixtures", lambda tmp: ["--fixtures", fixture_root(tmp, "flat")]),
    ],
)
def test_a_start_up_mistake_is_one_line_naming_the_flag(
    tmp_path: Path, flag: str, make_args: Any
) -> None:
    args = make_args(tmp_path)
    if "--port" not in args:
        args += ["--port", str(free_port())]
    assert_refused(run_cli(*SERVE, *args), flag)


@pytest.mark.parametrize("layout", ["missing", "empty", "flat"])
def test_check_fixtures_refuses_a_fixture_folder_it_cannot_use(tmp_path: Path, layout: str) -> None:
    command = [*SERVE[:-1], "check-fixtures", "--fixtures", fixture_root(tmp_path, layout)]
    assert_refused(run_cli(*command), "--fixtures")


def test_a_busy_port_is_refused_before_the_banner() -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        error = assert_refused(run_cli(*SERVE, "--port", str(port)), "--port")
    assert str(port) in error
