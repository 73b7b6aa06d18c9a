"""A non-editable install carries everything the mock needs: specs and fixtures included."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.live.helpers import call, running_server

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted(p.name for p in (ROOT / "specs").glob("*.yaml"))

# One worker builds the wheel and the virtualenv once for the whole module.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("packaging")]


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
    dashboard = {p.name for p in (ROOT / "mockserver" / "static").iterdir()}
    assert {f"mockserver/static/{name}" for name in dashboard} <= names


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


# A fresh virtualenv, as a user gets it: installs from PyPI, so these take a minute.
TEST_TOOLS = {"pytest", "schemathesis", "hypothesis"}


def readme_pytest_example() -> str:
    readme = (ROOT / "README.md").read_text()
    after_marker = readme.split("<!-- pytest-example -->", 1)[1]
    return after_marker.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.fixture(scope="module")
def plain_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip install credit-contracts` (the wheel, no extras) into a new virtualenv."""
    venv = tmp_path_factory.mktemp("venv") / "plain"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True)
    return venv


def test_a_plain_install_has_no_test_tools_and_serves(plain_venv: Path, tmp_path: Path) -> None:
    listed = subprocess.run(
        [str(plain_venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    installed = {item["name"].lower() for item in json.loads(listed)}
    assert "credit-contracts" in installed
    assert not installed & TEST_TOOLS
    with running_server(command=[str(plain_venv / "bin" / "mockserver"), "serve"]) as base:
        status, body = call("GET", f"{base}/__admin/health")
    assert status == 200 and body["status"] == "ok"
    suite = subprocess.run(
        [str(plain_venv / "bin" / "contracts"), "run"], capture_output=True, text=True, cwd=tmp_path
    )
    assert suite.returncode == 2
    assert "pip install 'credit-contracts[contracts]'" in suite.stderr


def test_the_readme_pytest_example_runs_as_written(
    plain_venv: Path, wheel: Path, tmp_path: Path
) -> None:
    python = str(plain_venv / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", f"{wheel}[contracts]"],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "test_loyalty.py").write_text(readme_pytest_example())
    done = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_loyalty.py"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout
