"""Plain Schemathesis (`st run`, every check, stateful phase on) against a running mock.

This is the stock CLI on purpose: whatever our own suite adds, the mock must also pass the
unmodified tool with zero failures. The run is seeded so a failure reproduces. The only
configuration is the repository's `schemathesis.toml` (business-rule refusals per operation).
"""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import running_server
from tests.live.helpers import call

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
MAX_EXAMPLES = "15"


def auth_header(vendor: str, base: str) -> str:
    if vendor == "appstle":
        return "X-API-Key: apst_test_plain_st"
    if vendor == "medusa":
        return "Authorization: Basic " + base64.b64encode(b"sk_test_plain_st:").decode()
    status, token = call(
        "POST",
        f"{base}/spree_oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": "test_plain_st",
            "client_secret": "test_secret",
            "scope": "admin",
        },
    )
    assert status == 200, token
    return f"Authorization: Bearer {token['access_token']}"


@pytest.mark.parametrize(
    ("vendor", "spec"),
    [
        ("appstle", "appstle-loyalty.yaml"),
        ("medusa", "medusa-store-credit.yaml"),
        ("spree", "spree-platform-store-credits.yaml"),
    ],
)
def test_stock_schemathesis_finds_nothing(vendor: str, spec: str, tmp_path: Path) -> None:
    with running_server("--vendor", vendor, "--token-ttl", "86400", "--fidelity", "spec") as base:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "run",
                str(SPECS / spec),
                "--url",
                base,
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                MAX_EXAMPLES,
                "--seed",
                "20261122",
                "--generation-database",
                "none",
                "--header",
                auth_header(vendor, base),
                "--report",
                "junit",
                "--report-dir",
                str(tmp_path),
            ],
            cwd=ROOT,  # where schemathesis.toml lives
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
