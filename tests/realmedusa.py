"""The real Medusa 2.21.1 + loyalty plugin, stood up by `../shared/vendors/real-medusa/setup.sh`.

Tests marked `real_medusa` get it through the session fixture `real_medusa` (tests/conftest.py).
The server is one store with one database, so those tests run in one xdist group, one after
another, and the database is reset once per test run (the first test to need it does it, under a
file lock shared by the xdist workers). Where it lives follows setup.sh's own variables:
`MEDUSA_REAL_ROOT`, `MEDUSA_PORT`, `MEDUSA_PGPORT`, so a developer can keep a second copy on
other ports while the tests use theirs.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SETUP_DIR = REPO.parent / "shared" / "vendors" / "real-medusa"
ADMIN_EMAIL = os.environ.get("MEDUSA_ADMIN_EMAIL", "admin@example.com")
ADMIN_PASSWORD = os.environ.get("MEDUSA_ADMIN_PASSWORD", "supersecret")


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
        return subprocess.run(
            [
                "runuser", "-u", "postgres", "--",
                "psql", "-h", str(root() / "pgsock"), "-p", os.environ.get("MEDUSA_PGPORT", "54329"),
                "-U", "postgres", "-d", "medusa", "-Atq", "-c", sql,
            ],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip

    def row_counts(self) -> dict[str, int]:
        """Rows of the loyalty plugin's tables: what a read-only run must leave unchanged."""
        return {
            table: int(self.psql(f"SELECT count(*) FROM {table}"))
            for table in ("store_credit_account", "account_transaction")
        }


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


def start(run_id: str) -> RealMedusa:
    """Stand the server up (reset once for `run_id`), log in, and make a secret API key."""
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = folder / "tests.reset-for"
        if not marker.exists() or marker.read_text() != run_id:
            _run_setup("--reset")
            marker.write_text(run_id)
        else:
            _run_setup()
    url = base_url()
    login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    jwt = _request("POST", f"{url}/auth/user/emailpass", login)["token"]
    key = _request(
        "POST",
        f"{url}/admin/api-keys",
        {"title": f"credit-contracts tests {run_id}", "type": "secret"},
        {"Authorization": f"Bearer {jwt}"},
    )["api_key"]["token"]
    return RealMedusa(base_url=url, jwt=jwt, secret_key=key)
