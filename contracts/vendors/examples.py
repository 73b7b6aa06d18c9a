"""Read realistic values out of a spec's own `example`s (ids of seeded objects, request bodies).

Scenario checks need a customer that exists or a valid create body; the specs carry both as
examples, valid against their schemas, so the suite needs no vendor fixture data of its own.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any


def request_example(spec: dict[str, Any], path: str, method: str) -> Any:
    """The first example request body of an operation, or None."""
    operation = spec.get("paths", {}).get(path, {}).get(method.lower(), {})
    for media in operation.get("requestBody", {}).get("content", {}).values():
        if "example" in media:
            return copy.deepcopy(media["example"])
        for example in media.get("examples", {}).values():
            if isinstance(example, dict) and "value" in example:
                return copy.deepcopy(example["value"])
        if "example" in media.get("schema", {}):
            return copy.deepcopy(media["schema"]["example"])
    return None


def values_named(spec: Any, name: str) -> Iterator[Any]:
    """Every example value given for a property or parameter called `name`, in spec order."""
    if isinstance(spec, dict):
        if spec.get("name") == name and "example" in spec:
            yield spec["example"]
        for key, value in spec.items():
            if key == name and not isinstance(value, (dict, list)):
                yield value
            elif key == name and isinstance(value, dict) and "example" in value:
                yield value["example"]
            yield from values_named(value, name)
    elif isinstance(spec, list):
        for item in spec:
            yield from values_named(item, name)
