"""Spec handling in the core: reference inlining and path shapes."""

from __future__ import annotations

from mockserver.openapi import inline_local_refs, path_shape


def test_local_refs_are_inlined_and_the_original_is_untouched() -> None:
    doc = {
        "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Ok"}}}}},
        "components": {
            "responses": {"Ok": {"description": "ok", "content": {"$ref": "#/components/x"}}},
            "x": {"application/json": {"schema": {"type": "string"}}},
        },
    }
    inlined = inline_local_refs(doc)
    assert inlined["paths"]["/a"]["get"]["responses"]["200"] == {
        "description": "ok",
        "content": {"application/json": {"schema": {"type": "string"}}},
    }
    assert doc["paths"]["/a"]["get"]["responses"]["200"] == {"$ref": "#/components/responses/Ok"}


def test_a_recursive_schema_keeps_its_inner_reference() -> None:
    node = {
        "type": "object",
        "properties": {"child": {"$ref": "#/components/schemas/Node"}},
    }
    doc = {"root": {"$ref": "#/components/schemas/Node"}, "components": {"schemas": {"Node": node}}}
    root = inline_local_refs(doc)["root"]
    assert root["type"] == "object"
    assert root["properties"]["child"] == {"$ref": "#/components/schemas/Node"}


def test_paths_compare_without_variable_names() -> None:
    assert path_shape("/a/{id}/b") == path_shape("/a/{account_id}/b") == "/a/{}/b"
