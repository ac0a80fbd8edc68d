"""The visibility policy (README, "The rules, in plain words", 1-9): the one place that
decides who sees what.

Every function takes an open connection and user/video ids and answers in SQL
that walks keys: one like's verdict costs a few primary-key probes, a page of
likers walks the (video_id, liked_at) index, and counts are derived from the
acting user's own (short) following and block lists instead of scanning likes.

The rules are a preset (`presets.Preset`, the seed's by default): the SQL
fragments (`clauses`) are built from the preset's clauses, never copied per platform,
and the counts below read the same clauses.
"""

import sqlite3
from dataclasses import dataclass
from typing import cast

from wholiked.core.rules.clauses import (
    Creator,
    approved_sql,
    clauses_sql,
    reason_sql,
    visible_reason_sql,
)

# The answers build their SQL from these two through the policy: re-exported on purpose.
from wholiked.core.rules.clauses import blocked_sql as blocked_sql
from wholiked.core.rules.clauses import identifiable_sql as identifiable_sql
from wholiked.core.rules.presets import SEED, CanView, Clause, Preset, When
from wholiked.core.store import counters

VISIBLE_REASONS = SEED.visible_reasons
"""The seed's visible reasons (rule 5); every preset's are `Preset.visible_reasons`."""
HIDDEN_REASONS = SEED.hidden_reasons
"""The seed's hidden reasons (rule 8); every preset's are `Preset.hidden_reasons`."""


@dataclass(frozen=True, slots=True)
class LikerRow:
    """One liker as a page lists them; reason is None in an audit without an asker."""

    user_id: int
    handle: str
    display_name: str | None
    liked_at: str
    reason: str | None
    identifiable: bool | None = None
    """Whether the reason is one of the rules' visible reasons (None without an asker)."""


Cursor = tuple[str, str]
"""Keyset position: (liked_at, handle) of the last row of the previous page."""


def _rule_1_sql(asker: str) -> str:
    return f"""({asker} = x.creator_id OR (
    NOT {blocked_sql(asker, "x.creator_id")}
    AND (c.is_private = 0 OR {approved_sql(asker, "x.creator_id")})))"""


CAN_VIEW_SQL = _rule_1_sql(":v")
"""Rule 1 over a video row x joined to its creator c, for asker :v."""


def can_view_sql(rules: Preset = SEED, asker: str = ":v") -> str:
    """Who can view, under the preset, over a video row x joined to its creator c."""
    if rules.can_view is CanView.RULE_1:
        return _rule_1_sql(asker)
    raise ValueError(f"no SQL for {rules.can_view}")


def can_view(
    conn: sqlite3.Connection, *, viewer_id: int, video_id: int, rules: Preset = SEED
) -> bool:
    """Rule 1: the creator, or not blocked and (public creator or approved follower)."""
    query = f"""SELECT 1 FROM videos x JOIN users c ON c.id = x.creator_id
        WHERE x.id = :x AND {can_view_sql(rules)}"""
    return conn.execute(query, {"x": video_id, "v": viewer_id}).fetchone() is not None


def _count(conn: sqlite3.Connection, query: str, params: tuple[int, ...] = ()) -> int:
    """The one number a counting query answers (sqlite3 types it as Any)."""
    return cast(int, conn.execute(query, params).fetchone()[0])


def like_total(conn: sqlite3.Connection, video_id: int) -> int:
    """Rule 2: every like of the video, from every account."""
    if counters.has_counters(conn):
        return counters.counted(conn, video_id)[0]
    return _count(conn, "SELECT count(*) FROM likes WHERE video_id = ?", (video_id,))


def like_total_sql(conn: sqlite3.Connection) -> str:
    """An SQL expression for the like total of the video row x (counters when present)."""
    if counters.has_counters(conn):
        return counters.total_sql()
    return "(SELECT count(*) FROM likes WHERE video_id = x.id)"


def private_like_count(conn: sqlite3.Connection, video_id: int) -> int:
    """Likes of the video from private accounts."""
    if counters.has_counters(conn):
        return counters.counted(conn, video_id)[1]
    query = """SELECT count(*) FROM likes l JOIN users u ON u.id = l.user_id
        WHERE l.video_id = ? AND u.is_private = 1"""
    return _count(conn, query, (video_id,))


