"""Engagement tips (README, "Analytics and tips"): for each tip,
one small world where it applies (with its evidence numbers) and one where it does not;
every tip states its class; the posting schedule comes from the daily release; the
privacy-switch numbers against the user's own relationships; no hidden identity leaks."""

import json
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import reference
from tests.worlds import NOW, World, worlds
from wholiked.core.answers.analytics import breakdown, daily_release
from wholiked.core.answers.forms import json_form
from wholiked.core.answers.tips import TIP_IDS
from wholiked.core.answers.tips.creator import CREATOR_TIPS, shared_likers_sql
from wholiked.core.answers.tips.viewer import VIEWER_TIPS
from wholiked.core.release import noise
from wholiked.core.release.domains import DOMAINS
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database
from wholiked.core.store.format import TIMESTAMP_FORMAT
from wholiked.fixtures.synth import build_synth

REF = datetime.strptime(NOW, TIMESTAMP_FORMAT).replace(tzinfo=UTC)


def at(delta: timedelta) -> str:
    """A timestamp `delta` before the reference time."""
    return (REF - delta).strftime(TIMESTAMP_FORMAT)


RECENT = at(timedelta(days=1))
OLD = at(timedelta(days=90))


@dataclass
class RichWorld(World):
    """A World with captions, sounds, views, posting times, hashtags, comments and meta rows
    (a fixed `noise_key` by default, so anything from the daily release is deterministic)."""

    captions: dict[int, str | None] = field(default_factory=dict)
    sounds: dict[int, str | None] = field(default_factory=dict)
    views: dict[int, int | None] = field(default_factory=dict)
    posted: dict[int, str] = field(default_factory=dict)
    tags: dict[int, list[str]] = field(default_factory=dict)
    comments: list[tuple] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=lambda: {"noise_key": "test-tips"})

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
            conn.executemany("INSERT INTO meta VALUES (?, ?)", self.meta.items())
        conn.close()
        return path


def _tips(service: Wholiked, handle: str, k: int = 5) -> dict[str, dict]:
    found = service.tips(service.user(handle), k=k)
    ids = [t.id for t in found]
    assert ids == [i for i in TIP_IDS if i in ids]  # stable order, no duplicates
    forms = [json_form(t) for t in found]
    for t in forms:
        assert set(t) == {"id", "perspective", "title", "detail", "evidence"}
        json.dumps(t)
    return {t["id"]: t for t in forms}


def _fans(w: World, n: int, prefix: str = "fan", **kwargs) -> list[str]:
    handles = [f"{prefix}{i}" for i in range(n)]
    for h in handles:
        w.user(h, **kwargs)
    return handles


def _keys(value: object) -> list[str]:
    """Every dict key in a JSON-like value, at any depth."""
    if isinstance(value, dict):
        return [k for key, v in value.items() for k in (key, *_keys(v))]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


# --- creator tips -----------------------------------------------------------------------------


def _best_world(videos: int = 3) -> RichWorld:
    """cara's videos with views: 'dance' (1,000 views, 3 likes), 'cook' (500 views, 1 like),
    then 'sing' (2,000 views, 1 like) when there are three."""
    w = RichWorld()
    w.user("cara", creator=True)
    a, b = w.post("cara", "dance"), w.post("cara", "cook", views=500)
    fans = _fans(w, 3)
    for h in fans:
        w.like(h, a)
    w.like(fans[0], b)
    if videos >= 3:
        w.like(fans[1], w.post("cara", "sing", views=2000))
    return w


def test_best_content_names_the_best_rate(open_world):
    tip = _tips(open_world(_best_world()), "cara")["best_content"]
    assert tip["evidence"] == {
        "class": "visible-only",
        "video_id": 1,
        "likes": 3,
        "views": 1000,
        "engagement_rate": 0.003,
        "average_engagement_rate": round(5 / 3500, 4),
        "videos": 3,
        "min_videos": 3,
    }
    assert "'dance'" in tip["detail"]


def test_best_content_needs_three_videos_with_views(open_world):
    """The floor: it compares one video with the rest, so at least 3 videos with views;
    two (and a third without views) say nothing."""
    w = _best_world(videos=2)
    w.post("cara", views=None)
    assert "best_content" not in _tips(open_world(w), "cara")
    assert "best_content" in _tips(open_world(_best_world(videos=3)), "cara")


def _cta_world(asks: int = 3, plain: int = 3) -> RichWorld:
    """Question captions, each liked by 4 fans; other captions, each liked by 1."""
    w = RichWorld()
    w.user("cara", creator=True)
    fans = _fans(w, 4)
    for _ in range(asks):
        ask = w.post("cara", "what do you think?")
        for h in fans:
            w.like(h, ask)
    for _ in range(plain):
        w.like(fans[0], w.post("cara", "my day"))
    return w


