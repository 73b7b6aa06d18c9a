"""Embedded SQLite state, shared by every thread and worker process of one server.

The store is a small document store: each record is a JSON document addressed by
(tenant, kind, id), kept in insertion order. Vendor models see only `TenantStore`, never SQL,
and the admin API can export, import and reset any tenant without knowing its vendor.

Every request runs inside one transaction (`Store.transaction`). Writes take SQLite's write
lock up front (`BEGIN IMMEDIATE`), so read-modify-write sequences from many threads or
processes are serialised and no update is lost; WAL mode keeps readers unblocked.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

try:
    import fcntl
except ImportError:  # not POSIX: threads still queue; processes fall back on SQLite's retries
    fcntl = None  # type: ignore[assignment]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tenants (
    name TEXT PRIMARY KEY, vendor TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
    UNIQUE (tenant, kind, id)
);
CREATE TABLE IF NOT EXISTS sequences (
    tenant TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (tenant, name)
);
CREATE TABLE IF NOT EXISTS idempotency (
    tenant TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, answer TEXT NOT NULL,
    PRIMARY KEY (tenant, key)
);
CREATE INDEX IF NOT EXISTS records_in_order ON records (tenant, kind, seq);
CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS record_counts (
    tenant TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (tenant, kind)
);
CREATE TRIGGER IF NOT EXISTS record_counted AFTER INSERT ON records BEGIN
    INSERT OR IGNORE INTO record_counts (tenant, kind, n) VALUES (NEW.tenant, NEW.kind, 0);
    UPDATE record_counts SET n = n + 1 WHERE tenant = NEW.tenant AND kind = NEW.kind;
END;
CREATE TRIGGER IF NOT EXISTS record_uncounted AFTER DELETE ON records BEGIN
    UPDATE record_counts SET n = n - 1 WHERE tenant = OLD.tenant AND kind = OLD.kind;
END;
"""
# Counting a kind's records on the index still visits every one (20 ms at 20,000); the
# triggers above keep the counts instead. A state file from before them is counted once.
_COUNTS_READY = "record_counts_ready"

# Columns added after the first release, so state files written by it still open: each is
# added when missing, then indexed for the purge (`Transaction.purge`).
_ADDED_COLUMNS = (
    ("records", "expires_at", "REAL"),
    ("idempotency", "created_at", "REAL NOT NULL DEFAULT 0"),
)
_PURGE_INDEXES = """
CREATE INDEX IF NOT EXISTS records_expiry ON records (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS idempotency_age ON idempotency (created_at);
"""


