"""One seed, one sequence of requests: wherever the suite runs and whatever the process has
imported before (Hypothesis would otherwise mix literals of the caller's own modules into the
data it draws, so CI and a developer's replay generated different cases)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SENT = """
import json, re, sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "yes":
    import shop_constants  # a caller's own module, full of literals
from contracts.config import Settings
from contracts.runner import run
from mockserver import MockConfig, create_app

app = create_app(MockConfig(fidelity="spec"))
settings = Settings(vendors=("appstle",), max_examples=8, seed=11, scenarios=False, progress=False)
run(settings, app=app)
journal = app.test_client().get("/__admin/requests").get_json()["requests"]
# A multipart boundary is the HTTP client's random choice, not generated data.
boundary = re.compile(r"WerkzeugFormPart_[0-9.]+")
sent = [(e["method"], e["path"], e["query"], e["request_body"]) for e in journal]
print(json.dumps([[boundary.sub("BOUNDARY", str(part)) for part in entry] for entry in sent]))
"""


def sent(folder: Path, with_module: bool) -> list:
    argv = [sys.executable, "-c", SENT, str(folder), "yes" if with_module else "no"]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_callers_own_modules_do_not_change_the_generated_requests(tmp_path: Path) -> None:
    literals = [f"LITERAL_{n} = {'customer-' + str(n)!r}" for n in range(200)]
    literals += [f"NUMBER_{n} = {n * 7919 + 0.5}" for n in range(200)]
    (tmp_path / "shop_constants.py").write_text("\n".join(literals) + "\n", encoding="utf-8")
    plain, with_module = sent(tmp_path, False), sent(tmp_path, True)
    assert len(plain) > 50
    assert plain == with_module
