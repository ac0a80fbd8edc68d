"""The visibility policy (DESIGN.md rules 1-8): the one place that decides who sees what.

Every function takes an open connection and user/video ids and answers in SQL
that walks keys: one like's verdict costs a few primary-key probes, a page of
likers walks the (video_id, liked_at) index, and counts are derived from the
acting user's own (short) following and block lists instead of scanning likes.
"""

import sqlite3
from dataclasses import dataclass

from wholiked.core.store import counters

VISIBLE_REASONS = ("self", "public", "approved_follower")
HIDDEN_REASONS = ("blocked", "private_follow_pending", "private_not_following")

# Rule 5 then rule 8: the first reason that applies, for asker :v and a liker
# whose id is l.user_id and whose privacy is u.is_private.
_BLOCKED = (
    "(EXISTS (SELECT 1 FROM blocks WHERE blocker_id = {a} AND blocked_id = {b})"
    " OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = {b} AND blocked_id = {a}))"
)
_APPROVED = (
    "EXISTS (SELECT 1 FROM follows WHERE follower_id = {a} AND followee_id = {b}"
    " AND status = 'approved')"
)
_PENDING = (
    "EXISTS (SELECT 1 FROM follows WHERE follower_id = {a} AND followee_id = {b}"
    " AND status = 'pending')"
)


def blocked_sql(a: str, b: str) -> str:
    """SQL true when either of a, b has blocked the other (a, b are SQL expressions)."""
    return _BLOCKED.format(a=a, b=b)


def approved_sql(follower: str, followee: str) -> str:
    """SQL true when follower is an approved follower of followee."""
    return _APPROVED.format(a=follower, b=followee)


REASON_SQL = f"""CASE
    WHEN l.user_id = :v THEN 'self'
    WHEN {blocked_sql(":v", "l.user_id")} THEN 'blocked'
    WHEN u.is_private = 0 THEN 'public'
    WHEN {approved_sql(":v", "l.user_id")} THEN 'approved_follower'
    WHEN {_PENDING.format(a=":v", b="l.user_id")} THEN 'private_follow_pending'
    ELSE 'private_not_following' END"""

IDENTIFIABLE_SQL = f"""(l.user_id = :v OR (
    (u.is_private = 0 OR {approved_sql(":v", "l.user_id")})
    AND NOT {blocked_sql(":v", "l.user_id")}))"""

VISIBLE_REASON_SQL = """CASE
    WHEN l.user_id = :v THEN 'self'
    WHEN u.is_private = 0 THEN 'public'
    ELSE 'approved_follower' END"""


@dataclass(frozen=True, slots=True)
class LikerRow:
    """One liker as a page lists them; reason is None in an audit without an asker."""

    user_id: int
    handle: str
    display_name: str | None
    liked_at: str
    reason: str | None

    @property
    def identifiable(self) -> bool | None:
        return None if self.reason is None else self.reason in VISIBLE_REASONS


Cursor = tuple[str, str]
"""Keyset position: (liked_at, handle) of the last row of the previous page."""


CAN_VIEW_SQL = f"""(x.creator_id = :v OR (
    NOT {blocked_sql(":v", "x.creator_id")}
    AND (c.is_private = 0 OR {approved_sql(":v", "x.creator_id")})))"""
"""Rule 1 over a video row x joined to its creator c, for asker :v."""


def can_view(conn: sqlite3.Connection, viewer_id: int, video_id: int) -> bool:
    """Rule 1: the creator, or not blocked and (public creator or approved follower)."""
    query = f"""SELECT 1 FROM videos x JOIN users c ON c.id = x.creator_id
        WHERE x.id = :x AND {CAN_VIEW_SQL}"""
    return conn.execute(query, {"x": video_id, "v": viewer_id}).fetchone() is not None


def like_total(conn: sqlite3.Connection, video_id: int) -> int:
    """Rule 2: every like of the video, from every account."""
    if counters.has_counters(conn):
        return counters.counted(conn, video_id)[0]
    return conn.execute("SELECT count(*) FROM likes WHERE video_id = ?", (video_id,)).fetchone()[0]


def like_total_sql(conn: sqlite3.Connection) -> str:
    """An SQL expression for the like total of the video row x (counters when present)."""
    if counters.has_counters(conn):
        return f"coalesce((SELECT likes FROM {counters.COUNTS_TABLE} WHERE video_id = x.id), 0)"
    return "(SELECT count(*) FROM likes WHERE video_id = x.id)"


