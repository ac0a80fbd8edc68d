"""Derived data beside a read-only file: the counters, comment counts and release rollup of
a file wholiked may not write, kept in wholiked's data folder instead of in the file.

A file opened read-only that lacks them (one built by another tool, or by an older
wholiked) would take the slow path on every answer: counting a million likes, or a
creator's release from every like. So the commands that need them most build them once
into a database of their own in the data folder (`derived/<hash of the path>.db`),
keyed by the file's fingerprint (`core.store.fingerprint`); every connection to the
file then ATTACHes it read-only as `wholiked_beside`. The tables keep the names and the
layout they have in a file (`core.store.counters`, `comment_counts`, `rollup`), so the
same queries read them: SQLite resolves a name the file does not hold to the attached
database. The user's file is never written.

**Exact, whatever other programs write.** Triggers cannot follow the file from another
database, so the data beside is valid for one state of the file only:

- it is built from one snapshot per piece, and kept only if the fingerprint did not
  change while it was built;
- it is used only when the file's fingerprint is the one it was built for (otherwise
  it is deleted: "dropped when the file changes") and, on each connection, only inside
  a read transaction whose `PRAGMA data_version` is the one seen when the fingerprint
  matched: any commit by another connection moves it, and from then on the connection
  counts live (`core.store.trust.beside_serves`); the next open that builds it does so
  afresh.

A piece the file holds itself (even one not in use, such as counters whose triggers a
table rebuild dropped) is never taken from beside: the names would clash.
"""

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from wholiked.core.store import comment_counts, counters, fingerprint, rollup
from wholiked.core.store.paths import data_dir
from wholiked.core.store.trust import Attached

SCHEMA = "wholiked_beside"
"""The name the data beside is attached under."""
META = "wholiked_beside_meta"
VERSION = "1"
KEEP = 8
"""Data beside this many files is kept (the most recently used); older ones are removed."""

PIECES: dict[str, tuple[str, ...]] = {
    "counters": tuple(counters.TABLE_SQL),
    "comment counts": tuple(comment_counts.TABLE_SQL),
    "rollup": tuple(rollup.TABLE_SQL),
}
"""Each piece of derived data (as `core.store.trust` names it) and its tables."""


class Beside(NamedTuple):
    """Data beside one state of a file: where it is and which pieces it serves."""

    path: Path
    print_: str
    pieces: frozenset[str]


def folder() -> Path:
    return data_dir() / "derived"


def path_for(file: Path) -> Path:
    """Where the data beside a file lives (one per path: a new state replaces the old)."""
    import hashlib  # here: only a file without derived data needs it

    key = hashlib.blake2b(str(file.resolve()).encode(), digest_size=12).hexdigest()
    return folder() / f"{key}.db"


def lacking(conn: sqlite3.Connection) -> frozenset[str]:
    """The pieces the file itself holds none of (by table name)."""
    names = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_schema")}
    return frozenset(p for p, tables in PIECES.items() if not names.intersection(tables))


def _read_meta(path: Path) -> dict[str, str]:
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    try:
        return dict(conn.execute(f"SELECT key, value FROM {META}").fetchall())
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


def find(file: Path, print_: str | None) -> Beside | None:
    """The data beside the file as it is now, or None; data for another state of the file
    is removed (best effort)."""
    path = path_for(file)
    if print_ is None or not path.exists():
        return None
    meta = _read_meta(path)
    if meta.get("version") != VERSION or meta.get("fingerprint") != print_:
        path.unlink(missing_ok=True)
        return None
    try:
        os.utime(path)  # recently used: kept by `_prune`
    except OSError:
        pass
    pieces = frozenset(p for p in meta.get("pieces", "").split(",") if p in PIECES)
    return Beside(path, print_, pieces)


def build(
    file: Path,
    print_: str,
    pieces: frozenset[str],
    *,
    since: str,
    say: Callable[[str], None],
) -> Beside | None:
    """Count the pieces from the file's rows into a new database beside it (the file
    attached read-only); None when the file changed meanwhile (nothing is kept) or the
    data folder cannot be written."""
    target = path_for(file)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None, uri=False)
    except sqlite3.Error:
        return None
    try:
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -131072"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("ATTACH DATABASE ? AS source", (file.resolve().as_uri() + "?mode=ro",))
        _fill(conn, pieces, since, say)
        conn.execute(f"CREATE TABLE {META} (key TEXT PRIMARY KEY, value TEXT)")
        meta = {
            "version": VERSION,
            "fingerprint": print_,
            "source": str(file.resolve()),
            "pieces": ",".join(sorted(pieces)),
        }
        conn.executemany(f"INSERT INTO {META} VALUES (?, ?)", meta.items())
        conn.execute("DETACH DATABASE source")
    except sqlite3.Error:
        conn.close()
        tmp.unlink(missing_ok=True)
        return None
    conn.close()
    if fingerprint.fingerprint(file) != print_:  # written meanwhile: not this state's data
        tmp.unlink(missing_ok=True)
        return None
    tmp.replace(target)
    _prune(keep=target)
    return Beside(target, print_, pieces)


def _fill(
    conn: sqlite3.Connection, pieces: frozenset[str], since: str, say: Callable[[str], None]
) -> None:
    """Each piece in a read transaction of its own (a writer of the file waits at most
    that long in rollback-journal mode; none at all in WAL mode)."""
    if "counters" in pieces:
        say("counting the likes of every video (once; kept beside the file)")
        conn.execute("BEGIN")
        counters.create_counters(conn, triggers=False)
        conn.execute("COMMIT")
    if "comment counts" in pieces:
        say("counting the comments of every video (once; kept beside the file)")
        conn.execute("BEGIN")
        comment_counts.create(conn, triggers=False)
        conn.execute("COMMIT")
    if "rollup" in pieces:
        conn.execute("BEGIN")
        rollup.create(conn, triggers=False)
        creators = rollup.wanted(conn, counted="counters" in pieces)
        if creators:
            whom = f"{len(creators)} creator{'s' if len(creators) > 1 else ''}"
            say(
                f"summing the daily release of {whom} with {rollup.MIN_LIKES:,} likes or"
                " more (once; kept beside the file)"
            )
        rollup.build_all(conn, creators, since)
        conn.execute("COMMIT")


def _prune(*, keep: Path) -> None:
    """Remove data beside files that are gone, and all but the KEEP most recently used."""
    try:
        found = sorted(folder().glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for rank, path in enumerate(found):
        if path == keep:
            continue
        source = _read_meta(path).get("source")
        if rank >= KEEP or not source or not Path(source).exists():
            path.unlink(missing_ok=True)


def attach(conn: sqlite3.Connection, beside: Beside, file: Path) -> None:
    """Attach the data beside a new connection to the file, and note the data_version at
    which the file is in the state the data is for (a fingerprint before and after the
    snapshot that reads it), or None when it is not."""
    conn.execute(f"ATTACH DATABASE ? AS {SCHEMA}", (beside.path.as_uri() + "?mode=ro",))
    before = fingerprint.fingerprint(file)
    conn.execute("BEGIN")
    try:
        version = conn.execute("PRAGMA main.data_version").fetchone()[0]
        after = fingerprint.fingerprint(file)
    finally:
        conn.execute("COMMIT")
    same = before == after == beside.print_
    conn.wholiked_beside = Attached(beside.pieces, version if same else None)  # type: ignore[attr-defined]