def test_calls_to_action_compares_questions(open_world):
    tip = _tips(open_world(_cta_world()), "cara")["calls_to_action"]
    assert tip["evidence"] == {
        "class": "visible-only",
        "question_videos": 3,
        "question_engagement_rate": 0.004,
        "other_videos": 3,
        "other_engagement_rate": 0.001,
        "min_videos_each_side": 3,
    }
    assert tip["detail"].startswith("Questions work for you")


def test_calls_to_action_needs_three_videos_on_each_side(open_world):
    """The floor, at its edge: 3 and 3 compare; 3 and 2, or 2 and 3, do not (nor one kind
    alone)."""
    assert "calls_to_action" in _tips(open_world(_cta_world(3, 3)), "cara")
    for asks, plain in ((3, 2), (2, 3), (0, 4)):
        assert "calls_to_action" not in _tips(open_world(_cta_world(asks, plain)), "cara")


def _trending_world(hits: int = 2) -> RichWorld:
    """Posted this week: cara's own video (sound and tag 'mine'); otto's (public) with sound
    'hit' and tags 'dance', 'mine': 3 likes from this week and 1 old one, all counted, and
    (with `hits` = 2) a second 'hit' video tagged 'dance' with 1 like; a private creator's
    'secret' videos have more likes, but cara cannot view them."""
    w = RichWorld()
    w.user("cara", creator=True)
    w.user("otto", creator=True)
    w.user("priv", creator=True, private=True)
    w.post("cara", sound="mine", tags=["mine"], posted=at(timedelta(days=2)))
    hit = w.post("otto", sound="hit", tags=["dance", "mine"], posted=at(timedelta(days=3)))
    secrets = [
        w.post("priv", sound="secret", tags=["secret"], posted=at(timedelta(days=1)))
        for _ in range(2)
    ]
    fans = _fans(w, 5)
    for h in fans[:3]:
        w.like(h, hit, RECENT)
    w.like(fans[3], hit, OLD)
    if hits >= 2:
        again = w.post("otto", sound="hit", tags=["dance"], posted=at(timedelta(days=4)))
        w.like(fans[4], again, RECENT)
    for h in fans:
        for secret in secrets:
            w.like(h, secret, RECENT)
    return w


def test_trending_sounds_and_hashtags_the_creator_has_not_used(open_world):
    found = _tips(open_world(_trending_world()), "cara")
    assert found["trending_sounds"]["evidence"] == {
        "class": "visible-only",
        "posted_within_days": 7,
        "min_videos": 2,
        "sounds": [{"sound": "hit", "likes": 5, "videos": 2}],
    }
    assert found["trending_hashtags"]["evidence"] == {
        "class": "visible-only",
        "posted_within_days": 7,
        "min_videos": 2,
        "hashtags": [{"tag": "dance", "likes": 5, "videos": 2}],
    }
    assert "secret" not in json.dumps(found)


def test_trending_needs_two_videos(open_world):
    """The floor, at its edge: a sound or hashtag on one video posted this week does not
    trend, however liked; on two it does."""
    found = _tips(open_world(_trending_world(hits=1)), "cara")
    assert "trending_sounds" not in found and "trending_hashtags" not in found
    found = _tips(open_world(_trending_world(hits=2)), "cara")
    assert "trending_sounds" in found and "trending_hashtags" in found


def test_no_trending_tip_when_the_creator_already_uses_them(open_world):
    w = _trending_world()
    w.sounds[1], w.tags[1] = "hit", ["dance", "mine"]
    found = _tips(open_world(w), "cara")
    assert "trending_sounds" not in found and "trending_hashtags" not in found


def test_trending_is_by_posting_time_not_by_when_the_likes_were_given(open_world):
    """A video posted 3 days ago counts with its whole public total, old likes included (the
    format does not tie liked_at to posted_at); one posted 10 days ago does not count,
    however recent its likes."""
    w = RichWorld()
    w.user("cara", creator=True)
    w.user("otto", creator=True)
    w.post("cara", sound="mine")
    fresh = [
        w.post("otto", sound="fresh.sound", tags=["fresh"], posted=at(timedelta(days=d)))
        for d in (3, 5)
    ]
    stale = [
        w.post("otto", sound="stale.sound", tags=["stale"], posted=at(timedelta(days=d)))
        for d in (10, 12)
    ]
    fans = _fans(w, 5)
    for h in fans[:2]:
        w.like(h, fresh[0], OLD)
    w.like(fans[2], fresh[1], OLD)
    for h in fans:
        for x in stale:
            w.like(h, x, RECENT)
    found = _tips(open_world(w), "cara")
    assert found["trending_sounds"]["evidence"]["sounds"] == [
        {"sound": "fresh.sound", "likes": 3, "videos": 2}
    ]
    assert found["trending_hashtags"]["evidence"]["hashtags"] == [
        {"tag": "fresh", "likes": 3, "videos": 2}
    ]
    assert "stale" not in json.dumps(found)


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
        "class": "visible-only",
        "unanswered": 2,
        "videos": 2,
        "top_video_id": 1,
        "top_video_unanswered": 1,
    }


