"""Create the format's schema (with sqlite-utils) and the indexes wholiked's queries use;
drop every object of wholiked's own (named wholiked_*) again."""

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from wholiked.core.errors import BadInput
from wholiked.core.store import connections
from wholiked.core.store.checks import describe_sqlite_error
from wholiked.core.store.format import TABLES, USER_VERSION

# Indexes that make the policy queries walk keys instead of scanning tables.
# Named wholiked_* so they are recognised as ours; all are optional.
INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("wholiked_follows_followee", "follows", ("followee_id", "status", "follower_id")),
    ("wholiked_blocks_blocked", "blocks", ("blocked_id", "blocker_id")),
    ("wholiked_videos_creator", "videos", ("creator_id", "posted_at")),
    ("wholiked_videos_posted", "videos", ("posted_at", "id")),
    # liked_at included: a liker's likes in a window are read from the index alone (the
    # collaboration tip reads those of 2,000 likers), never from the table row by row.
    ("wholiked_likes_user", "likes", ("user_id", "video_id", "liked_at")),
    ("wholiked_likes_video_time", "likes", ("video_id", "liked_at", "user_id")),
    ("wholiked_comments_video", "comments", ("video_id", "created_at")),
    ("wholiked_comments_parent", "comments", ("parent_id",)),
    ("wholiked_comments_thread", "comments", ("video_id", "parent_id", "user_id")),
    ("wholiked_comments_user", "comments", ("user_id", "parent_id")),
    ("wholiked_hashtags_tag", "video_hashtags", ("tag",)),
)


def create_schema(conn: sqlite3.Connection, *, indexes: bool = True) -> None:
    """Create every table of the format in an empty database and set user_version."""
    import sqlite_utils  # imported here: schema creation is the only place that needs it

    db = sqlite_utils.Database(conn)
    for table in TABLES.values():
        db[table.name].create(  # type: ignore[union-attr]
            {c.name: (int if c.declared_type == "INTEGER" else str) for c in table.columns},
            pk=table.pk[0] if len(table.pk) == 1 else table.pk,
            not_null={c.name for c in table.columns if not c.nullable},
        )
    db["users"].create_index(["handle"], index_name="users_handle", unique=True)  # type: ignore[union-attr]
    conn.execute(f"PRAGMA user_version = {int(USER_VERSION)}")
    if indexes:
        create_indexes(conn)


def outdated_indexes(conn: sqlite3.Connection) -> list[str]:
    """wholiked's indexes the file lacks, or has with other columns (an older version's)."""
    return [
        name
        for name, _, cols in INDEXES
        if [r[2] for r in conn.execute(f'PRAGMA index_info("{name}")')] != list(cols)
    ]


def create_indexes(conn: sqlite3.Connection) -> None:
    """Create wholiked's optional indexes (idempotent); one an older version made with
    other columns is made again."""
    for name in outdated_indexes(conn):
        conn.execute(f'DROP INDEX IF EXISTS "{name}"')
    for name, table, cols in INDEXES:
        create_index(conn, name, table, cols)


def create_index(conn: sqlite3.Connection, name: str, table: str, cols: Sequence[str]) -> None:
    """Create one of INDEXES (idempotent)."""
    conn.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({", ".join(cols)})')


def remove_derived(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Drop every object named wholiked_* (triggers, then indexes, then tables), in the
    caller's transaction; the (type, name) of each. No row of the format's tables changes."""
    found = conn.execute(
        "SELECT type, name FROM sqlite_schema WHERE name LIKE 'wholiked\\_%' ESCAPE '\\'"
        " AND type IN ('trigger', 'index', 'table', 'view')"
    ).fetchall()
    order = {"trigger": 0, "view": 1, "index": 2, "table": 3}
    dropped = sorted(((r[0], r[1]) for r in found), key=lambda o: (order[o[0]], o[1]))
    for kind, name in dropped:
        conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    return dropped


def remove_derived_at(path: Path, label: str) -> None:
    """Drop every wholiked_* object of the file at path in one transaction, without
    opening it as a Database (whose checks refuse triggers it does not recognise): for
    wholiked's own demo copy, whose derived data another wholiked version may have left."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=connections.BUSY_MS / 1000)
    try:
        conn.execute("BEGIN IMMEDIATE")
        remove_derived(conn)
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise BadInput(describe_sqlite_error(label, exc)) from None
    finally:
        conn.close()  # without the COMMIT, nothing was dropped
