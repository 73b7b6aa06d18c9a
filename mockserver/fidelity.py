"""Fidelity: whether the mock reproduces its vendors' known defects.

A mock is worth running when an integration that works against it works against the vendor,
so by default (`vendor` mode) the mock answers like the real server, defects included: a 500
where the vendor crashes, an HTML page where the vendor's framework sends one. `spec` mode turns
every reproduced defect off and answers what the spec promises instead, for clean conformance
work (the contract suite's self-tests, stock Schemathesis).

Each vendor declares its defects as `Quirk`s (`Vendor.quirks`); a handler asks
`reproduces(QUIRK)` before taking the defective path. The core never names one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Fidelity = Literal["vendor", "spec"]
FIDELITY_MODES: tuple[Fidelity, ...] = ("vendor", "spec")
DEFAULT_FIDELITY: Fidelity = "vendor"


@dataclass(frozen=True)
class Quirk:
    """One reproduced vendor defect.

    - `name`: stable identifier (`medusa-500-on-bad-paging`), shown by `mockserver quirks`.
    - `vendor_does`: what the real server answers (the defect).
    - `spec_does`: what the mock answers instead with `--fidelity spec`.
    - `evidence`: where the behaviour was observed (recording, version, source line).
    """

    name: str
    vendor_does: str
    spec_does: str
    evidence: str


def reproduces(quirk: Quirk) -> bool:
    """True when the running server reproduces `quirk` (vendor fidelity). Request context only."""
    from mockserver.requestctx import config

    return bool(config().fidelity == "vendor")


def describe(mode: Fidelity, quirk_count: int) -> str:
    """One banner line saying which mode is on and how to change it."""
    if mode == "vendor":
        return (
            f"fidelity: vendor ({quirk_count} known vendor defects reproduced, listed by "
            "`mockserver quirks`; --fidelity spec turns them off)"
        )
    return "fidelity: spec (vendor defects off: answers follow the specs)"
