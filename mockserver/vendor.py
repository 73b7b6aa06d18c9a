"""The contract between the generic core and one vendor package.

Each package under `mockserver.vendors` exposes a module-level `VENDOR = Vendor(...)`. The core
discovers them by walking that package, so adding a vendor never touches the core.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from flask import Blueprint, Request
from werkzeug.datastructures import MultiDict

from mockserver.errors import ApiError, Problem
from mockserver.exchange import Exchange, LedgerReading
from mockserver.fidelity import Quirk
from mockserver.store import TenantStore


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant whose state they see, and how they authenticated.

    A tenant is named `<vendor name>:<credential or store>` (`appstle:apst_test_demo`).

    `subject` is the id of the user or key (Medusa records it as a transaction's
    `reference_id`), `scheme` a short word for how they proved it (e.g. "user", "api-key").
    """

    tenant: str
    subject: str
    scheme: str


class AuthContext(Protocol):
    """What an authenticator may use besides the request."""

    def global_store(self) -> TenantStore:
        """State shared by all tenants of the server (issued tokens, for instance)."""

    def fixtures(self) -> Mapping[str, Any]:
        """The vendor's fixture data the server runs with (users and keys live here)."""

    def is_sandbox_credential(self, credential: str) -> bool:
        """True when this credential opens its own fresh tenant (`apst_test_*` and the like)."""

    @property
    def token_ttl(self) -> int:
        """Seconds an issued access token stays valid."""

    @property
    def signing_key(self) -> bytes:
        """Secret shared by every worker process, for signing tokens (JWTs)."""


class ErrorFormat(Protocol):
    """Builds the vendor's own error answers for failures the core detects."""

    def invalid_request(self, problems: list[Problem]) -> ApiError:
        """The request broke its spec; `problems` lists every finding, in order."""

    def malformed_body(self, detail: str, raw: bytes) -> ApiError:
        """The body could not be read at all (bad JSON, bad UTF-8, too deep).

        `detail` is Python's reason; `raw` lets a vendor word it as its own parser would.
        """

    def unsupported_media_type(self, content_type: str) -> ApiError:
        """A body whose content type the operation does not accept."""

    def payload_too_large(self, limit: int) -> ApiError: ...

    def route_not_found(self, method: str, path: str) -> ApiError: ...

    def method_not_allowed(self, method: str, path: str, allowed: list[str]) -> ApiError:
        """Status 405; the core adds the `Allow` header."""

    def idempotency_conflict(self) -> ApiError:
        """Same `Idempotency-Key`, different request."""

    def injected_fault(self, status: int) -> ApiError:
        """An error answer forced by an admin fault rule (429, 503, ...)."""

    def internal_error(self) -> ApiError:
        """A bug in the mock; the body must still be in the vendor's shape."""


@dataclass(frozen=True)
class Vendor:
    """Everything the core needs to serve one vendor API.

    - `path_prefixes`: request paths this vendor owns (unknown paths under them get its 404).
    - `authenticate(request, ctx)` returns the `Principal` or raises the vendor's 401
      `ApiError`. It is called only for operations whose spec declares security.
    - `seed(store, fixtures)` fills a new tenant from the merged fixture data.
    - `fixture_schema`: JSON Schema every fixture file must satisfy (checked at load).
    - `sandbox_pattern`: regex of credentials that open their own fresh tenant.
    - `demo_credentials`: lines printed at start-up and shown by the admin API.
    - `query_root(key)`: the field a raw query key fills as the vendor's query parser reads
      it (`a[b]` -> `a`; None: the parser drops the key). When set, keys whose field the
      operation does not declare are answered as `unknown` problems.
    - `read_query(args)`: the query as the vendor's framework hands it to its validator, when
      it rewrites values first (Medusa's zod schema reads `limit` with parseInt: `3abc` is
      3). The result is what the spec validates; handlers still read the raw query.
    - `quirks`: the real server's defects this package reproduces in `vendor` fidelity.
    - `secret_fields`: header, query and JSON/form field names (any depth, any case) whose
      values are credentials or issued secrets; the request journal keeps only a fingerprint
      of them (the core adds the standard ones: Authorization, Cookie, ...).
    - `record_schema`: the shape of the tenant state, usually read from the vendor's
      `records.yaml`: `{"kinds": {kind regex: JSON Schema of its documents}, "$defs": {...}}`
      (schemas may `$ref` `#/$defs/...`); `PUT /__admin/state` refuses records of undeclared
      kinds or bad shape, so an import cannot leave a tenant its handlers cannot read.
    - `auth_before_routing`: path prefixes whose auth middleware runs before routing, so an
      unknown route or method there answers 401 to a caller without valid credentials.
    - `parses_body_before_auth`: the vendor's body parser runs before its auth middleware, so
      an unreadable body answers 400 even without valid credentials (and 401 only after).
    - `read_ledger(exchange)`: the balance an exchange shows and what it should have changed,
      so `mockserver proxy` can check consecutive answers add up (None: says nothing).
    - `summarize(store)`: a tenant's money for the dashboard (balances, accounts, ledgers).
    - `real_hosts`: the vendor's own API hosts (glob patterns) that `mock_vendors()` routes
      into the mock, so a client written against the vendor runs unchanged in a test.
    - `lookup_fields`: top-level document fields the handlers find records by
      (`TenantStore.where`); the store indexes them, so a lookup reads the matching records
      only, however many others the tenant holds.
    - `mark_fields`: top-level fields whose records are counted when set
      (`TenantStore.count_marked`: soft-deleted records, say); indexed the same way.
    """

    name: str
    title: str
    spec_file: str
    path_prefixes: tuple[str, ...]
    blueprint: Blueprint
    errors: ErrorFormat
    authenticate: Callable[[Request, AuthContext], Principal]
    seed: Callable[[TenantStore, Mapping[str, Any]], None]
    fixtures_dir: Path
    fixture_schema: Mapping[str, Any]
    sandbox_pattern: str
    demo_credentials: tuple[str, ...]
    content_type: str = "application/json"
    query_root: Callable[[str], str | None] | None = None
    read_query: Callable[[MultiDict[str, str]], MultiDict[str, str]] | None = None
    quirks: tuple[Quirk, ...] = ()
    secret_fields: frozenset[str] = frozenset()
    record_schema: Mapping[str, Any] = field(default_factory=dict)
    auth_before_routing: tuple[str, ...] = ()
    parses_body_before_auth: bool = False
    real_hosts: tuple[str, ...] = ()
    read_ledger: Callable[[Exchange], LedgerReading | None] | None = None
    summarize: Callable[[TenantStore], TenantSummary] | None = None
    lookup_fields: tuple[str, ...] = ()
    mark_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountSummary:
    """One account (or customer) as the dashboard lists it; `ledger` newest last, each entry
    a small dict (`at`, `kind`, `amount`, `note`...) shown as it is."""

    id: str
    label: str
    balance: str
    currency: str = ""
    ledger: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class TenantSummary:
    accounts: tuple[AccountSummary, ...] = ()
