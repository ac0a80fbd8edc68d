"""The release rollup: a large creator's likers, summed per day, kept exact whatever other
tools write, so a daily release is a read of a few thousand pre-summed rows.

Only creators with at least `MIN_LIKES` likes get one (smaller ones are counted live in
well under the release's budget); like the counters it is never required: every
release has a rollup-free path that gives the same counts, and `core.release.counting`
checks that both agree (`wholiked index --check`, and the tests).

**The tables** (all wholiked's own):

- `wholiked_release_likers (creator_id, user_id, first, latest, prev, third_at,
  third_video, present, <RELEASED_ATTRIBUTES>)`: per liker of a built
  creator, the first and latest like of the creator's videos, `prev` the latest like on
  an earlier UTC day than `latest` ('' when there is none, NULL when not computed: only
  rows whose latest like is on or after the day they were built need it), the third
  latest like (see RANK; NULL with fewer likes), whether the user row exists, and its
  attributes as they were read; indexed by the latest like (with `prev`, so the rows
  today's release must place at `prev` are read from a small partial index);
- `wholiked_release_cells (creator_id, histogram, day, value, n)`: those rows summed:
  `likers`, `hour` (of the latest like) and each attribute by the day of the latest
  like, `new_likers` by the day of the first, counting only rows whose user exists;
- `wholiked_release_creators (creator_id)`: the creators built;
- `wholiked_release_pending_users (user_id)`, `wholiked_release_pending_videos
  (video_id)`: the journal of what other writes may have made wrong.

**The invariants.** For a built creator, every liker not affected by the journal (a
pending user, or a liker of a pending video) has a row that is exact, and the cells are
the sum of the rows. A reader corrects the affected likers on the fly (a read-only
connection included: see `core.release.counting`); `repair()` folds the journal into
the rows on a writable one, as the counters' `repair()` does.

**The triggers** name only NEW/OLD, their own table and wholiked's tables (see
`core.store.counters` for why) and only ever add to the journal: a like written (any
column, so a new `liked_at` too), a user inserted, deleted or given another id or
attribute, a video inserted, deleted or given another id or creator. BEFORE triggers on
users journal a row an `INSERT OR REPLACE` (or an `UPDATE OR REPLACE` of id or handle)
would delete silently (same id or handle);
another unique index on likes, users or videos makes the rollup unusable, since a
REPLACE resolved on it deletes rows no trigger sees.
"""

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from wholiked.core.store import counters
from wholiked.core.store.counters import mark_sql
from wholiked.core.store.format import RELEASED_ATTRIBUTES
from wholiked.core.store.trust import trusted

LIKERS = "wholiked_release_likers"
CELLS = "wholiked_release_cells"
BUILT = "wholiked_release_creators"
PENDING_USERS = "wholiked_release_pending_users"
PENDING_VIDEOS = "wholiked_release_pending_videos"

MIN_LIKES = 50_000
"""Creators with fewer likes are counted live (about 60 ms at this size on the bench)."""

REBUILD_AT = 50_000
"""A repair touching more of a creator's likers than this rebuilds the creator instead."""

ATTRIBUTES = RELEASED_ATTRIBUTES

RANK = 3
"""`third_at`/`third_video` hold the liker's RANK-th latest like of the creator's videos
(by time, then video id): the release's per-video bound (VIDEOS_PER_LIKER), so a liker
counts for a video when that video's like ranks at or above it."""

TABLE_SQL: dict[str, str] = {
    LIKERS: f"""CREATE TABLE {LIKERS} (
    creator_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    first TEXT NOT NULL,
    latest TEXT NOT NULL,
    prev TEXT,
    third_at TEXT,
    third_video INTEGER,
    present INTEGER NOT NULL,
    {", ".join(ATTRIBUTES)},
    PRIMARY KEY (creator_id, user_id)
) WITHOUT ROWID""",
    CELLS: f"""CREATE TABLE {CELLS} (
    creator_id INTEGER NOT NULL,
    histogram TEXT NOT NULL,
    day TEXT NOT NULL,
    value,
    n INTEGER NOT NULL
)""",
    BUILT: f"CREATE TABLE {BUILT} (creator_id INTEGER PRIMARY KEY)",
    PENDING_USERS: f"CREATE TABLE {PENDING_USERS} (user_id INTEGER PRIMARY KEY)",
    PENDING_VIDEOS: f"CREATE TABLE {PENDING_VIDEOS} (video_id INTEGER PRIMARY KEY)",
}

