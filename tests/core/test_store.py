"""The SQLite store: transactions, tenants, the write lock."""

from __future__ import annotations

import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mockserver.store import JOURNAL_TRIM_EVERY, Checkpointer, Store


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


def test_the_journal_shows_the_newest_entries_and_its_table_stays_bounded(store: Store) -> None:
    keep = 3
    for n in range(2 * JOURNAL_TRIM_EVERY + 5):
        with store.transaction() as tx:
            tx.journal_append({"n": n}, keep)
            assert [e["n"] for e in tx.journal(keep)] == list(range(max(0, n - 2), n + 1))
    with store.transaction(write=False) as tx:
        stored = tx.conn.execute("SELECT COUNT(*) FROM journal").fetchone()[0]
    assert keep <= stored < keep + JOURNAL_TRIM_EVERY


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


def test_a_page_by_id_and_the_count_follow_every_write(store: Store) -> None:
    with store.transaction() as tx:
        things = tx.tenant("t")
        for record_id in ("b", "d", "a", "c", "e"):
            things.put("thing", record_id, {"id": record_id})
        things.put("thing", "a", {"id": "a", "again": True})  # a replace is not a new record
        tx.tenant("other").put("thing", "z", {"id": "z"})
        things.delete("thing", "e")
    with store.transaction(write=False) as tx:
        things = tx.tenant("t")
        assert things.count("thing") == 4 and things.count("nothing") == 0
        assert [r["id"] for r in things.page_by_id("thing", 1, 2)] == ["b", "c"]
        assert [r["id"] for r in things.page_by_id("thing", 0, 3, descending=True)] == [
            "d",
            "c",
            "b",
        ]
        assert things.page_by_id("thing", 0, 1) == [{"id": "a", "again": True}]
    with store.transaction() as tx:
        tx.drop_tenant("t")
    with store.transaction(write=False) as tx:
        assert tx.tenant("t").count("thing") == 0 and tx.tenant("other").count("thing") == 1


def test_where_finds_records_by_a_field_as_json_compares(store: Store) -> None:
    with store.transaction() as tx:
        things = tx.tenant("t")
        things.put("thing", "1", {"owner": 7, "n": 1})
        things.put("thing", "2", {"owner": "7", "n": 2})  # text is not the number
        things.put("thing", "3", {"owner": 7.0, "n": 3})  # 7.0 is 7, as in Python
        things.put("thing", "4", {"n": 4})
        things.put("other", "5", {"owner": 7, "n": 5})
        things.put("thing", "1", {"owner": 7, "n": 6})  # replaced: keeps its place
        tx.tenant("u").put("thing", "6", {"owner": 7, "n": 7})
    with store.transaction(write=False) as tx:
        assert [r["n"] for r in tx.tenant("t").where("thing", "owner", 7)] == [6, 3]
        assert [r["n"] for r in tx.tenant("t").where("thing", "owner", "7")] == [2]
    with pytest.raises(ValueError, match="plain field name"):
        tx.tenant("t").where("thing", "owner') OR (1", 7)


def test_a_declared_lookup_field_is_read_through_an_index(tmp_path: Path) -> None:
    """The lookup reads the matching records only, in a state file from before too."""
    path = tmp_path / "old.sqlite3"
    old = Store(path)
    with old.transaction() as tx:
        tx.tenant("t").put("thing", "1", {"owner": 1})
    old.close()
    store = Store(path)
    store.index_lookups(["owner"])
    with store.transaction(write=False) as tx:
        statements: list[str] = []
        tx.conn.set_trace_callback(statements.append)
        assert tx.tenant("t").where("thing", "owner", 1) == [{"owner": 1}]
        tx.conn.set_trace_callback(None)
        plan = tx.conn.execute(f"EXPLAIN QUERY PLAN {statements[-1]}").fetchall()
        assert "USING INDEX records_by_owner" in str(plan), plan
    store.close()


def test_pages_of_unmarked_records_and_counts_of_marked_ones(store: Store) -> None:
    store.index_marks(["gone"])
    with store.transaction() as tx:
        things = tx.tenant("t")
        for number in range(1, 9):
            things.put("thing", f"x{number}", {"n": number, "gone": "yes" if number % 3 else None})
        things.put("thing", "x3", {"n": 3, "gone": "now"})  # marked by a replace
        things.put("thing", "x1", {"n": 1})  # unmarked: the field is absent
        tx.tenant("u").put("thing", "y", {"n": 0})
    with store.transaction(write=False) as tx:
        things = tx.tenant("t")
        assert [r["n"] for r in things.page_unmarked("thing", "gone", 0, 9)] == [1, 6]
        assert [r["n"] for r in things.page_unmarked("thing", "gone", 1, 1)] == [6]
        assert things.page_unmarked("thing", "gone", 2**70, 2**70) == []
        assert things.count_marked("thing", "gone") == 6
        statements: list[str] = []
        tx.conn.set_trace_callback(statements.append)
        things.count_marked("thing", "gone")
        things.page_unmarked("thing", "gone", 0, 2)
        tx.conn.set_trace_callback(None)
        plans = [str(tx.conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()) for sql in statements]
        assert "USING INDEX records_marked_gone" in plans[0], plans
        assert "USING INDEX records_in_order" in plans[1] and "TEMP B-TREE" not in plans[1], plans


def test_counts_are_rebuilt_for_a_state_file_from_before_them(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    store = Store(path)
    with store.transaction() as tx:
        for record_id in "abc":
            tx.tenant("t").put("thing", record_id, {})
        tx.conn.execute("DELETE FROM record_counts")  # as a file written before the counts
        tx.conn.execute("DELETE FROM meta WHERE key = 'record_counts_ready'")
    store.close()
    reopened = Store(path)
    with reopened.transaction(write=False) as tx:
        assert tx.tenant("t").count("thing") == 3
    reopened.close()


def _records_in_main_file(db: Path, copy: Path) -> int:
    """How many records the database file holds on its own, without its WAL."""
    copy.write_bytes(db.read_bytes())
    conn = sqlite3.connect(copy)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'records'").fetchone():
            return 0  # even the schema is in the WAL only
        return conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]
    finally:
        conn.close()


def test_commits_reach_the_database_file_by_the_checkpoint_thread_not_by_a_commit(
    tmp_path: Path,
) -> None:
    db = tmp_path / "state.sqlite3"
    store = Store(db)

    def write(count: int, size: int = 0) -> None:
        for _ in range(count):
            with store.transaction() as tx:
                tx.tenant("t").put("thing", str(time.monotonic_ns()), {"pad": "x" * size})

    try:
        # Over 1,000 pages of WAL, where SQLite's own automatic checkpoint would run inside
        # a COMMIT; yet no commit checkpointed: everything is still in the WAL only.
        write(Checkpointer.EVERY // 2, size=100_000)
        assert _records_in_main_file(db, tmp_path / "before.sqlite3") == 0
        write(2 * Checkpointer.EVERY)
        deadline = time.monotonic() + 10
        while True:
            try:
                if _records_in_main_file(db, tmp_path / "after.sqlite3") >= Checkpointer.EVERY:
                    break
            except sqlite3.DatabaseError:
                pass  # copied while the checkpoint was writing the file: a torn copy
            assert time.monotonic() < deadline, "the checkpoint thread never copied the WAL"
            time.sleep(0.01)
    finally:
        store.close()
