"""After a vendor's run: remove what it created where the API can, and list the rest.

Medusa has no delete for store-credit accounts, so against a real store everything the run
opened stays; the report lists those ids (per vendor) so nobody has to guess what a run left.
"""

from __future__ import annotations

from contracts.budget import RequestBudgetExceeded
from contracts.results import VendorResult
from contracts.vendors import Api, VendorProfile


def clean_up(
    profile: VendorProfile, api: Api, created: list[str], result: VendorResult, remove: bool
) -> None:
    """Delete each created object (when `remove`); the ones still there go to `left_behind`."""
    handles = list(dict.fromkeys(created))
    removed = 0
    for handle in handles:
        request = profile.ledger.cleanup(handle) if remove else None
        if request is not None:
            try:
                answer = api.send(request)
            except RequestBudgetExceeded:
                result.budget_exhausted = True
                answer = None
            if answer is not None and (answer.status < 300 or answer.status == 404):
                removed += 1
                continue
        result.left_behind.append(f"{profile.ledger.read(handle).method} {_path(profile, handle)}")
    if handles:
        result.notes.append(f"cleanup: removed {removed} of {len(handles)} created objects")


def _path(profile: VendorProfile, handle: str) -> str:
    request = profile.ledger.read(handle)
    if request.params:
        query = "&".join(f"{k}={v}" for k, v in request.params.items())
        return f"{request.path}?{query}"
    return request.path
