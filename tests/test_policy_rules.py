"""One small world per rule and per reason of the visibility policy (README, "The rules,
in plain words", 1-8)."""

import pytest

from tests.worlds import World
from wholiked.core.errors import NotPermitted


def _world() -> World:
    """cara (public creator) posts video 1; likers cover every reason for cara."""
    w = World()
    w.user("cara", creator=True)
    for handle in ("pub", "friend", "pending", "stranger", "blocked_by_cara", "blocker_of_cara"):
        w.user(handle, private=handle not in ("pub", "blocked_by_cara", "blocker_of_cara"))
    w.follow("cara", "friend", "approved")
    w.follow("cara", "pending", "pending")
    w.block("cara", "blocked_by_cara")
    w.block("blocker_of_cara", "cara")
    x = w.video("cara")
    for i, h in enumerate(("cara", "pub", "friend", "pending", "stranger", "blocked_by_cara")):
        w.like(h, x, f"2026-11-0{i + 1}T00:00:00Z")
    w.like("blocker_of_cara", x, "2026-10-01T00:00:00Z")
    return w


def test_rule1_creator_views_own_video_and_public_video_is_viewable(open_world):
    """Rule 1: the creator and anyone unblocked may view a public creator's video."""
    service = open_world(_world())
    assert service.likers(1, service.user("cara")).total == 7
    assert service.likers(1, service.user("stranger")).total == 7


def test_rule1_block_either_way_prevents_viewing(open_world):
    """Rule 1: a block in either direction hides the video (exit 3 in the CLI)."""
    service = open_world(_world())
    for handle in ("blocked_by_cara", "blocker_of_cara"):
        with pytest.raises(NotPermitted):
            service.likers(1, service.user(handle))


def test_rule1_private_creator_needs_an_approved_follow():
    """Rule 1: a private creator's video is for approved followers only; pending is not."""
    w = World()
    w.user("priv", private=True)
    w.user("fan")
    w.user("asker")
    w.user("nobody")
    w.follow("fan", "priv")
    w.follow("asker", "priv", "pending")
    x = w.video("priv")
    from tests.reference import can_view

    assert [can_view(w, w.id(h), x) for h in ("priv", "fan", "asker", "nobody")] == [
        True,
        True,
        False,
        False,
    ]


def test_rule1_private_creator_in_sql(open_world):
    """Rule 1 through the service: only the creator and approved followers may view."""
    w = World()
    w.user("priv", private=True)
    w.user("fan")
    w.user("asker")
    w.follow("fan", "priv")
    w.follow("asker", "priv", "pending")
    x = w.video("priv")
    w.like("fan", x)
    service = open_world(w)
    assert service.likers(x, service.user("fan")).total == 1
    assert service.likers(x, service.user("priv")).total == 1
    with pytest.raises(NotPermitted):
        service.likers(x, service.user("asker"))


def test_rule2_total_counts_every_like(open_world):
    """Rule 2: the total includes likes of private and blocked accounts."""
    service = open_world(_world())
    assert service.likers(1, service.user("pub")).total == 7


def test_rule3_and_5_reasons_for_the_creator(open_world):
    """Rules 3 and 5: the creator identifies self, public and approved followers only."""
    service = open_world(_world())
    result = service.likers(1, service.user("cara"))
    reasons = {r.handle: r.reason for r in result.identifiable}
    assert reasons == {"cara": "self", "pub": "public", "friend": "approved_follower"}


def test_rule3_creator_gets_no_extra_power(open_world):
    """Rule 3: a private liker the creator does not follow stays anonymous to the creator."""
    service = open_world(_world())
    handles = {r.handle for r in service.likers(1, service.user("cara")).identifiable}
    assert "stranger" not in handles and "pending" not in handles


def test_rule3_own_like_is_always_identifiable(open_world):
    """Rule 3: a private user sees their own like (reason self)."""
    service = open_world(_world())
    rows = service.likers(1, service.user("stranger")).identifiable
    assert ("stranger", "self") in {(r.handle, r.reason) for r in rows}


def test_rule3_block_hides_a_public_liker(open_world):
    """Rule 3: across a block even a public liker is not identifiable."""
    w = _world()
    w.user("viewer")
    w.block("pub", "viewer")
    service = open_world(w)
    rows = service.likers(1, service.user("viewer")).identifiable
    assert "pub" not in {r.handle for r in rows}


