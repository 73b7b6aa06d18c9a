"""Benchmark of the default contract run against the in-process mock (not a test).

    .venv/bin/python bench/contracts_bench.py [--max-examples N] [--workers N] [--seed S]

First each vendor alone in this process (cases per second of one core), with the time its
run spent inside the mock (`app.wsgi_app`): the rest is Schemathesis, Hypothesis and the
suite's checks, so `instant mock` is the rate a mock answering in no time would allow. Then
the default run of all three vendors as `contracts run` does it (a process per vendor, all
at once): its wall time and cases per second. A case is one test case as Schemathesis counts
it; the scenario checks' own requests are not counted. Targets: >= 200 cases/s, all three
vendors in < 60 s on two cores.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

from contracts.config import VENDORS, load
from contracts.processes import vendor_processes
from contracts.runner import default_app, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--processes", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    settings = load(
        {
            "max_examples": args.max_examples,
            "workers": args.workers,
            "processes": args.processes,
            "seed": args.seed,
            "progress": False,
        }
    )
    print(f"max-examples {settings.max_examples}, workers {settings.workers}, seed {args.seed}")
    print(f"{'vendor':<8} {'cases':>7} {'wall s':>8} {'cases/s':>8} {'mock s':>7} {'instant':>8}")
    rest, total = 0.0, 0
    for vendor in VENDORS:
        app = default_app()
        in_mock = _timed_inside(app)
        begin = time.perf_counter()
        result = run(settings.with_overrides({"vendors": (vendor,)}), app=app)
        wall = time.perf_counter() - begin
        cases = sum(v.cases for v in result.vendors)
        rest, total = rest + wall - in_mock[0], total + cases
        print(
            f"{vendor:<8} {cases:>7} {wall:>8.1f} {cases / wall:>8.0f} {in_mock[0]:>7.1f} "
            f"{cases / (wall - in_mock[0]):>8.0f}  {_verdict(result)}"
        )
    cores = os.cpu_count() or 1
    print(
        f"outside the mock: {rest:.1f} s in all, {rest / cores:.1f} s at best on {cores} cores: "
        f"an instant mock would allow at most {total * cores / rest:.0f} cases/s for all three"
    )
    processes = vendor_processes(settings)
    begin = time.perf_counter()
    result = run(settings)
    wall = time.perf_counter() - begin
    cases = sum(v.cases for v in result.vendors)
    label = f"all ({processes} proc, {os.cpu_count()} cpu)"
    print(f"{label:<8} {cases:>7} {wall:>8.1f} {cases / wall:>8.0f}  {_verdict(result)}")


def _timed_inside(app: Any) -> list[float]:
    """Wrap the app so the seconds spent inside it add up in the returned one-item list."""
    inner, spent = app.wsgi_app, [0.0]

    def timed(environ: Any, start_response: Any) -> Any:
        begin = time.perf_counter()
        body = inner(environ, start_response)
        try:
            return [b"".join(body)]  # read here, so the time spent answering counts
        finally:
            getattr(body, "close", lambda: None)()  # WSGI: the server closes what it got
            spent[0] += time.perf_counter() - begin

    app.wsgi_app = timed
    return spent


def _verdict(result) -> str:
    return "pass" if result.ok else f"failing: {', '.join(sorted(result.failed_checks))}"


if __name__ == "__main__":
    main()
