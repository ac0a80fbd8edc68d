"""The visibility policy (README, "The rules, in plain words", 1-5, 7 and 8): with
`who_sees` (rule 6) and `effective_anonymity` (rule 9), the one place that decides who
sees what.

Every function takes an open connection and user/video ids and answers in SQL
that walks keys: one like's verdict costs a few primary-key probes, a page of
likers walks the (video_id, liked_at) index, and counts are derived from the
acting user's own (short) following and block lists instead of scanning likes.

The rules are a preset (`presets.Preset`, the seed's by default): the SQL
fragments (`clauses`) are built from the preset's clauses, never copied per platform,
and the counts below read the same clauses.
"""

import sqlite3
from typing import NamedTuple, cast

from wholiked.core.rules.clauses import (
    approved_sql,
    clauses_sql,
    reason_sql,
    visible_reason_sql,
)

# The answers build their SQL from these two through the policy: re-exported on purpose.
from wholiked.core.rules.clauses import blocked_sql as blocked_sql
from wholiked.core.rules.clauses import identifiable_sql as identifiable_sql
from wholiked.core.rules.listing import AS_LISTED, ListView, find_text, like_pattern, liker_sort
from wholiked.core.rules.presets import SEED, CanView, Clause, Preset, When
from wholiked.core.store import counters

VISIBLE_REASONS = SEED.visible_reasons
"""The seed's visible reasons (rule 5); every preset's are `Preset.visible_reasons`."""
HIDDEN_REASONS = SEED.hidden_reasons
"""The seed's hidden reasons (rule 8); every preset's are `Preset.hidden_reasons`."""


class LikerRow(NamedTuple):
    """One liker as a page lists them; reason is None in an audit without an asker."""

    user_id: int
    handle: str
    display_name: str | None
    liked_at: str
    reason: str | None
    identifiable: bool | None = None
    """Whether the reason is one of the rules' visible reasons (None without an asker)."""


Cursor = tuple[str, str]
"""Keyset position: (the sort's value, handle) of the last row of the previous page; in the
list's own order the value is liked_at."""


VERDICTS = ("hidden", "identifiable")
"""The filters of a list of likers by verdict (any other filter is one reason)."""


def liker_cursor(row: LikerRow, view: ListView = AS_LISTED) -> Cursor:
    """A row's keyset position in a list shown this way."""
    sort = view.sort if view.sort in ("handle", "name") else "when"
    value = {"when": row.liked_at, "handle": row.handle, "name": row.display_name or ""}[sort]
    return (value, row.handle)


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