INDEX_SQL: dict[str, str] = {
    "wholiked_release_likers_latest": (
        f"CREATE INDEX wholiked_release_likers_latest ON {LIKERS} (creator_id, latest, prev)"
    ),
    "wholiked_release_likers_recent": (
        f"CREATE INDEX wholiked_release_likers_recent ON {LIKERS}"
        f" (creator_id, latest, prev, first, present, {', '.join(ATTRIBUTES)})"
        " WHERE prev <> ''"
    ),
    "wholiked_release_cells_key": (
        f"CREATE INDEX wholiked_release_cells_key ON {CELLS} (creator_id, histogram, day, value)"
    ),
}


def _mark_holders(where: str) -> str:
    """Journal the users rows a REPLACE of NEW's id or handle would delete unseen."""
    return f"""
    INSERT INTO {PENDING_USERS} (user_id) SELECT id FROM users
        WHERE {where} AND id NOT IN (SELECT user_id FROM {PENDING_USERS});"""


def _trigger(name: str, when: str, *marks: str) -> tuple[str, str]:
    return name, f"CREATE TRIGGER {name} {when} BEGIN{''.join(marks)}\nEND"


TRIGGER_SQL: dict[str, str] = dict(
    [
        _trigger(
            "wholiked_release_likes_insert",
            "AFTER INSERT ON likes",
            mark_sql(PENDING_USERS, "user_id", "NEW.user_id"),
        ),
        _trigger(
            "wholiked_release_likes_delete",
            "AFTER DELETE ON likes",
            mark_sql(PENDING_USERS, "user_id", "OLD.user_id"),
        ),
        _trigger(
            "wholiked_release_likes_update",
            "AFTER UPDATE ON likes",
            mark_sql(PENDING_USERS, "user_id", "OLD.user_id"),
            mark_sql(PENDING_USERS, "user_id", "NEW.user_id"),
        ),
        _trigger(
            "wholiked_release_users_insert",
            "AFTER INSERT ON users",
            mark_sql(PENDING_USERS, "user_id", "NEW.id"),
        ),
        _trigger(
            "wholiked_release_users_replace",
            "BEFORE INSERT ON users",
            _mark_holders("(id = NEW.id OR handle = NEW.handle) AND typeof(id) = 'integer'"),
        ),
        _trigger(
            "wholiked_release_users_rekey",
            "BEFORE UPDATE OF id, handle ON users",
            _mark_holders(
                "(id = NEW.id OR handle = NEW.handle) AND id IS NOT OLD.id\n"
                "        AND typeof(id) = 'integer'"
            ),
        ),
        _trigger(
            "wholiked_release_users_delete",
            "AFTER DELETE ON users",
            mark_sql(PENDING_USERS, "user_id", "OLD.id"),
        ),
        _trigger(
            "wholiked_release_users_update",
            f"AFTER UPDATE OF id, {', '.join(ATTRIBUTES)} ON users",
            mark_sql(PENDING_USERS, "user_id", "OLD.id"),
            mark_sql(PENDING_USERS, "user_id", "NEW.id"),
        ),
        _trigger(
            "wholiked_release_videos_insert",
            "AFTER INSERT ON videos",
            mark_sql(PENDING_VIDEOS, "video_id", "NEW.id"),
        ),
        _trigger(
            "wholiked_release_videos_delete",
            "AFTER DELETE ON videos",
            mark_sql(PENDING_VIDEOS, "video_id", "OLD.id"),
        ),
        _trigger(
            "wholiked_release_videos_update",
            "AFTER UPDATE OF id, creator_id ON videos",
            mark_sql(PENDING_VIDEOS, "video_id", "OLD.id"),
            mark_sql(PENDING_VIDEOS, "video_id", "NEW.id"),
        ),
    ]
)

ALLOWED_UNIQUE = {"likes": [], "users": [[("handle", "BINARY")]], "videos": []}
"""Unique indexes (besides the primary key), as (column, collation) keys, a REPLACE may
resolve on without a row lost unseen: users' handle, compared as the BEFORE triggers
compare it, is journalled by wholiked_release_users_replace and _rekey."""


# --- is it usable? -------------------------------------------------------------------


