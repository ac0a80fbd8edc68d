"""The visibility policy transcribed literally from the README's rules, over a World in memory.

Slow and obvious on purpose: property tests compare core.policy against it.
"""

from tests.worlds import World


def _private(w: World, uid: int) -> bool:
    # An id -> user index kept on the world (rebuilt when users are added), so a world of
    # thousands of users is not scanned per question; it reads the live user dicts, so a
    # test that flips is_private in place is seen at once.
    index = getattr(w, "_by_id", None)
    if index is None or len(index) != len(w.users):
        index = {u["id"]: u for u in w.users.values()}
        w._by_id = index  # type: ignore[attr-defined]
    user = index.get(uid)
    return bool(user and user["is_private"])


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


# --- the platform presets (README, "Platform presets"), one literal reading each ----------

PRESETS = ("seed", "tiktok", "instagram", "x", "youtube")
VISIBLE = {
    "seed": ("self", "public", "approved_follower"),
    "tiktok": ("self", "creator_inbox"),
    "instagram": ("self", "everyone_who_can_view"),
    "x": ("self", "author_sees_all"),
    "youtube": ("self",),
}


def preset_reason(w: World, rules: str, v: int, x: int, liker: int) -> str:
    """Why `liker` is or is not identifiable to v on video x, as the preset table reads.

    Every preset: your own like is yours to see; a block either way hides.
    seed: rules 5 and 8. tiktok: the creator sees every liker, others only themselves.
    instagram: everyone who can view sees every liker. x: only the author sees who liked.
    youtube: nobody sees who liked, not even the creator.
    """
    creator = w.videos[x]
    if liker == v:
        return "self"
    if blocked(w, v, liker):
        return "blocked"
    if rules == "seed":
        return reason(w, v, liker)
    if rules == "tiktok":
        return "creator_inbox" if v == creator else "creator_only"
    if rules == "instagram":
        return "everyone_who_can_view"
    if rules == "x":
        return "author_sees_all" if v == creator else "author_only"
    if rules == "youtube":
        return "nobody_sees_likers"
    raise ValueError(rules)


def preset_identifiable(w: World, rules: str, v: int, x: int, liker: int) -> bool:
    """Rule 3 under a preset; every preset views by rule 1."""
    return can_view(w, v, x) and preset_reason(w, rules, v, x, liker) in VISIBLE[rules]


def preset_audience(w: World, rules: str, liker: int, x: int) -> set[int]:
    """Rule 6 under a preset: the users other than the liker who identify their like."""
    everyone = {u["id"] for u in w.users.values()}
    return {v for v in everyone - {liker} if preset_identifiable(w, rules, v, x, liker)}


def audience_kind(w: World, rules: str, liker: int, x: int) -> str:
    """Who, apart from the liker, sees a like under the preset, in one word."""
    if rules == "seed":
        return "approved_followers" if _private(w, liker) else "everyone"
    if rules in ("tiktok", "x"):
        return "nobody" if liker == w.videos[x] else "creator_only"
    return "everyone" if rules == "instagram" else "nobody"


def preset_audience_at_most(w: World, rules: str, liker: int, x: int) -> int:
    """Rule 6 as the liker is told, from the liker's own relationships."""
    kind = audience_kind(w, rules, liker, x)
    if kind == "everyone":
        return len(w.users) - 1
    if kind == "approved_followers":
        return sum(
            1 for (a, b), s in w.follows.items() if b == liker and a != liker and s == "approved"
        )
    return 1 if kind == "creator_only" else 0


def preset_candidates(w: World, rules: str, v: int, x: int) -> set[int]:
    """Rule 9 under a preset: users other than v, not identifiable to v, who can view x or
    are across a block with v or with the creator (a block hides an earlier like)."""
    c = w.videos[x]
    return {
        u["id"]
        for u in w.users.values()
        if u["id"] != v
        and preset_reason(w, rules, v, x, u["id"]) not in VISIBLE[rules]
        and (can_view(w, u["id"], x) or blocked(w, u["id"], v) or blocked(w, u["id"], c))
    }


# --- any rule set, its clauses read literally (rule files) ------------------------------------


def _holds(w: World, when: str, v: int, x: int, liker: int) -> bool:
    """One condition of a clause, as its name says."""
    if when == "anyone":
        return True
    if when == "asker_is_creator":
        return v == w.videos[x]
    if when == "liker_is_public":
        return not _private(w, liker)
    if when == "asker_follows_liker":
        return approved(w, v, liker)
    if when == "liker_follows_asker":
        return approved(w, liker, v)
    if when == "asker_requested_liker":
        return w.follows.get((v, liker)) == "pending"
    raise ValueError(when)


def clause_reason(w: World, rules, v: int, x: int, liker: int) -> str:
    """Rules 5 and 8 under any rule set: self, blocked, the first clause whose conditions all
    hold, the first hidden clause that holds, else the rule set's `otherwise`."""
    if liker == v:
        return "self"
    if blocked(w, v, liker):
        return "blocked"
    for clause in (*rules.identifies, *rules.hidden):
        if all(_holds(w, c.value, v, x, liker) for c in clause.conditions):
            return clause.reason
    return rules.otherwise


def clause_identifiable(w: World, rules, v: int, x: int, liker: int) -> bool:
    return can_view(w, v, x) and clause_reason(w, rules, v, x, liker) in rules.visible_reasons


def clause_candidates(w: World, rules, v: int, x: int) -> set[int]:
    """Rule 9's candidates under any rule set (as `preset_candidates`)."""
    c = w.videos[x]
    return {
        u["id"]
        for u in w.users.values()
        if u["id"] != v
        and clause_reason(w, rules, v, x, u["id"]) not in rules.visible_reasons
        and (can_view(w, u["id"], x) or blocked(w, u["id"], v) or blocked(w, u["id"], c))
    }


def worst_world_for(w: World, liker: int, x: int) -> World:
    """The world, among those the liker cannot tell from w, where the creator of x has the
    fewest candidates: the creator approved-follows every private account but the liker
    (their follow of the liker, the liker's own relation, stays), nobody else follows a
    private creator, and no block the liker is not part of exists."""
    from dataclasses import replace

    c = w.videos[x]
    follows = {
        (a, b): s
        for (a, b), s in w.follows.items()
        if liker in (a, b) and not (b == c and a != liker and _private(w, c))
    }
    for u in w.users.values():
        uid = u["id"]
        if u["is_private"] and uid not in (liker, c):
            follows[(c, uid)] = "approved"
    blocks = {(a, b) for (a, b) in w.blocks if liker in (a, b)}
    return replace(w, follows=follows, blocks=blocks)


def preset_may_be_identifiable(w: World, rules: str, liker: int, x: int) -> bool:
    """Rule 9's warning as the liker is told it: the creator's verdict in the worst world
    the liker cannot rule out, with every like of x possibly anonymous to the creator."""
    liked = (x, liker) in w.likes
    a = sum(1 for (video, _u) in w.likes if video == x) + (0 if liked else 1)
    c = len(preset_candidates(worst_world_for(w, liker, x), rules, w.videos[x], x))
    return a > 0 and (c < 5 or a >= c)
