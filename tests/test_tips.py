"""Engagement tips (DESIGN.md "Engagement tips"): for each tip, one small world where it
applies (with its evidence numbers) and one where it does not; the counterfactual
audience of a privacy switch against the literal policy; no hidden identity leaks."""

import json
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import reference
from tests.test_analytics import at
from tests.worlds import NOW, World, worlds
from wholiked.core.answers.tips import TIP_IDS
from wholiked.core.answers.tips.viewer import like_audiences
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database

RECENT = at(timedelta(days=1))
OLD = at(timedelta(days=90))


@dataclass
class RichWorld(World):
    """A World with captions, sounds, views, posting times, hashtags and comments."""

    captions: dict[int, str | None] = field(default_factory=dict)
    sounds: dict[int, str | None] = field(default_factory=dict)
    views: dict[int, int | None] = field(default_factory=dict)
    posted: dict[int, str] = field(default_factory=dict)
    tags: dict[int, list[str]] = field(default_factory=dict)
    comments: list[tuple] = field(default_factory=list)

    def post(self, creator: str, caption: str | None = "caption", **extra) -> int:
        """A video with a caption and, when given, sound=, views=, posted=, tags=."""
        x = self.video(creator)
        self.captions[x] = caption
        for name, values in (
            ("sound", self.sounds),
            ("views", self.views),
            ("posted", self.posted),
        ):
            if name in extra:
                values[x] = extra[name]
        self.tags[x] = extra.get("tags", [])
        return x

    def comment(self, handle: str, video: int, reply_to: int | None = None) -> int:
        cid = len(self.comments) + 1
        self.comments.append((cid, video, self.id(handle), "nice", RECENT, reply_to))
        return cid

    def write(self, path: Path, *, indexes: bool = True) -> Path:
        super().write(path, indexes=indexes)
        conn = sqlite3.connect(path)
        with conn:
            for column, values in (
                ("caption", self.captions),
                ("sound", self.sounds),
                ("views", self.views),
                ("posted_at", self.posted),
            ):
                conn.executemany(
                    f"UPDATE videos SET {column} = ? WHERE id = ?",
                    [(v, x) for x, v in values.items()],
                )
            conn.executemany(
                "INSERT INTO video_hashtags VALUES (?, ?)",
                [(x, t) for x, tags in self.tags.items() for t in tags],
            )
            conn.executemany("INSERT INTO comments VALUES (?, ?, ?, ?, ?, ?)", self.comments)
        conn.close()
        return path


def _tips(service: Wholiked, handle: str, k: int = 5) -> dict[str, dict]:
    found = service.tips(service.user(handle), k=k)
    ids = [t["id"] for t in found]
    assert ids == [i for i in TIP_IDS if i in ids]  # stable order, no duplicates
    for t in found:
        assert set(t) == {"id", "perspective", "title", "detail", "evidence"}
        json.dumps(t)
    return {t["id"]: t for t in found}


def _fans(w: World, n: int, prefix: str = "fan", **kwargs) -> list[str]:
    handles = [f"{prefix}{i}" for i in range(n)]
    for h in handles:
        w.user(h, **kwargs)
    return handles


# --- creator tips -----------------------------------------------------------------------------


def test_best_content_names_the_best_rate(open_world):
    w = RichWorld()
    w.user("cara", creator=True)
    a, b = w.post("cara", "dance"), w.post("cara", "cook", views=500)
    fans = _fans(w, 3)
    for h in fans:
        w.like(h, a)
    w.like(fans[0], b)
    tip = _tips(open_world(w), "cara")["best_content"]
    assert tip["evidence"] == {
        "video_id": a,
        "likes": 3,
        "views": 1000,
        "engagement_rate": 0.003,
        "average_engagement_rate": round(4 / 1500, 4),
        "videos": 2,
    }
    assert "'dance'" in tip["detail"]


def test_best_content_needs_two_videos_with_views(open_world):
    w = RichWorld()
    w.user("cara", creator=True)
    w.user("fan")
    w.like("fan", w.post("cara"))
    w.post("cara", views=None)
    assert "best_content" not in _tips(open_world(w), "cara")


def test_calls_to_action_compares_questions(open_world):
    w = RichWorld()
    w.user("cara", creator=True)
    ask, plain = w.post("cara", "what do you think?"), w.post("cara", "my day")
    fans = _fans(w, 4)
    for h in fans:
        w.like(h, ask)
    w.like(fans[0], plain)
    tip = _tips(open_world(w), "cara")["calls_to_action"]
    assert tip["evidence"] == {
        "question_videos": 1,
        "question_engagement_rate": 0.004,
        "other_videos": 1,
        "other_engagement_rate": 0.001,
    }
    assert tip["detail"].startswith("Questions work for you")