def _json_field(field: str) -> str:
    """The SQL expression of a document's top-level field: written the same way in an index
    and in a query, or SQLite would not use the index."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field):
        raise ValueError(f"not a plain field name: {field!r}")
    return f"json_extract(data, '$.{field}')"


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    for table, column, declaration in _ADDED_COLUMNS:
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
    conn.executescript(_PURGE_INDEXES)


GLOBAL_TENANT = ""
SQLITE_MAX_INT = 2**63 - 1
JOURNAL_TRIM_EVERY = 100
log = logging.getLogger("mockserver")


class TenantStore:
    """One tenant's records inside the current transaction."""

    def __init__(self, conn: sqlite3.Connection, tenant: str) -> None:
        self._conn = conn
        self.tenant = tenant

    def get(self, kind: str, record_id: str) -> dict[str, Any] | None:
        row = self._conn.execute(
            "SELECT data FROM records WHERE tenant=? AND kind=? AND id=?",
            (self.tenant, kind, record_id),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def put(
        self, kind: str, record_id: str, doc: dict[str, Any], expires_at: float | None = None
    ) -> None:
        """Insert or replace; a replaced record keeps its place in `all()` order.

        A record with `expires_at` (epoch seconds) is deleted by a purge after that time;
        readers must still check expiry themselves, as a purge runs only now and then."""
        self._conn.execute(
            "INSERT INTO records (tenant, kind, id, data, expires_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (tenant, kind, id) DO UPDATE SET data = excluded.data, "
            "expires_at = excluded.expires_at",
            (self.tenant, kind, record_id, json.dumps(doc, separators=(",", ":")), expires_at),
        )

    def delete(self, kind: str, record_id: str) -> bool:
        cur = self._conn.execute(
            "DELETE FROM records WHERE tenant=? AND kind=? AND id=?",
            (self.tenant, kind, record_id),
        )
        return cur.rowcount > 0

    def all(self, kind: str) -> list[dict[str, Any]]:
        """Every record of a kind, oldest first."""
        rows = self._conn.execute(
            "SELECT data FROM records WHERE tenant=? AND kind=? ORDER BY seq",
            (self.tenant, kind),
        )
        return [json.loads(data) for (data,) in rows]

    def page_by_id(
        self, kind: str, offset: int, limit: int, descending: bool = False
    ) -> list[dict[str, Any]]:
        """Records of a kind ordered by id (code-point order, as Python sorts strings), one
        page of them: read through the (tenant, kind, id) index, so a page costs the same
        however many records there are."""
        rows = self._conn.execute(
            "SELECT data FROM records WHERE tenant=? AND kind=? "
            f"ORDER BY id {'DESC' if descending else 'ASC'} LIMIT ? OFFSET ?",
            # SQLite integers have 64 bits; any page beyond them is all there is, or nothing.
            (self.tenant, kind, min(limit, SQLITE_MAX_INT), min(offset, SQLITE_MAX_INT)),
        )
        return [json.loads(data) for (data,) in rows]

    def page_unmarked(self, kind: str, mark: str, offset: int, limit: int) -> list[dict[str, Any]]:
        """One page of the records of a kind whose top-level `mark` field is null or absent
        (a soft delete, say), in `all()` order. Read along the (tenant, kind, seq) index, so
        a page costs what it skips and shows, not what the kind holds."""
        rows = self._conn.execute(
            "SELECT data FROM records INDEXED BY records_in_order "
            f"WHERE tenant=? AND kind=? AND {_json_field(mark)} IS NULL "
            "ORDER BY seq LIMIT ? OFFSET ?",
            (self.tenant, kind, min(limit, SQLITE_MAX_INT), min(offset, SQLITE_MAX_INT)),
        )
        return [json.loads(data) for (data,) in rows]

    def count_marked(self, kind: str, mark: str) -> int:
        """How many records of a kind have a non-null top-level `mark`: reading only those
        once `mark` is declared (`Store.index_marks`)."""
        row = self._conn.execute(
            f"SELECT COUNT(*) FROM records WHERE tenant=? AND kind=? AND {_json_field(mark)} "
            "IS NOT NULL",
            (self.tenant, kind),
        ).fetchone()
        return int(row[0])

    def where(self, kind: str, field: str, value: Any) -> list[dict[str, Any]]:
        """Records of a kind whose top-level `field` equals `value` (as JSON compares: 1 and
        1.0 are equal, 1 and "1" are not), oldest first. Through an index once the field is
        declared (`Store.index_lookups`), without one otherwise."""
        rows = self._conn.execute(
            f"SELECT data FROM records WHERE tenant=? AND kind=? AND {_json_field(field)} = ? "
            "ORDER BY seq",
            (self.tenant, kind, value),
        )
        return [json.loads(data) for (data,) in rows]

    def count(self, kind: str) -> int:
        """How many records of a kind: kept by triggers, so reading it costs one row."""
        row = self._conn.execute(
            "SELECT n FROM record_counts WHERE tenant=? AND kind=?", (self.tenant, kind)
        ).fetchone()
        return int(row[0]) if row else 0

    def next_id(self, sequence: str, start: int = 1) -> int:
        """Next number of a per-tenant counter (Spree's integer ids, for instance)."""
        row = self._conn.execute(
            "INSERT INTO sequences (tenant, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT (tenant, name) DO UPDATE SET value = value + 1 RETURNING value",
            (self.tenant, sequence, start),
        ).fetchone()
        return int(row[0])


class Transaction:
    """A connection inside BEGIN..COMMIT, handing out per-tenant views."""

    def __init__(self, conn: sqlite3.Connection, read_only: bool = False) -> None:
        self.conn = conn
        self.read_only = read_only
        self.ended = False

    def tenant(self, name: str) -> TenantStore:
        return TenantStore(self.conn, name)

    def tenant_vendor(self, name: str) -> str | None:
        row = self.conn.execute("SELECT vendor FROM tenants WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    def add_tenant(self, name: str, vendor: str, created_at: str) -> None:
        self.conn.execute(
            "INSERT INTO tenants (name, vendor, created_at) VALUES (?, ?, ?)",
            (name, vendor, created_at),
        )

    def drop_tenant(self, name: str) -> None:
        tables = (("records", "tenant"), ("sequences", "tenant"), ("idempotency", "tenant"))
        for table, column in (*tables, ("tenants", "name")):
            self.conn.execute(f"DELETE FROM {table} WHERE {column}=?", (name,))

    def remembered_answer(
        self, tenant: str, key: str, not_before: float = 0
    ) -> tuple[str, dict[str, Any]] | None:
        """The (fingerprint, answer) stored for an Idempotency-Key since `not_before`."""
        row = self.conn.execute(
            "SELECT fingerprint, answer FROM idempotency "
            "WHERE tenant=? AND key=? AND created_at >= ?",
            (tenant, key, not_before),
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def remember_answer(
        self,
        tenant: str,
        key: str,
        fingerprint: str,
        answer: dict[str, Any],
        created_at: float = 0,
    ) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO idempotency (tenant, key, fingerprint, answer, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (tenant, key, fingerprint, json.dumps(answer), created_at),
        )

    def purge(self, now: float, answers_before: float, batch: int) -> int:
        """Delete up to `batch` expired records and as many idempotency answers older than
        `answers_before`, oldest first, through their indexes; returns how many went."""
        gone = 0
        for sql, bound in (
            (
                "DELETE FROM records WHERE seq IN (SELECT seq FROM records "
                "WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?)",
                now,
            ),
            (
                "DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency "
                "WHERE created_at < ? ORDER BY created_at LIMIT ?)",
                answers_before,
            ),
        ):
            gone += self.conn.execute(sql, (bound, batch)).rowcount
        return gone

    def journal_append(self, entry: dict[str, Any], keep: int) -> None:
        """Add a request to the journal. Entries beyond the newest `keep` are deleted once
        every `JOURNAL_TRIM_EVERY` entries, not on each (a statement less per request, under
        the write lock); `journal` never shows them meanwhile."""
        cur = self.conn.execute("INSERT INTO journal (data) VALUES (?)", (json.dumps(entry),))
        if cur.lastrowid % JOURNAL_TRIM_EVERY == 0:
            self.conn.execute("DELETE FROM journal WHERE seq <= ?", (cur.lastrowid - keep,))

    def journal(self, keep: int) -> list[dict[str, Any]]:
        """The newest `keep` entries, oldest first."""
        rows = self.conn.execute(
            "SELECT data FROM (SELECT seq, data FROM journal ORDER BY seq DESC LIMIT ?) "
            "ORDER BY seq",
            (keep,),
        )
        return [json.loads(data) for (data,) in rows]

    def journal_clear(self) -> None:
        self.conn.execute("DELETE FROM journal")

    def tenant_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM tenants").fetchone()[0])

    def tenants(self) -> list[dict[str, str]]:
        rows = self.conn.execute("SELECT name, vendor, created_at FROM tenants ORDER BY name")
        return [{"name": n, "vendor": v, "created_at": c} for n, v, c in rows]

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def export_tenant(self, name: str) -> dict[str, Any]:
        records: dict[str, list[dict[str, Any]]] = {}
        rows = self.conn.execute(
            "SELECT kind, id, data FROM records WHERE tenant=? ORDER BY seq", (name,)
        )
        for kind, record_id, data in rows:
            records.setdefault(kind, []).append({"id": record_id, "data": json.loads(data)})
        sequences = dict(
            self.conn.execute("SELECT name, value FROM sequences WHERE tenant=?", (name,))
        )
        return {"vendor": self.tenant_vendor(name), "records": records, "sequences": sequences}

    def import_tenant(self, name: str, dump: dict[str, Any], created_at: str) -> None:
        """Replace a tenant by an `export_tenant` dump."""
        self.drop_tenant(name)
        if name != GLOBAL_TENANT:
            self.add_tenant(name, dump["vendor"], created_at)
        store = self.tenant(name)
        for kind, items in dump.get("records", {}).items():
            for item in items:
                store.put(kind, item["id"], item["data"])
        for seq_name, value in dump.get("sequences", {}).items():
            self.conn.execute(
                "INSERT INTO sequences (tenant, name, value) VALUES (?, ?, ?)",
                (name, seq_name, int(value)),
            )


class WriteLock:
    """The queue writers wait in, so SQLite's own lock is free whenever a writer asks.

    Left to itself, SQLite makes a blocked writer sleep and retry with back-off (up to 100 ms
    a try), which turns contention into second-long tails. Here a thread lock queues this
    process's threads and an `flock` on a file beside the database queues the processes;
    both wake the next writer the moment the lock is released.
    """

    def __init__(self, db_path: str) -> None:
        self.path = db_path + ".lock"
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = -1

    def acquire(self) -> None:
        self._threads.acquire()
        try:
            if fcntl is not None:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        try:
            if fcntl is not None:
                fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _file(self) -> int:
        # A forked worker must open its own file: an inherited descriptor shares the
        # parent's lock and would not exclude it.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = None


class Checkpointer:
    """Copies the WAL back into the database file in a thread of its own, never under the
    write lock.

    SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold, fsyncs
    the file, and so held our write lock (every other writer) for 20-38 ms about once every
    hundred writes: most of a write's p99. A PASSIVE checkpoint here takes no writer lock
    and waits for no reader; committed transactions are in the WAL already (WAL with
    synchronous=NORMAL survives a process crash), so when it runs changes no durability.
    """

    EVERY = 100  # commits of this process between checkpoints (~600 WAL pages)

    def __init__(self, db_path: str) -> None:
        self.path = db_path
        self._wanted = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        self._pid = -1
        self._commits = 0

    def committed(self) -> None:
        """Count a commit; every `EVERY` of them, wake the thread (started in this process
        on first need: a forked worker does not inherit its parent's)."""
        self._commits += 1
        if self._commits % self.EVERY:
            return
        if self._thread is None or self._pid != os.getpid():
            self._pid, self._stop = os.getpid(), False
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
            self._thread.start()
        self._wanted.set()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            while True:
                self._wanted.wait()
                self._wanted.clear()
                if self._stop:
                    return
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:
                    log.exception("WAL checkpoint failed; the next one will retry")
        finally:
            conn.close()

    def close(self) -> None:
        if self._thread is not None and self._pid == os.getpid():
            self._stop = True
            self._wanted.set()
            self._thread.join(timeout=10)
        self._thread = None


def _remove_database(path: str, creator_pid: int) -> None:
    """Delete a temporary database and its companions, in the process that created it only:
    a forked worker inherits the finalizer but must not delete state its siblings still use."""
    if os.getpid() != creator_pid:
        return
    for suffix in ("", "-wal", "-shm", ".lock"):
        with suppress(FileNotFoundError):
            os.unlink(path + suffix)


class Store:
    """The SQLite file and one connection per thread.

    With no `path`, state lives in a fresh temporary file removed by `close()`: a new run
    starts clean, yet every worker process of that run can still share it by path.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._remove_files: weakref.finalize | None = None
        if path is None:
            fd, tmp = tempfile.mkstemp(prefix="mockserver-", suffix=".sqlite3")
            os.close(fd)
            path = tmp
            # Removed by close(), or at the latest when this process exits: an in-process run
            # or a test fixture that never closes its app leaves nothing in $TMPDIR.
            self._remove_files = weakref.finalize(self, _remove_database, tmp, os.getpid())
        self.path = os.fspath(path)
        self._local = threading.local()
        self._all_conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._write_lock = WriteLock(self.path)
        self._checkpointer = Checkpointer(self.path)
        conn = self._connection()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(SCHEMA)
        _add_missing_columns(conn)
        with self.transaction() as tx:
            if tx.meta(_COUNTS_READY) is None:
                tx.conn.execute("DELETE FROM record_counts")
                tx.conn.execute(
                    "INSERT INTO record_counts (tenant, kind, n) "
                    "SELECT tenant, kind, COUNT(*) FROM records GROUP BY tenant, kind"
                )
                tx.set_meta(_COUNTS_READY, "1")

    def _connection(self) -> sqlite3.Connection:
        if self._pid != os.getpid():
            # A forked worker must not touch its parent's connections: start afresh.
            self._pid = os.getpid()
            self._local = threading.local()
            self._all_conns = []
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=60, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA busy_timeout = 60000")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA wal_autocheckpoint = 0")  # the Checkpointer's job
            self._local.conn = conn
            with self._lock:
                self._all_conns.append(conn)
        return conn

    def begin(self, write: bool = True) -> Transaction:
        """A write transaction queues for the write lock, then takes SQLite's
        (BEGIN IMMEDIATE); a read transaction takes no lock (WAL readers never block)."""
        conn = self._connection()
        if not write:
            conn.execute("BEGIN")
            return Transaction(conn, read_only=True)
        self._write_lock.acquire()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._write_lock.release()
            raise
        return Transaction(conn, read_only=False)

    def end(self, tx: Transaction, commit: bool) -> None:
        """Commit or roll back, once; a second call is a no-op."""
        if tx.ended:
            return
        tx.ended = True
        try:
            if tx.conn.in_transaction:
                tx.conn.execute("COMMIT" if commit else "ROLLBACK")
            if commit and not tx.read_only:
                self._checkpointer.committed()  # under the write lock: one thread counts
        finally:
            if not tx.read_only:
                self._write_lock.release()

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[Transaction]:
        """A transaction that commits on success and rolls back on any exception."""
        tx = self.begin(write)
        try:
            yield tx
        except BaseException:
            self.end(tx, commit=False)
            raise
        self.end(tx, commit=True)

    def index_lookups(self, fields: Iterable[str]) -> None:
        """Index the document fields records are looked up by (`TenantStore.where`); a state
        file from before is indexed as it opens."""
        conn = self._connection()
        for field in fields:
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS records_by_{field} "
                f"ON records (tenant, kind, {_json_field(field)})"
            )

    def index_marks(self, fields: Iterable[str]) -> None:
        """Index, for each field, the records where it is set (`TenantStore.count_marked`)."""
        conn = self._connection()
        for field in fields:
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS records_marked_{field} ON records (tenant, kind) "
                f"WHERE {_json_field(field)} IS NOT NULL"
            )

    def close(self) -> None:
        with self._lock:
            for conn in self._all_conns:
                conn.close()
            self._all_conns.clear()
        self._local = threading.local()
        self._checkpointer.close()
        self._write_lock.close()
        if self._remove_files is not None:
            self._remove_files()