def unusable_reason(conn: sqlite3.Connection) -> str | None:
    """Why the rollup cannot be trusted in this file (None when it can)."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_schema WHERE name LIKE 'wholiked\\_release\\_%'"
        " ESCAPE '\\'"
    ).fetchall()
    found = {(r[0], r[1]): r[2] for r in rows}
    for kind, wanted in (("table", TABLE_SQL), ("index", INDEX_SQL), ("trigger", TRIGGER_SQL)):
        for name, sql in wanted.items():
            have = found.get((kind, name))
            if have is None:
                return f"{kind} {name} is missing"
            if have != sql:
                return f"{kind} {name} is not the one this wholiked writes"
    for table, allowed in ALLOWED_UNIQUE.items():
        for index in conn.execute(f"PRAGMA index_list({table})").fetchall():
            if not index[2] or index[3] == "pk":
                continue
            keys = [r for r in conn.execute(f'PRAGMA index_xinfo("{index[1]}")') if r[5]]
            if [(r[2], r[4]) for r in keys] not in allowed:
                return f"{table} has the unique index {index[1]}: a REPLACE resolved on it"
    return None


def usable(conn: sqlite3.Connection) -> bool:
    """True when the rollup is in place and trustworthy; cached per schema version."""
    return trusted(conn, "rollup", unusable_reason)


def is_built(conn: sqlite3.Connection, creator_id: int) -> bool:
    return (
        conn.execute(f"SELECT 1 FROM {BUILT} WHERE creator_id = ?", (creator_id,)).fetchone()
        is not None
    )


def built(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute(f"SELECT creator_id FROM {BUILT} ORDER BY creator_id")]


def is_pending(conn: sqlite3.Connection) -> bool:
    query = (
        f"SELECT EXISTS (SELECT 1 FROM {PENDING_USERS}) OR EXISTS (SELECT 1 FROM {PENDING_VIDEOS})"
    )
    return bool(conn.execute(query).fetchone()[0])


AFFECTED_SQL = f"""WITH p AS (
        SELECT user_id FROM {PENDING_USERS}
        UNION SELECT l.user_id FROM {PENDING_VIDEOS} v
            CROSS JOIN likes l ON l.video_id = v.video_id)
    SELECT user_id FROM p
    WHERE EXISTS (SELECT 1 FROM {LIKERS} r WHERE r.creator_id = :c AND r.user_id = p.user_id)
       OR EXISTS (SELECT 1 FROM likes l JOIN videos x ON x.id = l.video_id
                  WHERE l.user_id = p.user_id AND x.creator_id = :c)"""
"""The creator's likers (past or present) the journal says may have a wrong row."""


# --- the rows and their sums ------------------------------------------------------------


def _ranked(column: str) -> str:
    return f"""(SELECT l.{column} FROM likes l CROSS JOIN videos x ON x.id = l.video_id
            WHERE l.user_id = p.uid AND x.creator_id = :c {{before}}
            ORDER BY l.liked_at DESC, l.video_id DESC LIMIT 1 OFFSET {RANK - 1})"""


ROWS_OF_USERS = f"""SELECT :c AS creator_id, p.uid AS user_id, p.first AS first,
        p.latest AS latest,
        coalesce((SELECT max(l.liked_at) FROM likes l CROSS JOIN videos x ON x.id = l.video_id
                  WHERE l.user_id = p.uid AND x.creator_id = :c
                    AND l.liked_at < substr(p.latest, 1, 10)), '') AS prev,
        {_ranked("liked_at")} AS third_at, {_ranked("video_id")} AS third_video,
        u.id IS NOT NULL AS present, {", ".join(f"u.{a} AS {a}" for a in ATTRIBUTES)}
    FROM (SELECT l.user_id AS uid, min(l.liked_at) AS first, max(l.liked_at) AS latest
          FROM json_each(:users) j CROSS JOIN likes l ON l.user_id = j.value
          CROSS JOIN videos x ON x.id = l.video_id
          WHERE x.creator_id = :c {{before}} GROUP BY l.user_id) p
    LEFT JOIN users u ON u.id = p.uid"""
"""Fresh rows of some likers (a JSON list) of creator :c, prev included ({before}: an
optional cut-off on liked_at)."""


