"""Tenants: one isolated state per credential, created and seeded on first use."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

from mockserver.requestctx import utcnow
from mockserver.store import GLOBAL_TENANT, Store, TenantStore, Transaction
from mockserver.vendor import Vendor

SIGNING_KEY = "signing_key"


def fixtures_key(vendor: str) -> str:
    return f"fixtures:{vendor}"


class ServerAuthContext:
    """`mockserver.vendor.AuthContext` bound to the current transaction."""

    def __init__(
        self,
        tx: Transaction,
        vendor: str,
        sandbox: re.Pattern[str],
        token_ttl: int,
        signing_key: bytes,
    ) -> None:
        self._tx = tx
        self._vendor = vendor
        self._sandbox = sandbox
        self._token_ttl = token_ttl
        self._signing_key = signing_key

    def global_store(self) -> TenantStore:
        return self._tx.tenant(GLOBAL_TENANT)

    def fixtures(self) -> dict[str, Any]:
        return stored_fixtures(self._tx, self._vendor)

    def is_sandbox_credential(self, credential: str) -> bool:
        return self._sandbox.fullmatch(credential) is not None

    @property
    def token_ttl(self) -> int:
        return self._token_ttl

    @property
    def signing_key(self) -> bytes:
        return self._signing_key


def sandbox_pattern(regex: str, max_length: int) -> re.Pattern[str]:
    """The sandbox regex, matching only credentials of at most `max_length` characters: each
    sandbox credential opens a tenant, and a 4,000-character one should not."""
    return re.compile(rf"(?=[\s\S]{{0,{max_length}}}\Z)(?:{regex})")


def ensure_signing_key(store: Store) -> bytes:
    """One secret per state file, so every worker (and a restart) verifies the same tokens."""
    with store.transaction(write=True) as tx:
        key = tx.meta(SIGNING_KEY)
        if key is None:
            key = secrets.token_hex(32)
            tx.set_meta(SIGNING_KEY, key)
    return bytes.fromhex(key)


def publish_fixtures(store: Store, fixtures: Mapping[str, Mapping[str, Any]]) -> None:
    """Make fixtures visible to every worker: tenants are seeded from the stored copy."""
    with store.transaction(write=True) as tx:
        for vendor, data in fixtures.items():
            tx.set_meta(fixtures_key(vendor), json.dumps(data))


def stored_fixtures(tx: Transaction, vendor: str) -> dict[str, Any]:
    raw = tx.meta(fixtures_key(vendor))
    return json.loads(raw) if raw else {}


def is_tenant_of(vendor: Vendor, name: str) -> bool:
    """Every vendor names its tenants `<vendor name>:<credential or store>`; the admin API
    uses this to refuse loading one vendor's records into another vendor's tenant."""
    return name.startswith(f"{vendor.name}:") and len(name) > len(vendor.name) + 1


def seed_tenant(tx: Transaction, vendor: Vendor, tenant: str) -> None:
    """(Re)create a tenant from the vendor's current fixtures, inside `tx`."""
    tx.drop_tenant(tenant)
    tx.add_tenant(tenant, vendor.name, utcnow().isoformat())
    vendor.seed(tx.tenant(tenant), stored_fixtures(tx, vendor.name))


def ensure_tenant(tx: Transaction, vendor: Vendor, tenant: str) -> None:
    """Seed the tenant if it does not exist yet; `tx` must hold the write lock."""
    if tx.tenant_vendor(tenant) is None:
        seed_tenant(tx, vendor, tenant)


def has_room_for_tenant(tx: Transaction, max_tenants: int) -> bool:
    """False once `max_tenants` tenants exist (`POST /__admin/reset` frees them)."""
    return tx.tenant_count() < max_tenants
