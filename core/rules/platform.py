"""The platform report's rules, set-wise: every video's audit as its creator (rules 7 and 9)
for a whole world at once, under any rule set, in SQL.

The audit of one video X as its creator C needs, for each liker L, only a few facts about
the pair (C, L): is L the creator, is a block between them, is L public, does C
approved-follow L, does L approved-follow C. Rule 9's candidates need the same facts for
C and every user. So the world is reduced once to **flag tables**: per video, how many of
its likers have each combination of flags; per creator, how many users do. Most pairs
have no relationship at all and differ only by privacy: they are counted from the like
totals (the counters, or one grouped scan) minus the few pairs with a relationship, which
are found from the creators' own follow and block lists. Each rule set then is one query
over the flags with its clauses compiled by `clauses.creator_sees_flags_sql`, the same
clauses every other answer compiles. The queries over the flag tables are plain SQL that
SQLite and Spark SQL both read (`report_sql`), so another engine only builds the tables.
"""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from wholiked.core.rules.clauses import creator_sees_flags_sql
from wholiked.core.rules.policy import ANONYMITY_K, private_user_count, user_count
from wholiked.core.rules.presets import Preset, When
from wholiked.core.store import counters

Progress = Callable[[str, int, int], None]
"""(step, done, of): called between the steps of a long computation."""

SIZE_BUCKETS = (
    ("0", 0, 0),
    ("1-99", 1, 99),
    ("100-999", 100, 999),
    ("1000-9999", 1_000, 9_999),
    ("10000+", 10_000, None),
)
"""Creator size: the public like total of the creator's videos (creators with no like yet
are "0", so the buckets add up to the whole)."""

LIKES_BY_USER = "wholiked_likes_user"
"""wholiked's index of likes by (user_id, video_id) (`store.schema`), when the file has it."""

TABLES = ("r_videos", "r_creators", "r_like_flags", "r_people_flags")
"""The flag tables every engine builds (columns in `report_sql`'s docstring)."""


def needs_liker_follows(rule_sets: list[Preset]) -> bool:
    """Whether a rule set asks whether the liker follows the creator (beyond rule 9's
    population of a private creator, which always does)."""
    return any(r.depends_on(When.LIKER_FOLLOWS_ASKER) for r in rule_sets)


def _size_bucket_sql(column: str) -> str:
    parts = []
    for name, low, high in SIZE_BUCKETS:
        condition = f"{column} >= {low}" + (f" AND {column} <= {high}" if high is not None else "")
        parts.append(f"WHEN {condition} THEN '{name}'")
    return "CASE " + " ".join(parts) + " END"


def judged_sql(rules: Preset) -> str:
    """Every video's audit as its creator under the rules, one row per video, over the flag
    tables:

    - r_videos (video_id, creator_id, likes)
    - r_creators (creator_id, handle, creator_private, size_likes)
    - r_like_flags (video_id, is_self, blocked, liker_public, asker_follows, liker_follows, n)
    - r_people_flags (creator_id, is_self, blocked, liker_public, asker_follows,
      liker_follows, n): the users other than the creator, by flags

    Rule 9 for the creator: candidates are the users other than the creator who can view
    the video (the creator is public, or they approved-follow the creator) or are across a
    block with the creator, and are not identifiable to the creator.
    """
    sees = creator_sees_flags_sql(rules)
    return f"""SELECT v.video_id, v.creator_id, c.handle, c.creator_private,
            {_size_bucket_sql("c.size_likes")} AS size_bucket,
            v.likes, coalesce(i.identifiable, 0) AS identifiable,
            v.likes - coalesce(i.identifiable, 0) AS anonymous,
            coalesce(p.candidates, 0) AS candidates
        FROM r_videos v
        JOIN r_creators c ON c.creator_id = v.creator_id
        LEFT JOIN (
            SELECT video_id, SUM(CASE WHEN {sees} THEN n ELSE 0 END) AS identifiable
            FROM r_like_flags GROUP BY video_id) i ON i.video_id = v.video_id
        LEFT JOIN (
            SELECT f.creator_id, SUM(CASE WHEN (pc.creator_private = 0 OR f.blocked = 1
                    OR f.liker_follows = 1) AND NOT {sees} THEN f.n ELSE 0 END) AS candidates
            FROM r_people_flags f JOIN r_creators pc ON pc.creator_id = f.creator_id
            GROUP BY f.creator_id) p ON p.creator_id = v.creator_id"""


def exposed_sql(k: int = ANONYMITY_K) -> str:
    """Rule 9's verdict over a judged row (as `policy.effectively_identifiable`)."""
    return f"(anonymous > 0 AND (candidates < {int(k)} OR anonymous >= candidates))"


def groups_sql(rules: Preset, k: int = ANONYMITY_K) -> str:
    """The report's sums by creator size and privacy, under the rules (a few rows)."""
    exposed = exposed_sql(k)
    return f"""SELECT size_bucket, creator_private, COUNT(*) AS videos, SUM(likes) AS likes,
            SUM(identifiable) AS identifiable, SUM(anonymous) AS anonymous,
            SUM(CASE WHEN {exposed} THEN anonymous ELSE 0 END) AS exposed_likes,
            SUM(CASE WHEN {exposed} THEN 1 ELSE 0 END) AS exposed_videos
        FROM ({judged_sql(rules)}) j GROUP BY size_bucket, creator_private"""


