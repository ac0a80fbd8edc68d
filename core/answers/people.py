"""The acting user's people: their followers, whom they follow, the requests to them and the
accounts they blocked, each a list read a page at a time, with its count.

Everything here is the user's own relationships (their follows, the follows to them, their
blocks), so it tells them nothing about anyone else's choices. A user can have 100,000
followers: each list is walked by keyset on the other account's id, in the order of the
index it reads (the follows' primary key, wholiked's followee index, the blocks' primary
key), so a page costs the same on the first and the last page.
"""

from dataclasses import dataclass
from typing import Any, Literal

from wholiked.core.rules.listing import (
    AS_LISTED,
    MATCH_LIMIT,
    PEOPLE_SORTS,
    ListView,
    find_text,
    like_pattern,
)
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
    db: Database,
    user: User,
    which: Which,
    *,
    limit: int,
    after: Any = None,
    view: ListView = AS_LISTED,
) -> list[Person]:
    """A page of one list in the view's order, after the row `after` (None: the first
    page; else `people_cursor` of the last row of the page before)."""
    where, params, order = _listed(user, which, view, after)
    columns = ", ".join("u." + c for c in USER_FIELDS)
    query = f"""SELECT {columns}, r.created_at,
            (SELECT status FROM follows WHERE follower_id = :me AND followee_id = u.id),
            (SELECT status FROM follows WHERE follower_id = u.id AND followee_id = :me)
        FROM {where} ORDER BY {order} LIMIT :n"""
    with db.snapshot() as conn:
        found = conn.execute(query, {**params, "n": limit}).fetchall()
    size = len(USER_FIELDS)
    return [
        Person(user_from_row(tuple(r)[:size]), r[size], r[size + 1], r[size + 2]) for r in found
    ]


def people_cursor(person: Person, view: ListView = AS_LISTED) -> Any:
    """A row's keyset position in a list shown this way (for `people_page(after=...)`)."""
    if view.sort not in PEOPLE_SORTS:
        return person.user.id
    value = {
        "handle": person.user.handle,
        "name": person.user.display_name or "",
        "since": person.since or "",
    }[view.sort]
    return (value, person.user.id)


def find_people(
    db: Database, user: User, which: Which, text: str, *, view: ListView = AS_LISTED
) -> list[int]:
    """The ids of the accounts in one list whose handle or display name holds the text, in
    the list's order (at most MATCH_LIMIT): a find in a paged list, run in SQL."""
    if not (wanted := find_text(text)):
        return []
    where, params, order = _listed(user, which, view, None)
    query = f"""SELECT u.id FROM {where}
        AND (u.handle LIKE :p ESCAPE '\\' OR coalesce(u.display_name, '') LIKE :p ESCAPE '\\')
        ORDER BY {order} LIMIT :n"""
    params.update(p=like_pattern(wanted), n=MATCH_LIMIT)
    with db.snapshot() as conn:
        return [r[0] for r in conn.execute(query, params)]


def _listed(
    user: User, which: Which, view: ListView, after: Any
) -> tuple[str, dict[str, Any], str]:
    """One list's rows after a keyset position (FROM ... WHERE ...), its bound values and
    its ORDER BY, for the view's sort."""
    rows, other = _FROM[which]
    params: dict[str, Any] = {"me": user.id}
    key = PEOPLE_SORTS.get(view.sort)
    if key is None:
        params["after"] = -(2**63) if after is None else after
        return f"{rows} AND {other} > :after", params, other
    direction = "DESC" if key.descending else "ASC"
    order = f"{key.sql} {direction}, {other}"
    if after is None:
        return rows, params, order
    params.update(at=after[0], id=after[1])
    op = "<" if key.descending else ">"
    return f"{rows} AND ({key.sql} {op} :at OR ({key.sql} = :at AND {other} > :id))", params, order
