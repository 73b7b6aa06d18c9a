"""Finds the vendor packages under `mockserver.vendors` (the core names none of them)."""

from __future__ import annotations

import importlib
import pkgutil

from mockserver import vendors as vendors_package
from mockserver.vendor import Vendor


def discover_vendors(only: tuple[str, ...] | None = None) -> list[Vendor]:
    found = []
    for module in pkgutil.iter_modules(vendors_package.__path__):
        if not module.ispkg:
            continue
        vendor = importlib.import_module(f"{vendors_package.__name__}.{module.name}").VENDOR
        if only is None or vendor.name in only:
            found.append(vendor)
    if only is not None:
        unknown = set(only) - {v.name for v in found}
        if unknown:
            raise ValueError(f"unknown vendor(s): {', '.join(sorted(unknown))}")
    return sorted(found, key=lambda v: v.name)