def user_count(conn: sqlite3.Connection) -> int:
    """Every user (the population of rules 6 and 9), from the counters when present."""
    if counters.has_counters(conn):
        return counters.user_total(conn)
    return _count(conn, "SELECT count(*) FROM users")


def private_user_count(conn: sqlite3.Connection) -> int:
    """Users with a private account, from the counters when present."""
    if counters.has_counters(conn):
        return counters.private_users(conn)
    return _count(conn, "SELECT count(*) FROM users WHERE is_private = 1")


def creator_of(conn: sqlite3.Connection, video_id: int) -> int | None:
    row = conn.execute("SELECT creator_id FROM videos WHERE id = ?", (video_id,)).fetchone()
    return row[0] if row else None


def asker_clauses(
    conn: sqlite3.Connection, rules: Preset, *, viewer_id: int, video_id: int
) -> tuple[Clause, ...]:
    """The preset's identifying clauses for this asker and video ("the asker made the video"
    decided by one primary-key probe, only for a preset that asks it)."""
    if not rules.depends_on(When.ASKER_IS_CREATOR):
        return rules.clauses()
    return rules.clauses(asker_is_creator=creator_of(conn, video_id) == viewer_id)


# --- counts from counters and short lists ------------------------------------------------------


def across_sql(user: str) -> str:
    """SQL: the ids on the other side of a block with `user`, either way (a short list)."""
    return f"""SELECT blocked_id AS id FROM blocks WHERE blocker_id = {user}
        UNION SELECT blocker_id FROM blocks WHERE blocked_id = {user}"""


def first_clause_counts(
    conn: sqlite3.Connection, clauses: tuple[Clause, ...], *, viewer_id: int, video_id: int | None
) -> dict[str, int]:
    """For each reason, how many people other than the viewer it is the first reason for,
    among the likers of the video (or among every user, for video_id None). A block with
    the viewer hides, as in every preset; `asker_is_creator` must be decided already.

    Counted as the rules read, never by walking the population: its size and private
    count (the counters, or one count), minus the viewer and those across a block with
    them (the viewer's block list), and the viewer's approved followings (their following
    list), each probed for membership on a primary key.
    """
    if not clauses:
        return {}
    if not all(c.simple for c in clauses):
        return scanned_clause_counts(conn, clauses, viewer_id=viewer_id, video_id=video_id)
    p = {"v": viewer_id, "x": video_id}
    if video_id is None:

        def member(user: str) -> str:
            return ""

        size = user_count(conn)

        def private() -> int:
            return private_user_count(conn)
    else:

        def member(user: str) -> str:
            """A join that keeps `user` only if they liked the video (at most one row: the
            likes primary key), faster than a correlated EXISTS here."""
            return f"JOIN likes m ON m.video_id = :x AND m.user_id = {user}"

        size = like_total(conn, video_id)

        def private() -> int:
            return private_like_count(conn, video_id)

    own = conn.execute(
        f"SELECT u.is_private FROM users u {member('u.id')} WHERE u.id = :v", p
    ).fetchone()
    # Those across a block with the viewer (a short list): all, public, and followed by
    # the viewer with approval (all, public), so the followings below need no block probe.
    follows = approved_sql(":v", "b.id")
    across = conn.execute(
        f"""SELECT count(*), coalesce(sum(u.is_private = 0), 0),
            coalesce(sum({follows}), 0), coalesce(sum(u.is_private = 0 AND {follows}), 0)
        FROM ({across_sql(":v")}) b
        JOIN users u ON u.id = b.id {member("b.id")} WHERE b.id <> :v""",
        p,
    ).fetchone()

    def followings(private: bool | None) -> int:
        """The viewer's approved followings in the population, no block, of that privacy
        (None: any), on the viewer's following list (the privacy probe only when asked)."""
        privacy = "" if private is None else f" AND u.is_private = {int(private)}"
        found = conn.execute(
            f"""SELECT count(*) FROM follows f {member("f.followee_id")}
            {"JOIN users u ON u.id = f.followee_id" if privacy else ""}
            WHERE f.follower_id = :v AND f.status = 'approved' AND f.followee_id <> :v
              {privacy}""",
            p,
        ).fetchone()[0]
        blocked_ones = {None: across[2], False: across[3], True: across[2] - across[3]}
        return cast(int, found - blocked_ones[private])

    counts: dict[str, int] = {}
    seen: set[When] = set()
    used = 0
    for clause in clauses:
        if clause.when is When.ANYONE:
            n = size - (own is not None) - across[0] - used
        elif clause.when in seen:
            n = 0
        elif clause.when is When.LIKER_IS_PUBLIC:
            public = size - private() - (own is not None and not own[0]) - across[1]
            n = public - (followings(False) if When.ASKER_FOLLOWS_LIKER in seen else 0)
        elif clause.when is When.ASKER_FOLLOWS_LIKER:
            n = followings(True if When.LIKER_IS_PUBLIC in seen else None)
        else:
            raise ValueError(f"{clause.when} must be decided before counting")
        seen.add(clause.when)
        counts[clause.reason] = counts.get(clause.reason, 0) + n
        used += n
        if clause.when is When.ANYONE:
            break
    return counts