def test_rule4_anonymous_is_total_minus_identifiable(open_world):
    """Rule 4: anonymous = total - identifiable; nothing else is revealed."""
    service = open_world(_world())
    result = service.likers(1, service.user("cara"))
    assert result.anonymous == 4
    assert result.total == len(result.identifiable) + result.anonymous


def test_rule6_audience_of_a_private_like(open_world):
    """Rule 6: a private liker's audience is their approved followers who can view the video."""
    w = _world()
    w.user("follower_a")
    w.user("follower_b")
    w.follow("follower_a", "friend")
    w.follow("follower_b", "friend", "pending")
    service = open_world(w)
    a = service.audience(1, service.user("friend"))
    assert (a.liked, a.creator_can_see, a.reason, a.audience) == (
        True,
        True,
        "approved_follower",
        "approved_followers",
    )
    assert a.audience_at_most == 2  # the liker's approved followers: cara and follower_a
    assert service.audit(1, service.user("friend")).audience_count == 2


@pytest.mark.parametrize(
    ("liker", "can_see", "reason"),
    [
        ("pub", True, "public"),
        ("friend", True, "approved_follower"),
        ("pending", False, "private_follow_pending"),
        ("stranger", False, "private_not_following"),
        ("cara", True, "self"),
    ],
)
def test_rule6_creator_verdict(open_world, liker, can_see, reason):
    """Rule 6: whether the creator can see the like, and why."""
    service = open_world(_world())
    a = service.audience(1, service.user(liker))
    assert (a.creator_can_see, a.reason) == (can_see, reason)


def test_rule6_liker_blocked_by_creator_cannot_like(open_world):
    """Rule 6 needs a liker who can view: a user the creator blocked gets exit 3."""
    w = _world()
    w.user("later")
    w.block("cara", "later")
    service = open_world(w)
    with pytest.raises(NotPermitted):
        service.audience(1, service.user("later"))


def test_rule6_public_audience_is_everyone_who_can_view(open_world):
    """Rule 6: a public liker's audience counts every user who can view, minus blocks."""
    service = open_world(_world())
    a = service.audience(1, service.user("pub"))
    assert a.audience == "everyone"
    # 7 users; minus pub; minus the two on either side of a block with cara.
    assert service.audit(1, service.user("pub")).audience_count == 4
    # What pub is told is built from pub's own relationships: every other user.
    assert a.audience_at_most == 6


@pytest.mark.parametrize(
    ("liker", "reason"),
    [
        ("cara", "self"),
        ("pub", "public"),
        ("friend", "approved_follower"),
        ("pending", "private_follow_pending"),
        ("stranger", "private_not_following"),
        ("blocked_by_cara", "blocked"),
        ("blocker_of_cara", "blocked"),
    ],
)
def test_rule7_and_8_audit_reasons(open_world, liker, reason):
    """Rules 7 and 8: the audit lists every liker with the verdict's reason for the asker."""
    service = open_world(_world())
    rows = {r.handle: r for r in service.audit(1, service.user("cara")).likers}
    assert rows[liker].reason == reason
    assert rows[liker].identifiable == (reason in ("self", "public", "approved_follower"))


def test_rule7_audit_without_asker_lists_everyone_in_order(open_world):
    """Rule 7: without an asker, every liker, newest first."""
    service = open_world(_world())
    audit = service.audit(1)
    assert audit.total == 7 and len(audit.likers) == 7
    assert [r.reason for r in audit.likers] == [None] * 7
    times = [r.liked_at for r in audit.likers]
    assert times == sorted(times, reverse=True)


def test_rule8_block_wins_over_pending():
    """Rule 8: blocked is the first hidden reason, before a pending request."""
    from tests.reference import reason

    w = World()
    w.user("a")
    w.user("b", private=True)
    w.follow("a", "b", "pending")
    w.block("b", "a")
    assert reason(w, w.id("a"), w.id("b")) == "blocked"


def test_ordering_ties_break_by_handle(open_world):
    """Identifiable likers: liked_at descending, then handle ascending."""
    w = World()
    w.user("cc", creator=True)
    for h in ("zed", "amy", "bob"):
        w.user(h)
    x = w.video("cc")
    for h in ("zed", "amy", "bob"):
        w.like(h, x, "2026-11-01T00:00:00Z")
    w.like("cc", x, "2026-11-02T00:00:00Z")
    service = open_world(w)
    rows = service.likers(x, service.user("cc")).identifiable
    assert [r.handle for r in rows] == ["cc", "amy", "bob", "zed"]
