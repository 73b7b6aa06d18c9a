"""Reading the specs as plain documents, for the spec tests (no openapi-core in between)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SPECS_DIR = Path(__file__).resolve().parents[2] / "specs"


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((SPECS_DIR / name).read_text(encoding="utf-8"))


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s until a node that is not a reference."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node