def test_no_unanswered_comments_tip_when_all_are_answered(open_world):
    assert "unanswered_comments" not in _tips(open_world(_comments_world(answer_all=True)), "cara")


def _schedule_world(*, noise_key: str = "schedule", window: bool = True) -> RichWorld:
    """cara posts at 08:00 and 20:30. In the last 28 days 30 accounts liked at 20:15 (private
    ones she does not follow: the release counts every liker), 20 at 21:15 and 16 at 07:15;
    40 more liked at 03:00 two months ago, outside the window. ε is 10 (the most a world
    may set) so the blurred values stay near the counts. Without `window`, only the old
    likes."""
    w = RichWorld(meta={"noise_key": noise_key, "dp_epsilon": "10"})
    w.user("cara", creator=True)
    x = w.post("cara", posted="2026-10-01T08:00:00Z")
    w.post("cara", posted="2026-10-02T20:30:00Z")
    groups = [("night", 30, "2026-11-19T20:15:00Z", True)]
    groups += [("late", 20, "2026-11-12T21:15:00Z", False)]
    groups += [("early", 16, "2026-11-05T07:15:00Z", False)]
    groups = groups if window else []
    groups += [("old", 40, "2026-09-20T03:00:00Z", False)]
    for prefix, n, when, private in groups:
        for h in _fans(w, n, prefix, private=private):
            w.like(h, x, when)
    return w


def _released_top_hours(service: Wholiked, handle: str) -> tuple[list[str], dict]:
    """The hours a schedule may name, straight from the release: blurred value at least
    the threshold (an int, not "<5") and a noisy sum above the average of the 24 noisy
    sums by more than noise reaches with probability 5% / 24; highest first, at most 3."""
    release = daily_release(service.db, service.user(handle))
    hours = breakdown(release, "hour", 28)
    raw = {h: release.noisy_sum("hour", [0, 1], h) for h in hours}  # 28 days: 2 segments
    average = sum(raw.values()) / 24
    bar = noise.tail_bound(release.scale, 2, 0.05 / 24)
    named = [h for h, r in hours.items() if isinstance(r.value, int) and raw[h] - average > bar]
    return sorted(named, key=lambda h: (-hours[h].value, h))[:3], hours


def _average_hour(service: Wholiked, handle: str) -> float:
    release = daily_release(service.db, service.user(handle))
    total = sum(release.noisy_sum("hour", [0, 1], h) for h in DOMAINS["hour"])
    return round(max(total / 24, 0), 1)


def test_posting_schedule_names_the_released_top_hours(open_world):
    service = open_world(_schedule_world())
    top, hours = _released_top_hours(service, "cara")
    assert top == ["20", "21", "07"]
    assert _tips(service, "cara")["posting_schedule"]["evidence"] == {
        "class": "released",
        "window_days": 28,
        "release_day": "2026-11-20",
        "top_hours": top,
        "top_hour_likers": [hours[h].as_json() for h in top],
        "average_hour_likers": _average_hour(service, "cara"),
        "videos": 2,
        "videos_in_top_hours": 1,  # the one posted at 20:30
        "usual_posting_hour": "08",  # 08 and 20 once each: the earlier hour
        "usual_posting_hour_videos": 1,
        "window_likers": daily_release(service.db, service.user("cara"))
        .total("likers", [0, 1])
        .as_json(),
    }


def test_posting_schedule_is_shown_exactly_when_the_release_has_an_hour_to_name(open_world):
    """Likes outside the window do not count: with no likes in the window no hour stands
    out from the noise (for these keys; see the next test for how rarely one does), and
    there is no tip; with them, the three hours of the likers are named."""
    shown = set()
    for key in ("quiet", "calm", "still", "schedule"):
        for window in (True, False):
            service = open_world(_schedule_world(noise_key=key, window=window))
            top, _ = _released_top_hours(service, "cara")
            if window:
                assert top == ["20", "21", "07"]
            tip = _tips(service, "cara").get("posting_schedule")
            if top:
                assert tip is not None and tip["evidence"]["top_hours"] == top
            else:
                assert tip is None
            shown.add(tip is not None)
    assert shown == {True, False}  # both cases were met


