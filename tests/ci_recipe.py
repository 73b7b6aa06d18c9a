"""Run the README's CI recipe as written, as a CI job would (`bash -e`), and report each run.

    .venv/bin/python -m tests.ci_recipe [--runs 10] [--plant]

The recipe is the shell block after `<!-- ci-recipe -->` in README.md; only its port is
swapped for a free one. `--plant` puts a bug into the served mock between the recipe's
`mockserver wait` and `contracts run` lines (a fault rule through the admin API: credits
to Medusa accounts answer 500), so the run must come out red, with a readable report.
The suite's budget comes from the environment (`CONTRACTS_*`, as the README documents).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.live.helpers import free_port

ROOT = Path(__file__).resolve().parents[1]
PLANTED_FAULT = {"path": "/admin/store-credit-accounts/*/credit", "status": 500}


def recipe() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("<!-- ci-recipe -->", 1)[1].split("```sh\n", 1)[1].split("```")[0]


def planted(script: str, port: int) -> str:
    """The recipe with the fault rule posted right after its `mockserver wait` line."""
    post = (
        "import sys, urllib.request as u; u.urlopen(u.Request(sys.argv[1], "
        'data=sys.argv[2].encode(), headers={"Content-Type": "application/json"}))'
    )
    url = f"http://127.0.0.1:{port}/__admin/faults"
    argv = [sys.executable, "-c", post, url, json.dumps(PLANTED_FAULT)]
    lines = script.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("mockserver wait"))
    return "\n".join([*lines[: at + 1], shlex.join(argv), *lines[at + 1 :]]) + "\n"


@dataclass
class Run:
    returncode: int
    seconds: float
    out: str
    err: str
    folder: Path


def run_recipe(folder: Path, env: dict[str, str] | None = None, plant: bool = False) -> Run:
    """One run of the recipe in `folder` (its reports land there); the mock it started in
    the background is stopped after."""
    port = free_port()
    script = recipe().replace("8080", str(port))
    if plant:
        script = planted(script, port)
    bin_dir = str(Path(sys.executable).parent)
    environment = {**os.environ, **(env or {}), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # Files, not pipes: the backgrounded mock keeps its copy open after the job ends.
    with (folder / "out").open("w") as stdout, (folder / "err").open("w") as stderr:
        job = subprocess.Popen(
            ["bash", "-e", "-c", script],
            cwd=folder,
            env=environment,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # the backgrounded mock is in its group: stopped below
        )
    try:
        job.wait(timeout=600)
    finally:
        with contextlib.suppress(ProcessLookupError):  # the mock may be gone already
            os.killpg(job.pid, signal.SIGTERM)
    return Run(
        job.returncode,
        time.monotonic() - started,
        (folder / "out").read_text(),
        (folder / "err").read_text(),
        folder,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.ci_recipe", description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--plant", action="store_true", help="plant a bug; expect red runs")
    parser.add_argument("--folder", type=Path, default=Path("reports/ci-recipe"))
    args = parser.parse_args(argv)
    expected = 1 if args.plant else 0
    good = 0
    for number in range(1, args.runs + 1):
        run = run_recipe(args.folder / f"run{number}", plant=args.plant)
        verdict = run.out.strip().splitlines()[-1] if run.out.strip() else run.err[-200:]
        good += run.returncode == expected
        print(f"run {number}: exit {run.returncode} in {run.seconds:.0f} s: {verdict}")
    print(f"{good}/{args.runs} runs exited {expected} as expected")
    return 0 if good == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
