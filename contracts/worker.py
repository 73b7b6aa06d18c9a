"""One vendor's run in a child process: `python -m contracts.worker`, started by
`contracts.processes`.

The parent writes the pickled `(Settings, vendor)` to stdin; the child answers on its
original stdout with `contracts.channel` messages: `("progress", Progress)` as it goes, then
`("result", VendorResult)`. Anything the run itself prints goes to stderr, so it cannot
corrupt that channel. A plain subprocess instead of `multiprocessing`, whose `spawn` re-runs
the caller's main module (a user's script without a `__main__` guard would start over) and
whose `fork` copies a threaded parent (a test server's lock may be held mid-copy).
"""

from __future__ import annotations

import os
import pickle
import sys

from contracts.channel import send


def main() -> int:
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr
    settings, vendor = pickle.load(sys.stdin.buffer)

    from contracts.results import VendorResult
    from contracts.runner import run

    one = settings.with_overrides({"vendors": (vendor,), "processes": 1})
    result = run(one, progress=lambda step: send(channel, "progress", step))
    outcome = result.vendors[0] if result.vendors else VendorResult(vendor, errors=["did not run"])
    send(channel, "result", outcome)
    channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
