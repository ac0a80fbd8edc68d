"""Open a wholiked database safely: check the file, the format and every row, then query it.

Opening never changes a file unless writing was asked for: a read-only open
uses SQLite's `mode=ro` URI (built with `Path.as_uri()`, so `?` and `#` in a
path cannot change which file is opened) and `query_only`.
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from wholiked.core.errors import BadInput
from wholiked.core.store import validation
from wholiked.core.store.counters import OWN_TRIGGER_SQL, create_counters, has_counters
from wholiked.core.store.format import REQUIRED_TABLES, TABLES, TIMESTAMP_FORMAT, USER_VERSION
from wholiked.core.store.models import timestamp_problem
from wholiked.core.store.schema import INDEXES, create_indexes

SQLITE_HEADER = b"SQLite format 3\x00"
OWN_PREFIX = "wholiked_"


def _connect(path: Path, writable: bool) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + ("?mode=rw" if writable else "?mode=ro")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA busy_timeout = 10000")
    if not writable:
        conn.execute("PRAGMA query_only = ON")
    return conn


class Database:
    """A validated wholiked database; one SQLite connection per thread."""

    def __init__(self, path: Path, *, writable: bool, label: str) -> None:
        self.path = path
        self.writable = writable
        self.label = label
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (created on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path, self.writable)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same state of the file."""
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE): all of it lands, or none of it.

        Waits for another writer (busy timeout) instead of failing at once. When
        the file was known valid before, it is remembered as valid after: every
        write wholiked makes keeps the format.
        """
        if not self.writable:
            raise BadInput(
                f"{self.label}: opened read-only; pass --write to change it"
                " (the demo world is always writable)"
            )
        conn = self.conn
        resolved = self.path.resolve()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise BadInput(describe_sqlite_error(self.label, exc)) from None
        try:
            was_valid = validation.is_known_valid(resolved)
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise BadInput(describe_sqlite_error(self.label, exc)) from None
            raise
        if was_valid:
            validation.remember_valid(resolved)

    def reference_time(self) -> datetime:
        """meta.now when set (validated), else the current UTC time, to the second."""
        if validation.table_exists(self.conn, "meta"):
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'now'").fetchone()
            if row is not None and row["value"] is not None:
                return datetime.strptime(row["value"], TIMESTAMP_FORMAT).replace(tzinfo=UTC)
        return datetime.now(UTC).replace(microsecond=0)


def open_database(
    path: str | Path, *, writable: bool = False, label: str | None = None
) -> Database:
    """Open and validate a database; any problem raises BadInput with one clear line."""
    path = Path(path).expanduser()
    label = label or str(path)
    _check_file(path, label, writable)
    db = Database(path, writable=writable, label=label)
    try:
        conn = db.conn
        _check_schema(conn, label)
        if not validation.is_known_valid(path.resolve()):
            with db.snapshot():
                validation.check_rows(conn, label)
                _check_meta_now(conn, label)
            validation.remember_valid(path.resolve())
        if writable and add_accelerators(conn):
            validation.remember_valid(path.resolve())
    except BadInput:
        db.close()
        raise
    except sqlite3.Error as exc:
        db.close()
        raise BadInput(describe_sqlite_error(label, exc)) from None
    return db


def add_accelerators(conn: sqlite3.Connection) -> bool:
    """Create wholiked's optional indexes and counters where missing; True if anything changed."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'index'")}
    changed = False
    if not all(name in names for name, _, _ in INDEXES):
        create_indexes(conn)
        conn.execute("ANALYZE")
        changed = True
    if not has_counters(conn):
        create_counters(conn)
        changed = True
    return changed


def describe_sqlite_error(label: str, exc: sqlite3.Error) -> str:
    """One line for an SQLite failure on a user's file."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"{label}: the database is locked by another program; try again"
    if "readonly" in text or "read-only" in text:
        return f"{label}: the database is read-only here ({text})"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return f"{label}: the file is damaged or not a SQLite database ({text})"
    if "unable to open" in text:
        return f"{label}: cannot open the database ({text})"
    return f"{label}: SQLite error: {text}"


def _check_file(path: Path, label: str, writable: bool) -> None:
    if not path.exists():
        raise BadInput(f"{label}: no such file")
    if path.is_dir():
        raise BadInput(f"{label}: is a directory, not a database file")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BadInput(f"{label}: cannot be read ({exc.strerror})") from None
    if header != SQLITE_HEADER:
        what = "an empty file" if not header else "not a SQLite database"
        raise BadInput(f"{label}: {what}, not a database in the wholiked format")


def _check_schema(conn: sqlite3.Connection, label: str) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != USER_VERSION:
        raise BadInput(
            f"{label}: database format version {version}, expected {USER_VERSION}"
            " (set PRAGMA user_version = 1 on a file in the wholiked format)"
        )
    objects = conn.execute("SELECT type, name, sql FROM sqlite_schema").fetchall()
    for obj in objects:
        if obj["type"] in ("trigger", "view") and not _is_own(obj["name"], obj["sql"]):
            raise BadInput(
                f"{label}: unexpected {obj['type']} {obj['name']!r}; wholiked accepts only"
                " the tables of its format (remove it to open this file)"
            )
        if obj["type"] == "table" and (obj["sql"] or "").upper().startswith("CREATE VIRTUAL"):
            raise BadInput(f"{label}: table {obj['name']!r} is a virtual table; not accepted")
    tables = {o["name"] for o in objects if o["type"] == "table"}
    for name in REQUIRED_TABLES:
        if name not in tables:
            raise BadInput(f"{label}: missing table {name}")
    for table in TABLES.values():
        if table.name not in tables:
            continue
        present = {r["name"] for r in conn.execute(f'PRAGMA table_info("{table.name}")')}
        for column in table.column_names:
            if column not in present:
                raise BadInput(f"{label}: table {table.name} has no column {column}")


def _is_own(name: str, sql: str | None) -> bool:
    """Triggers wholiked created itself (exact SQL it would write), nothing else."""
    return name.startswith(OWN_PREFIX) and OWN_TRIGGER_SQL.get(name) == sql


def _check_meta_now(conn: sqlite3.Connection, label: str) -> None:
    if not validation.table_exists(conn, "meta"):
        return
    row = conn.execute("SELECT value FROM meta WHERE key = 'now'").fetchone()
    if row is None:
        return
    if problem := timestamp_problem(row[0]):
        where = f"{label}: table meta, row key 'now': field value"
        raise BadInput(f"{where}: {problem} (got {row[0]!r})")
