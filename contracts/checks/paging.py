"""Lists page and order consistently: pages of one are the whole list's first items, in order,
and descending order is ascending order reversed."""

from __future__ import annotations

from contracts.checks.scenario import ScenarioContext

CHECK = "pages_agree"
PAGES = 3
WHOLE = 100


def pages_agree(sc: ScenarioContext) -> None:
    paging = sc.profile.ledger.paging()
    if paging is None:
        return
    for _ in range(PAGES):
        sc.open()
    whole_request = paging.page(1, WHOLE, False)
    whole = sc.api.send(whole_request)
    ids = paging.ids(whole.json) if whole.status == 200 else []
    if len(ids) < PAGES:
        message = f"the list shows {len(ids)} objects after {PAGES} were created ({whole.status})"
        sc.failed(CHECK, whole_request.operation, message, whole)
        return
    for number in range(1, PAGES + 1):
        request = paging.page(number, 1, False)
        page = sc.api.send(request)
        shown = paging.ids(page.json) if page.status == 200 else None
        if shown != ids[number - 1 : number]:
            message = (
                f"page {number} of size 1 shows {shown} ({page.status}); the whole list "
                f"has {ids[number - 1]} at position {number}"
            )
            sc.failed(CHECK, request.operation, message, page)
            return
    sc.passed(CHECK, whole_request.operation)
    if len(ids) >= WHOLE:
        return  # more than one page: the two orders show different objects
    request = paging.page(1, WHOLE, True)
    backwards = sc.api.send(request)
    shown = paging.ids(backwards.json) if backwards.status == 200 else None
    if shown != ids[::-1]:
        message = f"descending order shows {shown}, expected ascending reversed: {ids[::-1]}"
        sc.failed(CHECK, request.operation, message, backwards)
    else:
        sc.passed(CHECK, request.operation)
