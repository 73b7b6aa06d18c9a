"""Benchmark of the default contract run against the in-process mock (not a test).

    .venv/bin/python bench/contracts_bench.py [--max-examples N] [--workers N] [--seed S]

First each vendor alone in this process (cases per second of one core), then the default
run of all three vendors as `contracts run` does it (a process per vendor, all at once): its
wall time and cases per second. A case is one test case as Schemathesis counts it; the
scenario checks' own requests are not counted. Targets: >= 200 cases/s, all three
vendors in < 60 s on two cores.
"""

from __future__ import annotations

import argparse
import os
import time

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
    print(f"{'vendor':<8} {'cases':>7} {'wall s':>8} {'cases/s':>8}  verdict")
    for vendor in VENDORS:
        begin = time.perf_counter()
        result = run(settings.with_overrides({"vendors": (vendor,)}), app=default_app())
        wall = time.perf_counter() - begin
        cases = sum(v.cases for v in result.vendors)
        print(f"{vendor:<8} {cases:>7} {wall:>8.1f} {cases / wall:>8.0f}  {_verdict(result)}")
    processes = vendor_processes(settings)
    begin = time.perf_counter()
    result = run(settings)
    wall = time.perf_counter() - begin
    cases = sum(v.cases for v in result.vendors)
    label = f"all ({processes} proc, {os.cpu_count()} cpu)"
    print(f"{label:<8} {cases:>7} {wall:>8.1f} {cases / wall:>8.0f}  {_verdict(result)}")


def _verdict(result) -> str:
    return "pass" if result.ok else f"failing: {', '.join(sorted(result.failed_checks))}"


if __name__ == "__main__":
    main()
