"""A non-editable install carries everything the mock needs: specs and fixtures included."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted(p.name for p in (ROOT / "specs").glob("*.yaml"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("credit_contracts-*.whl")
    return built


def test_every_package_of_the_checkout_is_in_the_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {
        str(init.relative_to(ROOT))
        for top in ("mockserver", "contracts")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert packages <= names


def test_the_wheel_holds_the_specs_and_fixtures(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"mockserver/specs/{name}" for name in SPECS} <= names
    for vendor in ("appstle", "medusa", "spree"):
        assert f"mockserver/vendors/{vendor}/fixtures/demo.yaml" in names
        assert f"mockserver/vendors/{vendor}/fixtures/schema.yaml" in names
        assert f"mockserver/vendors/{vendor}/records.yaml" in names


def test_an_installed_copy_serves_from_its_own_specs(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import contracts.cli, mockserver.openapi as o; from mockserver import create_app;"
        "create_app();"
        f"print(all(str(o.spec_path(n)).startswith({str(site)!r}) for n in {SPECS!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,  # not the checkout: only the installed copy can be found
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "True"