def test_calls_to_action_needs_both_kinds(open_world):
    w = RichWorld()
    w.user("cara", creator=True)
    w.post("cara", "one")
    w.post("cara", None)
    assert "calls_to_action" not in _tips(open_world(w), "cara")


def _trending_world() -> RichWorld:
    """otto (public) uses sound 'hit' and tag 'dance': 3 likes this week, 1 older; a private
    creator's 'secret' sound/tag has more likes but cara cannot view that video."""
    w = RichWorld()
    w.user("cara", creator=True)
    w.user("otto", creator=True)
    w.user("priv", creator=True, private=True)
    w.post("cara", sound="mine", tags=["mine"])
    hit = w.post("otto", sound="hit", tags=["dance", "mine"])
    secret = w.post("priv", sound="secret", tags=["secret"])
    fans = _fans(w, 5)
    for h in fans[:3]:
        w.like(h, hit, RECENT)
    w.like(fans[3], hit, OLD)
    for h in fans:
        w.like(h, secret, RECENT)
    return w


def test_trending_sounds_and_hashtags_the_creator_has_not_used(open_world):
    found = _tips(open_world(_trending_world()), "cara")
    assert found["trending_sounds"]["evidence"] == {
        "window_days": 7,
        "sounds": [{"sound": "hit", "likes": 3, "videos": 1}],
    }
    assert found["trending_hashtags"]["evidence"] == {
        "window_days": 7,
        "hashtags": [{"tag": "dance", "likes": 3, "videos": 1}],
    }
    assert "secret" not in json.dumps(found)


def test_no_trending_tip_when_the_creator_already_uses_them(open_world):
    w = _trending_world()
    w.sounds[1], w.tags[1] = "hit", ["dance", "mine"]
    found = _tips(open_world(w), "cara")
    assert "trending_sounds" not in found and "trending_hashtags" not in found


def _comments_world(*, answer_all: bool) -> RichWorld:
    w = RichWorld()
    w.user("cara", creator=True)
    w.user("troll")
    a, b = w.post("cara"), w.post("cara")
    fans = _fans(w, 3)
    c1 = w.comment(fans[0], a)
    c2 = w.comment(fans[1], a)
    c3 = w.comment(fans[2], b)
    w.comment("cara", a)  # her own comment needs no answer
    w.comment(fans[1], a, reply_to=c1)  # a reply by someone else is no answer
    w.comment("cara", a, reply_to=c2)
    w.comment("troll", b)  # blocked: cannot be answered
    w.block("cara", "troll")
    if answer_all:
        w.comment("cara", a, reply_to=c1)
        w.comment("cara", b, reply_to=c3)
    return w


def test_unanswered_comments_counts_top_level_comments_without_a_reply(open_world):
    tip = _tips(open_world(_comments_world(answer_all=False)), "cara")["unanswered_comments"]
    assert tip["evidence"] == {
        "unanswered": 2,
        "videos": 2,
        "top_video_id": 1,
        "top_video_unanswered": 1,
    }


def test_no_unanswered_comments_tip_when_all_are_answered(open_world):
    assert "unanswered_comments" not in _tips(open_world(_comments_world(answer_all=True)), "cara")


def _schedule_world(followers: int, *, secret: bool = False) -> RichWorld:
    """cara posts at 08:00; her approved followers like her video at 20:00 (and 21:00)."""
    w = RichWorld()
    w.user("cara", creator=True)
    x = w.post("cara", posted="2026-11-01T08:00:00Z")
    w.post("cara", posted="2026-11-02T20:30:00Z")
    for h in _fans(w, followers):
        w.follow(h, "cara")
        w.like(h, x, "2026-11-19T20:15:00Z")
    w.user("night", private=secret)
    w.follow("night", "cara")
    w.like("night", x, "2026-11-19T21:15:00Z")
    w.user("stranger")  # not a follower: not counted
    w.like("stranger", x, "2026-11-19T03:00:00Z")
    return w


def test_posting_schedule_compares_follower_hours_with_posting_hours(open_world):
    tip = _tips(open_world(_schedule_world(5)), "cara")["posting_schedule"]
    assert tip["evidence"] == {
        "window_days": 28,
        "follower_likers": 6,
        "top_hours": ["20"],
        "top_hour_likers": [5],
        "videos": 2,
        "videos_in_top_hours": 1,
        "usual_posting_hour": "08",
        "usual_posting_hour_videos": 1,
    }