def sums_sql(source: str, *, new_likers: bool = True, per_creator: bool = False) -> str:
    """(histogram, day, value, n) of rows `source` (columns first, latest, present and the
    attributes): the cells those rows add; with `per_creator`, (creator_id, histogram,
    day, value, n) of the rows of several creators."""
    c, k = ("creator_id, ", "1, ") if per_creator else ("", "")
    day, value = (3, 4) if per_creator else (2, 3)
    parts = [
        f"SELECT {c}'likers' AS histogram, substr(latest, 1, 10) AS day, NULL AS value,"
        f" count(*) AS n FROM r WHERE present GROUP BY {k}{day}",
        f"SELECT {c}'hour', substr(latest, 1, 10), substr(latest, 12, 2), count(*)"
        f" FROM r WHERE present GROUP BY {k}{day}, {value}",
        *(
            f"SELECT {c}'{a}', substr(latest, 1, 10), {a}, count(*) FROM r WHERE present"
            f" GROUP BY {k}{day}, {value}"
            for a in ATTRIBUTES
        ),
    ]
    if new_likers:
        parts.append(
            f"SELECT {c}'new_likers', substr(first, 1, 10), NULL, count(*)"
            f" FROM r WHERE present GROUP BY {k}{day}"
        )
    return f"WITH r AS MATERIALIZED ({source})\n" + "\nUNION ALL ".join(parts)


STORED_ROWS = f"""SELECT first, latest, present, {", ".join(ATTRIBUTES)} FROM {LIKERS}
    WHERE creator_id = :c AND user_id IN (SELECT value FROM json_each(:users))"""


# --- writing (a writable connection, inside the caller's transaction) -----------------


def create(conn: sqlite3.Connection, *, triggers: bool = True) -> None:
    """Create the empty tables, indexes and triggers (replacing any of wholiked's; no
    triggers for a rollup beside a read-only file, `core.store.beside`)."""
    drop(conn)
    for sql in (*TABLE_SQL.values(), *INDEX_SQL.values()):
        conn.execute(sql)
    for sql in TRIGGER_SQL.values() if triggers else ():
        conn.execute(sql)


def drop(conn: sqlite3.Connection) -> None:
    for name in TRIGGER_SQL:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in TABLE_SQL:
        conn.execute(f"DROP TABLE IF EXISTS {name}")


def wanted(conn: sqlite3.Connection, *, counted: bool | None = None) -> list[int]:
    """Creators with at least MIN_LIKES likes not yet built. Asked at every writable open,
    so the totals are the stored counters as they stand (pending marks not corrected):
    which creators have a rollup changes no answer, only how fast it comes. counted:
    whether to read the counters' table (default: when the counters are in use)."""
    if counters.has_counters(conn) if counted is None else counted:
        totals = f"""SELECT x.creator_id, sum(c.likes) AS n FROM {counters.COUNTS_TABLE} c
            JOIN videos x ON x.id = c.video_id GROUP BY x.creator_id HAVING n >= :m"""
    else:
        totals = """SELECT x.creator_id, count(*) AS n FROM videos x
            JOIN likes l ON l.video_id = x.id GROUP BY x.creator_id HAVING n >= :m"""
    query = f"""SELECT creator_id FROM ({totals})
        WHERE typeof(creator_id) = 'integer'
          AND creator_id NOT IN (SELECT creator_id FROM {BUILT}) ORDER BY creator_id"""
    return [r[0] for r in conn.execute(query, {"m": MIN_LIKES})]


BUILD_ROWS = f"""SELECT c, u, first, latest,
        CASE WHEN latest >= :since THEN coalesce(prev, '') END, third_at, third_video,
        who.id IS NOT NULL, {", ".join(f"who.{a}" for a in ATTRIBUTES)}
    FROM (SELECT c, u, min(t) AS first, max(t) AS latest,
            max(CASE WHEN t < substr(top, 1, 10) THEN t END) AS prev,
            max(CASE WHEN rank = {RANK} THEN t END) AS third_at,
            max(CASE WHEN rank = {RANK} THEN v END) AS third_video
        FROM (SELECT x.creator_id AS c, l.user_id AS u, l.liked_at AS t, l.video_id AS v,
                row_number() OVER w AS rank, first_value(l.liked_at) OVER w AS top
            FROM json_each(:creators) j CROSS JOIN videos x ON x.creator_id = j.value
            CROSS JOIN likes l ON l.video_id = x.id
            WINDOW w AS (PARTITION BY x.creator_id, l.user_id
                ORDER BY l.liked_at DESC, l.video_id DESC))
        GROUP BY c, u) p
    LEFT JOIN users who ON who.id = p.u ORDER BY c, u"""
"""Every row of some creators (a JSON list), from one pass over their videos' likes sorted
by liker and time: first and latest, `prev` (the latest like on an earlier day than the
latest, for rows whose latest like is on or after :since), the RANK-th latest."""


def build(conn: sqlite3.Connection, creator_id: int, since: str) -> None:
    """(Re)build one creator's rows and cells from the likes (`build_all`)."""
    build_all(conn, [creator_id], since)


