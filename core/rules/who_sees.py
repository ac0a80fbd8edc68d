"""Rule 6 (README, "The rules, in plain words"): who can see a like, as the liker may
see it (`audience_at_most`, from their own relationships) and exactly (`audience_count`,
for the audit and the rules' report)."""

import sqlite3
from typing import cast

from wholiked.core.rules.clauses import approved_sql, identifiable_sql
from wholiked.core.rules.policy import can_view_sql, is_blocked, user_count
from wholiked.core.rules.presets import SEED, Clause, Preset, When

AUDIENCE_KINDS = (
    "everyone",
    "approved_followers",
    "approved_followers_and_creator",
    "creator_only",
    "nobody",
)


def audience_kind(rules: Preset, *, liker_private: bool, liker_is_creator: bool) -> str:
    """Who, apart from the liker, can identify a like under the preset (rule 6's kind):
    `everyone` who can view the video, the liker's `approved_followers` who can (and the
    creator too, for a preset with both), `creator_only`, or `nobody`."""
    groups = {_group(c, liker_private, liker_is_creator) for c in rules.clauses()}
    if "everyone" in groups:
        return "everyone"
    followers = "followers" in groups
    creator = "creator" in groups
    if followers and creator:
        return "approved_followers_and_creator"
    if followers:
        return "approved_followers"
    return "creator_only" if creator else "nobody"


def _group(clause: Clause, liker_private: bool, liker_is_creator: bool) -> str | None:
    """Who a clause lets see the liker's like, at most: everyone, their approved followers,
    the creator, or nobody (None). Two conditions at once admit at most the narrower."""
    found = []
    for when in clause.conditions:
        if when is When.ANYONE or (when is When.LIKER_IS_PUBLIC and not liker_private):
            continue
        if when is When.LIKER_IS_PUBLIC or (when is When.ASKER_IS_CREATOR and liker_is_creator):
            return None
        found.append(
            {When.ASKER_FOLLOWS_LIKER: "followers", When.ASKER_IS_CREATOR: "creator"}.get(when)
        )
    if "creator" in found:
        return "creator"  # the creator, and only if the rest holds for them
    return "followers" if "followers" in found else "everyone"


def audience_at_most(
    conn: sqlite3.Connection,
    liker_id: int,
    *,
    rules: Preset = SEED,
    creator_id: int | None = None,
) -> int:
    """Rule 6 as the liker may see it, from their own relationships only: every other user
    for a public account, their approved followers for a private one (under the seed; the
    creator alone, or nobody, under presets that say so). The exact audience (others'
    blocks and follows cut it) belongs to the audit. `creator_id`: the video's creator,
    needed by presets where the creator sees every liker."""
    row = conn.execute("SELECT is_private FROM users WHERE id = ?", (liker_id,)).fetchone()
    if creator_id is None and rules.depends_on(When.ASKER_IS_CREATOR):
        raise ValueError(f"the {rules.name} rules need the video's creator")
    kind = audience_kind(rules, liker_private=bool(row[0]), liker_is_creator=creator_id == liker_id)
    if kind == "everyone":
        return user_count(conn) - 1
    if kind == "approved_followers":
        return approved_follower_count(conn, liker_id)
    if kind == "approved_followers_and_creator":
        follows = conn.execute(
            f"SELECT {approved_sql(':c', ':l')}", {"c": creator_id, "l": liker_id}
        )
        return approved_follower_count(conn, liker_id) + (0 if follows.fetchone()[0] else 1)
    return 1 if kind == "creator_only" else 0


def approved_follower_count(conn: sqlite3.Connection, user_id: int) -> int:
    """The user's approved followers, never the user themselves (a self-follow is no audience)."""
    query = """SELECT count(*) FROM follows
        WHERE followee_id = ? AND status = 'approved' AND follower_id <> followee_id"""
    return cast(int, conn.execute(query, (user_id,)).fetchone()[0])


def like_count(conn: sqlite3.Connection, user_id: int) -> int:
    """How many likes the user has given (their own data)."""
    query = "SELECT count(*) FROM likes WHERE user_id = ?"
    return cast(int, conn.execute(query, (user_id,)).fetchone()[0])


