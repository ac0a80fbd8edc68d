"""The platform report's flag tables on SQLite: temp tables on the file's connection.

The steps are `platform.flag_steps`, the same SQL any engine runs; here they fill temp
tables (never the file: a read-only open included), indexed on the keys SQLite joins on,
and the like totals are read the fastest way the file allows.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from wholiked.core.rules.platform import (
    GENERIC_COUNTS,
    LIKES_BY_USER,
    STEP_NAMES,
    STEP_WORDS,
    Progress,
    flag_steps,
)
from wholiked.core.rules.policy import private_user_count, user_count
from wholiked.core.rules.presets import Preset
from wholiked.core.store import counters


def _sqlite_counts(conn: sqlite3.Connection) -> str:
    """The like totals the fastest way the file allows: the counters when they are in place
    and nothing is marked for repair; else the likes counted on the likes key and the
    private ones walked from the private users on wholiked's (user_id, video_id) index (a
    seventh of the probes of one scan joined to users); else one grouped scan."""
    if counters.has_counters(conn) and not counters.is_dirty(conn):
        return f"SELECT video_id, likes, private_likes FROM {counters.COUNTS_TABLE}"
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ? AND tbl_name = 'likes'",
        (LIKES_BY_USER,),
    ).fetchone()
    columns = [r[2] for r in conn.execute(f"PRAGMA index_info({LIKES_BY_USER})")] if found else []
    if columns[:2] == ["user_id", "video_id"]:
        return f"""SELECT t.video_id, t.likes, coalesce(p.private_likes, 0) AS private_likes
            FROM (SELECT video_id, COUNT(*) AS likes FROM likes GROUP BY video_id) t
            LEFT JOIN (SELECT l.video_id, COUNT(*) AS private_likes
                FROM users u CROSS JOIN likes l INDEXED BY {LIKES_BY_USER} ON l.user_id = u.id
                WHERE u.is_private = 1 GROUP BY l.video_id) p ON p.video_id = t.video_id"""
    return GENERIC_COUNTS


@contextmanager
def scratch(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Temporary tables on this connection (a read-only open included: they live in the
    connection's own temp database, never in the file), dropped afterwards."""
    query_only = conn.execute("PRAGMA query_only").fetchone()[0]
    conn.execute("PRAGMA query_only = OFF")
    try:
        _drop(conn)
        yield conn
    finally:
        _drop(conn)
        if query_only:
            conn.execute("PRAGMA query_only = ON")


def _drop(conn: sqlite3.Connection) -> None:
    for name in STEP_NAMES:
        conn.execute(f"DROP TABLE IF EXISTS temp.{name}")


INDEXES = {
    "r_counts": "video_id",
    "r_creators": "creator_id",
    "r_like_known": "video_id",
    "r_people_known": "creator_id",
    "r_like_flags": "video_id",
    "r_people_flags": "creator_id",
}
"""The temp tables SQLite joins on, and their key (an index each)."""


def build_flags(
    conn: sqlite3.Connection, rule_sets: list[Preset], progress: Progress | None = None
) -> None:
    """Fill the flag tables (temp tables on `conn`, inside `scratch` and a snapshot)."""
    say = progress or (lambda step, done, total: None)
    population = "SELECT :users AS users, :private AS private_users"
    steps = flag_steps(rule_sets, counts=_sqlite_counts(conn), population=population)
    params = {"users": user_count(conn), "private": private_user_count(conn)}
    for i, (name, select) in enumerate(steps):
        say(STEP_WORDS[name], i, len(steps))
        conn.execute(
            f"CREATE TEMP TABLE {name} AS {select}", params if name == "r_population" else {}
        )
        if name in INDEXES:
            conn.execute(f"CREATE INDEX temp.{name}_key ON {name} ({INDEXES[name]})")
    say("flags ready", len(steps), len(steps))
