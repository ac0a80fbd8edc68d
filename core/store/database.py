"""Open a wholiked database safely: check the file, the format and the rows, then query it.

Opening never changes a file unless writing was asked for (read-only connections:
`core.store.connections`). Only regular files are opened: a FIFO, a device or a
directory is refused before anything reads from it (reading a FIFO would wait forever).

Rows are checked in one of two ways (see `core.store.validation`): the full
check of every row, remembered by the file's fingerprint (`RowCheck.FULL`, and any
file up to `FULL_CHECK_MAX_BYTES`); or, for a large file nobody has checked yet
(`RowCheck.DEFERRED`), only the rows each answer reads (`Database.check_scope`),
with the full check left to `wholiked check` or the app's background worker.
"""

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from wholiked.core.errors import BadInput
from wholiked.core.store import (
    beside,
    comment_counts,
    connections,
    counters,
    fingerprint,
    rollup,
    validation,
)
from wholiked.core.store.change_watch import ChangeWatch, OutsideChange, data_version
from wholiked.core.store.checks import (
    check_file,
    check_meta_now,
    check_schema,
    describe_sqlite_error,
    is_regular,
    not_utf8,
)
from wholiked.core.store.connections import Connections, connect
from wholiked.core.store.models import parse_timestamp
from wholiked.core.store.schema import create_indexes, outdated_indexes
from wholiked.core.store.validation import Scope

__all__ = [
    "Database",
    "RowCheck",
    "describe_sqlite_error",
    "open_database",
]

FULL_CHECK_MAX_BYTES = 16 * 2**20
"""Files up to this size get the full check at open even when it could be deferred
(it takes well under a second); larger ones check what each answer reads."""
Progress = Callable[[str], None]
"""Told a line in words when a long step starts (`open_database(progress=...)`)."""


class RowCheck(StrEnum):
    """When a file's rows are checked against the format."""

    FULL = "full"
    """Every row at open (unless the unchanged file was checked before)."""
    DEFERRED = "deferred"
    """A large file's full check later (the app runs it in the background); until then
    each answer checks the rows it reads."""
    NONE = "none"
    """No row of the user's is read (the upkeep of wholiked's own objects)."""


