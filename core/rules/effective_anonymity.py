"""Rule 9 (README, "The rules, in plain words"): effective anonymity. A like hidden from
someone is still theirs to guess when few users could have made it: the candidates are
the users the asker cannot identify, and fewer than ANONYMITY_K of them names the liker."""

import sqlite3
from typing import cast

from wholiked.core.rules.clauses import Creator, blocked_sql, identifiable_sql
from wholiked.core.rules.policy import (
    across_sql,
    first_clause_counts,
    like_total,
    private_user_count,
    user_count,
)
from wholiked.core.rules.presets import SEED, Preset, When

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
