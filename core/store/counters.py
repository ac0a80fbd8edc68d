"""Per-video like counters kept exact by triggers: wholiked's own accelerator tables.

Created only when wholiked opens a database writable (or by `wholiked index`),
never required: every query has a counter-free path that gives the same answer.
The triggers' SQL is fixed here so that `core.database` can tell wholiked's own
triggers from anything else a file might carry.
"""

import sqlite3

COUNTS_TABLE = "wholiked_video_counts"

_CREATE_TABLE = f"""CREATE TABLE {COUNTS_TABLE} (
    video_id INTEGER PRIMARY KEY,
    likes INTEGER NOT NULL,
    private_likes INTEGER NOT NULL
)"""

_BUMP = f"""INSERT INTO {COUNTS_TABLE} (video_id, likes, private_likes)
        VALUES ({{video}}, {{sign}}1, {{sign}}(SELECT is_private FROM users WHERE id = {{user}}))
        ON CONFLICT (video_id) DO UPDATE SET likes = likes + excluded.likes,
            private_likes = private_likes + excluded.private_likes;"""

OWN_TRIGGER_SQL: dict[str, str] = {
    "wholiked_likes_insert": (
        "CREATE TRIGGER wholiked_likes_insert AFTER INSERT ON likes BEGIN\n    "
        + _BUMP.format(video="NEW.video_id", user="NEW.user_id", sign="+")
        + "\nEND"
    ),
    "wholiked_likes_delete": (
        "CREATE TRIGGER wholiked_likes_delete AFTER DELETE ON likes BEGIN\n    "
        + _BUMP.format(video="OLD.video_id", user="OLD.user_id", sign="-")
        + "\nEND"
    ),
    "wholiked_likes_update": (
        "CREATE TRIGGER wholiked_likes_update AFTER UPDATE OF video_id, user_id ON likes"
        " BEGIN\n    "
        + _BUMP.format(video="OLD.video_id", user="OLD.user_id", sign="-")
        + "\n    "
        + _BUMP.format(video="NEW.video_id", user="NEW.user_id", sign="+")
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


def has_counters(conn: sqlite3.Connection) -> bool:
    """True when the counters table and every one of its triggers are in place."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_schema"
        " WHERE name = ? OR (type = 'trigger' AND name LIKE ? ESCAPE '\\')",
        (COUNTS_TABLE, "wholiked\\_%"),
    ).fetchall()
    found = {r[0]: r[1] for r in rows}
    return COUNTS_TABLE in found and all(
        found.get(name) == sql for name, sql in OWN_TRIGGER_SQL.items()
    )


def create_counters(conn: sqlite3.Connection) -> None:
    """Build the counters from the likes and install the triggers (one transaction)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"DROP TABLE IF EXISTS {COUNTS_TABLE}")
        for name in OWN_TRIGGER_SQL:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        conn.execute(_CREATE_TABLE)
        conn.execute(
            f"""INSERT INTO {COUNTS_TABLE} (video_id, likes, private_likes)
            SELECT l.video_id, count(*), sum(u.is_private) FROM likes l
            JOIN users u ON u.id = l.user_id GROUP BY l.video_id"""
        )
        for sql in OWN_TRIGGER_SQL.values():
            conn.execute(sql)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def counted(conn: sqlite3.Connection, video_id: int) -> tuple[int, int]:
    """(likes, private likes) of a video from the counters (0, 0 when it has none)."""
    row = conn.execute(
        f"SELECT likes, private_likes FROM {COUNTS_TABLE} WHERE video_id = ?", (video_id,)
    ).fetchone()
    return (row[0], row[1]) if row else (0, 0)
