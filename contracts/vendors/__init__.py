"""What the suite knows about each vendor that Schemathesis does not: one small table each.

A `VendorProfile` names the spec, the credentials (environment variable names, demo values
that work against the mock, how to turn them into an `Authenticator`), the error envelope the
vendor answers with, invariants every successful body keeps, and a `Ledger`: how to open an
object, read its money fields and move them. The checks in `contracts.checks` are written
against these tables only, so they never name a vendor.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from contracts.auth import Authenticator
from contracts.target import Exchange, Target


@dataclass(frozen=True)
class Request:
    """A request a scenario sends, without credentials (the `Api` adds them)."""

    method: str
    path: str
    body: Any = None
    params: dict[str, Any] | None = None
    label: str = ""

    @property
    def operation(self) -> str:
        return self.label or f"{self.method} {self.path}"


@dataclass(frozen=True)
class Move:
    """A request that must change money fields by exactly `expect` (field -> delta).

    `entry` is the (kind, amount) of the one history entry the move appends where the
    vendor logs it (a Medusa transaction, an Appstle reward); None: it appends none.
    """

    request: Request
    expect: dict[str, Decimal]
    entry: tuple[str, Decimal] | None = None


@dataclass(frozen=True)
class Entry:
    """One line of an object's history (a transaction, an event, a reward)."""

    id: str
    kind: str
    amount: Decimal | None


def entries_in(body: Any, key: str, kind: str) -> list[Entry]:
    """The history entries listed under `key` of a body, each's kind in its field `kind`."""
    items = body.get(key) if isinstance(body, dict) else None
    return [
        Entry(str(item.get("id")), str(item.get(kind)), decimal(item.get("amount")))
        for item in items or []
        if isinstance(item, dict)
    ]


@dataclass(frozen=True)
class BusinessRule:
    """A schema-valid request the vendor's model must refuse with `status`, changing nothing.

    `setup` runs first (to reach the state the rule is about), `undo` afterwards.
    """

    rule: str
    request: Request
    status: int
    setup: tuple[Request, ...] = ()
    undo: tuple[Request, ...] = ()


@dataclass(frozen=True)
class TextEdit:
    """A write of free text, the read that shows it afterwards and where in that read (None
    where no read shows the text: the write must still be accepted)."""

    request: Request
    read: Request | None = None
    shown: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Paging:
    """How to ask for one page of a list (page number from 1, size, descending by id)
    and read the ids of an answer, in the order given."""

    page: Callable[[int, int, bool], Request]
    ids: Callable[[Any], list[str]]


class Api:
    """One identity talking to the target: adds its credentials to every request."""

    def __init__(
        self, target: Target, auth: Authenticator | None, spec: dict[str, Any] | None = None
    ) -> None:
        self.target = target
        self.auth = auth
        self.spec = spec or {}

    def send(
        self, request: Request, *, headers: dict[str, str] | None = None, authenticated: bool = True
    ) -> Exchange:
        sent = dict(self.auth.headers()) if (authenticated and self.auth) else {}
        sent.update(headers or {})
        return self.target.request(
            request.method,
            request.path,
            headers=sent,
            json_body=request.body,
            params=request.params,
        )


Snapshot = dict[str, Decimal]


