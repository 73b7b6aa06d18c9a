"""Fixture files: YAML documents that seed a vendor's tenants, checked before use.

A vendor's fixtures are every `*.yaml` in its folder except `schema.yaml` (the JSON Schema
they must satisfy). Files are merged in name order: lists under the same key are
concatenated, anything else is replaced by the later file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA_FILE = "schema.yaml"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 7x faster


def read_yaml(path: Path) -> Any:
    """A YAML file, parsed safely (specs, fixtures, fixture schemas); start-up reads many."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)


class FixtureError(ValueError):
    """A fixture file that cannot be used; the message names the file and the field."""


def fixture_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.name != SCHEMA_FILE)


def check_fixture(data: Any, schema: Mapping[str, Any], origin: str) -> None:
    """Raise `FixtureError` naming `origin` and the first offending field."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise FixtureError(f"{origin}: field {where}: {first.message}{more}")


def merge(documents: list[Mapping[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for document in documents:
        for key, value in document.items():
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
            else:
                merged[key] = value
    return merged


def load_fixtures(folder: Path, schema: Mapping[str, Any]) -> dict[str, Any]:
    """Read, check and merge a vendor's fixture folder (or a single `.yaml` file)."""
    files = [folder] if folder.is_file() else fixture_files(folder)
    if not files:
        raise FixtureError(f"{folder}: no fixture files (*.yaml) found")
    documents = []
    for path in files:
        try:
            data = read_yaml(path) or {}
        except yaml.YAMLError as exc:
            raise FixtureError(f"{path}: not valid YAML: {exc}") from None
        check_fixture(data, schema, str(path))
        documents.append(data)
    return merge(documents)
