"""Per-video like counters that are never wrong, whatever other tools do to the file.

Created only when wholiked opens a database writable (or by `wholiked index`), never
required: every answer has a counter-free path that gives the same result.

**The tables** (all wholiked's own):

- `wholiked_video_counts (video_id, likes, private_likes)`;
- `wholiked_private_users (user_id)`: who the counters count as private, a copy of
  `users.is_private = 1`;
- `wholiked_dirty_users (user_id)`: users whose row was written since; their privacy
  may differ from the copy;
- `wholiked_dirty_videos (video_id)`: videos whose counts a write may have broken;
- `wholiked_user_counts (users, copied_private)`: one row, the number of rows of `users`
  (NULL when a write may have removed rows no trigger saw) and the number of users in the
  copy, so rule 6 and rule 9 read the population instead of counting a million rows.

**The invariants.** For a video not marked dirty, `likes` is its number of likes and
`private_likes` the number of its likes whose user is in the copy; for a user not
marked dirty, the copy agrees with `users.is_private`. So the exact private count of a
clean video is `private_likes` plus, for each dirty user who liked it, the difference
between `users.is_private` and the copy: a few probes, computed on the fly by any
connection (a read-only one included), and folded into the tables by `repair()` on a
writable one. Likewise the number of private users is `copied_private` (changed only
where the copy changes: `create_counters` and `repair`) plus that difference summed over
the dirty users, and `users`, when not NULL, is the number of rows of `users`.

**The triggers** reference only their own row (NEW/OLD), their own table and
wholiked's tables, so another tool can rebuild any table (`sqlite-utils transform`,
`add-foreign-key`) without tripping on them: a trigger that names another table makes
SQLite refuse to rename that table's rebuilt copy. They never rely on a conflict
clause either (a statement's `OR FAIL` or `OR ROLLBACK` would apply to theirs):

- on `likes`, AFTER INSERT, DELETE and UPDATE of the key move the counts, reading
  privacy from the copy; a BEFORE INSERT (or key UPDATE) that finds the row already
  there marks the video dirty, because `INSERT OR REPLACE` deletes that row without
  firing delete triggers unless recursive triggers are on (and `INSERT OR IGNORE`
  or an upsert may keep it: only a recount knows);
- on `users`, INSERT, DELETE and UPDATE of `id` or `is_private` mark the user dirty
  (not their videos: walking their likes from a trigger would name `likes`); INSERT and
  DELETE move `users` by one. A BEFORE INSERT (or UPDATE of `id` or `handle`) that finds
  another row with that id or handle marks that row's user dirty and sets `users` to
  NULL: a REPLACE deletes such a row without firing delete triggers (the same reason as
  on `likes`), and only a recount knows whether it did. Any other unique index on
  `users` could make a REPLACE delete rows unseen, so it makes the counters unusable.

When a table rebuild drops a trigger (or an older wholiked's triggers are found),
`has_counters()` is False: every answer counts live, and the next writable open
rebuilds the counters. The triggers' SQL is fixed here so `core.store.database` can
tell wholiked's own triggers from anyone else's.
"""

import sqlite3
from typing import cast

from wholiked.core.store.trust import trusted

COUNTS_TABLE = "wholiked_video_counts"
PRIVATE_TABLE = "wholiked_private_users"
DIRTY_USERS = "wholiked_dirty_users"
DIRTY_VIDEOS = "wholiked_dirty_videos"
USER_COUNTS = "wholiked_user_counts"

TABLE_SQL: dict[str, str] = {
    COUNTS_TABLE: f"""CREATE TABLE {COUNTS_TABLE} (
    video_id INTEGER PRIMARY KEY,
    likes INTEGER NOT NULL,
    private_likes INTEGER NOT NULL
)""",
    PRIVATE_TABLE: f"CREATE TABLE {PRIVATE_TABLE} (user_id INTEGER PRIMARY KEY)",
    DIRTY_USERS: f"CREATE TABLE {DIRTY_USERS} (user_id INTEGER PRIMARY KEY)",
    DIRTY_VIDEOS: f"CREATE TABLE {DIRTY_VIDEOS} (video_id INTEGER PRIMARY KEY)",
    USER_COUNTS: f"""CREATE TABLE {USER_COUNTS} (
    users INTEGER,
    copied_private INTEGER NOT NULL
)""",
}


