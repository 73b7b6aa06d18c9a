"""Which credentials each identity of a run uses.

Against our mock the demo credentials are the default (they open sandbox tenants). Against a
vendor nothing is ever filled in: the first identity must be given, and the second one only
exists when the user gives `_2` credentials (tenant isolation needs it).
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.auth import Authenticator, AuthError
from contracts.preflight import PreflightError
from contracts.target import Kind, Target
from contracts.vendors import VendorProfile

SECOND = "_2"


def given(profile: VendorProfile, credentials: Mapping[str, str], suffix: str) -> dict | None:
    """The first complete credential option found under `suffix`, as base name -> value."""
    for option in profile.credentials:
        values = {name: credentials.get(name + suffix, "") for name in option.names}
        if all(values.values()):
            return values
    return None


def identities(
    profile: VendorProfile, credentials: Mapping[str, str], kind: Kind = Kind.MOCK
) -> tuple[dict[str, str], dict[str, str] | None]:
    """Credential values of the first and second identity (None: there is no second one)."""
    first = given(profile, credentials, "")
    second = given(profile, credentials, SECOND)
    if kind is Kind.MOCK:
        return first or dict(profile.demo), second or dict(profile.demo_second)
    if first is None:
        names = " or ".join(" + ".join(option.names) for option in profile.credentials)
        raise PreflightError(
            f"{profile.title}: no credentials for a vendor target; set {names} "
            "(demo credentials only work against the mock)"
        )
    return first, second


def authenticator(
    profile: VendorProfile, target: Target, values: dict[str, str], suffix: str = ""
) -> Authenticator:
    for option in profile.credentials:
        if set(option.names) <= set(values):
            return option.build(target, values, suffix)
    raise AuthError(f"no usable {profile.title} credentials")
