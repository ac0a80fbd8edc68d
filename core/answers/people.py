"""The acting user's people: their followers, whom they follow, the requests to them and the
accounts they blocked, each a list read a page at a time, with its count.

Everything here is the user's own relationships (their follows, the follows to them, their
blocks), so it tells them nothing about anyone else's choices. A user can have 100,000
followers: each list is walked by keyset on the other account's id, in the order of the
index it reads (the follows' primary key, wholiked's followee index, the blocks' primary
key), so a page costs the same on the first and the last page.
"""

from dataclasses import dataclass
from typing import Literal

from wholiked.core.store.database import Database
from wholiked.core.store.records import USER_FIELDS, User, user_from_row

Which = Literal["followers", "following", "requests", "blocked"]
LISTS: tuple[Which, ...] = ("followers", "following", "requests", "blocked")

_FROM: dict[str, tuple[str, str]] = {
    # list: (the rows and the join to the other account, its id column)
    "followers": (
        "follows r JOIN users u ON u.id = r.follower_id"
        " WHERE r.followee_id = :me AND r.status = 'approved'",
        "r.follower_id",
    ),
    "following": (
        "follows r JOIN users u ON u.id = r.followee_id WHERE r.follower_id = :me",
        "r.followee_id",
    ),
    "requests": (
        "follows r JOIN users u ON u.id = r.follower_id"
        " WHERE r.followee_id = :me AND r.status = 'pending'",
        "r.follower_id",
    ),
    "blocked": (
        "blocks r JOIN users u ON u.id = r.blocked_id WHERE r.blocker_id = :me",
        "r.blocked_id",
    ),
}


@dataclass(frozen=True, slots=True)
class Person:
    """One account in a list: since when (the follow, the request or the block), and how the
    user and they follow each other ('approved', 'pending' or None)."""

    user: User
    since: str | None
    following: str | None
    followed_by: str | None


@dataclass(frozen=True, slots=True)
class PeopleCounts:
    """How many accounts each list holds (following counts pending requests sent too)."""

    followers: int
    following: int
    requests: int
    blocked: int

    def of(self, which: Which) -> int:
        count: int = getattr(self, which)
        return count


def people_counts(db: Database, user: User) -> PeopleCounts:
    """The four lists' sizes, read in one snapshot."""
    with db.snapshot() as conn:
        counts = [
            conn.execute(f"SELECT count(*) FROM {_FROM[which][0]}", {"me": user.id}).fetchone()[0]
            for which in LISTS
        ]
    return PeopleCounts(*counts)


def people_page(
    db: Database, user: User, which: Which, *, limit: int, after: int | None = None
) -> list[Person]:
    """A page of one list, by the other account's id, after the id `after` (None: the
    first page)."""
    rows, other = _FROM[which]
    columns = ", ".join("u." + c for c in USER_FIELDS)
    query = f"""SELECT {columns}, r.created_at,
            (SELECT status FROM follows WHERE follower_id = :me AND followee_id = u.id),
            (SELECT status FROM follows WHERE follower_id = u.id AND followee_id = :me)
        FROM {rows} AND {other} > :after
        ORDER BY {other} LIMIT :n"""
    params = {"me": user.id, "after": -(2**63) if after is None else after, "n": limit}
    with db.snapshot() as conn:
        found = conn.execute(query, params).fetchall()
    size = len(USER_FIELDS)
    return [
        Person(user_from_row(tuple(r)[:size]), r[size], r[size + 1], r[size + 2]) for r in found
    ]
