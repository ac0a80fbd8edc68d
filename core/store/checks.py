"""What a file must be before wholiked reads a row of it, and how SQLite's failures read.

A regular file (decided with stat() before anything opens it: reading a FIFO would wait
forever, a device would never end), with SQLite's header, the format's version, tables
and columns; the triggers of other programs refused when wholiked is going to write.
"""

import os
import sqlite3
import stat
from pathlib import Path

from wholiked.core.errors import BadInput, ForeignTriggers
from wholiked.core.store import comment_counts, counters, fingerprint, rollup, validation
from wholiked.core.store.format import REQUIRED_TABLES, TABLES, USER_VERSION
from wholiked.core.store.models import timestamp_problem
from wholiked.core.text import printable

SQLITE_HEADER = b"SQLite format 3\x00"
OWN_PREFIX = "wholiked_"
WRITTEN_TABLES = ("users", "follows", "blocks", "likes")
"""The format's tables wholiked's actions write (a trigger on them would fire)."""


def not_utf8(label: str) -> str:
    return (
        f"{label}: the file is damaged or holds text that is not valid UTF-8"
        " (SQLite text must be UTF-8)"
    )


LOCKED = "{label}: the database is locked by another program; try again"


def describe_sqlite_error(label: str, exc: sqlite3.Error) -> str:
    """One line for an SQLite failure on a user's file (text from the file made safe)."""
    text = str(exc)
    if text.startswith("Could not decode to UTF-8 column"):
        column = text.split("'")[1] if text.count("'") >= 2 else "?"
        return printable(
            f"{label}: column {column} holds text that is not valid UTF-8"
            " (SQLite text must be UTF-8; fix the row with the tool that wrote it)",
            limit=300,
        )
    if "locked" in text or "busy" in text:
        return LOCKED.format(label=label)
    if "readonly" in text or "read-only" in text:
        message = f"{label}: the database is read-only here ({text})"
    elif "malformed" in text or "not a database" in text or "corrupt" in text:
        message = f"{label}: the file is damaged or not a SQLite database ({text})"
    elif "unable to open" in text:
        message = f"{label}: cannot open the database ({text})"
    elif "interrupted" in text:
        message = f"{label}: the query was interrupted"
    else:
        message = f"{label}: SQLite error: {text}"
    return printable(message, limit=300)


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


_KINDS = (
    (stat.S_ISDIR, "is a directory, not a database file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a database file"),
    (stat.S_ISCHR, "is a device, not a database file"),
    (stat.S_ISBLK, "is a device, not a database file"),
    (stat.S_ISSOCK, "is a socket, not a database file"),
)


def _not_regular(mode: int) -> str:
    for test, words in _KINDS:
        if test(mode):
            return words
    return "is not a regular file"


def check_file(path: Path, label: str) -> None:
    """A regular file with SQLite's header; decided with stat() before anything is read,
    so a FIFO or a device never blocks (and its -wal or -journal must be regular too)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise BadInput(f"{label}: no such file") from None
    except OSError as exc:
        raise BadInput(f"{label}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise BadInput(f"{label}: {_not_regular(st.st_mode)}")
    for suffix in ("-wal", "-journal", "-shm"):
        try:
            side = os.stat(f"{path}{suffix}")
        except OSError:
            continue
        if not stat.S_ISREG(side.st_mode):
            raise BadInput(f"{label}{suffix}: {_not_regular(side.st_mode)}")
    header = fingerprint.read_main(path, 0, len(SQLITE_HEADER))
    if header is None:
        try:
            path.open("rb").close()
        except OSError as exc:
            raise BadInput(f"{label}: cannot be read ({exc.strerror})") from None
        raise BadInput(f"{label}: cannot be read")
    if header != SQLITE_HEADER:
        what = "an empty file" if not header else "not a SQLite database"
        raise BadInput(f"{label}: {what}, not a database in the wholiked format")


def check_schema(conn: sqlite3.Connection, label: str, *, refuse_triggers: bool) -> None:
    """The format's tables and columns are there (as plain tables). Views, virtual tables
    (full-text search) and their shadow tables, foreign keys, extra indexes, columns and
    tables are accepted. A writable open refuses other programs' triggers on the tables
    wholiked writes: they would run inside wholiked's transactions."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != USER_VERSION:
        raise BadInput(
            f"{label}: database format version {version}, expected {USER_VERSION}"
            " (set PRAGMA user_version = 1 on a file in the wholiked format)"
        )
    objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    tables = {o["name"].lower(): o["sql"] or "" for o in objects if o["type"] == "table"}
    for name in REQUIRED_TABLES:
        if name not in tables:
            raise BadInput(f"{label}: missing table {name}")
    for table in TABLES.values():
        if table.name not in tables:
            continue
        if tables[table.name].upper().startswith("CREATE VIRTUAL"):
            raise BadInput(
                f"{label}: table {table.name} is a virtual table; wholiked needs a plain table"
            )
        present = {r["name"] for r in conn.execute(f'PRAGMA table_info("{table.name}")')}
        for column in table.column_names:
            if column not in present:
                raise BadInput(f"{label}: table {table.name} has no column {column}")
    if not refuse_triggers:
        return
    foreign = [
        o
        for o in objects
        if o["type"] == "trigger"
        and (o["tbl_name"].lower() in WRITTEN_TABLES or o["tbl_name"].startswith(OWN_PREFIX))
        and not counters.is_own_trigger(o["name"], o["sql"])
        and o["sql"]
        not in (rollup.TRIGGER_SQL.get(o["name"]), comment_counts.TRIGGER_SQL.get(o["name"]))
    ]
    if not foreign:
        return
    names = ", ".join(f"{o['name']} (on {o['tbl_name']})" for o in foreign)
    # Recognised by exact SQL only: a trigger merely named like ours could do anything.
    ours_by_name = all(o["name"].startswith(OWN_PREFIX) for o in foreign)
    remedy = (
        "`wholiked unindex` removes every wholiked_* object, then --write adds this version's"
        if ours_by_name
        else "drop them to use --write"
    )
    raise ForeignTriggers(
        f"{label}: triggers wholiked did not write on tables it writes: {names};"
        f" wholiked's writes would run them, so this file opens read-only only ({remedy})",
        ours_by_name=ours_by_name,
    )


def check_meta_now(conn: sqlite3.Connection, label: str) -> None:
    if not validation.table_exists(conn, "meta"):
        return
    row = conn.execute("SELECT value FROM meta WHERE key = 'now'").fetchone()
    if row is None:
        return
    if problem := timestamp_problem(row[0]):
        where = f"{label}: table meta, row key 'now': field value"
        raise BadInput(f"{where}: {problem} (got {row[0]!r})")