def top_sql(rules: Preset, limit: int, k: int = ANONYMITY_K) -> str:
    """The videos with the most effectively identifiable likes under the rules."""
    return f"""SELECT video_id, creator_id, handle, likes, identifiable, anonymous, candidates
        FROM ({judged_sql(rules)}) j WHERE {exposed_sql(k)}
        ORDER BY anonymous DESC, video_id LIMIT {int(limit)}"""


# --- SQLite: the flag tables from the file ------------------------------------------------------

_PAIRS = """SELECT x.id AS video_id, x.creator_id AS c, f.followee_id AS u FROM videos x
        JOIN follows f ON f.follower_id = x.creator_id AND f.status = 'approved'
        JOIN likes l ON l.video_id = x.id AND l.user_id = f.followee_id
        WHERE f.followee_id <> x.creator_id
    UNION SELECT x.id, x.creator_id, b.blocked_id FROM videos x
        JOIN blocks b ON b.blocker_id = x.creator_id
        JOIN likes l ON l.video_id = x.id AND l.user_id = b.blocked_id
        WHERE b.blocked_id <> x.creator_id
    UNION SELECT x.id, x.creator_id, b.blocker_id FROM videos x
        JOIN blocks b ON b.blocked_id = x.creator_id
        JOIN likes l ON l.video_id = x.id AND l.user_id = b.blocker_id
        WHERE b.blocker_id <> x.creator_id"""
_PAIRS_FOLLOWERS = """
    UNION SELECT x.id, x.creator_id, f.follower_id FROM videos x
        JOIN follows f ON f.followee_id = x.creator_id AND f.status = 'approved'
        JOIN likes l ON l.video_id = x.id AND l.user_id = f.follower_id
        WHERE f.follower_id <> x.creator_id"""

_PEOPLE = """SELECT c.creator_id AS c, f.followee_id AS u FROM r_creators c
        JOIN follows f ON f.follower_id = c.creator_id AND f.status = 'approved'
        WHERE f.followee_id <> c.creator_id
    UNION SELECT c.creator_id, b.blocked_id FROM r_creators c
        JOIN blocks b ON b.blocker_id = c.creator_id WHERE b.blocked_id <> c.creator_id
    UNION SELECT c.creator_id, b.blocker_id FROM r_creators c
        JOIN blocks b ON b.blocked_id = c.creator_id WHERE b.blocker_id <> c.creator_id
    UNION SELECT c.creator_id, f.follower_id FROM r_creators c
        JOIN follows f ON f.followee_id = c.creator_id AND f.status = 'approved'
        WHERE f.follower_id <> c.creator_id AND (c.creator_private = 1 OR :all_followers = 1)"""

_FLAGS = """CASE WHEN EXISTS (SELECT 1 FROM blocks WHERE blocker_id = p.c AND blocked_id = p.u)
            OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = p.u AND blocked_id = p.c)
            THEN 1 ELSE 0 END AS blocked,
        CASE WHEN u.is_private = 1 THEN 0 ELSE 1 END AS liker_public,
        CASE WHEN EXISTS (SELECT 1 FROM follows WHERE follower_id = p.c AND followee_id = p.u
            AND status = 'approved') THEN 1 ELSE 0 END AS asker_follows,
        CASE WHEN EXISTS (SELECT 1 FROM follows WHERE follower_id = p.u AND followee_id = p.c
            AND status = 'approved') THEN 1 ELSE 0 END AS liker_follows"""


def _counts_sql(conn: sqlite3.Connection) -> str:
    """(video_id, likes, private_likes) of every video with a like: the counters when they
    are in place and nothing is marked for repair; else the likes counted on the likes key
    and the private ones walked from the private users on wholiked's (user_id, video_id)
    index (a seventh of the probes of one scan joined to users), or one grouped scan."""
    if counters.has_counters(conn) and not counters.is_dirty(conn):
        return f"SELECT video_id, likes, private_likes FROM {counters.COUNTS_TABLE}"
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ? AND tbl_name = 'likes'",
        (LIKES_BY_USER,),
    ).fetchone()
    columns = [r[2] for r in conn.execute(f"PRAGMA index_info({LIKES_BY_USER})")] if found else []
    if columns == ["user_id", "video_id"]:
        return f"""SELECT t.video_id, t.likes, coalesce(p.private_likes, 0) AS private_likes
            FROM (SELECT video_id, COUNT(*) AS likes FROM likes GROUP BY video_id) t
            LEFT JOIN (SELECT l.video_id, COUNT(*) AS private_likes
                FROM users u CROSS JOIN likes l INDEXED BY {LIKES_BY_USER} ON l.user_id = u.id
                WHERE u.is_private = 1 GROUP BY l.video_id) p ON p.video_id = t.video_id"""
    return """SELECT l.video_id, COUNT(*) AS likes,
            SUM(CASE WHEN u.is_private = 1 THEN 1 ELSE 0 END) AS private_likes
        FROM likes l LEFT JOIN users u ON u.id = l.user_id GROUP BY l.video_id"""


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
    for name in (*TABLES, "r_counts", "r_pairs", "r_people"):
        conn.execute(f"DROP TABLE IF EXISTS temp.{name}")