def test_no_posting_schedule_with_too_few_followers_or_a_few_anonymous_ones(open_world):
    assert "posting_schedule" not in _tips(open_world(_schedule_world(3)), "cara")
    # 5 + 1 followers, but the one at 21:00 is private and cara does not follow them back.
    assert "posting_schedule" not in _tips(open_world(_schedule_world(5, secret=True)), "cara")


def _collab_world(shared: int, *, otto_private: bool = False, secret: bool = False) -> RichWorld:
    w = RichWorld()
    w.user("cara", creator=True)
    w.user("otto", creator=True, private=otto_private)
    w.user("lone", creator=True)
    mine, his, lone = w.post("cara"), w.post("otto"), w.post("lone")
    for h in _fans(w, shared):
        w.like(h, mine, RECENT)
        w.like(h, his, RECENT)
    w.user("hidden.fan", private=secret)
    w.like("hidden.fan", mine, RECENT)
    w.like("hidden.fan", his, RECENT)
    w.like("hidden.fan", lone, RECENT)
    w.like("otto", mine, RECENT)  # the creators themselves are not shared likers
    w.like("cara", his, RECENT)
    return w


def test_collaboration_names_creators_with_k_shared_likers(open_world):
    tip = _tips(open_world(_collab_world(4)), "cara")["collaboration"]
    assert tip["evidence"] == {
        "window_days": 28,
        "min_shared_likers": 5,
        "creators": [{"handle": "otto", "shared_likers": 5}],
    }
    assert "hidden.fan" not in json.dumps(tip)


def test_no_collaboration_below_k_or_when_it_would_single_out_anonymous_likers(open_world):
    assert "collaboration" not in _tips(open_world(_collab_world(3)), "cara")
    # 4 public + 1 private stranger shared: the anonymous one could be singled out.
    assert "collaboration" not in _tips(open_world(_collab_world(4, secret=True)), "cara")
    # otto is private and cara does not follow him: his likers are no business of hers.
    assert "collaboration" not in _tips(open_world(_collab_world(4, otto_private=True)), "cara")


def test_anonymous_share_counts_likes_hidden_from_the_creator(open_world):
    w = RichWorld()
    w.user("cara", creator=True)
    a, b = w.post("cara"), w.post("cara")
    for h in _fans(w, 3):
        w.like(h, a)
    w.user("secret", private=True)
    w.like("secret", a)
    w.like("secret", b)
    tip = _tips(open_world(w), "cara")["anonymous_share"]
    assert tip["evidence"] == {"likes": 5, "anonymous": 2, "anonymous_share": 0.4, "videos": 2}


def test_no_anonymous_share_when_every_liker_is_identifiable(open_world):
    w = RichWorld()
    w.user("cara", creator=True)
    w.user("secret", private=True)
    w.follow("cara", "secret")
    w.like("secret", w.post("cara"))
    assert "anonymous_share" not in _tips(open_world(w), "cara")


def test_personal_account_with_videos_gets_the_creator_account_tip_only(open_world):
    w = RichWorld()
    w.user("pat")
    w.user("fan")
    w.like("fan", w.post("pat", "hi?"))
    w.post("pat")
    found = _tips(open_world(w), "pat")
    assert found["creator_account"]["evidence"] == {"videos": 2, "likes": 1}
    assert not {"best_content", "calls_to_action", "anonymous_share"} & set(found)
    assert found["creator_account"]["perspective"] == "creator"


def test_no_creator_tips_without_videos(open_world):
    w = RichWorld()
    w.user("cara", creator=True)
    assert _tips(open_world(w), "cara") == {}


# --- viewer tips ------------------------------------------------------------------------------


def _viewer_world(*, private: bool) -> RichWorld:
    """vi liked videos by cara (vi's approved follower) and otto (not); two requests pend."""
    w = RichWorld()
    w.user("vi", private=private)
    w.user("cara", creator=True)
    w.user("otto", creator=True)
    w.user("asker")
    w.user("blocked.asker")
    w.follow("cara", "vi")
    w.follow("asker", "vi", "pending")
    w.follow("blocked.asker", "vi", "pending")
    w.block("vi", "blocked.asker")
    w.like("vi", w.post("cara"))
    w.like("vi", w.post("cara"))
    w.like("vi", w.post("otto"))
    return w


