"""Validate rows against the format, fast: the whole file, or only the rows an answer reads.

SQL predicates mirror the pydantic models of `core.store.models` so that a table
of ten million rows is scanned by SQLite, not by Python; the first row the SQL
flags is then checked by the model (pydantic is imported only then), which words
the error with table, row and field.

`check_rows` checks every row of every table (the full check: `wholiked check`,
the TUI's background check, the first open of a small file). `check_scope`
checks only what one answer reads (a video, its likes and likers, a few users
and their follows and blocks), so the first answer on a large file nobody has
checked yet costs about a second, not half a minute. Which files passed the full
check is remembered by `core.store.fingerprint`.
"""

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from wholiked.core.errors import BadInput
from wholiked.core.store import fingerprint
from wholiked.core.store.format import RELEASED_ATTRIBUTES, TABLES, Column, Table


def _q(name: str) -> str:
    """Quote an identifier from our own format declaration (never from data)."""
    return '"' + name.replace('"', '""') + '"'


def column_predicate(column: Column, alias: str = "") -> tuple[str, list[object]]:
    """SQL that is true exactly when the column's value is valid, with its parameters.

    SQLite's length() and GLOB stop at a NUL character; byte lengths and an explicit
    NUL check keep handles and regions exact. A timestamp is valid when SQLite's own
    strftime() gives it back unchanged (so the date is real and the form canonical).
    """
    c = (alias + "." if alias else "") + _q(column.name)
    params: list[object] = []
    match column.kind:
        case "id":
            sql = f"typeof({c}) = 'integer'"
        case "count":
            sql = f"(typeof({c}) = 'integer' AND {c} >= 0)"
        case "bool":
            sql = f"(typeof({c}) = 'integer' AND {c} IN (0, 1))"
        case "enum":
            marks = ", ".join("?" for _ in column.choices)
            sql = f"(typeof({c}) = 'text' AND {c} IN ({marks}))"
            params.extend(column.choices)
        case "text":
            sql = f"typeof({c}) = 'text'"
        case "timestamp":
            sql = (
                f"(typeof({c}) = 'text'"
                f" AND strftime('%Y-%m-%dT%H:%M:%SZ', {c}, '+0 seconds') IS {c}"
                f" AND substr({c}, 1, 4) <> '0000')"
            )
        case "handle":
            sql = (
                f"(typeof({c}) = 'text' AND length(CAST({c} AS BLOB)) BETWEEN 2 AND 24"
                f" AND {c} NOT GLOB '*[^a-z0-9._]*' AND instr(CAST({c} AS BLOB), x'00') = 0)"
            )
        case "region":
            sql = (
                f"(typeof({c}) = 'text' AND length(CAST({c} AS BLOB)) = 2"
                f" AND {c} NOT GLOB '*[^A-Z]*' AND instr(CAST({c} AS BLOB), x'00') = 0)"
            )
        case "tag":
            sql = f"(typeof({c}) = 'text' AND {c} <> '' AND substr({c}, 1, 1) <> '#')"
        case _:
            raise ValueError(column.kind)
    if column.nullable:
        sql = f"({c} IS NULL OR {sql})"
    return sql, params


def _predicates(
    table: Table, columns: Iterable[str] | None = None, alias: str = "", utf8: bool = False
) -> tuple[str, list[object]]:
    wanted = set(columns) if columns is not None else set(table.column_names)
    parts, params = [], []
    for column in table.columns:
        if column.name not in wanted:
            continue
        sql, p = column_predicate(column, alias)
        parts.append(sql)
        params.extend(p)
        if utf8 and column.kind in ("text", "tag"):
            c = (alias + "." if alias else "") + _q(column.name)
            parts.append(f"({c} IS NULL OR wholiked_utf8(CAST({c} AS BLOB)))")
    return " AND ".join(parts) or "1", params


def _utf8(value: bytes | None) -> bool:
    if value is None:
        return True
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _row_label(table: Table, row: dict[str, object]) -> str:
    if table.pk == ("id",) and "id" in row:
        return f"row id {row['id']!r}"
    parts = ", ".join(f"{k}={row[k]!r}" for k in table.pk if k in row)
    return f"row ({parts})"


def _raw_row(
    conn: sqlite3.Connection, query: str, params: Sequence[object]
) -> dict[str, Any] | None:
    """The first row of a query, with text that is not UTF-8 kept as bytes (for wording)."""
    rows = _raw_rows(conn, query, params, 1)
    return rows[0] if rows else None