class Ledger(Protocol):
    """How scenario checks drive one vendor's money.

    `owned_objects`: objects are created by the caller and invisible to other tenants (Medusa,
    Spree); False when every tenant has the same seeded ids (Appstle customers), so isolation
    is checked by "my change does not show in your view" instead of "you get a 404".
    """

    owned_objects: bool

    def open(self, api: Api) -> tuple[str, Exchange]:
        """Create (or find) an object of this identity to work on; its id and the proof."""

    def read(self, handle: str) -> Request:
        """The request that reads the object."""

    def money(self, body: Any) -> Snapshot:
        """The money fields of a read answer, as exact decimals."""

    def moves(self, handle: str, before: Snapshot) -> list[Move]:
        """State-changing requests with their exact expected effect; the first is the cheapest."""

    def overdraft(self, handle: str, before: Snapshot) -> Request | None:
        """A request that asks for more than there is and must be refused, if the API has one."""

    def refused(self, handle: str) -> list[Request]:
        """Invalid requests on the object; each must be answered 4xx and change nothing."""

    def cleanup(self, handle: str) -> Request | None:
        """The request that removes the object, where the API allows it."""

    def listing(self) -> Request | None:
        """A list request that shows a fresh object of this identity (newest first), if any."""

    def listed(self, body: Any, handle: str) -> bool:
        """Whether a `listing` answer shows the object."""

    def created(self, path: str, body: Any) -> str | None:
        """The handle of an object a successful POST to `path` created, if it made one."""

    def history(self, handle: str) -> Request | None:
        """The request that reads the object's history (transactions, events), if any."""

    def entries(self, body: Any) -> list[Entry]:
        """The history entries of a `history` answer."""

    def history_totals(self, entries: list[Entry]) -> Snapshot:
        """Money fields the history adds up to; each must equal the object's own field."""

    def business_rules(self, handle: str, before: Snapshot) -> list[BusinessRule]:
        """Schema-valid requests the vendor's model refuses (amounts, over-use, bounds)."""

    def text_edits(self, handle: str, text: str) -> list[TextEdit]:
        """Writes of free text `text` that a later read must show unchanged."""

    def paging(self) -> Paging | None:
        """How to page through and order the list of this identity's objects, if any."""


class Undeletable:
    """For a `Ledger` whose API cannot delete what the scenarios work on: nothing to clean up
    after a run (what it made is listed as left behind), and nothing for the deletion check to
    look for in a list."""

    def cleanup(self, handle: str) -> Request | None:
        return None

    def listing(self) -> Request | None:
        return None

    def listed(self, body: Any, handle: str) -> bool:
        return False

    def created(self, path: str, body: Any) -> str | None:
        return None


# What `positive_data_acceptance` accepts for schema-valid data on an operation that has
# business refusals: success, missing credentials, an id that does not exist (any more), a
# conflict; then the operation's own refusal statuses are added. Every other operation keeps
# Schemathesis' default. The repository's `schemathesis.toml` says the same to stock
# Schemathesis; a test keeps the two equal.
POSITIVE_DATA_STATUSES = ("2xx", "401", "404", "409")


def positive_data_statuses(extra: tuple[str, ...]) -> list[str]:
    """The full `expected-statuses` of an operation whose vendor refuses with `extra`."""
    return sorted(set(POSITIVE_DATA_STATUSES) | set(extra))


@dataclass(frozen=True)
class CredentialOption:
    """One way to authenticate: the environment variables it needs and how to use them.

    `build(target, values, suffix)` gets the values under their base names; `suffix` ("" or
    "_2") names the variables a replay line should read them from.
    """

    names: tuple[str, ...]
    build: Callable[[Target, dict[str, str], str], Authenticator]


@dataclass(frozen=True)
class VendorProfile:
    name: str
    title: str
    spec_file: str
    path_prefixes: tuple[str, ...]
    credentials: tuple[CredentialOption, ...]
    demo: dict[str, str]
    demo_second: dict[str, str]
    envelope: Callable[[int, Any], str | None]
    invariants: Callable[[Any], Iterator[str]]
    ledger: Ledger
    # A cheap authenticated read: the preflight sends it once to prove the credentials work.
    probe: Request | None = None
    public_paths: tuple[str, ...] = field(default=())
    # operationId -> statuses the vendor answers to schema-valid data it refuses for a
    # business reason no schema can express (see `business_refusals` in each vendor module).
    business_refusals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Request properties holding free text (notes, memos): generated as realistic Unicode.
    free_text: tuple[str, ...] = field(default=())

    def owns(self, path: str) -> bool:
        return path.startswith(self.path_prefixes)


def decimal(value: Any) -> Decimal | None:
    """A JSON number or decimal string as an exact Decimal (floats via their repr)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside a body, the body itself first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


@functools.cache
def registry() -> dict[str, VendorProfile]:
    """Every known vendor, by name, in a stable order (built once: checks ask per response)."""
    from contracts.vendors import appstle, medusa, spree

    return {profile.name: profile for profile in (appstle.PROFILE, medusa.PROFILE, spree.PROFILE)}


def for_path(path: str) -> VendorProfile | None:
    """The vendor owning a request path (checks run for any schema; others are left alone)."""
    for profile in registry().values():
        if profile.owns(path):
            return profile
    return None
