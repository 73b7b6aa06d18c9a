"""Realistic free text: the strategy, the spec annotation, and Schemathesis drawing from it."""

from __future__ import annotations

import random
import unicodedata

from hypothesis import given, settings

from contracts import text
from contracts.schema import raw_spec
from contracts.vendors import registry


@settings(max_examples=50)
@given(text.realistic_text())
def test_realistic_text_is_never_plain_ascii(value):
    assert not value.isascii()
    assert value == value.strip() or " " in value


def test_a_sample_has_every_script_and_combining_marks():
    value = text.sample(random.Random(1))
    assert any(unicodedata.combining(ch) for ch in value)
    assert any(ord(ch) > 0xFFFF for ch in value)  # an emoji outside the BMP
    assert any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in value)  # right to left
    assert any("CJK" in unicodedata.name(ch, "") for ch in value)


def test_only_plain_string_properties_of_the_named_fields_are_annotated():
    spec = {
        "properties": {
            "note": {"type": "string"},
            "memo": {"type": ["string", "null"]},
            "code": {"type": "string", "pattern": "^[A-Z]+$"},
            "short": {"type": "string", "maxLength": 500},
            "nested": {"properties": {"note": {"type": "string", "format": "email"}}},
        }
    }
    text.annotate(spec, ("note", "memo", "code", "short"))
    assert spec["properties"]["note"]["format"] == text.FORMAT
    assert spec["properties"]["memo"]["format"] == text.FORMAT
    assert "format" not in spec["properties"]["code"]
    assert "format" not in spec["properties"]["short"]  # its edges are the coverage phase's
    assert spec["properties"]["nested"]["properties"]["note"]["format"] == "email"


def test_schemathesis_generates_the_vendors_notes_as_realistic_text():
    import schemathesis
    from hypothesis import HealthCheck
    from schemathesis.generation import GenerationMode

    profile = registry()["medusa"]
    text.install()
    schema = schemathesis.openapi.from_dict(text.annotate(raw_spec(profile), profile.free_text))
    operation = schema["/admin/store-credit-accounts/{id}/credit"]["POST"]
    notes = []

    @settings(max_examples=30, database=None, suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def collect(case):
        if isinstance(case.body, dict) and "note" in case.body:
            notes.append(case.body["note"])

    collect()
    # Besides the spec's own example note, every note is realistic text.
    path = raw_spec(profile)["paths"]["/admin/store-credit-accounts/{id}/credit"]
    example = path["post"]["requestBody"]["content"]["application/json"]["example"]["note"]
    drawn = [note for note in notes if note != example]
    assert drawn
    assert not [note for note in drawn if note.isascii()]