def private_like_count(conn: sqlite3.Connection, video_id: int) -> int:
    """Likes of the video from private accounts."""
    if counters.has_counters(conn):
        return counters.counted(conn, video_id)[1]
    query = """SELECT count(*) FROM likes l JOIN users u ON u.id = l.user_id
        WHERE l.video_id = ? AND u.is_private = 1"""
    return conn.execute(query, (video_id,)).fetchone()[0]


def anonymous_count(conn: sqlite3.Connection, viewer_id: int, video_id: int) -> int:
    """Rule 4 for a viewer who can view the video: likes not identifiable to them.

    anonymous = private likes - own private like - private likers the viewer
    approved-follows + likers across a block who would otherwise be visible.
    The last three terms walk the viewer's following and block lists only.
    """
    p = {"v": viewer_id, "x": video_id}
    own_private = """SELECT count(*) FROM likes l JOIN users u ON u.id = l.user_id
        WHERE l.video_id = :x AND l.user_id = :v AND u.is_private = 1"""
    followed_private = """SELECT count(*) FROM follows f
        JOIN likes l ON l.video_id = :x AND l.user_id = f.followee_id
        JOIN users u ON u.id = f.followee_id
        WHERE f.follower_id = :v AND f.status = 'approved'
          AND f.followee_id <> :v AND u.is_private = 1"""
    blocked_visible = f"""SELECT count(*) FROM (
            SELECT blocked_id AS id FROM blocks WHERE blocker_id = :v
            UNION SELECT blocker_id FROM blocks WHERE blocked_id = :v) b
        JOIN likes l ON l.video_id = :x AND l.user_id = b.id
        JOIN users u ON u.id = b.id
        WHERE b.id <> :v AND (u.is_private = 0 OR {approved_sql(":v", "b.id")})"""
    private = private_like_count(conn, video_id)
    minus = sum(conn.execute(q, p).fetchone()[0] for q in (own_private, followed_private))
    plus = conn.execute(blocked_visible, p).fetchone()[0]
    return private - minus + plus


def identifiable_page(
    conn: sqlite3.Connection,
    viewer_id: int,
    video_id: int,
    *,
    limit: int | None,
    after: Cursor | None = None,
    oldest_first: bool = False,
) -> list[LikerRow]:
    """Rule 3/5: identifiable likers, liked_at desc then handle, after a keyset cursor
    (`oldest_first`: the same list walked from its end)."""
    return _liker_page(
        conn, video_id, viewer_id, limit, after, identifiable_only=True, oldest_first=oldest_first
    )


def audit_page(
    conn: sqlite3.Connection,
    video_id: int,
    viewer_id: int | None,
    *,
    limit: int | None,
    after: Cursor | None = None,
    oldest_first: bool = False,
) -> list[LikerRow]:
    """Rule 7: every liker, with the verdict's reason for viewer_id when one is given."""
    return _liker_page(
        conn, video_id, viewer_id, limit, after, identifiable_only=False, oldest_first=oldest_first
    )


def _liker_page(
    conn: sqlite3.Connection,
    video_id: int,
    viewer_id: int | None,
    limit: int | None,
    after: Cursor | None,
    *,
    identifiable_only: bool,
    oldest_first: bool = False,
) -> list[LikerRow]:
    params: dict[str, object] = {"x": video_id, "v": viewer_id, "n": -1 if limit is None else limit}
    where = ["l.video_id = :x"]
    if identifiable_only:
        where.append(IDENTIFIABLE_SQL)
        reason = VISIBLE_REASON_SQL
    else:
        reason = "NULL" if viewer_id is None else REASON_SQL
    # The list's order is liked_at desc, handle asc; oldest_first walks it from its end.
    at_op, handle_op, order = ("<", ">", "DESC, u.handle ASC")
    if oldest_first:
        at_op, handle_op, order = (">", "<", "ASC, u.handle DESC")
    if after is not None:
        where.append(f"(l.liked_at {at_op} :at OR (l.liked_at = :at AND u.handle {handle_op} :h))")
        params.update(at=after[0], h=after[1])
    query = f"""SELECT l.user_id, u.handle, u.display_name, l.liked_at, {reason} AS reason
        FROM likes l JOIN users u ON u.id = l.user_id
        WHERE {" AND ".join(where)}
        ORDER BY l.liked_at {order} LIMIT :n"""
    return [LikerRow(*row) for row in conn.execute(query, params)]