def _bump(row: str, sign: str) -> str:
    """Trigger statements moving the counts of video {row}.video_id by one like."""
    return f"""
    INSERT INTO {COUNTS_TABLE} (video_id, likes, private_likes)
        SELECT {row}.video_id, 0, 0 WHERE typeof({row}.video_id) = 'integer'
        AND NOT EXISTS (SELECT 1 FROM {COUNTS_TABLE} WHERE video_id = {row}.video_id);
    UPDATE {COUNTS_TABLE} SET likes = likes {sign} 1, private_likes = private_likes {sign}
        (SELECT count(*) FROM {PRIVATE_TABLE} WHERE user_id = {row}.user_id)
        WHERE video_id = {row}.video_id;"""


def mark_sql(table: str, column: str, value: str) -> str:
    """A trigger statement adding a value to a dirty list (no conflict clause: see above)."""
    return f"""
    INSERT INTO {table} ({column}) SELECT {value} WHERE typeof({value}) = 'integer'
        AND NOT EXISTS (SELECT 1 FROM {table} WHERE {column} = {value});"""


_SAME_KEY_EXISTS = (
    "EXISTS (SELECT 1 FROM likes WHERE video_id = NEW.video_id AND user_id = NEW.user_id)"
)
_IS_COPIED = f"EXISTS (SELECT 1 FROM {PRIVATE_TABLE} WHERE user_id = {{row}}.id)"
_HOLDERS = """SELECT id FROM users WHERE id = NEW.id
        UNION SELECT id FROM users WHERE handle = NEW.handle"""
"""The rows a REPLACE of NEW (an insert, or an update to NEW's id or handle) may delete
(the updated row itself too: marking it is harmless)."""
_MARK_HOLDERS = f"""
    INSERT INTO {DIRTY_USERS} (user_id) SELECT h.id FROM ({_HOLDERS}) h
        WHERE typeof(h.id) = 'integer'
        AND NOT EXISTS (SELECT 1 FROM {DIRTY_USERS} WHERE user_id = h.id);
    UPDATE {USER_COUNTS} SET users = NULL;"""

OWN_TRIGGER_SQL: dict[str, str] = {
    "wholiked_likes_insert": (
        "CREATE TRIGGER wholiked_likes_insert AFTER INSERT ON likes BEGIN"
        + _bump("NEW", "+")
        + "\nEND"
    ),
    "wholiked_likes_delete": (
        "CREATE TRIGGER wholiked_likes_delete AFTER DELETE ON likes BEGIN"
        + _bump("OLD", "-")
        + "\nEND"
    ),
    "wholiked_likes_update": (
        "CREATE TRIGGER wholiked_likes_update AFTER UPDATE OF video_id, user_id ON likes BEGIN"
        + _bump("OLD", "-")
        + _bump("NEW", "+")
        + "\nEND"
    ),
    "wholiked_likes_replace": (
        "CREATE TRIGGER wholiked_likes_replace BEFORE INSERT ON likes"
        f"\n    WHEN {_SAME_KEY_EXISTS} BEGIN"
        + mark_sql(DIRTY_VIDEOS, "video_id", "NEW.video_id")
        + "\nEND"
    ),
    "wholiked_likes_rekey": (
        "CREATE TRIGGER wholiked_likes_rekey BEFORE UPDATE OF video_id, user_id ON likes"
        "\n    WHEN (NEW.video_id IS NOT OLD.video_id OR NEW.user_id IS NOT OLD.user_id)"
        f"\n    AND {_SAME_KEY_EXISTS} BEGIN"
        + mark_sql(DIRTY_VIDEOS, "video_id", "NEW.video_id")
        + "\nEND"
    ),
    "wholiked_users_insert": (
        "CREATE TRIGGER wholiked_users_insert AFTER INSERT ON users"
        f"\n    WHEN NEW.is_private IS NOT 0 OR {_IS_COPIED.format(row='NEW')} BEGIN"
        + mark_sql(DIRTY_USERS, "user_id", "NEW.id")
        + "\nEND"
    ),
    "wholiked_users_delete": (
        "CREATE TRIGGER wholiked_users_delete AFTER DELETE ON users"
        f"\n    WHEN {_IS_COPIED.format(row='OLD')} BEGIN"
        + mark_sql(DIRTY_USERS, "user_id", "OLD.id")
        + "\nEND"
    ),
    "wholiked_users_update": (
        "CREATE TRIGGER wholiked_users_update AFTER UPDATE OF id, is_private ON users"
        "\n    WHEN OLD.id IS NOT NEW.id OR OLD.is_private IS NOT NEW.is_private BEGIN"
        + mark_sql(DIRTY_USERS, "user_id", "OLD.id")
        + mark_sql(DIRTY_USERS, "user_id", "NEW.id")
        + "\nEND"
    ),
    "wholiked_users_add": (
        "CREATE TRIGGER wholiked_users_add AFTER INSERT ON users BEGIN"
        f"\n    UPDATE {USER_COUNTS} SET users = users + 1;\nEND"
    ),
    "wholiked_users_remove": (
        "CREATE TRIGGER wholiked_users_remove AFTER DELETE ON users BEGIN"
        f"\n    UPDATE {USER_COUNTS} SET users = users - 1;\nEND"
    ),
    "wholiked_users_replace": (
        "CREATE TRIGGER wholiked_users_replace BEFORE INSERT ON users"
        "\n    WHEN EXISTS (SELECT 1 FROM users WHERE id = NEW.id)"
        "\n    OR EXISTS (SELECT 1 FROM users WHERE handle = NEW.handle) BEGIN"
        + _MARK_HOLDERS
        + "\nEND"
    ),
    "wholiked_users_rekey": (
        "CREATE TRIGGER wholiked_users_rekey BEFORE UPDATE OF id, handle ON users"
        "\n    WHEN (NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM users WHERE id = NEW.id))"
        "\n    OR (NEW.handle IS NOT OLD.handle"
        "\n        AND EXISTS (SELECT 1 FROM users WHERE handle = NEW.handle AND id IS NOT OLD.id))"
        " BEGIN" + _MARK_HOLDERS + "\nEND"
    ),
}

