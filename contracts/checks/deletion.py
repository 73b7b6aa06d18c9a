"""A deleted object is gone: reading it answers 404 and lists leave it out.

The object and the list are read before the delete as a client would, so a server (or a
cache) that keeps serving a copy it answered once fails.
"""

from __future__ import annotations

from contracts.checks.scenario import ScenarioContext

CHECK = "deleted_stays_deleted"


def deleted_stays_deleted(sc: ScenarioContext) -> None:
    """Create -> read -> delete -> read must be 404 and the list must not show it."""
    ledger = sc.profile.ledger
    handle = sc.open()
    delete = ledger.cleanup(handle)
    if delete is None:
        return  # the API cannot delete this kind of object
    read_request = ledger.read(handle)
    first = sc.api.send(read_request)
    if first.status != 200:
        message = f"reading a fresh object answered {first.status}, expected 200"
        sc.failed(CHECK, read_request.operation, message, first)
        return
    listing = ledger.listing()
    if listing is not None:
        shown = sc.api.send(listing)
        if shown.status != 200 or not ledger.listed(shown.json, handle):
            message = f"a fresh object {handle} is not in the list ({shown.status})"
            sc.failed(CHECK, listing.operation, message, shown)
            return
    answer = sc.api.send(delete)
    if not 200 <= answer.status < 300:
        message = f"deleting a fresh, unused object answered {answer.status}, expected 2xx"
        sc.failed(CHECK, delete.operation, message, answer)
        return
    read = sc.api.send(read_request)
    if read.status != 404:
        message = f"reading a deleted object answered {read.status}, expected 404"
        sc.failed(CHECK, read_request.operation, message, read)
    else:
        sc.passed(CHECK, read_request.operation)
    if listing is not None:
        shown = sc.api.send(listing)
        if shown.status != 200 or ledger.listed(shown.json, handle):
            message = f"the list still shows deleted object {handle} ({shown.status})"
            sc.failed(CHECK, listing.operation, message, shown)
        else:
            sc.passed(CHECK, listing.operation)