def scanned_clause_counts(
    conn: sqlite3.Connection,
    clauses: tuple[Clause, ...],
    *,
    viewer_id: int,
    video_id: int | None,
) -> dict[str, int]:
    """`first_clause_counts` for clauses the fast counts do not know (a rule file's clause
    with two conditions, or the liker's follow): the likers of the video (or every user)
    walked once, each given the first clause that holds. Costs the video's likes (or the
    users), so it serves prototypes of rules, not the built-in presets."""
    reason = ["CASE"]
    for clause in clauses:
        one = clauses_sql((clause,), asker=":v", liker="p.id", liker_private="u.is_private")
        reason.append(f"WHEN {one} THEN '{clause.reason}'")
    case = " ".join(reason) + " END"
    if video_id is None:
        population = "SELECT id FROM users"
    else:
        population = "SELECT user_id AS id FROM likes WHERE video_id = :x"
    query = f"""SELECT r, count(*) FROM (
            SELECT {case} AS r FROM ({population}) p LEFT JOIN users u ON u.id = p.id
            WHERE p.id <> :v)
        WHERE r IS NOT NULL GROUP BY r"""
    counts = {c.reason: 0 for c in clauses}
    for name, n in conn.execute(query, {"v": viewer_id, "x": video_id}):
        counts[name] = n
    return counts


def reason_counts(
    conn: sqlite3.Connection, *, viewer_id: int, video_id: int, rules: Preset = SEED
) -> dict[str, int]:
    """The identifiable likers of the video by visible reason (every reason of the preset,
    zeros included), for a viewer who can view it."""
    counts = dict.fromkeys(rules.visible_reasons, 0)
    counts["self"] = int(has_liked(conn, user_id=viewer_id, video_id=video_id))
    clauses = asker_clauses(conn, rules, viewer_id=viewer_id, video_id=video_id)
    for reason, n in first_clause_counts(
        conn, clauses, viewer_id=viewer_id, video_id=video_id
    ).items():
        counts[reason] += n
    return counts


def anonymous_count(
    conn: sqlite3.Connection, *, viewer_id: int, video_id: int, rules: Preset = SEED
) -> int:
    """Rule 4 for a viewer who can view the video: likes not identifiable to them.

    anonymous = total - own like - the likers each clause of the preset identifies, each
    counted from the counters and the viewer's block and following lists (for the seed:
    private likes - own private like - private likers the viewer approved-follows + likers
    across a block who would otherwise be visible; for a preset where the viewer
    identifies everyone: the likers across a block; for one where they identify no one:
    total - own like).
    """
    return like_total(conn, video_id) - sum(
        reason_counts(conn, viewer_id=viewer_id, video_id=video_id, rules=rules).values()
    )


def identifiable_page(
    conn: sqlite3.Connection,
    *,
    viewer_id: int,
    video_id: int,
    limit: int | None,
    after: Cursor | None = None,
    rules: Preset = SEED,
    oldest_first: bool = False,
) -> list[LikerRow]:
    """Rule 3/5: identifiable likers, liked_at desc then handle, after a keyset cursor
    (`oldest_first`: the same list walked from its end)."""
    return _liker_page(
        conn,
        video_id=video_id,
        viewer_id=viewer_id,
        limit=limit,
        after=after,
        rules=rules,
        identifiable_only=True,
        oldest_first=oldest_first,
    )