def pair_reason(conn: sqlite3.Connection, viewer_id: int, liker_id: int) -> str:
    """The reason (visible or hidden) a liker is or is not identifiable to a viewer.

    Assumes the viewer can view the video (rule 1 is checked by the caller).
    """
    query = f"SELECT {REASON_SQL} FROM (SELECT :l AS user_id) l JOIN users u ON u.id = :l"
    return conn.execute(query, {"v": viewer_id, "l": liker_id}).fetchone()[0]


def is_blocked(conn: sqlite3.Connection, a: int, b: int) -> bool:
    """Either of the two users has blocked the other."""
    return bool(conn.execute(f"SELECT {blocked_sql(':a', ':b')}", {"a": a, "b": b}).fetchone()[0])


def audience_at_most(conn: sqlite3.Connection, liker_id: int) -> int:
    """Rule 6 as the liker may see it, from their own relationships only: every other user
    for a public account, their approved followers for a private one. The exact audience
    (others' blocks and follows cut it) belongs to the audit."""
    row = conn.execute("SELECT is_private FROM users WHERE id = ?", (liker_id,)).fetchone()
    if row[0]:
        return approved_follower_count(conn, liker_id)
    return conn.execute("SELECT count(*) FROM users").fetchone()[0] - 1


def approved_follower_count(conn: sqlite3.Connection, user_id: int) -> int:
    """The user's approved followers, never the user themselves (a self-follow is no audience)."""
    query = """SELECT count(*) FROM follows
        WHERE followee_id = ? AND status = 'approved' AND follower_id <> followee_id"""
    return conn.execute(query, (user_id,)).fetchone()[0]


def like_count(conn: sqlite3.Connection, user_id: int) -> int:
    """How many likes the user has given (their own data)."""
    return conn.execute("SELECT count(*) FROM likes WHERE user_id = ?", (user_id,)).fetchone()[0]


def has_liked(conn: sqlite3.Connection, user_id: int, video_id: int) -> bool:
    query = "SELECT 1 FROM likes WHERE video_id = ? AND user_id = ?"
    return conn.execute(query, (video_id, user_id)).fetchone() is not None


def audience_count(conn: sqlite3.Connection, liker_id: int, video_id: int) -> int:
    """Rule 6: users V != liker who can view the video and to whom the liker is identifiable.

    The liker must be able to view the video.
    """
    row = conn.execute(
        "SELECT x.creator_id, c.is_private, l.is_private FROM videos x"
        " JOIN users c ON c.id = x.creator_id JOIN users l ON l.id = ? WHERE x.id = ?",
        (liker_id, video_id),
    ).fetchone()
    users = conn.execute("SELECT count(*) FROM users").fetchone()[0]
    return audience_size(conn, liker_id, bool(row[2]), row[0], bool(row[1]), users)


_FOLLOWERS = """SELECT count(*) FROM follows
    WHERE followee_id = :x AND status = 'approved' AND follower_id <> :x"""
_ACROSS_BLOCK = """SELECT id FROM (
        SELECT blocked_id AS id FROM blocks WHERE blocker_id = :l
        UNION SELECT blocker_id FROM blocks WHERE blocked_id = :l
        UNION SELECT id FROM (
            SELECT blocked_id AS id FROM blocks WHERE blocker_id = :c
            UNION SELECT blocker_id FROM blocks WHERE blocked_id = :c) WHERE id <> :c)
    WHERE id <> :l"""
"""E: the users V != liker kept out by a block (with the liker, or with the creator)."""


