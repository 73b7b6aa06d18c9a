"""The SQLite store: transactions, tenants, the write lock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mockserver.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "state.sqlite3")
    yield store
    store.close()


def test_concurrent_read_modify_write_from_threads_loses_nothing(store: Store) -> None:
    with store.transaction() as tx:
        tx.tenant("t").put("counter", "c", {"n": 0})

    def bump(_: int) -> None:
        with store.transaction(write=True) as tx:
            counter = tx.tenant("t").get("counter", "c")
            tx.tenant("t").put("counter", "c", {"n": counter["n"] + 1})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(bump, range(400)))
    with store.transaction(write=False) as tx:
        assert tx.tenant("t").get("counter", "c") == {"n": 400}


def test_an_exception_rolls_back_and_releases_the_write_lock(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.tenant("t").put("thing", "1", {"v": 1})
        raise RuntimeError("handler failed")
    with store.transaction() as tx:  # would block forever if the lock were still held
        assert tx.tenant("t").get("thing", "1") is None


def test_tenants_are_isolated_and_dropped_whole(store: Store) -> None:
    with store.transaction() as tx:
        tx.add_tenant("a", "toy", "now")
        tx.tenant("a").put("k", "1", {"x": 1})
        tx.tenant("b").put("k", "1", {"x": 2})
        assert tx.tenant("a").next_id("seq") == 1
        assert tx.tenant("a").next_id("seq") == 2
        tx.drop_tenant("a")
        assert tx.tenant("a").get("k", "1") is None
        assert tx.tenant("a").next_id("seq") == 1
        assert tx.tenant("b").get("k", "1") == {"x": 2}


def test_replacing_a_record_keeps_its_place_in_order(store: Store) -> None:
    with store.transaction() as tx:
        shelf = tx.tenant("t")
        for key in "abc":
            shelf.put("item", key, {"k": key})
        shelf.put("item", "a", {"k": "a2"})
        assert [d["k"] for d in shelf.all("item")] == ["a2", "b", "c"]


def test_a_temporary_store_removes_its_files(tmp_path: Path) -> None:
    store = Store()
    with store.transaction() as tx:
        tx.tenant("t").put("k", "1", {})
    path = Path(store.path)
    store.close()
    assert not path.exists()
    assert not Path(store.path + ".lock").exists()