def _raw_rows(
    conn: sqlite3.Connection, query: str, params: Sequence[object], n: int
) -> list[dict[str, Any]]:
    """The first n rows of a query, text that is not UTF-8 kept as bytes (for wording)."""
    saved = conn.text_factory
    conn.text_factory = _lenient_text
    try:
        cursor = conn.execute(query, params)
        rows = cursor.fetchmany(n)
        names = [d[0] for d in cursor.description]
    finally:
        conn.text_factory = saved
    return [dict(zip(names, tuple(row), strict=True)) for row in rows]


class Problems:
    """The full check's report: every problem found, one line each, up to a limit (the
    check goes on past a bad row instead of stopping at the first)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lines: list[str] = []

    @property
    def room(self) -> int:
        return max(self.limit - len(self.lines), 0)

    def add(self, line: str) -> None:
        if self.room:
            self.lines.append(line)


def _report(found: Problems | None, lines: list[str]) -> None:
    """Raise the first problem (no report asked for) or add every one to the report."""
    if found is None:
        if lines:
            raise BadInput(lines[0])
        return
    for line in lines:
        found.add(line)


def _wanted(found: Problems | None) -> int:
    """How many bad rows a query should return: the first, or as many as the report holds."""
    return 1 if found is None else found.room


def _lenient_text(data: bytes) -> str | bytes:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _word(label: str, table: Table, row: dict[str, object]) -> str:
    for name, value in row.items():
        if isinstance(value, bytes):
            return (
                f"{label}: table {table.name}, {_row_label(table, row)}: field {name}:"
                " holds text that is not valid UTF-8"
            )
    from wholiked.core.store.models import validate_row  # pydantic: only for a bad row

    problem = validate_row(table.name, row) or "a value breaks the format"
    return f"{label}: table {table.name}, {_row_label(table, row)}: {problem}"


def _check_values(
    conn: sqlite3.Connection,
    label: str,
    table: Table,
    where: str = "",
    params: Sequence[object] = (),
    *,
    utf8: bool = False,
    columns: Sequence[str] | None = None,
    found: Problems | None = None,
) -> None:
    if not (n := _wanted(found)):
        return
    preds, pred_params = _predicates(table, columns, utf8=utf8)
    cols = ", ".join(_q(c) for c in (columns or table.column_names))
    restrict = f"({where}) AND " if where else ""
    query = f"SELECT {cols} FROM {_q(table.name)} WHERE {restrict}NOT ({preds}) LIMIT {n}"
    rows = _raw_rows(conn, query, [*params, *pred_params], n)
    _report(found, [_word(label, table, row) for row in rows])


def _check_unique(
    conn: sqlite3.Connection,
    label: str,
    table: Table,
    where: str = "",
    params: Sequence[object] = (),
    found: Problems | None = None,
) -> None:
    for key in (table.pk, *table.unique):
        if not (n := _wanted(found)) or _has_unique_index(conn, table.name, key):
            continue
        cols = ", ".join(_q(c) for c in key)
        restrict = f"WHERE {where} " if where else ""
        query = (
            f"SELECT {cols} FROM {_q(table.name)} {restrict}GROUP BY {cols}"
            f" HAVING count(*) > 1 LIMIT {n}"
        )
        lines = []
        for row in _raw_rows(conn, query, params, n):
            values = ", ".join(f"{k}={row[k]!r}" for k in key)
            lines.append(f"{label}: table {table.name}: duplicate rows with {values}")
        _report(found, lines)


def _has_unique_index(conn: sqlite3.Connection, table: str, key: tuple[str, ...]) -> bool:
    info = conn.execute(f"PRAGMA table_info({_q(table)})").fetchall()
    pk_cols = tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
    if set(pk_cols) == set(key):
        return True
    for index in conn.execute(f"PRAGMA index_list({_q(table)})").fetchall():
        if not index[2] or index[4]:  # not unique, or partial
            continue
        cols = [r[2] for r in conn.execute(f"PRAGMA index_info({_q(index[1])})")]
        if None not in cols and set(cols) == set(key):
            return True
    return False


def _check_references(
    conn: sqlite3.Connection,
    label: str,
    table: Table,
    where: str = "",
    params: Sequence[object] = (),
    *,
    columns: Iterable[str] | None = None,
    found: Problems | None = None,
) -> None:
    wanted = set(columns) if columns is not None else None
    for ref in table.references:
        if (wanted is not None and ref.column not in wanted) or not (n := _wanted(found)):
            continue
        col, target = _q(ref.column), _q(ref.table)
        restrict = f"({where}) AND " if where else ""
        key = "".join(f", t.{_q(k)} AS {_q(k)}" for k in table.pk)
        query = (
            f"SELECT t.{col} AS wholiked_missing{key} FROM {_q(table.name)} AS t"
            f" WHERE {restrict}t.{col} IS NOT NULL AND NOT EXISTS"
            f" (SELECT 1 FROM {target} AS r WHERE r.{_q(ref.target)} = t.{col}) LIMIT {n}"
        )
        lines = []
        for row in _raw_rows(conn, query, params, n):
            missing = row.pop("wholiked_missing")
            lines.append(
                f"{label}: table {table.name}, {_row_label(table, row)}: {ref.column}"
                f" {missing!r} names no row of {ref.table}"
            )
        _report(found, lines)


CHUNK_ROWS = 200_000
"""Rows (by rowid) checked per step of the full check: each step is its own short read
transaction, so another program's writer never waits long for the check."""


