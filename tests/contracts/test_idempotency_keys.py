"""Generated writes get an Idempotency-Key of their own, so a fuzzed key that repeats (the
spec's example, "0") cannot turn their answers into 409 conflicts."""

from __future__ import annotations

from types import SimpleNamespace

from schemathesis.core.parameters import ParameterLocation

from contracts.hooks import fresh_idempotency_key


def case(method: str, key: object, *, negative_headers: bool = False) -> SimpleNamespace:
    mode = SimpleNamespace(is_negative=negative_headers)
    meta = SimpleNamespace(components={ParameterLocation.HEADER: SimpleNamespace(mode=mode)})
    return SimpleNamespace(method=method, headers={"Idempotency-Key": key}, meta=meta)


def test_repeated_keys_become_unique():
    first, second = case("POST", "0"), case("POST", "0")
    fresh_idempotency_key(first)
    fresh_idempotency_key(second)
    keys = {first.headers["Idempotency-Key"], second.headers["Idempotency-Key"]}
    assert len(keys) == 2 and "0" not in keys


def test_keys_meant_as_invalid_are_kept():
    empty, long_key = case("POST", ""), case("PATCH", "k" * 256)
    negative = case("DELETE", "5f0c2a4e-credit-1", negative_headers=True)
    for item in (empty, long_key, negative):
        before = item.headers["Idempotency-Key"]
        fresh_idempotency_key(item)
        assert item.headers["Idempotency-Key"] == before


def test_reads_are_left_alone():
    read = case("GET", "0")
    fresh_idempotency_key(read)
    assert read.headers == {"Idempotency-Key": "0"}
