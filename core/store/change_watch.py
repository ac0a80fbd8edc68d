"""Noticing other programs' writes to an open file, cheaply and without waiting for locks.

Other programs write the same file (Datasette, sqlite-utils, the sqlite3 shell, another
wholiked). A poll asks SQLite's `PRAGMA data_version` on a connection of its own (it
moves when another connection commits) and compares the file at the path with the one
opened (a new inode: `wholiked reset`, a copy over it). wholiked's own commits are not
another program's change: the baseline moves past them.
"""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import cast

from wholiked.core.store.checks import identity


class OutsideChange(StrEnum):
    """What another program did to the file since the last look."""

    REPLACED = "replaced"
    """Another file now sits at the path."""
    CHANGED = "changed"
    """Another program committed a change."""


def data_version(conn: sqlite3.Connection) -> int:
    return cast(int, conn.execute("PRAGMA data_version").fetchone()[0])


class ChangeWatch:
    """The poll of one open file: `look()` says what changed since the last look."""

    def __init__(self, path: Path, connect: Callable[[], sqlite3.Connection]) -> None:
        self.path = path
        self._connect = connect  # a read-only connection that never waits for a lock
        self._poll: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._seen_version: int | None = None
        self._watched: tuple[int, int] | None = None  # the file at the path when opened
        self._own_writes = 0  # wholiked's own write transactions under way

    def _conn(self) -> sqlite3.Connection:
        if self._poll is None:
            self._poll = self._connect()
        return self._poll

    def remember_file(self) -> None:
        """The file now at the path is the one opened (call before checking it)."""
        self._watched = identity(self.path)

    def start(self) -> None:
        """From now on, changes are counted from the file's present state."""
        with self._lock:
            try:
                self._seen_version = data_version(self._conn())
            except sqlite3.Error:
                self._seen_version = None

    def close(self) -> None:
        with self._lock:
            if self._poll is not None:
                self._poll.close()
                self._poll = None

    @contextmanager
    def own_write(self) -> Iterator[None]:
        """Around wholiked's own write: a look meanwhile says nothing (not another's)."""
        with self._lock:
            self._own_writes += 1
        try:
            yield
        finally:
            with self._lock:
                self._own_writes -= 1

    def note_own_commit(self) -> None:
        """Our own commit is not another program's change: move the baseline past it."""
        with self._lock:
            try:
                self._seen_version = data_version(self._conn())
            except sqlite3.Error:
                pass

    def look(self) -> OutsideChange | None:
        """What another program did since the last look, or None. Cheap; never waits."""
        now = identity(self.path)
        if now is not None and self._watched is not None and now != self._watched:
            return OutsideChange.REPLACED
        with self._lock:
            if self._own_writes:
                return None  # our own commit is landing: look again next time
            try:
                version = data_version(self._conn())
            except sqlite3.Error:
                return None  # locked by a writer right now: look again next time
            changed = self._seen_version is not None and version != self._seen_version
            self._seen_version = version
        return OutsideChange.CHANGED if changed else None