def audience_size(
    conn: sqlite3.Connection,
    liker_id: int,
    liker_private: bool,
    creator_id: int,
    creator_private: bool,
    users: int,
) -> int:
    """Rule 6 for a like of a video by creator_id, with both privacy settings given (so a
    switch can be counted before it is made): users V != liker who can view the video
    (rule 1) and to whom the liker is identifiable (rule 3). `users` counts all users.

    Counted as |S| - |E & S|: S is who passes the privacy parts of rules 1 and 3 (everyone,
    or approved followers of the private liker and/or creator), E who a block keeps out
    (a block with the liker, or with the creator for anyone but the creator). E is a
    short list and S is counted on the follows index, so a liker or creator with a
    million followers costs an index count, not a million probes.
    """
    p = {"l": liker_id, "c": creator_id}

    def scalar(query: str, **extra: int) -> int:
        return conn.execute(query, {**p, **extra}).fetchone()[0]

    def member(v: str) -> str:
        """SQL: user v (never the liker) is in S."""
        of_liker = approved_sql(v, ":l")
        of_creator = f"({v} = :c OR {approved_sql(v, ':c')})"
        if liker_private and (creator_private and creator_id != liker_id):
            return f"({of_liker} AND {of_creator})"
        if liker_private:
            return of_liker
        return of_creator if creator_private else "1"

    if liker_private and creator_private and creator_id != liker_id:
        # Walk the shorter of the two follower lists, probe the other.
        walk = liker_id
        if scalar(_FOLLOWERS, x=creator_id) < scalar(_FOLLOWERS, x=liker_id):
            walk = creator_id
        size = scalar(
            f"""SELECT count(*) FROM (SELECT follower_id AS id FROM follows
                WHERE followee_id = :w AND status = 'approved' AND follower_id <> :w
                UNION SELECT :c WHERE :w = :c) s WHERE s.id <> :l AND {member("s.id")}""",
            w=walk,
        )
    elif liker_private:
        size = scalar(_FOLLOWERS, x=liker_id)
    elif creator_private:
        size = 1 + scalar(_FOLLOWERS, x=creator_id) - scalar(f"SELECT {member(':l')}")
    else:
        size = users - 1
    return size - scalar(f"SELECT count(*) FROM ({_ACROSS_BLOCK}) e WHERE {member('e.id')}")


# --- rule 9: effective anonymity -------------------------------------------------------------

ANONYMITY_K = 5
"""Fewer candidates than this and an anonymous liker is effectively identifiable."""


def not_identifiable_sql(user: str) -> str:
    """SQL true when `user` (not the asker :v) is not identifiable to :v (rule 3, any video)."""
    private = f"(SELECT is_private FROM users WHERE id = {user}) = 1"
    return (
        f"({user} <> :v AND ({blocked_sql(':v', user)}"
        f" OR ({private} AND NOT {approved_sql(':v', user)})))"
    )


def candidates(conn: sqlite3.Connection, viewer_id: int, video_id: int) -> int:
    """Rule 9: the accounts an anonymous like of the video could be from: users other than
    the viewer who are not identifiable to the viewer and can view the video, or are on
    the other side of a block with the viewer or the creator (a block hides a like given
    before it, it does not remove it).

    A public creator's video can be seen by everyone but those across a block with them,
    so the count is the private accounts the viewer does not follow with approval plus
    those across a block with the viewer; a private creator's audience is walked on their
    approved followers.
    """
    c_id, c_private = conn.execute(
        "SELECT x.creator_id, c.is_private FROM videos x JOIN users c ON c.id = x.creator_id"
        " WHERE x.id = ?",
        (video_id,),
    ).fetchone()
    p = {"v": viewer_id, "c": c_id}

    def scalar(query: str) -> int:
        return conn.execute(query, p).fetchone()[0]

    if c_private:
        return scalar(
            f"""SELECT count(*) FROM (
                SELECT follower_id AS id FROM follows
                WHERE followee_id = :c AND status = 'approved' AND follower_id <> :c
                  AND NOT {blocked_sql("follower_id", ":c")}
                UNION {_across(":v")} UNION {_across(":c")}) s
            WHERE {not_identifiable_sql("s.id")}"""
        )
    private_unfollowed = scalar(
        "SELECT count(*) FROM users WHERE is_private = 1 AND id <> :v"
    ) - scalar(
        """SELECT count(*) FROM follows f JOIN users u ON u.id = f.followee_id
        WHERE f.follower_id = :v AND f.status = 'approved' AND u.is_private = 1 AND u.id <> :v"""
    )
    across_viewer = scalar(
        f"""SELECT count(*) FROM ({_across(":v")}) b JOIN users u ON u.id = b.id
        WHERE b.id <> :v AND (u.is_private = 0 OR {approved_sql(":v", "b.id")})"""
    )
    return private_unfollowed + across_viewer


def _across(user: str) -> str:
    """SQL: the ids on the other side of a block with `user`, either way."""
    return f"""SELECT blocked_id AS id FROM blocks WHERE blocker_id = {user}
        UNION SELECT blocker_id FROM blocks WHERE blocked_id = {user}"""


def effectively_identifiable(anonymous: int, candidates: int, k: int = ANONYMITY_K) -> bool:
    """Rule 9's verdict: anonymous likes hidden among fewer than k candidates, or among
    exactly as many candidates as there are anonymous likes, can be named unseen."""
    return anonymous > 0 and (candidates < k or anonymous >= candidates)
