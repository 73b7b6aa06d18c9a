"""Benchmark of the default contract run against the in-process mock (not a test).

    .venv/bin/python bench/contracts_bench.py [--max-examples N] [--workers N] [--seed S]

Prints cases per second and wall time per vendor, then the total. Targets: >= 200 cases/s,
all three vendors in < 60 s on two cores.
"""

from __future__ import annotations

import argparse
import time

from contracts.config import VENDORS, load
from contracts.runner import default_app, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    settings = load(
        {
            "max_examples": args.max_examples,
            "workers": args.workers,
            "seed": args.seed,
            "progress": False,
        }
    )
    total_cases, started = 0, time.perf_counter()
    print(f"{'vendor':<8} {'cases':>7} {'wall s':>8} {'cases/s':>8}  verdict")
    for vendor in VENDORS:
        begin = time.perf_counter()
        result = run(settings.with_overrides({"vendors": (vendor,)}), app=default_app())
        wall = time.perf_counter() - begin
        cases = sum(v.cases for v in result.vendors)
        total_cases += cases
        verdict = "pass" if result.ok else f"{len(result.failed_checks)} failing checks"
        print(f"{vendor:<8} {cases:>7} {wall:>8.1f} {cases / wall:>8.0f}  {verdict}")
    wall = time.perf_counter() - started
    print(f"{'total':<8} {total_cases:>7} {wall:>8.1f} {total_cases / wall:>8.0f}")


if __name__ == "__main__":
    main()