def creator_like_counts(conn: sqlite3.Connection, creator_id: int) -> tuple[int, int]:
    """Likes, and likes from private accounts, of every video of the creator."""
    if counters.has_counters(conn):
        return counters.creator_counted(conn, creator_id)
    query = """SELECT count(*), coalesce(sum(u.is_private), 0) FROM likes l
        JOIN videos x ON x.id = l.video_id JOIN users u ON u.id = l.user_id
        WHERE x.creator_id = ?"""
    likes, private = conn.execute(query, (creator_id,)).fetchone()
    return likes, private


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
    conn: sqlite3.Connection,
    clauses: tuple[Clause, ...],
    *,
    viewer_id: int,
    video_id: int | None,
    creator_id: int | None = None,
) -> dict[str, int]:
    """For each reason, how many people other than the viewer it is the first reason for,
    among the likers of the video (or among every user, for video_id None; or, with
    `creator_id`, among the likes of every video of theirs, a liker once per like: the sum
    over those videos). A block with the viewer hides, as in every preset;
    `asker_is_creator` must be decided already.

    Counted as the rules read, never by walking the population: its size and private
    count (the counters, or one count), minus the viewer and those across a block with
    them (the viewer's block list), and the viewer's approved followings (their following
    list), each probed for membership on a primary key.
    """
    if not clauses:
        return {}
    if not all(c.simple for c in clauses):
        return scanned_clause_counts(
            conn, clauses, viewer_id=viewer_id, video_id=video_id, creator_id=creator_id
        )
    p = {"v": viewer_id, "x": video_id, "c": creator_id}
    if creator_id is not None:

        def member(user: str) -> str:
            return f"""JOIN likes m ON m.user_id = {user}
                JOIN videos mx ON mx.id = m.video_id AND mx.creator_id = :c"""

        size, private_likes = creator_like_counts(conn, creator_id)

        def private() -> int:
            return private_likes
    elif video_id is None:

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

    # The viewer's own place in the population: how many times (likes), and their privacy.
    own, own_private = conn.execute(
        f"SELECT count(*), coalesce(max(u.is_private), 0) FROM users u {member('u.id')}"
        " WHERE u.id = :v",
        p,
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
            n = size - own - across[0] - used
        elif clause.when in seen:
            n = 0
        elif clause.when is When.LIKER_IS_PUBLIC:
            public = size - private() - (0 if own_private else own) - across[1]
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
    creator_id: int | None = None,
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
    if creator_id is not None:
        population = """SELECT l.user_id AS id FROM likes l
            JOIN videos x ON x.id = l.video_id WHERE x.creator_id = :c"""
    elif video_id is None:
        population = "SELECT id FROM users"
    else:
        population = "SELECT user_id AS id FROM likes WHERE video_id = :x"
    query = f"""SELECT r, count(*) FROM (
            SELECT {case} AS r FROM ({population}) p LEFT JOIN users u ON u.id = p.id
            WHERE p.id <> :v)
        WHERE r IS NOT NULL GROUP BY r"""
    counts = {c.reason: 0 for c in clauses}
    for name, n in conn.execute(query, {"v": viewer_id, "x": video_id, "c": creator_id}):
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
    view: ListView = AS_LISTED,
    find: str = "",
) -> list[LikerRow]:
    """Rule 3/5: identifiable likers, liked_at desc then handle (or as `view` sorts and
    filters them), after a keyset cursor (`oldest_first`: the same list walked from its
    end); with `find`, only those whose handle or display name holds the text."""
    return _liker_page(
        conn,
        video_id=video_id,
        viewer_id=viewer_id,
        limit=limit,
        after=after,
        rules=rules,
        identifiable_only=True,
        oldest_first=oldest_first,
        view=view,
        find=find,
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
    view: ListView = AS_LISTED,
    find: str = "",
) -> list[LikerRow]:
    """Rule 7: every liker, with the verdict's reason for viewer_id when one is given
    (sorted, filtered and found as in `identifiable_page`)."""
    return _liker_page(
        conn,
        video_id=video_id,
        viewer_id=viewer_id,
        limit=limit,
        after=after,
        rules=rules,
        identifiable_only=False,
        oldest_first=oldest_first,
        view=view,
        find=find,
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
    view: ListView = AS_LISTED,
    find: str = "",
) -> list[LikerRow]:
    """A keyset walk of (video_id, liked_at, user_id); when the viewer identifies no one but
    themselves (YouTube, X or TikTok for anyone but the creator) it is one probe of the
    viewer's own like instead. A view's sort orders, its `only` keeps one reason and `find`
    keeps matching rows: they narrow or order the rows these rules return, nothing more."""
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
    if view.only and viewer_id is not None:
        if view.only in VERDICTS:  # the rules' own verdict: a visible reason or not
            names = [f"vr{i}" for i in range(len(rules.visible_reasons))]
            params.update(zip(names, rules.visible_reasons, strict=True))
            inside = "IN" if view.only == "identifiable" else "NOT IN"
            where.append(f"({reason}) {inside} ({', '.join(':' + n for n in names)})")
        else:
            where.append(f"({reason}) = :only")
            params["only"] = view.only
    if text := find_text(find):
        pattern = "ESCAPE '\\'"
        where.append(
            f"(u.handle LIKE :p {pattern} OR coalesce(u.display_name, '') LIKE :p {pattern})"
        )
        params["p"] = like_pattern(text)
    # The list's order is the sort's (liked_at desc by default), then handle asc (unique);
    # oldest_first walks it from its end.
    key = liker_sort(view)
    forward = key.descending != oldest_first  # the sort's value goes down the page
    at_op, key_order = ("<", "DESC") if forward else (">", "ASC")
    handle_op, handle_order = (">", "ASC") if not oldest_first else ("<", "DESC")
    if after is not None:
        where.append(f"({key.sql} {at_op} :at OR ({key.sql} = :at AND u.handle {handle_op} :h))")
        params.update(at=after[0], h=after[1])
    query = f"""SELECT l.user_id, u.handle, u.display_name, l.liked_at, {reason} AS reason
        FROM likes l JOIN users u ON u.id = l.user_id
        WHERE {" AND ".join(where)}
        ORDER BY {key.sql} {key_order}, u.handle {handle_order} LIMIT :n"""
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


def has_liked(conn: sqlite3.Connection, *, user_id: int, video_id: int) -> bool:
    query = "SELECT 1 FROM likes WHERE video_id = ? AND user_id = ?"
    return conn.execute(query, (video_id, user_id)).fetchone() is not None
