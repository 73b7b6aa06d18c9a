#!/usr/bin/env python3
"""One-command set-up for a fresh machine that has only python3.

    python3 dev.py serve [mockserver serve options]  # venv, install, serve the mock (demo data)
    python3 dev.py test  [pytest options]            # venv, install, lint, every test

Both create `.venv/` beside this file on first use and reinstall only when pyproject.toml
changed, so repeated runs start in a second. Nothing here needs make, tox or uv.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"
CONSTRAINTS = ROOT / "constraints.txt"  # exact versions: the same generated cases everywhere


def _run(*argv: str | Path) -> None:
    print("+", " ".join(str(a) for a in argv), flush=True)
    subprocess.run([str(a) for a in argv], cwd=ROOT, check=True)


def ensure_venv() -> None:
    """Create the virtual environment and install the project (editable, with dev extras)."""
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pinned = (ROOT / "pyproject.toml").read_bytes() + CONSTRAINTS.read_bytes()
    wanted = hashlib.sha256(pinned).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    # A current setuptools too: the packaging test builds a wheel offline with it.
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip", "setuptools>=77")
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS, "-e", ".[dev]")
    STAMP.write_text(wanted)


def serve(args: list[str]) -> int:
    ensure_venv()
    os.execv(BIN / "mockserver", [str(BIN / "mockserver"), "serve", *args])
    return 0  # not reached


def test(args: list[str]) -> int:
    ensure_venv()
    _run(BIN / "ruff", "check", ".")
    _run(BIN / "ruff", "format", "--check", ".")
    # Both cores by default; tests against one shared server (the real Medusa) form one xdist
    # group, so they run in turn on one worker. `-n 0` (or any -n) overrides.
    parallel = [] if any(a.startswith("-n") for a in args) else ["-n", "auto"]
    command = [str(BIN / "python"), "-m", "pytest", *parallel, "--dist", "loadgroup", *args]
    return subprocess.run(command, cwd=ROOT).returncode


def main() -> int:
    commands = {"serve": serve, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__.strip())
        return 2
    try:
        return commands[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
