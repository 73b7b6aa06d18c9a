"""The rule inventory: the README table is current, every guard is a check, every rule has a
planted bug that one of its guards is meant to catch."""

from __future__ import annotations

from contracts import inventory
from tests.mutation.bugs import BUGS


def test_readme_table_is_generated_from_the_inventory():
    readme = inventory.README.read_text(encoding="utf-8")
    current = inventory.with_table(readme, inventory.table(inventory.load()))
    assert readme == current, (
        "contracts/README.md is stale: run python -m contracts.inventory --write"
    )


def test_every_rule_has_a_guard_that_is_a_check():
    assert inventory.problems(inventory.load()) == []


def test_a_guard_naming_no_check_is_reported():
    rule = inventory.Rule("medusa", "x", "money", "a rule", "spec", ("no_such_check",))
    assert inventory.problems([rule, rule]) == [
        "medusa.x: listed twice",
        "medusa.x: guard 'no_such_check' is no check",
        "medusa.x: guard 'no_such_check' is no check",
    ]


def test_every_rule_has_a_planted_bug_its_guards_should_catch():
    rules = {rule.key: rule for rule in inventory.load()}
    unknown = sorted(bug.name for bug in BUGS if bug.rule not in rules)
    assert not unknown, f"bugs naming no inventory rule: {unknown}"
    unplanted = sorted(set(rules) - {bug.rule for bug in BUGS})
    assert not unplanted, f"rules without a planted bug: {unplanted}"
    unguarded = sorted(bug.name for bug in BUGS if not bug.expect & set(rules[bug.rule].guards))
    assert not unguarded, f"bugs whose expected checks guard no rule they break: {unguarded}"


def test_at_least_forty_bugs_across_the_three_vendors():
    assert len(BUGS) >= 40
    assert {bug.vendor for bug in BUGS} == {"appstle", "medusa", "spree"}
    assert len({bug.name for bug in BUGS}) == len(BUGS)
