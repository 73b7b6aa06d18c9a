"""The real Medusa 2.21.1 + loyalty plugin, stood up by `../shared/vendors/real-medusa/setup.sh`.

Tests marked `real_medusa` get it through the session fixture `real_medusa` (tests/conftest.py).
The server is one store with one database, so those tests run in one xdist group, one after
another, and its store-credit tables are emptied once per test run (the first test to need it
does it, under a file lock shared by the xdist workers). Where it lives follows setup.sh's own
variables `MEDUSA_REAL_ROOT`, `MEDUSA_PORT`, `MEDUSA_PGPORT`, so a developer can keep a second
copy on other ports while the tests use theirs.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SETUP_DIR = REPO.parent / "shared" / "vendors" / "real-medusa"
ADMIN_EMAIL = os.environ.get("MEDUSA_ADMIN_EMAIL", "admin@example.com")
ADMIN_PASSWORD = os.environ.get("MEDUSA_ADMIN_PASSWORD", "supersecret")
# The loyalty plugin's tables: emptied once per test run, counted by read-only checks.
PLUGIN_TABLES = (
    "store_credit_account",
    "store_credit_account_transaction",
    "loyalty_gift_card",
    "loyalty_gift_card_store_credit_store_credit_account",
)


def root() -> Path:
    default = Path(os.environ.get("TMPDIR") or tempfile.gettempdir()) / "real-medusa"
    return Path(os.environ.get("MEDUSA_REAL_ROOT") or default)


def base_url() -> str:
    return f"http://127.0.0.1:{os.environ.get('MEDUSA_PORT', '9000')}"


@dataclass(frozen=True)
class RealMedusa:
    """Where the real server answers, and one credential of each kind it accepts."""

    base_url: str
    jwt: str
    secret_key: str

    @property
    def basic_header(self) -> dict[str, str]:
        token = base64.b64encode(f"{self.secret_key}:".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    @property
    def bearer_header(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.jwt}"}

    def psql(self, sql: str) -> str:
        """Run one SQL statement against the real server's database; its unaligned output."""
        port = os.environ.get("MEDUSA_PGPORT", "54329")
        socket_dir = str(root() / "pgsock")
        command = ["runuser", "-u", "postgres", "--", "psql", "-h", socket_dir, "-p", port]
        command += ["-U", "postgres", "-d", "medusa", "-Atq", "-c", sql]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()

    def empty_store_credit(self) -> None:
        """Delete every store-credit account and transaction (the loyalty plugin's tables):
        the state of a fresh deployment, in well under a second."""
        self.psql("TRUNCATE " + ", ".join(PLUGIN_TABLES) + " CASCADE")

    def row_counts(self) -> dict[str, int]:
        """Rows of each loyalty plugin table: what a read-only run must leave unchanged."""
        return {table: int(self.psql(f"SELECT count(*) FROM {table}")) for table in PLUGIN_TABLES}


def _request(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _run_setup(*args: str) -> None:
    script = SETUP_DIR / "setup.sh"
    done = subprocess.run(["bash", str(script), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{script} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def alone() -> Iterator[None]:
    """Hold the server for one test: no other xdist worker's test talks to it meanwhile.

    `--dist loadgroup` should already keep these tests on one worker, but it depends on
    pytest-xdist rewriting node ids, which pytest 9.2 silently ignores (pytest-xdist issue
    1386); a test counting rows or paging the account list must never see another's writes.
    """
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "tests.turn", "w") as turn:
        fcntl.flock(turn, fcntl.LOCK_EX)
        yield


def start(run_id: str) -> RealMedusa:
    """Stand the server up, empty its store-credit tables once for `run_id`, log in, and make
    a secret API key.

    setup.sh runs only when the server does not answer: it migrates on every call (over a
    minute), and `--reset` migrates a new database from scratch (three). Emptying the loyalty
    plugin's tables is the reset the tests need, in well under a second.
    """
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    url = base_url()
    with open(folder / "tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _healthy(url):
            _run_setup()
        marker = folder / "tests.reset-for"
        if not marker.exists() or marker.read_text() != run_id:
            RealMedusa(base_url=url, jwt="", secret_key="").empty_store_credit()
            marker.write_text(run_id)
    login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    jwt = _request("POST", f"{url}/auth/user/emailpass", login)["token"]
    key = _request(
        "POST",
        f"{url}/admin/api-keys",
        {"title": f"credit-contracts tests {run_id}", "type": "secret"},
        {"Authorization": f"Bearer {jwt}"},
    )["api_key"]["token"]
    return RealMedusa(base_url=url, jwt=jwt, secret_key=key)
