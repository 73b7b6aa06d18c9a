"""The README's GitHub Actions and GitLab CI jobs are valid YAML and run the same commands as
the shell recipe that `tests/ci_recipe.py` runs (so the three never drift apart)."""

from __future__ import annotations

import re

import yaml

from tests.ci_recipe import ROOT, recipe

README = (ROOT / "README.md").read_text(encoding="utf-8")


def yaml_blocks() -> list[dict]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", README, re.S)]


def commands(lines: list[str]) -> list[str]:
    """Each line's program and subcommand, hosts aside."""
    return [
        " ".join(line.split()[:2])
        for line in lines
        if line.split()[0] in ("mockserver", "contracts")
    ]


def test_the_github_actions_job_runs_the_recipe():
    (github,) = [b for b in yaml_blocks() if "jobs" in b]
    steps = github["jobs"]["contracts"]["steps"]
    script = next(step["run"] for step in steps if "mockserver" in step.get("run", ""))
    assert script.strip() == recipe().strip()


def test_the_gitlab_job_waits_for_its_service_and_runs_the_suite():
    (gitlab,) = [
        b["contracts"] for b in yaml_blocks() if "contracts" in b and "script" in b["contracts"]
    ]
    (service,) = gitlab["services"]
    assert service["variables"] == {"MOCKSERVER_FIDELITY": "spec"}
    shell = recipe().splitlines()
    assert commands(gitlab["script"]) == commands(shell)[1:]  # the service is the `serve`
    assert all(f"http://{service['alias']}:8080" in line for line in gitlab["script"][1:])
    assert "--fidelity spec" in shell[0]