def check_steps(
    conn: sqlite3.Connection, label: str, found: Problems | None = None
) -> Iterator[Callable[[], None]]:
    """The full check as short steps: every row of every table, free text included (it
    must be valid UTF-8). Each step raises BadInput on the first bad row it finds or,
    given a report, adds every bad row to it until it is full."""
    conn.create_function("wholiked_utf8", 1, _utf8, deterministic=True)
    for table in TABLES.values():
        if not table_exists(conn, table.name):
            continue
        for lo, hi in _rowid_ranges(conn, table.name):
            if lo is None:
                yield partial(_check_values, conn, label, table, utf8=True, found=found)
                yield partial(_check_references, conn, label, table, found=found)
                continue
            where, where_t = "rowid BETWEEN ? AND ?", "t.rowid BETWEEN ? AND ?"
            yield partial(
                _check_values, conn, label, table, where, (lo, hi), utf8=True, found=found
            )
            yield partial(_check_references, conn, label, table, where_t, (lo, hi), found=found)
        yield partial(_check_unique, conn, label, table, found=found)


def _rowid_ranges(conn: sqlite3.Connection, table: str) -> list[tuple[int | None, int | None]]:
    """Rowid ranges of about CHUNK_ROWS rows; one whole-table range for a WITHOUT ROWID table."""
    try:
        lo, hi = conn.execute(f"SELECT min(rowid), max(rowid) FROM {_q(table)}").fetchone()
    except sqlite3.OperationalError:  # WITHOUT ROWID
        return [(None, None)]
    if lo is None:
        return []
    return [(start, min(start + CHUNK_ROWS - 1, hi)) for start in range(lo, hi + 1, CHUNK_ROWS)]


def check_rows(conn: sqlite3.Connection, label: str) -> None:
    """Raise BadInput naming table, row and field of the first row that breaks the format."""
    for step in check_steps(conn, label):
        step()


class Scope(NamedTuple):
    """The rows one answer reads.

    videos: the video rows and their creators' rows; likers_of: what the like counts of
    these videos read (every like's user, that user's row and privacy); users: user rows
    with the follows they made and the blocks on either side; followers_of: the follows
    made to these users; released_for: what these creators' daily release and analytics
    read (their videos, every like on them in full, each liker's privacy and attributes,
    the comments on them). The likers an answer lists are checked as returned
    (`check_listed`): their handles and times are read for those rows only.
    """

    videos: tuple[int, ...] = ()
    likers_of: tuple[int, ...] = ()
    users: tuple[int, ...] = ()
    followers_of: tuple[int, ...] = ()
    released_for: tuple[int, ...] = ()


def _in(column: str, ids: Sequence[int]) -> str:
    return f"{column} IN ({', '.join('?' for _ in ids)})"


def check_scope(conn: sqlite3.Connection, label: str, scope: Scope) -> None:
    """Raise BadInput for the first row in the scope that breaks the format (see Scope).

    The SQL of `check_rows` restricted to those rows: on the 1M-like video of the
    benchmark world about 0.2 s, on a small video a few milliseconds.
    """
    videos, users, follows, blocks, likes = (
        TABLES[n] for n in ("videos", "users", "follows", "blocks", "likes")
    )
    if scope.videos:
        v = list(scope.videos)
        _check_values(conn, label, videos, _in("id", v), v)
        _check_references(conn, label, videos, _in("t.id", v), v)
        where = f"id IN (SELECT creator_id FROM videos WHERE {_in('id', v)})"
        _check_values(conn, label, users, where, v)
    if scope.likers_of:
        x = list(scope.likers_of)
        _check_values(conn, label, likes, _in("video_id", x), x, columns=("video_id", "user_id"))
        _check_unique(conn, label, likes, _in("video_id", x), x)
        _check_likers(conn, label, x)
    if scope.users:
        u = list(scope.users)
        _check_values(conn, label, users, _in("id", u), u)
        _check_values(conn, label, follows, _in("follower_id", u), u)
        _check_unique(conn, label, follows, _in("follower_id", u), u)
        _check_references(conn, label, follows, _in("t.follower_id", u), u)
        either = f"{_in('blocker_id', u)} OR {_in('blocked_id', u)}"
        _check_values(conn, label, blocks, either, u + u)
        _check_unique(conn, label, blocks, either, u + u)
        either_t = f"{_in('t.blocker_id', u)} OR {_in('t.blocked_id', u)}"
        _check_references(conn, label, blocks, either_t, u + u)
    if scope.followers_of:
        f = list(scope.followers_of)
        _check_values(conn, label, follows, _in("followee_id", f), f)
        _check_references(conn, label, follows, _in("t.followee_id", f), f)
    if scope.released_for:
        _check_release(conn, label, list(scope.released_for))
    if table_exists(conn, "meta"):
        _check_values(conn, label, TABLES["meta"])


