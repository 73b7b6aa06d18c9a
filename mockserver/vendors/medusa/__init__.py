"""Medusa v2 Admin API, store credit (the official Loyalty Plugin) and the admin login.

Demo tenant `medusa:demo`: log in as admin@example.com / supersecret, or send the secret key
`sk_test_demo` as HTTP Basic. Any other `sk_test_*` key opens a fresh tenant of its own.
"""

from __future__ import annotations

from pathlib import Path

from mockserver.fixtures import SCHEMA_FILE, read_yaml
from mockserver.vendor import Vendor
from mockserver.vendors.medusa.auth import authenticate
from mockserver.vendors.medusa.errors import MedusaErrors
from mockserver.vendors.medusa.qs import query_root
from mockserver.vendors.medusa.querying import read_query
from mockserver.vendors.medusa.quirks import QUIRKS
from mockserver.vendors.medusa.routes import blueprint
from mockserver.vendors.medusa.seed import seed
from mockserver.vendors.medusa.traffic import read_ledger, summarize

_FIXTURES = Path(__file__).resolve().parent / "fixtures"

VENDOR = Vendor(
    name="medusa",
    title="Medusa store credit (Loyalty Plugin, Admin API)",
    spec_file="medusa-store-credit.yaml",
    path_prefixes=("/admin/", "/auth/"),
    blueprint=blueprint,
    errors=MedusaErrors(),
    authenticate=authenticate,
    seed=seed,
    fixtures_dir=_FIXTURES,
    fixture_schema=read_yaml(_FIXTURES / SCHEMA_FILE),
    sandbox_pattern=r"sk_test_[A-Za-z0-9_]+",
    demo_credentials=(
        "POST /auth/user/emailpass {email: admin@example.com, password: supersecret} -> JWT "
        "(tenant medusa:demo)",
        "HTTP Basic user sk_test_demo, empty password (tenant medusa:demo)",
        "HTTP Basic user sk_test_<anything> opens a fresh sandbox tenant",
    ),
    query_root=query_root,
    read_query=read_query,
    quirks=QUIRKS,
    secret_fields=frozenset({"password", "token"}),
    record_schema=read_yaml(Path(__file__).resolve().parent / "records.yaml"),
    auth_before_routing=("/admin/",),
    parses_body_before_auth=True,  # Express' json() is app-wide, before the auth middleware
    read_ledger=read_ledger,
    summarize=summarize,
    real_hosts=("*.api.myxclade.com",),
)