_OLD_BUMP = f"""INSERT INTO {COUNTS_TABLE} (video_id, likes, private_likes)
        VALUES ({{video}}, {{sign}}1, {{sign}}(SELECT is_private FROM users WHERE id = {{user}}))
        ON CONFLICT (video_id) DO UPDATE SET likes = likes + excluded.likes,
            private_likes = private_likes + excluded.private_likes;"""

LEGACY_TRIGGER_SQL: dict[str, str] = {
    "wholiked_likes_insert": (
        "CREATE TRIGGER wholiked_likes_insert AFTER INSERT ON likes BEGIN\n    "
        + _OLD_BUMP.format(video="NEW.video_id", user="NEW.user_id", sign="+")
        + "\nEND"
    ),
    "wholiked_likes_delete": (
        "CREATE TRIGGER wholiked_likes_delete AFTER DELETE ON likes BEGIN\n    "
        + _OLD_BUMP.format(video="OLD.video_id", user="OLD.user_id", sign="-")
        + "\nEND"
    ),
    "wholiked_likes_update": (
        "CREATE TRIGGER wholiked_likes_update AFTER UPDATE OF video_id, user_id ON likes"
        " BEGIN\n    "
        + _OLD_BUMP.format(video="OLD.video_id", user="OLD.user_id", sign="-")
        + "\n    "
        + _OLD_BUMP.format(video="NEW.video_id", user="NEW.user_id", sign="+")
        + "\nEND"
    ),
    "wholiked_users_privacy": (
        "CREATE TRIGGER wholiked_users_privacy AFTER UPDATE OF is_private ON users"
        " WHEN OLD.is_private IS NOT NEW.is_private BEGIN\n"
        f"    UPDATE {COUNTS_TABLE}"
        " SET private_likes = private_likes + NEW.is_private - OLD.is_private\n"
        "        WHERE video_id IN (SELECT video_id FROM likes WHERE user_id = NEW.id);\nEND"
    ),
}
"""The triggers of wholiked 0.1 (whose users trigger named `likes`, breaking table
rebuilds): recognised as wholiked's own, never used, replaced by a writable open."""


def is_own_trigger(name: str, sql: str | None) -> bool:
    """A trigger wholiked wrote itself (this version's or an older one's), by its exact SQL."""
    return sql is not None and sql in (OWN_TRIGGER_SQL.get(name), LEGACY_TRIGGER_SQL.get(name))


# --- is it usable? -------------------------------------------------------------------


