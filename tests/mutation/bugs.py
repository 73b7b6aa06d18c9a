"""Every planted bug, in inventory order (Appstle, Medusa, Spree)."""

from __future__ import annotations

import functools

from tests.mutation import appstle, medusa, spree
from tests.mutation.harness import Bug

BUGS: tuple[Bug, ...] = (*appstle.BUGS, *medusa.BUGS, *spree.BUGS)


@functools.cache
def by_name() -> dict[str, Bug]:
    return {bug.name: bug for bug in BUGS}
