"""Lists page and order consistently: pages of one are the whole list's first items, in order,
and descending order is ascending order reversed.

A list is shared: on a staging server or a real vendor someone else may create or delete
objects while the check reads it, and a page would then disagree for a reason that is not a
defect. So every verdict is taken between two reads of the whole list; if they differ, the
list moved under the check and it reads again, and after `ATTEMPTS` moving reads it reports
nothing rather than a false failure."""

from __future__ import annotations

from dataclasses import dataclass

from contracts.checks.scenario import ScenarioContext
from contracts.target import Exchange
from contracts.vendors import Paging

CHECK = "pages_agree"
PAGES = 3
WHOLE = 100
ATTEMPTS = 3


@dataclass(frozen=True)
class Finding:
    operation: str
    message: str = ""
    exchange: Exchange | None = None

    @property
    def ok(self) -> bool:
        return not self.message


def pages_agree(sc: ScenarioContext) -> None:
    paging = sc.profile.ledger.paging()
    if paging is None:
        return
    for _ in range(PAGES):
        sc.open()
    for _ in range(ATTEMPTS):
        before = _whole(sc, paging)
        findings = _read_pages(sc, paging, before)
        if _whole(sc, paging)[0] != before[0]:
            continue  # the list changed while it was read: no verdict from this read
        for finding in findings:
            if finding.ok:
                sc.passed(CHECK, finding.operation)
            else:
                sc.failed(CHECK, finding.operation, finding.message, finding.exchange)
        return


def _whole(sc: ScenarioContext, paging: Paging) -> tuple[list[str] | None, Exchange, str]:
    """The ids of the whole list in ascending order (None when it cannot be read)."""
    request = paging.page(1, WHOLE, False)
    answer = sc.api.send(request)
    return (paging.ids(answer.json) if answer.status == 200 else None), answer, request.operation


def _read_pages(
    sc: ScenarioContext, paging: Paging, whole: tuple[list[str] | None, Exchange, str]
) -> list[Finding]:
    ids, answer, operation = whole
    if ids is None or len(ids) < PAGES:
        shown = len(ids or [])
        message = f"the list shows {shown} objects after {PAGES} were created ({answer.status})"
        return [Finding(operation, message, answer)]
    for number in range(1, PAGES + 1):
        request = paging.page(number, 1, False)
        page = sc.api.send(request)
        shown = paging.ids(page.json) if page.status == 200 else None
        if shown != ids[number - 1 : number]:
            message = (
                f"page {number} of size 1 shows {shown} ({page.status}); the whole list "
                f"has {ids[number - 1]} at position {number}"
            )
            return [Finding(request.operation, message, page)]
    findings = [Finding(operation)]
    if len(ids) >= WHOLE:
        return findings  # more than one page: the two orders show different objects
    request = paging.page(1, WHOLE, True)
    backwards = sc.api.send(request)
    shown = paging.ids(backwards.json) if backwards.status == 200 else None
    if shown != ids[::-1]:
        message = f"descending order shows {shown}, expected ascending reversed: {ids[::-1]}"
        return [*findings, Finding(request.operation, message, backwards)]
    return [*findings, Finding(request.operation)]
