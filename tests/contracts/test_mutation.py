"""The planted-bug harness (tests/mutation) as a test: every bug is caught by a check meant
to catch it, the correct mock passes the same runs, and the score of our suite against plain
Schemathesis is printed at the end of the run (and matches the contracts README)."""

from __future__ import annotations

from contracts.inventory import README
from tests.mutation.bugs import BUGS
from tests.mutation.harness import OURS, Score, run_all


def test_every_planted_bug_is_caught_and_the_correct_mock_passes(record_property):
    score = Score(list(BUGS), run_all(BUGS))
    record_property("terminal_summary", score.report())
    assert not score.errors(), [(v.job, v.errors) for v in score.errors()]
    assert not score.false_positives(), [(v.job, sorted(v.failed)) for v in score.false_positives()]
    missed = {bug.name: sorted(score.caught(bug, OURS)) for bug in score.missed_expected()}
    assert not missed, f"not caught by the check meant to catch them (bug: what failed): {missed}"
    assert score.summary() in README.read_text(encoding="utf-8"), (
        "contracts/README.md shows another score; run `python -m tests.mutation --write`"
    )