_RELEASED_COLUMNS = ("id", "is_private", *RELEASED_ATTRIBUTES)
"""What a release reads of a liker's row (never the handle or the free text)."""


def _check_release(conn: sqlite3.Connection, label: str, creators: list[int]) -> None:
    """The rows the creators' release and analytics read: on a creator with a few thousand
    likes milliseconds, so analytics on a large unchecked file need not wait for the whole
    file's check; on the benchmark's biggest creator (half the likes) the check takes as
    long as that share of the full check."""
    conn.create_function("wholiked_utf8", 1, _utf8, deterministic=True)
    mine = _in("creator_id", creators)
    theirs = f"video_id IN (SELECT id FROM videos WHERE {mine})"
    videos, users, likes = (TABLES[n] for n in ("videos", "users", "likes"))
    _check_values(conn, label, users, _in("id", creators), creators)
    _check_values(conn, label, videos, mine, creators, utf8=True)  # captions are shown
    _check_references(conn, label, videos, f"t.{mine}", creators)
    _check_values(conn, label, likes, theirs, creators)
    _check_unique(conn, label, likes, theirs, creators)
    _check_references(conn, label, likes, f"t.{theirs}", creators)
    likers = f"id IN (SELECT user_id FROM likes WHERE {theirs})"
    _check_values(conn, label, users, likers, creators, columns=_RELEASED_COLUMNS)
    if table_exists(conn, "comments"):
        comments = TABLES["comments"]
        _check_values(conn, label, comments, theirs, creators)
        _check_references(conn, label, comments, f"t.{theirs}", creators)


_LIKER_COLUMNS = ("id", "is_private")


def _check_likers(conn: sqlite3.Connection, label: str, video_ids: list[int]) -> None:
    """Every liker of the videos exists and has a valid privacy (what the counts read).

    One walk of the likes key in user order, probing users by id (a walk in time order
    would probe users at random, three times slower).
    """
    users = TABLES["users"]
    preds, params = _predicates(users, _LIKER_COLUMNS, alias="u")
    cols = ", ".join(f"u.{_q(c)}" for c in _LIKER_COLUMNS)
    query = (
        f"SELECT l.user_id AS liker, {cols} FROM likes l LEFT JOIN users u ON u.id = l.user_id"
        f" WHERE {_in('l.video_id', video_ids)} AND (u.id IS NULL OR NOT ({preds}))"
        " ORDER BY l.video_id, l.user_id LIMIT 1"
    )
    row = _raw_row(conn, query, [*video_ids, *params])
    if row is None:
        return
    liker = row.pop("liker")
    if row["id"] is None:
        raise BadInput(f"{label}: table likes: user_id {liker!r} names no row of users")
    raise BadInput(_word(label, users, row))


def check_listed(label: str, video_id: int, likers: Iterable[object]) -> None:
    """The likers an answer returns (LikerRow: user_id, handle, display_name, liked_at)
    follow the format: checked in Python as they are handed over, so a first answer reads
    the handles and times of the rows it shows, not of every liker."""
    from wholiked.core.store.models import value_ok

    users, likes = TABLES["users"], TABLES["likes"]
    user_cols = [c for c in users.columns if c.name in ("id", "handle", "display_name")]
    like_cols = [c for c in likes.columns if c.name in ("video_id", "user_id", "liked_at")]
    for liker in likers:
        user = {"id": liker.user_id, "handle": liker.handle, "display_name": liker.display_name}  # type: ignore[attr-defined]
        like = {"video_id": video_id, "user_id": liker.user_id, "liked_at": liker.liked_at}  # type: ignore[attr-defined]
        for table, columns, row in ((users, user_cols, user), (likes, like_cols, like)):
            if not all(value_ok(c, row[c.name]) for c in columns):
                raise BadInput(_word(label, table, row))


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    """True when the database has a table of that name."""
    query = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?"
    return conn.execute(query, (name,)).fetchone() is not None


# --- remembering files that passed (by content: see core.store.fingerprint) ---------


def remember_valid(path: Path) -> None:
    """Record that the file, as it is now, passed the full check (best effort)."""
    fingerprint.remember(fingerprint.fingerprint(path))
