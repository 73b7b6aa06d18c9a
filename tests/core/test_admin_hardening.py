"""Admin hardening in-process: value-free fixture errors, import checks, store purge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mockserver.fixtures import FixtureError, check_fixture, load_fixtures
from mockserver.store import Store

SCHEMA = {"type": "object", "properties": {"items": {"type": "array"}, "n": {"maximum": 3}}}


@pytest.mark.parametrize("data", [{"items": "SECRET"}, {"n": 99}, "SECRET"])
def test_fixture_problems_never_quote_the_data(data: Any) -> None:
    with pytest.raises(FixtureError) as caught:
        check_fixture(data, SCHEMA, "f.yaml")
    assert "SECRET" not in str(caught.value) and "99" not in str(caught.value)


def test_yaml_errors_give_the_line_not_the_text(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("ok: 1\nSECRET: [unclosed\n")
    with pytest.raises(FixtureError) as caught:
        load_fixtures(bad, SCHEMA)
    assert "line" in str(caught.value) and "SECRET" not in str(caught.value)


def test_files_outside_the_allowed_folders_are_not_read(tmp_path: Path) -> None:
    inside, outside = tmp_path / "in", tmp_path / "out.yaml"
    inside.mkdir()
    outside.write_text("items: []\n")
    (inside / "a.yaml").symlink_to(outside)
    for path in (outside, inside / "a.yaml", inside / ".." / "out.yaml", inside):
        with pytest.raises(FixtureError, match="not inside a fixture folder"):
            load_fixtures(path, SCHEMA, inside=(inside,))


def test_toy_import_checks_records_and_refuses_the_global_store(toy: Any) -> None:
    dump = {"vendor": "toy", "records": {"item": [{"id": "1", "data": {"id": "1"}}]}}
    answer = toy.put("/__admin/state", json={"tenants": {"toy:demo": dump}})
    assert answer.status_code == 400
    assert "records/item/0/data: 'name' is a required property" in answer.get_json()["error"]
    assert toy.put("/__admin/state", json={"tenants": {"": {"vendor": "toy"}}}).status_code == 400
    good = {
        "vendor": "toy",
        "records": {"item": [{"id": "1", "data": {"id": "1", "name": "a", "qty": 1}}]},
    }
    assert toy.put("/__admin/state", json={"tenants": {"toy:demo": good}}).status_code == 200


def test_purge_deletes_only_what_expired_and_at_most_a_batch(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    with store.transaction() as tx:
        tokens = tx.tenant("")
        for i in range(5):
            tokens.put("token", f"old{i}", {}, expires_at=100.0)
        tokens.put("token", "fresh", {}, expires_at=300.0)
        tokens.put("token", "forever", {})
        tx.remember_answer("t", "k-old", "f", {}, created_at=50.0)
        tx.remember_answer("t", "k-new", "f", {}, created_at=250.0)
    with store.transaction() as tx:
        assert tx.purge(now=200.0, answers_before=200.0, batch=3) == 4  # 3 tokens + 1 answer
        assert tx.purge(now=200.0, answers_before=200.0, batch=3) == 2
        assert tx.purge(now=200.0, answers_before=200.0, batch=3) == 0
        left = [
            r for r in ("fresh", "forever", "old0") if tx.tenant("").get("token", r) is not None
        ]
        assert left == ["fresh", "forever"]
        assert tx.remembered_answer("t", "k-new", not_before=200.0) is not None
        assert tx.remembered_answer("t", "k-new", not_before=260.0) is None
    store.close()
