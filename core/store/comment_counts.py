"""Per-video comment counts that are never wrong, on the counters' rules
(`core.store.counters`): wholiked's own tables, triggers naming only NEW/OLD, their own
table and wholiked's tables, never required.

- `wholiked_comment_counts (video_id, comments)`: for a video not marked dirty, its
  number of comments;
- `wholiked_dirty_comment_videos (video_id)`: videos a write may have miscounted.

Insert, delete and a change of `video_id` move the counts. `INSERT OR REPLACE` on an
existing `id` (and `UPDATE OR REPLACE` onto one) deletes that row without a delete
trigger, so a BEFORE trigger that finds the id taken marks the taken row's video dirty;
a reader counts a dirty video from its rows, a writer recounts it (`repair`). Another
unique index on comments, a missing trigger or another layout: not used at all, counted
live, rebuilt by the next writable open.
"""

import sqlite3

from wholiked.core.store.trust import trusted

COUNTS = "wholiked_comment_counts"
DIRTY = "wholiked_dirty_comment_videos"

TABLE_SQL: dict[str, str] = {
    COUNTS: f"CREATE TABLE {COUNTS} (video_id INTEGER PRIMARY KEY, comments INTEGER NOT NULL)",
    DIRTY: f"CREATE TABLE {DIRTY} (video_id INTEGER PRIMARY KEY)",
}


def _bump(row: str, sign: str) -> str:
    return f"""
    INSERT INTO {COUNTS} (video_id, comments) SELECT {row}.video_id, 0
        WHERE typeof({row}.video_id) = 'integer'
        AND NOT EXISTS (SELECT 1 FROM {COUNTS} WHERE video_id = {row}.video_id);
    UPDATE {COUNTS} SET comments = comments {sign} 1 WHERE video_id = {row}.video_id;"""


def _mark_taken(new_id: str) -> str:
    return f"""
    INSERT INTO {DIRTY} (video_id) SELECT video_id FROM comments
        WHERE id = {new_id} AND typeof(video_id) = 'integer'
        AND video_id NOT IN (SELECT video_id FROM {DIRTY});"""


TRIGGER_SQL: dict[str, str] = {
    "wholiked_comments_insert": (
        "CREATE TRIGGER wholiked_comments_insert AFTER INSERT ON comments BEGIN"
        + _bump("NEW", "+")
        + "\nEND"
    ),
    "wholiked_comments_delete": (
        "CREATE TRIGGER wholiked_comments_delete AFTER DELETE ON comments BEGIN"
        + _bump("OLD", "-")
        + "\nEND"
    ),
    "wholiked_comments_update": (
        "CREATE TRIGGER wholiked_comments_update AFTER UPDATE OF video_id ON comments BEGIN"
        + _bump("OLD", "-")
        + _bump("NEW", "+")
        + "\nEND"
    ),
    "wholiked_comments_replace": (
        "CREATE TRIGGER wholiked_comments_replace BEFORE INSERT ON comments"
        "\n    WHEN EXISTS (SELECT 1 FROM comments WHERE id = NEW.id) BEGIN"
        + _mark_taken("NEW.id")
        + "\nEND"
    ),
    "wholiked_comments_rekey": (
        "CREATE TRIGGER wholiked_comments_rekey BEFORE UPDATE OF id ON comments"
        "\n    WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM comments WHERE id = NEW.id)"
        " BEGIN" + _mark_taken("NEW.id") + "\nEND"
    ),
}


def unusable_reason(conn: sqlite3.Connection) -> str | None:
    """Why the comment counts cannot be trusted in this file (None when they can)."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type IN ('table', 'trigger')"
        " AND (name IN (?, ?) OR name LIKE 'wholiked\\_comments\\_%' ESCAPE '\\')",
        (COUNTS, DIRTY),
    ).fetchall()
    found = dict(rows)
    for name, sql in (*TABLE_SQL.items(), *TRIGGER_SQL.items()):
        if found.get(name) is None:
            return f"{name} is missing"
        if found[name] != sql:
            return f"{name} is not the one this wholiked writes"
    for index in conn.execute("PRAGMA index_list(comments)").fetchall():
        if index[2] and index[3] != "pk":
            return f"comments has the unique index {index[1]}: a REPLACE resolved on it"
    return None


def usable(conn: sqlite3.Connection) -> bool:
    """True when the counts are in place and trustworthy; cached per schema version."""
    return trusted(conn, "comment counts", unusable_reason)


LIVE_SQL = "(SELECT count(*) FROM comments WHERE video_id = x.id)"


def total_sql(conn: sqlite3.Connection) -> str:
    """An SQL expression for the exact comment count of the video row `x`."""
    if not usable(conn):
        return LIVE_SQL
    return f"""CASE WHEN EXISTS (SELECT 1 FROM {DIRTY} WHERE video_id = x.id) THEN {LIVE_SQL}
        ELSE coalesce((SELECT comments FROM {COUNTS} WHERE video_id = x.id), 0) END"""


def is_dirty(conn: sqlite3.Connection) -> bool:
    return usable(conn) and conn.execute(f"SELECT EXISTS (SELECT 1 FROM {DIRTY})").fetchone()[0]


def repair(conn: sqlite3.Connection) -> None:
    """Recount the dirty videos (inside the caller's write transaction)."""
    if not is_dirty(conn):
        return
    conn.execute(f"DELETE FROM {COUNTS} WHERE video_id IN (SELECT video_id FROM {DIRTY})")
    conn.execute(
        f"""INSERT INTO {COUNTS} (video_id, comments)
        SELECT video_id, count(*) FROM comments
        WHERE video_id IN (SELECT video_id FROM {DIRTY}) GROUP BY video_id"""
    )
    conn.execute(f"DELETE FROM {DIRTY}")


def create(conn: sqlite3.Connection, *, triggers: bool = True) -> None:
    """Count afresh and install the triggers (unless not: counts beside a read-only file,
    `core.store.beside`), in the caller's transaction."""
    for name in TRIGGER_SQL:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name, sql in TABLE_SQL.items():
        conn.execute(f"DROP TABLE IF EXISTS {name}")
        conn.execute(sql)
    conn.execute(
        f"""INSERT INTO {COUNTS} (video_id, comments) SELECT video_id, count(*) FROM comments
        WHERE typeof(video_id) = 'integer' GROUP BY video_id"""
    )
    for sql in TRIGGER_SQL.values() if triggers else ():
        conn.execute(sql)


def drift(conn: sqlite3.Connection) -> list[tuple[int, int, int]]:
    """(video, count as answers read it, fresh count) for every video that differs."""
    query = f"""SELECT x.id, {total_sql(conn)}, {LIVE_SQL} FROM videos x"""
    return [(v, said, fresh) for v, said, fresh in conn.execute(query) if said != fresh]
