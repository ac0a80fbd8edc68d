"""The acting user's people through the facade: four lists, their counts, keyset pages that
together hold every row once, and how each person and the user follow each other."""

from wholiked.core.rules.listing import AS_LISTED, ListView
from wholiked.core.service import Wholiked
from wholiked.fixtures.demo import (
    DEMO_BIG_CREATOR,
    DEMO_BLOCKED_BY_CREATOR,
    DEMO_CREATOR,
    DEMO_PENDING_REQUESTER,
    DEMO_PRIVATE_VIEWER,
)

LISTS = ("followers", "following", "requests", "blocked")


def handles(service: Wholiked, handle: str, which: str) -> list[str]:
    people = service.people_page(service.user(handle), which, limit=1000)  # type: ignore[arg-type]
    return [p.user.handle for p in people]


def test_sams_four_lists_and_counts(service: Wholiked) -> None:
    sam = service.user(DEMO_PRIVATE_VIEWER)
    counts = service.people_counts(sam)
    assert (counts.followers, counts.following, counts.requests, counts.blocked) == (4, 2, 1, 0)
    assert set(handles(service, DEMO_PRIVATE_VIEWER, "followers")) == {
        "jules.b",
        "ana.lima",
        "hana.s",
        "noor.private",
    }
    assert set(handles(service, DEMO_PRIVATE_VIEWER, "following")) == {
        "mia.makes",
        "noor.private",
    }
    assert handles(service, DEMO_PRIVATE_VIEWER, "requests") == [DEMO_PENDING_REQUESTER]
    assert handles(service, DEMO_CREATOR, "blocked") == [DEMO_BLOCKED_BY_CREATOR]
    # The followers are the approved ones only: Rex's pending request is not among them.
    assert DEMO_PENDING_REQUESTER not in handles(service, DEMO_PRIVATE_VIEWER, "followers")


def test_each_person_says_how_you_follow_each_other(service: Wholiked) -> None:
    sam = service.user(DEMO_PRIVATE_VIEWER)
    found = {p.user.handle: p for p in service.people_page(sam, "followers", limit=50)}
    assert (found["noor.private"].following, found["noor.private"].followed_by) == (
        "approved",
        "approved",
    )
    assert (found["jules.b"].following, found["jules.b"].followed_by) == (None, "approved")
    mia = service.user(DEMO_CREATOR)
    kai = next(p for p in service.people_page(mia, "following", limit=50) if p.user.id)
    assert kai.since is not None
    pending = [p for p in service.people_page(mia, "following", limit=50) if p.following]
    assert {p.following for p in pending} <= {"approved", "pending"}
    assert "pending" in {p.following for p in pending}  # Mia's request to @kai.locked


def test_pages_walk_every_follower_once(service: Wholiked) -> None:
    """@luna.loops has thousands of followers: pages of 500 by keyset hold each exactly once,
    as many as the count says."""
    luna = service.user(DEMO_BIG_CREATOR)
    seen: list[int] = []
    after = None
    while True:
        page = service.people_page(luna, "followers", limit=500, after=after)
        seen += [p.user.id for p in page]
        if len(page) < 500:
            break
        after = page[-1].user.id
    assert len(seen) == len(set(seen)) == service.people_counts(luna).followers > 1000
    assert seen == sorted(seen)


def walk(service: Wholiked, user, which: str, view: ListView, size: int = 300) -> list:
    """Every row of one list, by keyset pages of `size` under the view's sort."""
    seen: list = []
    after = None
    while True:
        page = service.people_page(user, which, limit=size, after=after, view=view)  # type: ignore[arg-type]
        seen += page
        if len(page) < size:
            return seen
        after = service.people_cursor(page[-1], view)


def ascii_fold(value: str) -> str:
    """SQLite's NOCASE: ASCII letters only."""
    return "".join(c.lower() if c.isascii() else c for c in value)


def test_sorted_pages_hold_every_person_once_in_the_sorts_order(service: Wholiked) -> None:
    """Under each sort, keyset pages of @luna.loops's followers hold every follower once,
    in the order the sort names, ties broken by the account id."""
    luna = service.user(DEMO_BIG_CREATOR)
    listed = walk(service, luna, "followers", AS_LISTED)
    ids = sorted(p.user.id for p in listed)
    orders = {
        "handle": lambda p: (p.user.handle, p.user.id),
        "name": lambda p: (ascii_fold(p.user.display_name or ""), p.user.id),
        "since": lambda p: (_reverse(p.since or ""), p.user.id),
    }
    for sort, order in orders.items():
        rows = walk(service, luna, "followers", ListView(sort=sort))
        assert sorted(p.user.id for p in rows) == ids, sort
        assert rows == sorted(listed, key=order), sort


def _reverse(value: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in value) + (1,)  # descending, and a prefix after its longer


def test_find_people_returns_the_matches_in_the_lists_order(service: Wholiked) -> None:
    luna = service.user(DEMO_BIG_CREATOR)
    for view in (AS_LISTED, ListView(sort="handle"), ListView(sort="since")):
        rows = walk(service, luna, "followers", view)
        wanted = [
            p.user.id for p in rows if "12" in p.user.handle or "12" in (p.user.display_name or "")
        ]
        assert 0 < len(wanted) < len(rows)
        assert service.find_people(luna, "followers", " 12 ", view=view) == wanted
    assert service.find_people(luna, "followers", "%") == []  # a wildcard is a character
    assert service.find_people(luna, "followers", "  ") == []
    one = service.user("zz.crowd.0012").id
    assert service.find_people(luna, "followers", "@ZZ.Crowd.0012") == [one]  # any case