@pytest.mark.parametrize(("epsilon", "per_hour"), [("1", 10), ("1", 2), ("10", 3)])
def test_posting_schedule_names_no_hour_of_pure_noise_on_most_days(
    tmp_path: Path, epsilon: str, per_hour: int
):
    """Likers spread evenly over the 24 hours (no hour stands out), at the default ε and
    the largest a world may set, with many and with few likers an hour: the tip names an
    hour only when its noisy sum beats the average by more than noise reaches with
    probability 5% / 24, so noise alone names one on about 5% of days (2.5-4.5% measured).
    Bound: over 200 fixed noise keys at most 25 days name an hour; a binomial with
    p = 0.05 exceeds 25 with probability 9e-6, this test's false-alarm rate. The rules
    this replaced fail it (checked below on the same releases): naming every hour at or
    above the threshold, and asking for two 90% margins above the average of the
    clamped, thresholded values (26% of days at ε = 10 with 3 likers an hour)."""
    w = RichWorld(meta={"dp_epsilon": epsilon})
    w.user("cara", creator=True)
    x = w.post("cara", posted="2026-10-01T08:00:00Z")
    for hour in range(24):
        for h in _fans(w, per_hour, f"h{hour:02d}_"):
            w.like(h, x, f"2026-11-{1 + hour % 18:02d}T{hour:02d}:10:00Z")
    path = w.write(tmp_path / "even.db")
    named = 0
    old = {"threshold": 0, "two margins of the shown values": 0}
    for key in range(200):
        conn = sqlite3.connect(path)
        with conn:
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('noise_key', ?)", (f"e{key}",)
            )
        conn.close()
        service = Wholiked(open_database(path))
        try:
            named += "posting_schedule" in _tips(service, "cara")
            hours = breakdown(daily_release(service.db, service.user("cara")), "hour", 28)
        finally:
            service.close()
        shown = [r for r in hours.values() if isinstance(r.value, int)]
        average = sum(r.value for r in shown) / 24
        old["threshold"] += bool(shown)
        old["two margins of the shown values"] += any(
            r.value - average > 2 * r.margin90 for r in shown
        )
    assert named <= 25, named
    if (epsilon, per_hour) == ("1", 10):
        assert old["threshold"] > 25, old
    if (epsilon, per_hour) == ("10", 3):
        assert old["two margins of the shown values"] > 25, old