def unusable_reason(conn: sqlite3.Connection) -> str | None:
    """Why the counters cannot be trusted in this file (None when they can)."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_schema WHERE name LIKE 'wholiked\\_%' ESCAPE '\\'"
    ).fetchall()
    found = {(r[0], r[1]): r[2] for r in rows}
    for name in TABLE_SQL:
        if ("table", name) not in found:
            return f"table {name} is missing"
    for name, sql in OWN_TRIGGER_SQL.items():
        have = found.get(("trigger", name))
        if have is None:
            return f"trigger {name} is missing (a table rebuild drops the table's triggers)"
        if have != sql:
            return f"trigger {name} is not the one this wholiked writes"
    for index in conn.execute("PRAGMA index_list(likes)").fetchall():
        if not index[2] or index[3] == "pk":
            continue
        cols = {r[2] for r in conn.execute(f'PRAGMA index_info("{index[1]}")')}
        if cols != {"video_id", "user_id"}:
            return (
                f"likes has the unique index {index[1]}: a REPLACE resolved on it"
                " deletes likes that no trigger sees"
            )
    for index in conn.execute("PRAGMA index_list(users)").fetchall():
        if not index[2] or index[3] == "pk":
            continue
        keys = [r for r in conn.execute(f'PRAGMA index_xinfo("{index[1]}")') if r[5]]
        if [(r[2], r[4]) for r in keys] != [("handle", "BINARY")]:
            return (
                f"users has the unique index {index[1]}: a REPLACE resolved on it"
                " deletes users that no trigger sees"
            )
    return None


def has_counters(conn: sqlite3.Connection) -> bool:
    """True when the counters are in place and trustworthy (tables, every trigger as
    wholiked writes it, no other uniqueness on likes or users). Pending dirty marks do not matter:
    `counted()` corrects for them. Cached per connection and schema version."""
    return trusted(conn, "counters", unusable_reason)


# --- reading -------------------------------------------------------------------------

_FRESH = """SELECT (SELECT count(*) FROM likes WHERE video_id = :x),
    (SELECT count(*) FROM likes l JOIN users u ON u.id = l.user_id
     WHERE l.video_id = :x AND u.is_private = 1)"""

_STORED = f"""SELECT coalesce(c.likes, 0), coalesce(c.private_likes, 0),
    EXISTS (SELECT 1 FROM {DIRTY_VIDEOS} WHERE video_id = :x),
    EXISTS (SELECT 1 FROM {DIRTY_USERS})
    FROM (SELECT 1) LEFT JOIN {COUNTS_TABLE} c ON c.video_id = :x"""

USER_DELTA = f"""(EXISTS (SELECT 1 FROM users u WHERE u.id = d.user_id AND u.is_private = 1)
    - EXISTS (SELECT 1 FROM {PRIVATE_TABLE} p WHERE p.user_id = d.user_id))"""
"""For a dirty user d: +1 (private now, not in the copy), -1 (the reverse) or 0."""

_CORRECTION = f"""SELECT coalesce(sum({USER_DELTA}), 0) FROM {DIRTY_USERS} d
    WHERE EXISTS (SELECT 1 FROM likes l WHERE l.video_id = :x AND l.user_id = d.user_id)"""


def fresh_counts(conn: sqlite3.Connection, video_id: int) -> tuple[int, int]:
    """(likes, private likes) of a video counted from the rows."""
    likes, private = conn.execute(_FRESH, {"x": video_id}).fetchone()
    return likes, private


def counted(conn: sqlite3.Connection, video_id: int) -> tuple[int, int]:
    """Exact (likes, private likes) of a video from the counters (call when has_counters).

    Nothing dirty: three primary-key probes. A dirty video is counted from its rows; dirty
    users move the private count by their difference from the copy (a probe each).
    """
    likes, private, video_dirty, users_dirty = conn.execute(_STORED, {"x": video_id}).fetchone()
    if video_dirty:
        return fresh_counts(conn, video_id)
    if users_dirty:
        private += conn.execute(_CORRECTION, {"x": video_id}).fetchone()[0]
    return likes, private


_CREATOR_STORED = f"""SELECT coalesce(sum(c.likes), 0), coalesce(sum(c.private_likes), 0),
    EXISTS (SELECT 1 FROM {DIRTY_VIDEOS} d JOIN videos y ON y.id = d.video_id
            WHERE y.creator_id = :c) OR EXISTS (SELECT 1 FROM {DIRTY_USERS})
    FROM videos x LEFT JOIN {COUNTS_TABLE} c ON c.video_id = x.id WHERE x.creator_id = :c"""


def creator_counted(conn: sqlite3.Connection, creator_id: int) -> tuple[int, int]:
    """Exact (likes, private likes) of every video of the creator (when has_counters): the
    counters summed in one query, or, with anything marked dirty, each video `counted`."""
    likes, private, dirty = conn.execute(_CREATOR_STORED, {"c": creator_id}).fetchone()
    if not dirty:
        return likes, private
    videos = conn.execute("SELECT id FROM videos WHERE creator_id = ?", (creator_id,))
    each = [counted(conn, x) for (x,) in videos.fetchall()]
    return sum(n for n, _ in each), sum(p for _, p in each)


_PRIVATE_STORED = f"""SELECT t.copied_private, EXISTS (SELECT 1 FROM {DIRTY_USERS})
    FROM {USER_COUNTS} t LIMIT 1"""
_PRIVATE_CORRECTION = f"SELECT coalesce(sum({USER_DELTA}), 0) FROM {DIRTY_USERS} d"


def fresh_population(conn: sqlite3.Connection) -> tuple[int, int]:
    """(users, private users) counted from the rows."""
    query = "SELECT count(*), coalesce(sum(is_private = 1), 0) FROM users"
    users, private = conn.execute(query).fetchone()
    return users, private


def user_total(conn: sqlite3.Connection) -> int:
    """The exact number of users from the counters (call when has_counters): one row read,
    or a count when another program's REPLACE may have deleted rows unseen (NULL)."""
    row = conn.execute(f"SELECT users FROM {USER_COUNTS} LIMIT 1").fetchone()
    if row is None or row[0] is None:
        return cast(int, conn.execute("SELECT count(*) FROM users").fetchone()[0])
    return cast(int, row[0])


