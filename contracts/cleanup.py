"""After a vendor's run: remove what it created where the API can, and list the rest.

Medusa has no delete for store-credit accounts, so against a real store everything the run
opened stays; the report lists those ids (per vendor) so nobody has to guess what a run left.
"""

from __future__ import annotations

from collections import Counter

from contracts.budget import RequestBudgetExceeded
from contracts.results import VendorResult
from contracts.vendors import Api, VendorProfile


def clean_up(
    profile: VendorProfile, api: Api, created: list[str], result: VendorResult, remove: bool
) -> None:
    """Delete each created object (when `remove`); the ones still there go to `left_behind`."""
    handles = list(dict.fromkeys(created))
    removed = 0
    kept: Counter[str] = Counter()  # why each one stayed
    for handle in handles:
        request = profile.ledger.cleanup(handle) if remove else None
        if request is None:
            kept["--no-cleanup" if not remove else "the API has no delete for them"] += 1
        else:
            try:
                status = api.send(request).status
            except RequestBudgetExceeded:
                result.budget_exhausted = True
                status = None
            if status is not None and (status < 300 or status == 404):
                removed += 1
                continue
            refusal = f"the delete was refused: {status}"
            kept["request budget spent" if status is None else refusal] += 1
        result.left_behind.append(f"{profile.ledger.read(handle).method} {_path(profile, handle)}")
    if handles:
        result.notes.append(cleanup_note(removed, kept))


def cleanup_note(removed: int, kept: Counter[str]) -> str:
    """What cleanup did, read as information: `cleanup: 22 test records removed; 36 kept
    (the API has no delete for them)`."""
    why = "; ".join(f"{count} kept ({reason})" for reason, count in kept.items())
    return f"cleanup: {removed} test record(s) removed" + (f"; {why}" if why else "")


def _path(profile: VendorProfile, handle: str) -> str:
    request = profile.ledger.read(handle)
    if request.params:
        query = "&".join(f"{k}={v}" for k, v in request.params.items())
        return f"{request.path}?{query}"
    return request.path