def build_all(conn: sqlite3.Connection, creators: list[int], since: str) -> None:
    """(Re)build these creators' rows and cells from the likes, set-wise: one pass over
    their likes for the rows, one over the rows for the cells. `prev` is computed for
    rows whose latest like is at or after `since` (the reference day's 00:00Z); older
    rows never need it unless the reference time moves back, and readers probe them
    then."""
    if not creators:
        return
    params = {"creators": json.dumps(creators), "since": since}
    chosen = "creator_id IN (SELECT value FROM json_each(:creators))"
    conn.execute(f"DELETE FROM {LIKERS} WHERE {chosen}", params)
    conn.execute(f"DELETE FROM {CELLS} WHERE {chosen}", params)
    conn.execute(f"INSERT INTO {LIKERS} {BUILD_ROWS}", params)
    source = f"SELECT * FROM {LIKERS} WHERE {chosen}"
    conn.execute(
        f"INSERT INTO {CELLS} (creator_id, histogram, day, value, n)"
        f" SELECT * FROM ({sums_sql(source, per_creator=True)})",
        params,
    )
    conn.execute(
        f"INSERT OR IGNORE INTO {BUILT} (creator_id) SELECT value FROM json_each(:creators)",
        params,
    )


def _add(
    conn: sqlite3.Connection, creator_id: int, sums: Iterable[tuple[Any, ...]], sign: int
) -> None:
    """Move the creator's cells by sign × each (histogram, day, value, n)."""
    for histogram, day, value, n in sums:
        key = {"c": creator_id, "h": histogram, "d": day, "v": value, "n": sign * n}
        moved = conn.execute(
            f"""UPDATE {CELLS} SET n = n + :n
            WHERE creator_id = :c AND histogram = :h AND day = :d AND value IS :v""",
            key,
        ).rowcount
        if not moved:
            conn.execute(
                f"INSERT INTO {CELLS} (creator_id, histogram, day, value, n)"
                " VALUES (:c, :h, :d, :v, :n)",
                key,
            )
    conn.execute(f"DELETE FROM {CELLS} WHERE creator_id = ? AND n = 0", (creator_id,))


def refresh(conn: sqlite3.Connection, creator_id: int, users: list[int]) -> None:
    """Recount some likers' rows of a built creator and move the cells by the difference."""
    params = {"c": creator_id, "users": json.dumps(users)}
    _add(conn, creator_id, conn.execute(sums_sql(STORED_ROWS), params).fetchall(), -1)
    conn.execute(
        f"DELETE FROM {LIKERS} WHERE creator_id = :c"
        " AND user_id IN (SELECT value FROM json_each(:users))",
        params,
    )
    conn.execute(f"INSERT INTO {LIKERS} {ROWS_OF_USERS.format(before='')}", params)
    _add(conn, creator_id, conn.execute(sums_sql(STORED_ROWS), params).fetchall(), +1)


def repair(conn: sqlite3.Connection, since: str) -> bool:
    """Fold the journal into every built creator's rows (a creator with more than
    REBUILD_AT affected likers is rebuilt). True if anything was pending."""
    if not usable(conn) or not is_pending(conn):
        return False
    for creator_id in built(conn):
        users = [r[0] for r in conn.execute(AFFECTED_SQL, {"c": creator_id})]
        if len(users) > REBUILD_AT:
            build(conn, creator_id, since)
        elif users:
            refresh(conn, creator_id, users)
    conn.execute(f"DELETE FROM {PENDING_USERS}")
    conn.execute(f"DELETE FROM {PENDING_VIDEOS}")
    return True


def prepare(
    conn: sqlite3.Connection,
    since: str,
    *,
    rebuild: bool = False,
    say: Callable[[str], None] | None = None,
) -> None:
    """Make the rollup usable (recreated, empty, when it is not), fold the journal, and
    build every creator it is wanted for (`say` is told how many, when any)."""
    if rebuild or not usable(conn):
        create(conn)
    else:
        repair(conn, since)
    creators = wanted(conn)
    if creators and say is not None:
        whom = f"{len(creators)} creator{'s' if len(creators) > 1 else ''}"
        say(f"summing the daily release of {whom} with {MIN_LIKES:,} likes or more")
    build_all(conn, creators, since)


def needs_work(conn: sqlite3.Connection) -> bool:
    """True when `prepare` would change something."""
    return not usable(conn) or is_pending(conn) or bool(wanted(conn))