def test_like_audience_public_and_private(open_world):
    found = _tips(open_world(_viewer_world(private=False)), "vi")
    assert found["like_audience"]["evidence"] == {
        "likes": 3,
        "is_private": False,
        "audience": "everyone",
        "approved_followers": 1,
    }
    found = _tips(open_world(_viewer_world(private=True)), "vi")
    assert found["like_audience"]["evidence"]["audience"] == "approved_followers"


def test_creators_who_see_counts_and_names_only_those_who_can(open_world):
    found = _tips(open_world(_viewer_world(private=True)), "vi")["creators_who_see"]
    assert found["evidence"] == {
        "creators": 2,
        "can_see": 1,
        "cannot_see": 1,
        "likes_seen": 2,
        "likes_unseen": 1,
    }
    assert "@cara" in found["detail"] and "@otto" not in found["detail"]
    public = _tips(open_world(_viewer_world(private=False)), "vi")["creators_who_see"]
    assert public["evidence"]["can_see"] == 2


def test_pending_requests_for_a_private_account(open_world):
    tip = _tips(open_world(_viewer_world(private=True)), "vi")["pending_requests"]
    assert tip["evidence"] == {"pending": 1, "likes": 3}  # the blocked asker is not counted
    assert "pending_requests" not in _tips(open_world(_viewer_world(private=False)), "vi")


def test_no_viewer_tips_without_likes(open_world):
    w = RichWorld()
    w.user("vi")
    w.user("cara", creator=True)
    w.like("cara", w.post("cara"))
    found = _tips(open_world(w), "vi")
    assert not {"like_audience", "creators_who_see", "privacy_switch"} & set(found)
    # liking only your own videos: no creator to see them
    assert "creators_who_see" not in _tips(open_world(w), "cara")


def test_privacy_switch_evidence(open_world):
    w = _viewer_world(private=False)
    for i in range(3):
        w.user(f"other{i}")
    tip = _tips(open_world(w), "vi")["privacy_switch"]
    # public: everyone but vi (7 users) sees each of the 3 likes, less blocked.asker.
    # private: only cara (approved follower) sees them.
    assert tip["evidence"] == {
        "likes": 3,
        "audience_now": 3 * 6,
        "audience_after": 3,
        "switch_to": "private",
    }


# --- the counterfactual against the literal policy ---------------------------------------------


# More approved follows and videos than the policy's worlds, every like at NOW.
TIP_WORLDS = worlds(
    max_follows=14, statuses=("approved", "approved", "pending"), max_videos=4, like_times=(NOW,)
)


def _flipped(w: World, handle: str) -> World:
    users = {h: dict(u) for h, u in w.users.items()}
    users[handle]["is_private"] = 1 - users[handle]["is_private"]
    return replace(w, users=users)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TIP_WORLDS)
def test_like_audiences_match_the_policy_now_and_after_a_switch(w: World) -> None:
    """Sum over a user's likes of rule 6's audience, now and with their privacy flipped."""
    with tempfile.TemporaryDirectory() as folder:
        service = Wholiked(open_database(w.write(Path(folder) / "w.db")))
        try:
            conn = service.db.conn
            for handle, u in w.users.items():
                liked = [x for (x, uid) in w.likes if uid == u["id"]]
                now = sum(len(reference.audience(w, u["id"], x)) for x in liked)
                flipped = _flipped(w, handle)
                after = sum(len(reference.audience(flipped, u["id"], x)) for x in liked)
                assert like_audiences(conn, u["id"], switched=False) == now
                assert like_audiences(conn, u["id"], switched=True) == after
        finally:
            service.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TIP_WORLDS, st.sampled_from([2, 3]))
def test_tips_name_only_creators_the_user_can_see(w: World, k: int) -> None:
    """Every @handle a tip names is a creator whose video the user liked (they know whose
    videos they liked) or whose videos they can view: no liker, follower or requester is
    ever named."""
    with tempfile.TemporaryDirectory() as folder:
        service = Wholiked(open_database(w.write(Path(folder) / "w.db")))
        try:
            for handle, u in w.users.items():
                for tip in service.tips(service.user(handle), k=k):
                    for named in re.findall(r"@([a-z0-9._]+)", tip["detail"]):
                        posted = [x for x, c in w.videos.items() if c == w.id(named)]
                        assert any(
                            reference.can_view(w, u["id"], x) or (x, u["id"]) in w.likes
                            for x in posted
                        ), tip
        finally:
            service.close()