def audit_page(
    conn: sqlite3.Connection,
    *,
    video_id: int,
    viewer_id: int | None,
    limit: int | None,
    after: Cursor | None = None,
    rules: Preset = SEED,
    oldest_first: bool = False,
) -> list[LikerRow]:
    """Rule 7: every liker, with the verdict's reason for viewer_id when one is given."""
    return _liker_page(
        conn,
        video_id=video_id,
        viewer_id=viewer_id,
        limit=limit,
        after=after,
        rules=rules,
        identifiable_only=False,
        oldest_first=oldest_first,
    )


def _liker_page(
    conn: sqlite3.Connection,
    *,
    video_id: int,
    viewer_id: int | None,
    limit: int | None,
    after: Cursor | None,
    rules: Preset,
    identifiable_only: bool,
    oldest_first: bool = False,
) -> list[LikerRow]:
    """A keyset walk of (video_id, liked_at, user_id); when the viewer identifies no one but
    themselves (YouTube, X or TikTok for anyone but the creator) it is one probe of the
    viewer's own like instead."""
    params: dict[str, object] = {"x": video_id, "v": viewer_id, "n": -1 if limit is None else limit}
    where = ["l.video_id = :x"]
    reason = "NULL"
    if viewer_id is not None:
        is_creator = None
        if rules.depends_on(When.ASKER_IS_CREATOR):
            is_creator = creator_of(conn, video_id) == viewer_id
        if identifiable_only:
            if not rules.clauses(asker_is_creator=is_creator):
                where.append("l.user_id = :v")  # only your own like: a primary-key probe
            else:
                where.append(identifiable_sql(rules, creator=is_creator))
            reason = visible_reason_sql(rules, creator=is_creator)
        else:
            reason = reason_sql(rules, creator=is_creator)
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
    visible = rules.visible_reasons
    return [
        LikerRow(
            row[0], row[1], row[2], row[3], row[4], None if row[4] is None else row[4] in visible
        )
        for row in conn.execute(query, params)
    ]


def pair_reason(
    conn: sqlite3.Connection,
    *,
    viewer_id: int,
    liker_id: int,
    rules: Preset = SEED,
    creator_id: int | None = None,
) -> str:
    """The reason (visible or hidden) a liker is or is not identifiable to a viewer.

    Assumes the viewer can view the video (rule 1 is checked by the caller); a preset that
    asks whether the viewer made the video needs its creator_id.
    """
    is_creator = None if creator_id is None else viewer_id == creator_id
    reason = reason_sql(rules, creator=is_creator)
    query = f"SELECT {reason} FROM (SELECT :l AS user_id) l JOIN users u ON u.id = :l"
    return cast(str, conn.execute(query, {"v": viewer_id, "l": liker_id}).fetchone()[0])


def is_blocked(conn: sqlite3.Connection, *, a: int, b: int) -> bool:
    """Either of the two users has blocked the other."""
    return bool(conn.execute(f"SELECT {blocked_sql(':a', ':b')}", {"a": a, "b": b}).fetchone()[0])


# --- rule 6: who can see my like -------------------------------------------------------------

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


def has_liked(conn: sqlite3.Connection, *, user_id: int, video_id: int) -> bool:
    query = "SELECT 1 FROM likes WHERE video_id = ? AND user_id = ?"
    return conn.execute(query, (video_id, user_id)).fetchone() is not None


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


# --- rule 9: effective anonymity -------------------------------------------------------------

ANONYMITY_K = 5
"""Fewer candidates than this and an anonymous liker is effectively identifiable."""


def not_identifiable_sql(user: str, *, rules: Preset = SEED, creator: Creator = None) -> str:
    """SQL true when `user` (not the asker :v) is not identifiable to :v (rule 3, any video)."""
    private = f"(SELECT is_private FROM users WHERE id = {user})"
    seen = identifiable_sql(rules, liker=user, liker_private=private, creator=creator)
    return f"({user} <> :v AND NOT {seen})"


