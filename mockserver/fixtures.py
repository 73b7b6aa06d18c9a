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
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise FixtureError(f"{origin}: field {where}: {describe(first)}{more}")


# Findings whose message names only keys (field names), never a value of the data.
_KEY_NAMING = frozenset({"required", "additionalProperties", "dependentRequired"})


def describe(error: jsonschema.ValidationError) -> str:
    """What a field broke, worded from the schema alone: jsonschema's own messages quote the
    offending value, and a value may be the content of a file nobody meant to show."""
    if error.validator in _KEY_NAMING:
        return error.message
    if error.validator == "type":
        return f"must be of type {error.validator_value}"
    if error.validator == "enum":
        return f"must be one of {error.validator_value}"
    if error.validator in ("minLength", "maxLength", "minimum", "maximum", "pattern"):
        return f"breaks {error.validator} {error.validator_value!r}"
    return f"does not match the schema ({error.validator})"


def merge(documents: list[Mapping[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for document in documents:
        for key, value in document.items():
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
            else:
                merged[key] = value
    return merged


def load_fixtures(
    folder: Path, schema: Mapping[str, Any], inside: tuple[Path, ...] | None = None
) -> dict[str, Any]:
    """Read, check and merge a vendor's fixture folder (or a single `.yaml` file).

    With `inside`, every file read must resolve (symlinks followed) to a path under one of
    those folders: the admin API reads only where the operator put fixtures."""
    if inside is not None:
        _check_inside(folder, inside)
    files = [folder] if folder.is_file() else fixture_files(folder)
    if not files:
        raise FixtureError(f"{folder}: no fixture files (*.yaml) found")
    documents = []
    for path in files:
        if inside is not None:
            _check_inside(path, inside)
        documents.append(_read_fixture(path, schema))
    return merge(documents)


def _check_inside(path: Path, roots: tuple[Path, ...]) -> None:
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root.resolve()) for root in roots):
        raise FixtureError(f"{path}: not inside a fixture folder this server was given")


def _read_fixture(path: Path, schema: Mapping[str, Any]) -> Any:
    """One file, parsed and checked; errors give the line, never the text found there."""
    try:
        data = read_yaml(path) or {}
    except UnicodeDecodeError:
        raise FixtureError(f"{path}: not UTF-8 text") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise FixtureError(f"{path}: not valid YAML{where}: {exc.problem}") from None
    except yaml.YAMLError:
        raise FixtureError(f"{path}: not valid YAML") from None
    check_fixture(data, schema, str(path))
    return data
