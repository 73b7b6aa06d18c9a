"""Spec handling in the core: reference inlining, path shapes, explaining refusals."""

from __future__ import annotations

from mockserver.openapi import SpecRequest, VendorSpec, inline_local_refs, path_shape


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


def test_explaining_a_refusal_builds_each_parameter_deserializer_once(monkeypatch) -> None:
    from openapi_core.datatypes import RequestParameters
    from werkzeug.datastructures import Headers, ImmutableMultiDict

    spec = VendorSpec("medusa-store-credit.yaml")  # not load_spec's: this one gets a spy
    factory = spec.openapi.request_validator.style_deserializers_factory
    built: list[str] = []
    create = factory.create
    monkeypatch.setattr(
        factory, "create", lambda *a, **k: built.append(k["name"]) or create(*a, **k)
    )
    request = SpecRequest(
        host_url=spec.server_url,
        path="/admin/store-credit-accounts",
        method="get",
        body=None,
        content_type="application/octet-stream",
        parameters=RequestParameters(
            query=ImmutableMultiDict({"limit": "many"}), header=Headers(), cookie={}
        ),
    )
    first = spec.request_problems(request)
    after_first = list(built)
    assert [p.field for p in first] == ["limit"]
    assert "limit" in after_first
    assert spec.request_problems(request) == first
    assert built == after_first  # nothing built again
