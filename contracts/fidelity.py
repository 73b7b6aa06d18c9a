"""What the suite says when its target is this project's mock in `vendor` fidelity.

By default the mock reproduces the real vendors' known defects (`mockserver quirks`): a 500
for `limit=-1` on Medusa is then the vendor's behaviour faithfully mocked, not a bug of the
mock, yet the suite's checks (rightly) fail it. The suite does not hide those failures; it
asks the mock's admin API which mode it runs in and, for `vendor` mode, says where the
failures come from and how to get a clean conformance run (`mockserver serve --fidelity spec`).
"""

from __future__ import annotations

from contracts.target import Target

HEALTH = "/__admin/health"


def fidelity_notes(target: Target, vendor: str) -> list[str]:
    """A note for a target that is our mock reproducing `vendor`'s defects; [] otherwise."""
    try:
        answer = target.request("GET", HEALTH)
    except Exception:  # not our mock, or unreachable on that path: nothing to say
        return []
    body = answer.json if answer.status == 200 else None
    if not isinstance(body, dict) or body.get("fidelity") != "vendor":
        return []
    quirks = ((body.get("vendors") or {}).get(vendor) or {}).get("quirks") or []
    if not quirks:
        return []
    return [
        f"the target is the mock in vendor fidelity: it reproduces {len(quirks)} known "
        f"{vendor} defect(s) ({', '.join(quirks)}), which checks report as failures; serve it "
        "with `--fidelity spec` for a clean conformance run"
    ]