def private_users(conn: sqlite3.Connection) -> int:
    """The exact number of private users from the counters (call when has_counters): the
    copy's size, moved by each dirty user's difference from the copy (a probe each)."""
    row = conn.execute(_PRIVATE_STORED).fetchone()
    if row is None:  # the row was deleted by hand: count
        return fresh_population(conn)[1]
    copied, users_dirty = row
    if users_dirty:
        copied += conn.execute(_PRIVATE_CORRECTION).fetchone()[0]
    return cast(int, copied)


def population(conn: sqlite3.Connection) -> tuple[int, int]:
    """(users, private users) from the counters, as answers read them."""
    return user_total(conn), private_users(conn)


def total_sql() -> str:
    """An SQL expression for the exact like total of the video row `x` (when has_counters)."""
    return f"""CASE WHEN EXISTS (SELECT 1 FROM {DIRTY_VIDEOS} WHERE video_id = x.id)
        THEN (SELECT count(*) FROM likes WHERE video_id = x.id)
        ELSE coalesce((SELECT likes FROM {COUNTS_TABLE} WHERE video_id = x.id), 0) END"""


# --- writing (a writable connection) -------------------------------------------------


def is_dirty(conn: sqlite3.Connection) -> bool:
    """True when some video or user is marked for repair, or the number of users is unknown."""
    query = f"""SELECT EXISTS (SELECT 1 FROM {DIRTY_VIDEOS}) OR EXISTS (SELECT 1 FROM {DIRTY_USERS})
        OR NOT EXISTS (SELECT 1 FROM {USER_COUNTS} WHERE users IS NOT NULL)"""
    return bool(conn.execute(query).fetchone()[0])


