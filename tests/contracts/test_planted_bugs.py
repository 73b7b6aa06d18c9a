"""The suite catches every planted bug, and names the right check; the clean mock passes the
same targeted run (so a failure on a variant is the planted bug, not noise)."""

from __future__ import annotations

import functools

import pytest

from contracts.config import Settings
from contracts.runner import default_app, run

from .planted import VARIANTS


def settings_for(vendor: str, include: str | None, phases: tuple, scenarios: bool) -> Settings:
    return Settings(
        vendors=(vendor,),
        include_path=include,
        phases=phases,
        scenarios=scenarios,
        max_examples=8,
        seed=7,
        no_shrink=True,
        progress=False,
    )


@functools.cache
def clean_failures(vendor: str, include: str | None, phases: tuple, scenarios: bool) -> frozenset:
    result = run(settings_for(vendor, include, phases, scenarios), app=default_app())
    return frozenset(result.failed_checks)


def test_there_are_enough_variants():
    assert len(VARIANTS) >= 15


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_planted_bug_is_caught(name):
    variant, vendor, include, phases, scenarios, expected = VARIANTS[name]
    result = run(settings_for(vendor, include, phases, scenarios), app=variant(default_app()))
    assert not result.ok
    caught = result.failed_checks & expected
    assert caught, f"{name}: expected one of {expected}, failed: {sorted(result.failed_checks)}"
    assert not caught & clean_failures(vendor, include, phases, scenarios), (
        f"{name}: the clean mock already fails {caught}"
    )
