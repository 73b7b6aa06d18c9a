"""A read after a write shows the write: no stale copy, no mangled text.

The object is read before the write too, so a server (or a cache in front of it) that keeps
serving the copy it answered first fails. The text written is realistic Unicode (accents,
CJK, emoji, right-to-left, combining marks), and must come back exactly as sent.
"""

from __future__ import annotations

import random

from contracts import text
from contracts.checks.scenario import ScenarioContext

CHECK = "reads_see_writes"


def reads_see_writes(sc: ScenarioContext) -> None:
    ledger = sc.profile.ledger
    handle = sc.open()
    written = text.sample(random.Random(f"{sc.profile.name}:{handle}"))
    for edit in ledger.text_edits(handle, written):
        operation = edit.request.operation
        if edit.read is not None:
            sc.api.send(edit.read)
        answer = sc.api.send(edit.request)
        if not 200 <= answer.status < 300:
            message = (
                f"a valid write of the text {written!r} answered {answer.status}, expected 2xx"
            )
            sc.failed(CHECK, operation, message, answer)
            continue
        if edit.read is None or edit.shown is None:
            sc.passed(CHECK, operation)
            continue
        read = sc.api.send(edit.read)
        shown = edit.shown(read.json) if read.status == 200 else None
        if shown != written:
            message = (
                f"wrote the text {written!r}; the read after the write "
                f"({read.status}) shows {shown!r}"
            )
            sc.failed(CHECK, edit.read.operation, message, read)
        else:
            sc.passed(CHECK, operation)