class Database:
    """A checked wholiked database; one SQLite connection per thread.

    `rows_checked` is True when the full check passed for the file as it is;
    False when it was deferred (then every answer checks the rows it reads).
    """

    def __init__(
        self,
        path: Path,
        *,
        writable: bool,
        label: str,
        rows: RowCheck = RowCheck.FULL,
        derived: bool = True,
        refuse_triggers: bool | None = None,
        progress: Progress | None = None,
        build_beside: bool = False,
    ) -> None:
        self.path = path
        self.build_beside = build_beside
        self._beside: beside.Beside | None = None  # derived data beside a read-only file
        self.progress = progress
        self.writable = writable
        self.label = label
        self.rows = rows
        self.derived = derived
        self.refuse_triggers = writable and derived if refuse_triggers is None else refuse_triggers
        self.rows_checked = False
        self._connections = Connections(path)
        self._watch = ChangeWatch(path, lambda: connect(path, writable=False, busy_ms=0))
        self._identity: fingerprint.Identity | None = None  # held (see core.store.fingerprint)
        self._failed: str | None = None

    # --- connections -----------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (created on first use)."""
        if self._failed is not None:  # the file at the path failed its checks
            raise BadInput(self._failed)
        return self._connections.get(self.writable, self._prepare)

    def _prepare(self, conn: sqlite3.Connection) -> None:
        if self._beside is not None:
            beside.attach(conn, self._beside, self.path)

    def interrupt(self) -> None:
        """Stop the queries running on every connection (they fail with 'interrupted')."""
        self._connections.interrupt()

    def close(self) -> None:
        """Close every connection (a query running in another thread is interrupted)."""
        self._connections.close()
        self._watch.close()
        fingerprint.release(self._identity)  # after the connections: see core.store.fingerprint
        self._identity = None

    # --- opening -----------------------------------------------------------------------

    def _open(self) -> None:
        """Check the file, its schema and its rows; add derived data when writable."""
        self._failed = None
        try:
            self._check_and_prepare()
        except BadInput as exc:
            self.close()
            self._failed = str(exc)
            raise
        except sqlite3.Error as exc:
            self.close()
            self._failed = describe_sqlite_error(self.label, exc)
            raise BadInput(self._failed) from None
        except UnicodeDecodeError:
            self.close()
            self._failed = not_utf8(self.label)
            raise BadInput(self._failed) from None

    def _check_and_prepare(self) -> None:
        self._beside = None  # found again below: the file may have changed
        self._watch.remember_file()
        self._identity = fingerprint.hold(self.path) if is_regular(self.path) else None
        check_file(self.path, self.label)
        conn = self.conn
        check_schema(conn, self.label, refuse_triggers=self.refuse_triggers)
        print_ = fingerprint.fingerprint(self.path)
        self.rows_checked = fingerprint.is_remembered(print_)
        if not self.rows_checked and self.rows != RowCheck.NONE:
            if self.rows == RowCheck.FULL or self.path.stat().st_size <= FULL_CHECK_MAX_BYTES:
                self.check_all(known=print_)
            else:
                with self.snapshot():
                    validation.check_scope(conn, self.label, Scope())  # meta only
        with self.snapshot():
            check_meta_now(conn, self.label)
        if self.writable and self.derived:
            self.add_derived()
        elif self.derived:
            self._use_beside(print_)
        self._watch.start()

    def _use_beside(self, print_: str | None) -> None:
        """Derived data beside a read-only file that lacks it (`core.store.beside`): found
        when it was built for the file as it is, else built now when asked
        (`build_beside`) and the file is large enough for the live counts to be slow."""
        self._beside = None
        conn = self.conn
        missing = beside.lacking(conn)
        if not missing or print_ is None:
            return
        found = beside.find(self.path, print_)
        if found is None and self.build_beside:
            if self.path.stat().st_size > FULL_CHECK_MAX_BYTES:
                found = beside.build(
                    self.path, print_, missing, since=self._day_start(), say=self._say
                )
        if found is None:
            return
        self._beside = beside.Beside(found.path, found.print_, found.pieces & missing)
        beside.attach(conn, self._beside, self.path)

    def reopen(self) -> None:
        """Close and open the file at the path again (after it was replaced)."""
        self.close()
        self._open()

    def reopen_writable(self) -> None:
        """Close the file and open it again writable (adding wholiked's derived data, as a
        writable open does). When it cannot be written (permissions, a read-only folder or
        disk), BadInput says why in one line and the file is open read-only again."""
        if self.writable:
            return
        if not os.access(self.path, os.W_OK):
            raise BadInput(f"{self.label}: cannot reopen it writable: you may not write the file")
        self.close()
        self.writable, self.refuse_triggers = True, self.derived
        try:
            self._open()
        except BadInput as exc:
            self.close()
            self.writable, self.refuse_triggers = False, False
            self._open()
            raise BadInput(f"cannot reopen it writable: {exc}") from None

    def check_all(self, *, known: str | None = None, limit: int | None = None) -> list[str]:
        """The full check of every row; a valid file is remembered. Without a limit,
        BadInput on the first problem; with one, every problem up to the limit, one line
        each (table, row and field), returned instead (an empty list: the file is valid)."""
        before = known or fingerprint.fingerprint(self.path)
        conn = self.conn
        found = None if limit is None else validation.Problems(limit)
        self._say("checking every row (once; a valid file is remembered)")
        try:
            for step in validation.check_steps(conn, self.label, found):
                with self.snapshot():  # a short read transaction each: writers never wait long
                    step()
            check_meta_now(conn, self.label)
        except sqlite3.Error as exc:
            raise BadInput(describe_sqlite_error(self.label, exc)) from None
        except UnicodeDecodeError:
            raise BadInput(not_utf8(self.label)) from None
        if found is not None and found.lines:
            return found.lines
        if fingerprint.fingerprint(self.path) == before:  # nobody wrote while it ran
            fingerprint.remember(before)
        self.rows_checked = True
        return []

    def check_scope(
        self,
        *,
        videos: tuple[int, ...] = (),
        likers_of: tuple[int, ...] = (),
        users: tuple[int, ...] = (),
        followers_of: tuple[int, ...] = (),
        released_for: tuple[int, ...] = (),
    ) -> None:
        """Check the rows one answer reads (see validation.Scope), unless the whole file
        passed the full check. BadInput says the file has rows that break the format and
        names `wholiked check`, never the row: which rows an answer reads (the likers of a
        video, someone's followers) is what the rules hide, so naming a bad one among them
        would tell the acting user who liked or follows. The full check names them."""
        if self.rows_checked:
            return
        scope = Scope(videos, likers_of, users, followers_of, released_for)
        key = repr(scope)
        before = fingerprint.fingerprint(self.path)
        if fingerprint.scope_is_remembered(before, key):
            return
        try:
            with self.snapshot() as conn:
                validation.check_scope(conn, self.label, scope)
        except sqlite3.Error as exc:
            raise BadInput(describe_sqlite_error(self.label, exc)) from None
        except BadInput:
            raise BadInput(self.rows_break_format()) from None
        if fingerprint.fingerprint(self.path) == before:  # nobody wrote while it ran
            fingerprint.remember_scope(before, key)

    def check_listed(self, video_id: int, likers: list[Any]) -> None:
        """Check the likers an answer returns (see validation.check_listed), unless the
        whole file passed the full check; a bad one is refused as `check_scope` does."""
        if not self.rows_checked:
            try:
                validation.check_listed(self.label, video_id, likers)
            except BadInput:
                raise BadInput(self.rows_break_format()) from None

    def rows_break_format(self) -> str:
        """The one line an answer gives for a bad row it read (the same whichever row)."""
        return (
            f"{self.label}: the file has rows that break the format; `wholiked check` names"
            " them (table, row and field)"
        )

    # --- derived data --------------------------------------------------------------------

    def add_derived(self, *, rebuild: bool = False) -> None:
        """Add wholiked's indexes and counters where missing (or, with rebuild, count the
        counters afresh) and repair pending marks; takes the write lock only if needed."""
        conn = self.conn
        indexes_missing = bool(outdated_indexes(conn))
        usable = counters.has_counters(conn) and not rebuild
        comments_usable = comment_counts.usable(conn) and not rebuild
        if (
            not indexes_missing
            and usable
            and comments_usable
            and not counters.is_dirty(conn)
            and not comment_counts.is_dirty(conn)
            and not rebuild
            and not rollup.needs_work(conn)
        ):
            return
        with self._own_write() as conn:
            if indexes_missing:
                self._say("adding wholiked's indexes (once; they stay in the file)")
                create_indexes(conn)
                conn.execute("ANALYZE")
            if not usable:
                self._say("counting the likes of every video")
                counters.create_counters(conn)
            if not comments_usable:
                self._say("counting the comments of every video")
                comment_counts.create(conn)
            rollup.prepare(conn, self._day_start(), rebuild=rebuild, say=self._say)

    def _say(self, doing: str) -> None:
        """Tell the person waiting what a step that takes long on a large file is doing (a
        minute for ten million likes); on a small file every step is too quick to say."""
        if self.progress is not None and self.path.stat().st_size > FULL_CHECK_MAX_BYTES:
            self.progress(f"{self.label}: {doing}…")

    def repair_derived(self) -> bool:
        """Fold pending corrections into the counters and the release rollup now (writable
        only; never waits for another writer). True when something was repaired."""
        if not (self.writable and self.derived):
            return False
        conn = self.conn
        dirty = (
            (counters.has_counters(conn) and counters.is_dirty(conn))
            or comment_counts.is_dirty(conn)
            or (rollup.usable(conn) and rollup.is_pending(conn))
        )
        if not dirty:
            return False
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            with self._own_write():
                pass  # _own_write repairs before it commits
        except sqlite3.OperationalError:
            return False  # another writer holds the lock: readers correct on the fly
        finally:
            conn.execute(f"PRAGMA busy_timeout = {connections.BUSY_MS}")
        return True

    @contextmanager
    def _own_write(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT for wholiked's own writes.

        Leaves no counter dirty and no rollup journal pending (both are repaired before
        the commit), and when the file had passed the full check it is remembered as
        valid afterwards (every write wholiked makes keeps the format) unless another
        connection committed in between (PRAGMA data_version tells).
        """
        conn = self.conn
        with self._watch.own_write():  # outside_change() waits: this commit is not another's
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = data_version(conn)
                was_valid = fingerprint.is_remembered(fingerprint.fingerprint(self.path))
                yield conn
                counters.repair(conn)
                comment_counts.repair(conn)
                rollup.repair(conn, self._day_start())
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            self._watch.note_own_commit()
        if was_valid:
            after = fingerprint.fingerprint(self.path)
            if data_version(conn) == version:
                fingerprint.remember(after)

    # --- transactions ----------------------------------------------------------------------

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

        Waits for another writer (busy timeout) instead of failing at once. When the
        file was known valid before, it is remembered as valid after.
        """
        if not self.writable:
            raise BadInput(
                f"{self.label}: opened read-only; pass --write to change it"
                " (the demo world is always writable)"
            )
        try:
            with self._own_write() as conn:
                yield conn
        except sqlite3.Error as exc:
            raise BadInput(describe_sqlite_error(self.label, exc)) from None

    def _day_start(self) -> str:
        """00:00Z of the reference time's day, as a timestamp."""
        return self.reference_time().strftime("%Y-%m-%dT00:00:00Z")

    def reference_time(self) -> datetime:
        """meta.now when set (validated), else the current UTC time, to the second."""
        if validation.table_exists(self.conn, "meta"):
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'now'").fetchone()
            if row is not None and row["value"] is not None:
                return parse_timestamp(row["value"]).replace(tzinfo=UTC)
        return datetime.now(UTC).replace(microsecond=0)

    # --- noticing other programs' writes -----------------------------------------------

    def outside_change(self) -> OutsideChange | None:
        """REPLACED when another file now sits at the path (a new inode: `wholiked reset`,
        a copy over it), CHANGED when another program committed a change since the last
        call (PRAGMA data_version), else None. Cheap, and never waits for a lock."""
        change = self._watch.look()
        if change == OutsideChange.CHANGED:
            self.rows_checked = fingerprint.is_remembered(fingerprint.fingerprint(self.path))
        return change


def open_database(
    path: str | Path,
    *,
    writable: bool = False,
    label: str | None = None,
    rows: RowCheck = RowCheck.FULL,
    derived: bool = True,
    refuse_triggers: bool | None = None,
    progress: Progress | None = None,
    beside: bool = False,
) -> Database:
    """Open and check a database; any problem raises BadInput with one clear line.

    rows: "full" checks every row now (unless remembered); "deferred" leaves a large
    file's full check to later (answers then call `check_scope`); "none" reads no row
    for the user (commands that manage only wholiked's own objects). derived: when
    writable, add wholiked's indexes and counters and repair them. refuse_triggers
    (default: writable and derived) refuses other programs' triggers on the tables
    wholiked's actions write; commands that write only wholiked's own objects pass False.
    progress: told, in words, what a long step on a large file is doing (see `_say`).
    beside: a read-only file over FULL_CHECK_MAX_BYTES that lacks derived data gets it
    built beside it in the data folder, once (`core.store.beside`: the commands whose
    answers need it most); without it, data built there earlier is used when it is for
    the file as it is, and nothing is built (a first answer never waits for it).
    """
    path = Path(path).expanduser()
    db = Database(
        path,
        writable=writable,
        label=label or str(path),
        rows=rows,
        derived=derived,
        refuse_triggers=refuse_triggers,
        progress=progress,
        build_beside=beside,
    )
    db._open()
    return db
