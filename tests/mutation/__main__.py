"""Run the planted-bug harness and print the score table (see `tests/mutation`)."""

from __future__ import annotations

import argparse
import sys
import time

from tests.mutation.bugs import BUGS
from tests.mutation.harness import BUDGET, Score, run_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__)
    parser.add_argument("--bug", action="append", help="only this bug (repeatable)")
    parser.add_argument("--processes", type=int, help="worker processes (default: one per core)")
    args = parser.parse_args(argv)
    bugs = [bug for bug in BUGS if not args.bug or bug.name in args.bug]
    if not bugs:
        parser.error(f"no bug named {', '.join(args.bug)}")
    started = time.monotonic()
    score = Score(bugs, run_all(bugs, args.processes))
    print(score.table())
    print()
    print(f"budget: {BUDGET}")
    print(score.summary())
    for verdict in score.false_positives() + score.errors():
        print(f"problem in {verdict.job}: {sorted(verdict.failed)} {verdict.errors}")
    for bug in score.missed_expected():
        failed = sorted(score.caught(bug, "suite"))
        print(f"{bug.name}: expected {sorted(bug.expect)}, failed {failed}")
    print(f"{time.monotonic() - started:.0f}s")
    ok = not (score.false_positives() or score.errors() or score.missed_expected())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
