"""The visibility policy transcribed literally from DESIGN.md, over a World in memory.

Slow and obvious on purpose: property tests compare core.policy against it.
"""

from tests.worlds import World


def _private(w: World, uid: int) -> bool:
    return any(u["id"] == uid and u["is_private"] for u in w.users.values())


def blocked(w: World, a: int, b: int) -> bool:
    return (a, b) in w.blocks or (b, a) in w.blocks


def approved(w: World, follower: int, followee: int) -> bool:
    return w.follows.get((follower, followee)) == "approved"


def can_view(w: World, v: int, x: int) -> bool:
    c = w.videos[x]
    return v == c or (not blocked(w, v, c) and (not _private(w, c) or approved(w, v, c)))


def reason(w: World, v: int, liker: int) -> str:
    if liker == v:
        return "self"
    if blocked(w, v, liker):
        return "blocked"
    if not _private(w, liker):
        return "public"
    if approved(w, v, liker):
        return "approved_follower"
    if w.follows.get((v, liker)) == "pending":
        return "private_follow_pending"
    return "private_not_following"


def identifiable(w: World, v: int, x: int, liker: int) -> bool:
    return can_view(w, v, x) and reason(w, v, liker) in ("self", "public", "approved_follower")


def likers(w: World, x: int) -> list[int]:
    return [u for (vid, u) in w.likes if vid == x]


def audience(w: World, liker: int, x: int) -> set[int]:
    everyone = {u["id"] for u in w.users.values()}
    return {v for v in everyone - {liker} if identifiable(w, v, x, liker)}


def audience_at_most(w: World, liker: int) -> int:
    """Rule 6 as the liker is told: every other user if public, else approved followers."""
    if not _private(w, liker):
        return len(w.users) - 1
    return sum(
        1 for (a, b), s in w.follows.items() if b == liker and a != liker and s == "approved"
    )


def candidates(w: World, v: int, x: int) -> set[int]:
    """Rule 9: users other than v, not identifiable to v, who can view x or are across a
    block with v or with the creator (a block hides an earlier like)."""
    c = w.videos[x]
    return {
        u["id"]
        for u in w.users.values()
        if u["id"] != v
        and reason(w, v, u["id"]) not in ("self", "public", "approved_follower")
        and (can_view(w, u["id"], x) or blocked(w, u["id"], v) or blocked(w, u["id"], c))
    }