def repair(conn: sqlite3.Connection) -> bool:
    """Fold the dirty marks into the counters, inside the caller's write transaction.

    A dirty video is recounted (against the copy, which keeps the invariant); a dirty
    user whose privacy differs from the copy moves the private count of each video
    they liked by one (a walk of their likes), then the copy and its size are updated,
    and an unknown number of users is counted. Our own actions only ever mark users,
    so they never cost a recount. True if anything changed.
    """
    if not has_counters(conn) or not is_dirty(conn):
        return False
    conn.execute(
        f"DELETE FROM {COUNTS_TABLE} WHERE video_id IN (SELECT video_id FROM {DIRTY_VIDEOS})"
    )
    conn.execute(
        f"""INSERT INTO {COUNTS_TABLE} (video_id, likes, private_likes)
        SELECT l.video_id, count(*), count(p.user_id) FROM likes l
        LEFT JOIN {PRIVATE_TABLE} p ON p.user_id = l.user_id
        WHERE l.video_id IN (SELECT video_id FROM {DIRTY_VIDEOS}) GROUP BY l.video_id"""
    )
    conn.execute(f"DELETE FROM {DIRTY_VIDEOS}")
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS wholiked_user_delta"
        " (user_id INTEGER PRIMARY KEY, delta INTEGER NOT NULL)"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS wholiked_video_delta"
        " (video_id INTEGER PRIMARY KEY, delta INTEGER NOT NULL)"
    )
    conn.execute("DELETE FROM temp.wholiked_user_delta")
    conn.execute("DELETE FROM temp.wholiked_video_delta")
    conn.execute(
        f"""INSERT INTO temp.wholiked_user_delta (user_id, delta)
        SELECT user_id, delta FROM (SELECT d.user_id, {USER_DELTA} AS delta FROM {DIRTY_USERS} d)
        WHERE delta <> 0"""
    )
    conn.execute(
        """INSERT INTO temp.wholiked_video_delta (video_id, delta)
        SELECT l.video_id, sum(t.delta) FROM temp.wholiked_user_delta t
        JOIN likes l ON l.user_id = t.user_id GROUP BY l.video_id"""
    )
    conn.execute(
        f"""UPDATE {COUNTS_TABLE} SET private_likes = private_likes
            + (SELECT delta FROM temp.wholiked_video_delta d
               WHERE d.video_id = {COUNTS_TABLE}.video_id)
        WHERE video_id IN (SELECT video_id FROM temp.wholiked_video_delta)"""
    )
    conn.execute(
        f"""UPDATE {USER_COUNTS} SET copied_private = copied_private
            + (SELECT coalesce(sum(delta), 0) FROM temp.wholiked_user_delta),
            users = coalesce(users, (SELECT count(*) FROM users))"""
    )
    conn.execute(
        f"""DELETE FROM {PRIVATE_TABLE}
        WHERE user_id IN (SELECT user_id FROM temp.wholiked_user_delta WHERE delta < 0)"""
    )
    conn.execute(
        f"""INSERT INTO {PRIVATE_TABLE} (user_id)
        SELECT user_id FROM temp.wholiked_user_delta WHERE delta > 0"""
    )
    conn.execute(f"DELETE FROM {DIRTY_USERS}")
    if conn.execute(f"SELECT 1 FROM {USER_COUNTS}").fetchone() is None:  # deleted by hand
        conn.execute(
            f"""INSERT INTO {USER_COUNTS} (users, copied_private)
            SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM {PRIVATE_TABLE})"""
        )
    return True


def create_counters(conn: sqlite3.Connection, *, triggers: bool = True) -> None:
    """Build the counters from the rows and install the triggers (unless not: counters
    beside a read-only file, `core.store.beside`), replacing any earlier counters or
    triggers of wholiked's (in the caller's transaction, else in its own)."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        drop_counters(conn)
        for sql in TABLE_SQL.values():
            conn.execute(sql)
        conn.execute(
            f"""INSERT OR IGNORE INTO {PRIVATE_TABLE} (user_id)
            SELECT id FROM users WHERE is_private = 1 AND typeof(id) = 'integer'"""
        )
        conn.execute(
            f"""INSERT INTO {COUNTS_TABLE} (video_id, likes, private_likes)
            SELECT l.video_id, count(*), count(p.user_id) FROM likes l
            LEFT JOIN {PRIVATE_TABLE} p ON p.user_id = l.user_id
            WHERE typeof(l.video_id) = 'integer' GROUP BY l.video_id"""
        )
        conn.execute(
            f"""INSERT INTO {USER_COUNTS} (users, copied_private)
            SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM {PRIVATE_TABLE})"""
        )
        for sql in OWN_TRIGGER_SQL.values() if triggers else ():
            conn.execute(sql)
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        raise


def drop_counters(conn: sqlite3.Connection) -> None:
    """Remove the counters' tables and triggers (this version's and older ones)."""
    for name in {*OWN_TRIGGER_SQL, *LEGACY_TRIGGER_SQL}:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in TABLE_SQL:
        conn.execute(f"DROP TABLE IF EXISTS {name}")