def build_flags(
    conn: sqlite3.Connection, rule_sets: list[Preset], progress: Progress | None = None
) -> None:
    """Fill the flag tables (temp tables on `conn`, inside `scratch` and a snapshot)."""
    say = progress or (lambda step, done, total: None)
    all_followers = needs_liker_follows(rule_sets)
    steps = 6
    say("like totals", 0, steps)
    conn.execute(f"CREATE TEMP TABLE r_counts AS {_counts_sql(conn)}")
    conn.execute("CREATE UNIQUE INDEX temp.r_counts_video ON r_counts (video_id)")
    say("videos", 1, steps)
    conn.execute(
        """CREATE TEMP TABLE r_videos AS
        SELECT x.id AS video_id, x.creator_id, c.is_private AS creator_private,
            coalesce(t.likes, 0) AS likes, coalesce(t.private_likes, 0) AS private_likes,
            CASE WHEN EXISTS (SELECT 1 FROM likes s
                WHERE s.video_id = x.id AND s.user_id = x.creator_id) THEN 1 ELSE 0 END
                AS self_liked
        FROM videos x JOIN users c ON c.id = x.creator_id
        LEFT JOIN r_counts t ON t.video_id = x.id"""
    )
    conn.execute(
        """CREATE TEMP TABLE r_creators AS
        SELECT v.creator_id, c.handle, c.is_private AS creator_private,
            SUM(v.likes) AS size_likes
        FROM r_videos v JOIN users c ON c.id = v.creator_id GROUP BY v.creator_id"""
    )
    conn.execute("CREATE UNIQUE INDEX temp.r_creators_id ON r_creators (creator_id)")
    say("likers with a relationship to the creator", 2, steps)
    pairs = _PAIRS + (_PAIRS_FOLLOWERS if all_followers else "")
    conn.execute(f"CREATE TEMP TABLE r_pairs AS {pairs}")
    conn.execute(
        f"""CREATE TEMP TABLE r_like_flags AS
        SELECT p.video_id, 0 AS is_self, {_FLAGS}, COUNT(*) AS n
        FROM r_pairs p LEFT JOIN users u ON u.id = p.u
        GROUP BY p.video_id, blocked, liker_public, asker_follows, liker_follows"""
    )
    conn.execute("CREATE INDEX temp.r_like_flags_video ON r_like_flags (video_id)")
    say("every other liker", 3, steps)
    # The creator's own like, then the likers with no relationship, by privacy: the totals
    # minus the pairs above (and minus the creator's own like).
    conn.execute(
        """INSERT INTO r_like_flags
        SELECT v.video_id, 1, 0, 1 - v.creator_private, 0, 0, 1
        FROM r_videos v WHERE v.self_liked = 1"""
    )
    conn.execute(
        """INSERT INTO r_like_flags
        SELECT v.video_id, 0, 0, side.public, 0, 0,
            CASE WHEN side.public = 1 THEN v.likes - v.private_likes ELSE v.private_likes END
            - coalesce((SELECT SUM(f.n) FROM r_like_flags f WHERE f.video_id = v.video_id
                AND f.liker_public = side.public), 0)
        FROM r_videos v CROSS JOIN (SELECT 1 AS public UNION ALL SELECT 0) side"""
    )
    say("each creator's audience", 4, steps)
    conn.execute(f"CREATE TEMP TABLE r_people AS {_PEOPLE}", {"all_followers": int(all_followers)})
    conn.execute(
        f"""CREATE TEMP TABLE r_people_flags AS
        SELECT p.c AS creator_id, 0 AS is_self, {_FLAGS}, COUNT(*) AS n
        FROM r_people p JOIN users u ON u.id = p.u
        GROUP BY p.c, blocked, liker_public, asker_follows, liker_follows"""
    )
    conn.execute("CREATE INDEX temp.r_people_flags_creator ON r_people_flags (creator_id)")
    users, private = user_count(conn), private_user_count(conn)
    # A public creator's audience is everyone: the users with no relationship, by privacy.
    conn.execute(
        """INSERT INTO r_people_flags
        SELECT c.creator_id, 0, 0, side.public, 0, 0,
            CASE WHEN side.public = 1 THEN :public - (1 - c.creator_private)
                ELSE :private - c.creator_private END
            - coalesce((SELECT SUM(f.n) FROM r_people_flags f
                WHERE f.creator_id = c.creator_id AND f.liker_public = side.public), 0)
        FROM r_creators c CROSS JOIN (SELECT 1 AS public UNION ALL SELECT 0) side
        WHERE c.creator_private = 0""",
        {"public": users - private, "private": private},
    )
    say("flags ready", 5, steps)