def test_posting_schedule_needs_the_window_likers_clear_of_their_noise(
    open_world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The floor, at its edge: the schedule world's release, whose hours stand out, gets
    the tip while its 28-day liker count stands clear of its 90% margin (margin one
    below the count) and none once the margin reaches the count (nothing else changed).
    And a world with a single like (ε = 1) never gets it, over 30 fixed keys."""
    service = open_world(_schedule_world())
    likers = daily_release(service.db, service.user("cara")).total("likers", [0, 1])
    assert isinstance(likers.value, int)
    for margin, shown in ((likers.value - 1, True), (likers.value, False)):
        monkeypatch.setattr(noise, "margin90", lambda scale, cells=1, m=margin: m)
        assert ("posting_schedule" in _tips(service, "cara")) is shown
    monkeypatch.undo()
    w = RichWorld(meta={})
    w.user("cara", creator=True)
    w.user("fan")
    w.like("fan", w.post("cara", posted="2026-10-01T08:00:00Z"), "2026-11-10T20:15:00Z")
    path = w.write(tmp_path / "one.db")
    for key in range(30):
        conn = sqlite3.connect(path)
        with conn:
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('noise_key', ?)", (f"o{key}",)
            )
        conn.close()
        service = Wholiked(open_database(path))
        try:
            assert "posting_schedule" not in _tips(service, "cara")
        finally:
            service.close()


def test_posting_schedule_is_deterministic_blurred_and_names_no_followers(open_world):
    first = _tips(open_world(_schedule_world()), "cara")["posting_schedule"]
    again = open_world(_schedule_world())  # another file, the same world and noise key
    assert _tips(again, "cara")["posting_schedule"] == first
    assert _tips(again, "cara")["posting_schedule"] == first  # and asked again
    evidence = first["evidence"]
    for value in evidence["top_hour_likers"]:
        assert set(value) == {"value", "margin90"}
        assert isinstance(value["value"], int) and value["value"] >= 5
        assert isinstance(value["margin90"], int) and value["margin90"] > 0
    assert not [k for k in _keys(evidence) if "follower" in k]
    assert "±" in first["detail"]


def _collab_world(
    shared: int,
    *,
    extra: tuple[str, ...] = (),
    otto_private: bool = False,
    when: str = RECENT,
    others: int = 5,
) -> RichWorld:
    """`shared` public fans liked a video by cara and one by otto (at `when`), `others` public
    fans only cara's; fan0 also liked lone's video, otto liked cara's. Each kind in `extra`
    adds one more shared liker: `anonymous` (private, cara does not follow them), `followed`
    (private, cara is their approved follower), `pending` (private, cara's request pends),
    `blocked` (public, cara blocked them)."""
    w = RichWorld()
    w.user("cara", creator=True)
    w.user("otto", creator=True, private=otto_private)
    w.user("lone", creator=True)
    mine, his, lone = w.post("cara"), w.post("otto"), w.post("lone")
    fans = _fans(w, shared)
    for kind in extra:
        fan = f"{kind}.fan"
        w.user(fan, private=kind != "blocked")
        if kind in ("followed", "pending"):
            w.follow("cara", fan, "approved" if kind == "followed" else "pending")
        if kind == "blocked":
            w.block("cara", fan)
        fans.append(fan)
    for h in fans:
        w.like(h, mine, when)
        w.like(h, his, when)
    if fans:
        w.like(fans[0], lone, when)
    for h in _fans(w, others, "other"):
        w.like(h, mine, when)
    w.like("otto", mine, RECENT)  # the creators themselves are not shared likers
    w.like("cara", his, RECENT)
    return w


def test_collaboration_names_creators_with_k_shared_likers(open_world):
    tip = _tips(open_world(_collab_world(5)), "cara")["collaboration"]
    assert tip["evidence"] == {
        "class": "visible-only",
        "window_days": 28,
        "min_shared_likers": 5,
        "min_likers_considered": 10,
        "likers_considered": 11,  # the ten fans and otto, all identifiable to cara
        "creators": [{"handle": "otto", "shared_likers": 5}],
    }
    assert "@lone" not in tip["detail"]


def test_collaboration_needs_ten_likers_the_creator_can_identify(open_world):
    """The floor, at its edge: five shared likers with otto are named out of ten likers cara
    can identify in the window (otto among them), not out of nine; a liker cara cannot
    identify does not make up the tenth."""
    tip = _tips(open_world(_collab_world(5, others=4)), "cara")["collaboration"]
    assert tip["evidence"]["likers_considered"] == 10
    assert tip["evidence"]["creators"] == [{"handle": "otto", "shared_likers": 5}]
    assert "collaboration" not in _tips(open_world(_collab_world(5, others=3)), "cara")
    w = _collab_world(5, others=3)
    w.user("hidden", private=True)
    w.like("hidden", w.post("cara"), RECENT)
    assert "collaboration" not in _tips(open_world(w), "cara")


def test_no_collaboration_below_k_for_old_likes_or_creators_the_creator_cannot_view(open_world):
    assert "collaboration" not in _tips(open_world(_collab_world(4)), "cara")
    assert "collaboration" not in _tips(open_world(_collab_world(5, when=OLD)), "cara")
    # otto is private and cara does not follow him: his likers are no business of hers.
    assert "collaboration" not in _tips(open_world(_collab_world(5, otto_private=True)), "cara")
    w = _collab_world(5, otto_private=True)
    w.follow("cara", "otto")
    assert _tips(open_world(w), "cara")["collaboration"]["evidence"]["creators"] == [
        {"handle": "otto", "shared_likers": 5}
    ]


def test_collaboration_ignores_shared_likers_anonymous_to_the_creator(open_world):
    """A shared liker cara cannot identify changes nothing, below k and at k."""
    for shared in (4, 5):
        base = _tips(open_world(_collab_world(shared)), "cara").get("collaboration")
        for extra in (("anonymous",), ("pending",), ("blocked",), ("anonymous", "pending")):
            found = _tips(open_world(_collab_world(shared, extra=extra)), "cara")
            assert found.get("collaboration") == base, (shared, extra)
            assert ".fan" not in json.dumps(found)


def test_collaboration_counts_shared_likers_the_creator_can_identify(open_world):
    tip = _tips(open_world(_collab_world(4, extra=("followed",))), "cara")["collaboration"]
    assert tip["evidence"]["creators"] == [{"handle": "otto", "shared_likers": 5}]
    found = _tips(open_world(_collab_world(5, extra=("followed", "anonymous"))), "cara")
    assert found["collaboration"]["evidence"]["creators"] == [
        {"handle": "otto", "shared_likers": 6}
    ]


def test_collaboration_reads_the_likes_of_its_likers_from_the_index_alone(tmp_path: Path):
    """The tip's one large read, the likes of up to 2,000 likers in its window, walks the
    (user_id, video_id, liked_at) index without a row lookup per like: on a synthetic world
    of 30,000 likes (its planner statistics as built) the query plan says COVERING INDEX
    (on the old (user_id, video_id) index it read every like's row for its time)."""
    path = tmp_path / "synth.db"
    build_synth(path, users=3000, videos=120, likes=30_000, follows=15_000, seed=11)
    conn = sqlite3.connect(path)
    try:
        plan = [
            r[3]
            for r in conn.execute(
                "EXPLAIN QUERY PLAN " + shared_likers_sql(),
                {"mine": "[1]", "v": 1, "k": 5, "top": 3, "since": "", "ref": ""},
            )
        ]
    finally:
        conn.close()
    assert "SEARCH l USING COVERING INDEX wholiked_likes_user (user_id=?)" in plan, plan


def test_an_older_likes_by_user_index_is_made_again_with_liked_at(tmp_path: Path):
    """A file an older version indexed by (user_id, video_id) only gives the same tip
    read-only, and a writable open makes the index again with liked_at (once)."""
    path = _collab_world(5).write(tmp_path / "collab.db")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP INDEX wholiked_likes_user")
        conn.execute("CREATE INDEX wholiked_likes_user ON likes (user_id, video_id)")
    conn.close()

    def collaboration(writable: bool) -> dict:
        service = Wholiked(open_database(path, writable=writable))
        try:
            return _tips(service, "cara")["collaboration"]
        finally:
            service.close()

    before = collaboration(False)
    assert before["evidence"]["creators"] == [{"handle": "otto", "shared_likers": 5}]
    assert collaboration(True) == before
    conn = sqlite3.connect(path)
    try:
        columns = [r[2] for r in conn.execute("PRAGMA index_info(wholiked_likes_user)")]
    finally:
        conn.close()
    assert columns == ["user_id", "video_id", "liked_at"]


def _anonymous_world() -> RichWorld:
    w = RichWorld()
    w.user("cara", creator=True)
    a, b = w.post("cara"), w.post("cara")
    for h in _fans(w, 3):
        w.like(h, a)
    w.user("secret", private=True)
    w.like("secret", a)
    w.like("secret", b)
    return w


def test_anonymous_share_counts_likes_hidden_from_the_creator(open_world):
    tip = _tips(open_world(_anonymous_world()), "cara")["anonymous_share"]
    assert tip["evidence"] == {
        "class": "visible-only",
        "likes": 5,
        "anonymous": 2,
        "anonymous_share": 0.4,
        "videos": 2,
    }


def test_no_anonymous_share_when_every_liker_is_identifiable(open_world):
    w = RichWorld()
    w.user("cara", creator=True)
    w.user("secret", private=True)
    w.follow("cara", "secret")
    w.like("secret", w.post("cara"))
    assert "anonymous_share" not in _tips(open_world(w), "cara")


def _personal_world() -> RichWorld:
    w = RichWorld()
    w.user("pat")
    w.user("fan")
    w.like("fan", w.post("pat", "hi?"))
    w.post("pat")
    return w


def test_personal_account_with_videos_gets_the_creator_account_tip_only(open_world):
    found = _tips(open_world(_personal_world()), "pat")
    assert found["creator_account"]["evidence"] == {
        "class": "visible-only",
        "videos": 2,
        "likes": 1,
    }
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
        "class": "visible-only",
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
        "class": "visible-only",
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
    # the blocked asker is not counted
    assert tip["evidence"] == {"class": "visible-only", "pending": 1, "likes": 3}
    assert "pending_requests" not in _tips(open_world(_viewer_world(private=False)), "vi")


def test_no_viewer_tips_without_likes(open_world):
    w = RichWorld()
    w.user("vi")
    w.user("cara", creator=True)
    w.like("cara", w.post("cara"))
    found = _tips(open_world(w), "vi")
    viewer = {"like_audience", "creators_who_see", "privacy_switch", "effectively_identifiable"}
    assert not viewer & set(found)
    # liking only your own videos: no creator to see them
    assert "creators_who_see" not in _tips(open_world(w), "cara")


def test_privacy_switch_evidence_from_the_users_own_relationships(open_world):
    w = _viewer_world(private=False)
    for i in range(3):
        w.user(f"other{i}")
    w.follow("vi", "vi")  # a self-follow is no audience
    tip = _tips(open_world(w), "vi")["privacy_switch"]
    # public: at most every other user (7, blocks are not subtracted: it is a bound);
    # private: at most vi's one approved follower, cara.
    assert tip["evidence"] == {
        "class": "visible-only",
        "likes": 3,
        "audience_at_most_now": 7,
        "audience_at_most_after": 1,
        "switch_to": "private",
    }
    w.users["vi"]["is_private"] = 1
    tip = _tips(open_world(w), "vi")["privacy_switch"]
    assert tip["evidence"] == {
        "class": "visible-only",
        "likes": 3,
        "audience_at_most_now": 1,
        "audience_at_most_after": 7,
        "switch_to": "public",
    }


def _exposed_world() -> RichWorld:
    """pia is a private creator with one private follower, fol, whom she does not follow
    back; fol liked her video. otto is public, and 8 private accounts (pia, fol, shy0..5)
    could be behind an anonymous like of his video; shy0 liked it."""
    w = RichWorld()
    w.user("pia", private=True, creator=True)
    w.user("fol", private=True)
    w.follow("fol", "pia")
    w.like("fol", w.post("pia"))
    w.user("otto", creator=True)
    crowd = w.post("otto")
    shy = _fans(w, 6, "shy", private=True)
    w.like(shy[0], crowd)
    return w


def test_effectively_identifiable_flags_a_like_with_too_few_candidates(open_world):
    w = _exposed_world()
    found = _tips(open_world(w), "fol")
    assert found["effectively_identifiable"]["evidence"] == {
        "class": "visible-only",
        "videos": [1],
        "checked_latest_likes": 200,
    }
    assert found["effectively_identifiable"]["perspective"] == "viewer"
    assert "which you cannot see" in found["effectively_identifiable"]["detail"]
    # once pia follows fol back, the like is identifiable, not "effectively" so
    w.follow("pia", "fol")
    assert "effectively_identifiable" not in _tips(open_world(w), "fol")


def test_effectively_identifiable_assumes_the_worst_of_others_relations(open_world):
    """Under the seed, whom otto follows decides how many could be behind shy0's like, and
    shy0 cannot see it: the warning assumes the worst. Under YouTube's rules otto
    identifies no one, so the 8 other accounts are candidates whatever anyone follows, and
    one like among them is not flagged; with every one of them liking, it is."""
    w = _exposed_world()
    assert _tips(open_world(w), "shy0")["effectively_identifiable"]["evidence"]["videos"] == [2]
    youtube = open_world(w).with_rules("youtube")
    assert "effectively_identifiable" not in _tips(youtube, "shy0")
    for h in ("pia", "fol", "shy1", "shy2", "shy3", "shy4", "shy5"):
        w.like(h, 2)
    found = _tips(open_world(w).with_rules("youtube"), "shy0")
    assert found["effectively_identifiable"]["evidence"]["videos"] == [2]
    assert "8" not in found["effectively_identifiable"]["detail"]  # c is not given


# --- every tip: its class and its perspective ---------------------------------------------------


def _every_tip_worlds() -> list[tuple[RichWorld, str]]:
    return [
        (_best_world(), "cara"),
        (_cta_world(), "cara"),
        (_trending_world(), "cara"),
        (_comments_world(answer_all=False), "cara"),
        (_schedule_world(), "cara"),
        (_collab_world(5), "cara"),
        (_anonymous_world(), "cara"),
        (_personal_world(), "pat"),
        (_viewer_world(private=True), "vi"),
        (_exposed_world(), "fol"),
    ]


def test_every_tip_states_its_class_and_only_the_schedule_is_released(open_world):
    seen = set()
    for w, handle in _every_tip_worlds():
        for tip_id, tip in _tips(open_world(w), handle).items():
            seen.add(tip_id)
            assert next(iter(tip["evidence"])) == "class"
            expected = "released" if tip_id == "posting_schedule" else "visible-only"
            assert tip["evidence"]["class"] == expected, tip_id
    assert seen == set(TIP_IDS)  # the worlds above cover every tip


def test_a_perspective_gives_only_its_own_tips(open_world):
    service = open_world(_collab_world(5))  # cara posts (creator tips) and likes (viewer)
    cara = service.user("cara")
    every = service.tips(cara)
    assert {t.perspective for t in every} == {"creator", "viewer"}
    for perspective, ids in (("creator", CREATOR_TIPS), ("viewer", VIEWER_TIPS)):
        only = service.tips(cara, perspective=perspective)
        assert only == [t for t in every if t.perspective == perspective]
        assert only and {t.id for t in only} <= set(ids)
    pat = open_world(_personal_world())
    assert [t.id for t in pat.tips(pat.user("pat"), perspective="creator")] == ["creator_account"]
    assert pat.tips(pat.user("pat"), perspective="viewer") == []


# --- the privacy switch against the user's own relationships ----------------------------------


TIP_WORLDS = worlds(
    max_follows=14,
    statuses=("approved", "approved", "pending"),
    max_videos=4,
    like_times=(NOW,),
    self_follows=2,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TIP_WORLDS)
def test_privacy_switch_is_the_audience_at_most_from_the_users_own_relationships(
    w: World,
) -> None:
    """Now and after a switch: all other users for a public account, the approved followers
    (a self-follow excluded) for a private one; and it bounds every like's exact audience."""
    with tempfile.TemporaryDirectory() as folder:
        service = Wholiked(open_database(w.write(Path(folder) / "w.db")))
        try:
            everyone = len(w.users) - 1
            for handle, u in w.users.items():
                uid = u["id"]
                liked = [x for (x, liker) in w.likes if liker == uid]
                followers = sum(
                    status == "approved" and a != uid
                    for (a, b), status in w.follows.items()
                    if b == uid
                )
                now, after = (followers, everyone) if u["is_private"] else (everyone, followers)
                found = {t.id: t for t in service.tips(service.user(handle), perspective="viewer")}
                if not liked:
                    assert "privacy_switch" not in found
                    continue
                assert found["privacy_switch"].evidence == {
                    "class": "visible-only",
                    "likes": len(liked),
                    "audience_at_most_now": now,
                    "audience_at_most_after": after,
                    "switch_to": "public" if u["is_private"] else "private",
                }
                for x in liked:
                    if reference.can_view(w, uid, x):
                        assert len(reference.audience(w, uid, x)) <= now
        finally:
            service.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TIP_WORLDS, st.sampled_from([5, 6]))
def test_tips_name_only_creators_the_user_can_see(w: World, k: int) -> None:
    """Every @handle a tip names is a creator whose video the user liked (they know whose
    videos they liked) or whose videos they can view: no liker, follower or requester is
    ever named."""
    with tempfile.TemporaryDirectory() as folder:
        service = Wholiked(open_database(w.write(Path(folder) / "w.db")))
        try:
            for handle, u in w.users.items():
                for tip in service.tips(service.user(handle), k=k):
                    for named in re.findall(r"@([a-z0-9._]+)", tip.detail):
                        posted = [x for x, c in w.videos.items() if c == w.id(named)]
                        assert any(
                            reference.can_view(w, u["id"], x) or (x, u["id"]) in w.likes
                            for x in posted
                        ), tip
        finally:
            service.close()


@st.composite
def _comment_worlds(draw) -> RichWorld:
    """Four users (two of them creators), their videos, random blocks, and comments on any
    video, top-level or replying to any earlier comment (on the same video or not)."""
    w = RichWorld()
    handles = ["cara", "dan", "eve", "fay"]
    for i, h in enumerate(handles):
        w.user(h, creator=i < 2)
    for _ in range(draw(st.integers(1, 3))):
        w.post(draw(st.sampled_from(handles[:2])))
    for a, b in draw(st.lists(st.tuples(st.sampled_from(handles), st.sampled_from(handles)))):
        if a != b:
            w.block(a, b)
    for _ in range(draw(st.integers(0, 14))):
        parent = None
        if w.comments and draw(st.booleans()):
            parent = draw(st.integers(1, len(w.comments)))
        w.comment(draw(st.sampled_from(handles)), draw(st.sampled_from(list(w.videos))), parent)
    return w


def _unanswered_by_hand(w: RichWorld, creator: int) -> dict[int, int]:
    """The tip's reading, literally: top-level comments by others on the creator's videos,
    no block either way, with no reply by the creator."""
    replied = {parent for _, _, user, _, _, parent in w.comments if user == creator}
    found: dict[int, int] = {}
    for cid, video, user, _, _, parent in w.comments:
        if w.videos[video] != creator or parent is not None or user == creator:
            continue
        if (creator, user) in w.blocks or (user, creator) in w.blocks or cid in replied:
            continue
        found[video] = found.get(video, 0) + 1
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(w=_comment_worlds(), indexes=st.booleans())
def test_unanswered_comments_match_a_literal_count(w: RichWorld, indexes: bool) -> None:
    """The index walk counts what the tip says, with or without wholiked's indexes."""
    from wholiked.core.answers.tips.creator import _unanswered_comments

    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(w.write(Path(folder) / "w.db", indexes=indexes))
        try:
            for creator in (w.id("cara"), w.id("dan")):
                expected = _unanswered_by_hand(w, creator)
                tip = _unanswered_comments(conn, creator)
                if not expected:
                    assert tip is None
                    continue
                top = min(expected.items(), key=lambda item: (-item[1], item[0]))
                assert tip.evidence == {
                    "class": "visible-only",
                    "unanswered": sum(expected.values()),
                    "videos": len(expected),
                    "top_video_id": top[0],
                    "top_video_unanswered": top[1],
                }
        finally:
            conn.close()