def candidates(
    conn: sqlite3.Connection, *, viewer_id: int, video_id: int, rules: Preset = SEED
) -> int:
    """Rule 9: the accounts an anonymous like of the video could be from: users other than
    the viewer who are not identifiable to the viewer and can view the video, or are on
    the other side of a block with the viewer or the creator (a block hides a like given
    before it, it does not remove it).

    A public creator's video can be seen by everyone but those across a block with them,
    so the count is every other user minus those the viewer would identify (counted as the
    preset's clauses read, from the viewer's following and block lists); a private
    creator's audience is walked on their approved followers.
    """
    c_id, c_private = conn.execute(
        "SELECT x.creator_id, c.is_private FROM videos x JOIN users c ON c.id = x.creator_id"
        " WHERE x.id = ?",
        (video_id,),
    ).fetchone()
    is_creator = c_id == viewer_id
    if c_private:
        return cast(
            int,
            conn.execute(
                f"""SELECT count(*) FROM (
                SELECT follower_id AS id FROM follows
                WHERE followee_id = :c AND status = 'approved' AND follower_id <> :c
                  AND NOT {blocked_sql("follower_id", ":c")}
                UNION SELECT :c UNION {across_sql(":v")} UNION {across_sql(":c")}) s
            WHERE {not_identifiable_sql("s.id", rules=rules, creator=is_creator)}""",
                {"v": viewer_id, "c": c_id},
            ).fetchone()[0],
        )
    users = user_count(conn)
    clauses = rules.clauses(asker_is_creator=is_creator)
    return (
        users
        - 1
        - sum(first_clause_counts(conn, clauses, viewer_id=viewer_id, video_id=None).values())
    )


def effectively_identifiable(anonymous: int, candidates: int, k: int = ANONYMITY_K) -> bool:
    """Rule 9's verdict: anonymous likes hidden among fewer than k candidates, or among
    exactly as many candidates as there are anonymous likes, can be named unseen."""
    return anonymous > 0 and (candidates < k or anonymous >= candidates)


def candidates_at_least(
    conn: sqlite3.Connection, *, liker_id: int, video_id: int, rules: Preset = SEED
) -> int:
    """Rule 9's candidates for the video's creator, bounded from below by what the liker can
    see (public account data only), for a liker the creator cannot identify.

    The creator's own follows and blocks, and who follows a private creator, are not the
    liker's to know, so the worst case is assumed: a private creator's audience may be the
    liker alone, and a public creator may identify every account a clause of the preset
    lets them (every public account, every private one but the liker). Only a preset
    where the creator identifies no one by privacy or follows leaves more than the liker.
    """
    creator_id, creator_private = conn.execute(
        "SELECT x.creator_id, c.is_private FROM videos x JOIN users c ON c.id = x.creator_id"
        " WHERE x.id = ?",
        (video_id,),
    ).fetchone()
    if creator_private:
        return 1
    # A public creator's video: every other user can view it or is across a block with the
    # creator (a candidate as well), less those the creator may identify.
    # A clause that asks only that the liker be public may identify every public account;
    # one that asks a relation (the creator's follow, a follow of the creator) may hold for
    # every account but the liker, whatever else it asks of privacy.
    users, private = user_count(conn), private_user_count(conn)
    public_only = False
    for clause in rules.clauses(asker_is_creator=True):
        asked = set(clause.conditions) - {When.ANYONE}
        if When.LIKER_IS_PUBLIC in asked:
            public_only = True
        elif asked or When.ANYONE in clause.conditions:
            return 1
    others = users - 1
    return max(others - (users - private - 1 if public_only else 0), 1)


def may_be_identifiable(
    conn: sqlite3.Connection,
    *,
    liker_id: int,
    video_id: int,
    liked: bool,
    rules: Preset = SEED,
    k: int = ANONYMITY_K,
) -> bool:
    """Rule 9's warning as the liker may be told it, for a like (given, or as it would be)
    the creator cannot identify: True unless, whatever the follows and blocks of others,
    the creator's verdict could not be "effectively identifiable". Read from the liker's
    side only (the public like total, public account data), so that others' relations
    never change it; the exact verdict belongs to the audit."""
    total = like_total(conn, video_id) + (0 if liked else 1)
    return effectively_identifiable(
        total, candidates_at_least(conn, liker_id=liker_id, video_id=video_id, rules=rules), k
    )
