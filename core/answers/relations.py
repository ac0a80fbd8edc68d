"""How the acting user stands with another account, and what the changes that cannot be
undone in one step would do, in numbers, before they are made.

Everything here comes from the acting user's own relationships and what they can see
(their follows and blocks, their requests, their likes, the videos they can view), so
asking it tells them nothing about anyone else's choices.
"""

import sqlite3
from dataclasses import dataclass

from wholiked.core.rules import policy, who_sees
from wholiked.core.store.database import Database
from wholiked.core.store.records import USER_FIELDS, User, user_by_id, user_from_row


@dataclass(frozen=True, slots=True)
class Relation:
    """The actor's follow of the other ('approved', 'pending' or None), theirs of the
    actor, and the blocks between them."""

    following: str | None
    followed_by: str | None
    you_blocked: bool
    blocked_you: bool

    @property
    def blocked(self) -> bool:
        return self.you_blocked or self.blocked_you


@dataclass(frozen=True, slots=True)
class BlockCost:
    """What blocking `other` does: follows removed both ways (unblocking does not bring
    them back) and their videos the actor can view now, which vanish."""

    other: User
    relation: Relation
    videos: int


@dataclass(frozen=True, slots=True)
class PublicCost:
    """What going public does: every pending request approved, and every like the user
    gave becomes identifiable to everyone who can view its video."""

    pending: int
    likes: int


def _status(conn: sqlite3.Connection, *, follower: int, followee: int) -> str | None:
    row = conn.execute(
        "SELECT status FROM follows WHERE follower_id = ? AND followee_id = ?",
        (follower, followee),
    ).fetchone()
    return row[0] if row else None


def _has_blocked(conn: sqlite3.Connection, *, blocker: int, blocked: int) -> bool:
    query = "SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?"
    return conn.execute(query, (blocker, blocked)).fetchone() is not None


def relation(db: Database, actor: User, other: User) -> Relation:
    with db.snapshot() as conn:
        return Relation(
            following=_status(conn, follower=actor.id, followee=other.id),
            followed_by=_status(conn, follower=other.id, followee=actor.id),
            you_blocked=_has_blocked(conn, blocker=actor.id, blocked=other.id),
            blocked_you=_has_blocked(conn, blocker=other.id, blocked=actor.id),
        )


def block_cost(db: Database, actor: User, other: User) -> BlockCost:
    with db.snapshot() as conn:
        other = user_by_id(db, other.id)
        found = relation(db, actor, other)
        query = f"""SELECT count(*) FROM videos x JOIN users c ON c.id = x.creator_id
            WHERE x.creator_id = :c AND {policy.CAN_VIEW_SQL}"""
        videos = conn.execute(query, {"c": other.id, "v": actor.id}).fetchone()[0]
    return BlockCost(other, found, videos)


def public_cost(db: Database, user: User) -> PublicCost:
    with db.snapshot() as conn:
        pending = conn.execute(
            "SELECT count(*) FROM follows WHERE followee_id = ? AND status = 'pending'",
            (user.id,),
        ).fetchone()[0]
        likes = who_sees.like_count(conn, user.id)
    return PublicCost(pending, likes)


def blocked_accounts(db: Database, user: User, *, limit: int = 200) -> list[User]:
    """The accounts the user has blocked, most recent block first."""
    query = f"""SELECT {", ".join("u." + c for c in USER_FIELDS)}
        FROM blocks b JOIN users u ON u.id = b.blocked_id
        WHERE b.blocker_id = ?
        ORDER BY b.created_at DESC, u.handle LIMIT ?"""
    return [user_from_row(r) for r in db.conn.execute(query, (user.id, limit))]
