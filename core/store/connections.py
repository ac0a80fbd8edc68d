"""The SQLite connections of one open file: one per thread, each opened the same way.

A read-only open uses SQLite's `mode=ro` URI (built with `Path.as_uri()`, so `?` and
`#` in a path cannot change which file is opened) and `query_only`; no connection
trusts the file's schema (`trusted_schema = OFF`). Workers of the app each get their
own connection; one that ended is closed when the next thread asks for one.
"""

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from wholiked.core.store.trust import Attached

BUSY_MS = 10_000
"""How long a write waits for another program's write lock before it says so."""


class StoreConnection(sqlite3.Connection):
    """A connection that can carry caches of its own (see `core.store.trust`)."""

    wholiked_trusted: dict[str, tuple[int, bool]] | None = None
    wholiked_beside: Attached | None = None


def connect(path: Path, writable: bool, busy_ms: int | None = None) -> sqlite3.Connection:
    """One connection to the file, read-only unless writable."""
    uri = path.resolve().as_uri() + ("?mode=rw" if writable else "?mode=ro")
    conn = sqlite3.connect(
        uri, uri=True, isolation_level=None, check_same_thread=False, factory=StoreConnection
    )
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_MS if busy_ms is None else busy_ms)}")
    if not writable:
        conn.execute("PRAGMA query_only = ON")
    return conn


class Connections:
    """This thread's connection on demand; interrupt or close them all at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._open: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()

    def get(
        self, writable: bool, prepare: Callable[[sqlite3.Connection], None]
    ) -> sqlite3.Connection:
        """This thread's connection, opened (then `prepare`d) on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, writable)
            prepare(conn)
            self._local.conn = conn
            with self._lock:
                # A thread that ended left its connection behind: close it now.
                for thread, old in self._open:
                    if not thread.is_alive():
                        old.close()
                self._open = [(t, c) for t, c in self._open if t.is_alive()]
                self._open.append((threading.current_thread(), conn))
        return conn

    def interrupt(self) -> None:
        """Stop the queries running on every connection (they fail with 'interrupted')."""
        with self._lock:
            for _, conn in self._open:
                conn.interrupt()

    def close(self) -> None:
        """Close every connection (a query running in another thread is interrupted)."""
        with self._lock:
            for _, conn in self._open:
                conn.interrupt()
                conn.close()
            self._open.clear()
        self._local = threading.local()