def likes_identifiable_if_viewed(
    conn: sqlite3.Connection, *, liker_id: int, asker_id: int, rules: Preset = SEED
) -> int:
    """How many of the liker's likes the asker identifies on the videos the asker can view,
    counted as if the asker could view them all: which videos the asker can view turns on
    the asker's own follows and blocks, which the liker must not learn from an answer. What
    is left is the liker's side: their likes, their privacy, the relation between the two
    and the creators of the videos liked."""
    seen = identifiable_sql(
        rules, asker=":a", liker="l.user_id", liker_private="u.is_private", creator="x.creator_id"
    )
    query = f"""SELECT count(*) FROM likes l JOIN users u ON u.id = l.user_id
        JOIN videos x ON x.id = l.video_id
        WHERE l.user_id = :l AND {seen}"""
    return cast(int, conn.execute(query, {"l": liker_id, "a": asker_id}).fetchone()[0])


def audience_count(
    conn: sqlite3.Connection, *, liker_id: int, video_id: int, rules: Preset = SEED
) -> int:
    """Rule 6: users V != liker who can view the video and to whom the liker is identifiable.

    The liker must be able to view the video.
    """
    row = conn.execute(
        "SELECT x.creator_id, c.is_private, l.is_private FROM videos x"
        " JOIN users c ON c.id = x.creator_id JOIN users l ON l.id = ? WHERE x.id = ?",
        (liker_id, video_id),
    ).fetchone()
    creator_id, creator_private, liker_private = row[0], bool(row[1]), bool(row[2])
    if not rules.classic:
        return scanned_audience_count(conn, liker_id=liker_id, video_id=video_id, rules=rules)
    kind = audience_kind(
        rules, liker_private=liker_private, liker_is_creator=creator_id == liker_id
    )
    if kind == "nobody":
        return 0
    creator_sees = int(not is_blocked(conn, a=creator_id, b=liker_id))  # the creator always views
    if kind == "creator_only":
        return creator_sees
    users = user_count(conn)
    followers_only = kind != "everyone"
    size = audience_size(
        conn,
        liker_id=liker_id,
        liker_private=followers_only,
        creator_id=creator_id,
        creator_private=creator_private,
        users=users,
    )
    if kind == "approved_followers_and_creator":
        follows = conn.execute(
            f"SELECT {approved_sql(':c', ':l')}", {"c": creator_id, "l": liker_id}
        )
        size += 0 if follows.fetchone()[0] else creator_sees
    return size


def scanned_audience_count(
    conn: sqlite3.Connection, *, liker_id: int, video_id: int, rules: Preset
) -> int:
    """Rule 6 exact for rules the fast counts do not know: every user walked once (rules 1
    and 3 as SQL per user), for prototypes of rules."""
    seen = identifiable_sql(
        rules, asker="a.id", liker=":l", liker_private="lu.is_private", creator="x.creator_id"
    )
    can = can_view_sql(rules, asker="a.id")
    query = f"""SELECT count(*) FROM users a
        JOIN videos x ON x.id = :x JOIN users c ON c.id = x.creator_id
        LEFT JOIN users lu ON lu.id = :l
        WHERE a.id <> :l AND {can} AND {seen}"""
    return cast(int, conn.execute(query, {"l": liker_id, "x": video_id}).fetchone()[0])


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
    *,
    liker_id: int,
    liker_private: bool,
    creator_id: int,
    creator_private: bool,
    users: int,
) -> int:
    """Rule 6 for a like of a video by creator_id, with both privacy settings given (so a
    switch can be counted before it is made): users V != liker who can view the video
    (rule 1) and to whom the liker is identifiable (rule 3). `users` counts all users.
    `liker_private` says the liker is seen by their approved followers only (a private
    liker under the seed); False, by everyone who can view (a public one, or any liker
    under a preset that lists every liker).

    Counted as |S| - |E & S|: S is who passes the privacy parts of rules 1 and 3 (everyone,
    or approved followers of the private liker and/or creator), E who a block keeps out
    (a block with the liker, or with the creator for anyone but the creator). E is a
    short list and S is counted on the follows index, so a liker or creator with a
    million followers costs an index count, not a million probes.
    """
    p = {"l": liker_id, "c": creator_id}

    def scalar(query: str, **extra: int) -> int:
        return cast(int, conn.execute(query, {**p, **extra}).fetchone()[0])

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
