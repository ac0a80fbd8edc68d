"""Aggregate analytics (DESIGN.md "Aggregate analytics"): exact distinct-liker counts,
suppression below k, the subtraction-attack rule, windows cut at the reference time,
creator-only access. Property tests compare against a brute force over the World."""

import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests import reference
from tests.worlds import NOW, World
from wholiked.core.answers.analytics import (
    Scope,
    bucket_order,
    liker_stats,
    suppress,
)
from wholiked.core.errors import BadInput, NotPermitted
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database
from wholiked.core.store.format import AGE_BANDS, DEVICES, TIMESTAMP_FORMAT

REF = datetime.strptime(NOW, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
DIMS = ("age_band", "region", "language", "device")


def at(delta: timedelta) -> str:
    """A timestamp `delta` before the reference time."""
    return (REF - delta).strftime(TIMESTAMP_FORMAT)


# Times at and around every window edge, at several hours of the day.
TIMES = [
    NOW,
    at(timedelta(seconds=1)),
    at(timedelta(hours=5)),
    at(timedelta(days=7)),
    at(timedelta(days=7, seconds=-1)),
    at(timedelta(days=7, seconds=1)),
    at(timedelta(days=20, hours=3)),
    at(timedelta(days=28)),
    at(timedelta(days=28, seconds=-1)),
    at(timedelta(days=59, hours=13)),
    at(timedelta(days=60)),
    at(timedelta(days=400)),
    "2026-11-21T00:00:00Z",  # after the reference time: in no window
]
WINDOW_DAYS = {"7d": 7, "28d": 28, "60d": 60, "all": None}


# --- brute force over the World -------------------------------------------------------------


def _in_window(liked_at: str, window: str) -> bool:
    days = WINDOW_DAYS[window]
    if days is None:
        return liked_at <= NOW
    return at(timedelta(days=days)) < liked_at <= NOW


def _brute(
    w: World, creator: int, video: int | None, window: str, *, followers_only: bool = False
) -> dict:
    attrs = {u["id"]: u for u in w.users.values()}
    likes = [
        (x, uid, t)
        for (x, uid), t in w.likes.items()
        if w.videos[x] == creator
        and (video is None or x == video)
        and _in_window(t, window)
        and (not followers_only or reference.approved(w, uid, creator))
    ]
    likers = {uid for _, uid, _ in likes}
    buckets = {d: Counter(attrs[u][d] or "unknown" for u in likers) for d in DIMS}
    buckets["hour"] = Counter(h for _, h in {(uid, t[11:13]) for _, uid, t in likes})
    anonymous = {
        u
        for u in likers
        if reference.reason(w, creator, u) not in ("self", "public", "approved_follower")
    }
    scope_videos = [x for x, c in w.videos.items() if c == creator and video in (None, x)]
    return {
        "likes": len(likes),
        "likers": len(likers),
        "anonymous": len(anonymous),
        "buckets": buckets,
        "videos": len(scope_videos),
        "days": Counter(t[:10] for _, _, t in likes),
    }


def _check_suppressed(shown: dict, truth: Counter, k: int, order: list[str] | None = None) -> None:
    """Shown numbers are exact and >= k; every 0 < n < k is hidden; never one hidden alone;
    a bucket hidden only to protect another is the smallest of the others."""
    marker = f"<{k}"
    assert set(shown) == {b for b, n in truth.items() if n > 0}
    hidden = [b for b, v in shown.items() if v == marker]
    alone = len(shown) == 1  # nothing else to hide (never so once k likers are in scope)
    assert len(hidden) != 1 or alone
    for b, v in shown.items():
        if v != marker:
            assert v == truth[b] and v >= k
    small = [b for b, n in truth.items() if 0 < n < k]
    assert set(small) <= set(hidden)
    extra = [b for b in hidden if b not in small]
    if len(small) == 1 and not alone:
        assert len(extra) == 1
        assert all(truth[extra[0]] <= v for v in shown.values() if v != marker)
    else:
        assert extra == []


# --- worlds ---------------------------------------------------------------------------------


@st.composite
def creator_worlds(draw: st.DrawFn) -> World:
    """A creator "cc" with 1-3 videos, another creator "oo" with one, 3-11 other users."""
    w = World()
    w.user("cc", creator=True, private=draw(st.booleans()))
    w.user("oo", creator=True)
    for i in range(draw(st.integers(4, 12))):
        w.user(
            f"u{i}",
            private=draw(st.sampled_from([False, False, True])),
            age_band=draw(st.sampled_from([None, "18-24", "25-34", "55+"])),
            region=draw(st.sampled_from([None, "US", "DE"])),
            language=draw(st.sampled_from([None, "en", "de"])),
            device=draw(st.sampled_from([None, "ios", "web"])),
        )
    handles = list(w.users)
    pairs = [(a, b) for a in handles for b in handles if a != b]
    for a, b in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=10)):
        w.follow(a, b, draw(st.sampled_from(["approved", "pending"])))
    for a, b in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2)):
        w.block(a, b)
    videos = [w.video("cc") for _ in range(draw(st.integers(1, 3)))] + [w.video("oo")]
    for x in videos:
        for h in draw(st.lists(st.sampled_from(handles), unique=True, min_size=2)):
            w.like(h, x, draw(st.sampled_from(TIMES[:7] + TIMES)))  # recent ones more often
    return w


@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(creator_worlds(), st.sampled_from([2, 2, 3, 5]), st.booleans())
def test_analytics_match_brute_force(w: World, k: int, one_video: bool) -> None:
    """Every shown bucket is the exact distinct-liker count and at least k; suppression and
    withholding follow the rules; totals and windows match the World."""
    with tempfile.TemporaryDirectory() as folder:
        service = Wholiked(open_database(w.write(Path(folder) / "w.db")))
        try:
            creator = service.user("cc")
            video = 1 if one_video else None
            for window in WINDOW_DAYS:
                result = service.analytics(creator, video_id=video, window=window, k=k)
                truth = _brute(w, creator.id, video, window)
                assert result["scope"] == ({"video_id": 1} if one_video else "all")
                assert (result["window"], result["k"]) == (window, k)
                totals = result["totals"]
                assert totals["likes"] == truth["likes"]
                assert totals["likers"] == truth["likers"]
                assert totals["videos"] == len(result["videos"]) == truth["videos"]
                since = at(timedelta(days=WINDOW_DAYS[window])) if WINDOW_DAYS[window] else None
                for followers_only in (False, True):
                    scope = Scope(creator.id, video, since, NOW, followers_only=followers_only)
                    stats = liker_stats(service.db.conn, scope)
                    expected = _brute(w, creator.id, video, window, followers_only=followers_only)
                    assert (stats.likers, stats.anonymous) == (
                        expected["likers"],
                        expected["anonymous"],
                    )
                    assert stats.buckets["hour"] == expected["buckets"]["hour"]
                assert totals["views"] == 1000 * truth["videos"]
                assert totals["engagement_rate"] == round(truth["likes"] / totals["views"], 4)
                assert sum(v["likes"] for v in result["videos"]) == truth["likes"]
                withheld = truth["likers"] < k or 0 < truth["anonymous"] < k
                assert (result["withheld"] is not None) == withheld
                event("withheld" if withheld else "breakdowns shown")
                if withheld:
                    assert result["breakdowns"] == {} and result["likes_per_day"] == []
                    continue
                assert set(result["breakdowns"]) == {*DIMS, "hour"}
                for dim, shown in result["breakdowns"].items():
                    _check_suppressed(shown, truth["buckets"][dim], k)
                days = {d["date"]: d["likes"] for d in result["likes_per_day"]}
                _check_suppressed({d: n for d, n in days.items() if n != 0}, truth["days"], k)
        finally:
            service.close()


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 9)), st.integers(2, 6))
def test_suppress_never_leaves_one_bucket_hidden(counts: dict, k: int) -> None:
    """The suppression rule alone, on any counts."""
    _check_suppressed(suppress(counts, k), Counter(counts), k)


# --- readable examples ------------------------------------------------------------------------


def _creator_world(ages: list[str | None], *, times: list[str] | None = None) -> World:
    """'cara' (public creator) posts video 1; one public liker per age band given."""
    w = World()
    w.user("cara", creator=True)
    x = w.video("cara")
    for i, age in enumerate(ages):
        w.user(f"fan{i}", age_band=age, region="US" if i % 2 else "DE", device="ios")
        w.like(f"fan{i}", x, times[i] if times else at(timedelta(days=1, hours=i)))
    return w


def test_breakdown_counts_distinct_likers_and_hides_small_buckets(open_world):
    """Six likers aged 18-24 and one 55+: '55+' is '<5', so '18-24' is hidden too."""
    service = open_world(_creator_world(["18-24"] * 6 + ["55+"]))
    result = service.analytics(service.user("cara"), window="7d")
    assert result["withheld"] is None
    assert result["breakdowns"]["age_band"] == {"18-24": "<5", "55+": "<5"}
    assert result["breakdowns"]["device"] == {"ios": 7}
    assert result["breakdowns"]["language"] == {"unknown": 7}
    assert result["totals"]["likes"] == result["totals"]["likers"] == 7


def test_complement_is_the_smallest_remaining_bucket(open_world):
    """One bucket under k hides the smallest other one, and nothing else."""
    service = open_world(_creator_world(["18-24"] * 6 + ["25-34"] * 5 + ["55+"]))
    result = service.analytics(service.user("cara"), window="all")
    assert result["breakdowns"]["age_band"] == {"18-24": 6, "25-34": "<5", "55+": "<5"}


def test_one_liker_across_videos_and_hours_counts_once_per_bucket(open_world):
    """A liker of three videos is one liker, and counts once in each hour they liked at."""
    w = World()
    w.user("cara", creator=True)
    videos = [w.video("cara") for _ in range(3)]
    for i in range(5):
        w.user(f"fan{i}", age_band="25-34")
        for x in videos:
            w.like(f"fan{i}", x, at(timedelta(days=2, hours=x)))
    service = open_world(w)
    result = service.analytics(service.user("cara"), window="7d", k=5)
    assert result["totals"]["likes"] == 15 and result["totals"]["likers"] == 5
    assert result["breakdowns"]["age_band"] == {"25-34": 5}
    assert result["breakdowns"]["hour"] == {"09": 5, "10": 5, "11": 5}


def test_window_is_cut_at_the_reference_time(open_world):
    """(ref - 7d, ref]: a like exactly 7 days old is out, one at the reference time is in."""
    times = [at(timedelta(days=7)), NOW, at(timedelta(days=7, seconds=-1))]
    service = open_world(_creator_world(["18-24"] * 3, times=times))
    cara = service.user("cara")
    assert service.analytics(cara, window="7d", k=2)["totals"]["likes"] == 2
    assert service.analytics(cara, window="28d", k=2)["totals"]["likes"] == 3
    per_day = service.analytics(cara, window="7d", k=2)["likes_per_day"]
    assert [d["date"] for d in per_day] == [f"2026-11-{d}" for d in range(13, 21)]
    assert {d["date"]: d["likes"] for d in per_day if d["likes"]} == {
        "2026-11-13": "<2",
        "2026-11-20": "<2",
    }


def test_fewer_than_k_likers_withholds_breakdowns(open_world):
    service = open_world(_creator_world(["18-24"] * 4))
    result = service.analytics(service.user("cara"), window="7d")
    assert result["breakdowns"] == {} and result["likes_per_day"] == []
    assert "fewer than 5 distinct likers" in result["withheld"]
    assert result["totals"]["likers"] == 4


def test_a_few_anonymous_likers_withhold_breakdowns_until_identifiable(open_world):
    """Subtraction attack: 6 public likers + 1 private stranger -> withheld; once cara
    follows the private liker (approved), nobody is anonymous and breakdowns show."""
    w = _creator_world(["18-24"] * 6)
    w.user("secret", private=True, age_band="55+")
    w.like("secret", 1, at(timedelta(days=1)))
    service = open_world(w)
    result = service.analytics(service.user("cara"), window="7d")
    assert result["breakdowns"] == {} and "anonymous to you" in result["withheld"]
    w.follow("cara", "secret", "approved")
    service = open_world(w)
    result = service.analytics(service.user("cara"), window="7d")
    assert result["withheld"] is None
    assert result["breakdowns"]["age_band"] == {"18-24": "<5", "55+": "<5"}


def test_k_or_more_anonymous_likers_do_not_withhold(open_world):
    w = _creator_world(["18-24"] * 3 + ["25-34"] * 5)
    for i in range(5):
        w.user(f"secret{i}", private=True)
        w.like(f"secret{i}", 1, at(timedelta(days=1)))
    service = open_world(w)
    result = service.analytics(service.user("cara"), window="7d")
    assert result["withheld"] is None
    assert result["breakdowns"]["age_band"] == {"18-24": "<5", "25-34": "<5", "unknown": 5}


def test_json_shape(open_world):
    service = open_world(_creator_world(["18-24"] * 5))
    result = service.analytics(service.user("cara"), video_id=1, window="28d")
    assert list(result) == [
        "scope",
        "window",
        "k",
        "totals",
        "breakdowns",
        "withheld",
        "videos",
        "likes_per_day",
    ]
    assert result["scope"] == {"video_id": 1}
    assert result["totals"] == {
        "videos": 1,
        "likes": 5,
        "likers": 5,
        "comments": 0,
        "views": 1000,
        "shares": 3,
        "engagement_rate": 0.005,
    }
    assert result["videos"] == [
        {
            "video_id": 1,
            "caption": "caption",
            "posted_at": "2026-10-01T00:00:00Z",
            "views": 1000,
            "likes": 5,
            "comments": 0,
            "shares": 3,
            "engagement_rate": 0.005,
        }
    ]
    assert len(result["likes_per_day"]) == 29
    assert list(result["breakdowns"]["age_band"]) == ["18-24"]


def test_bucket_order_does_not_depend_on_counts():
    """Enums in the format's order, others by name, unknown last: never by size."""
    counts = {"55+": 9, "unknown": 1, "13-17": 1, "25-34": 5}
    assert bucket_order("age_band", counts) == ["13-17", "25-34", "55+", "unknown"]
    assert bucket_order("region", {"US": 1, "DE": 9, "unknown": 3}) == ["DE", "US", "unknown"]
    assert list(AGE_BANDS) == bucket_order("age_band", AGE_BANDS)
    assert list(DEVICES) == bucket_order("device", DEVICES)


def test_personal_accounts_and_other_creators_videos_are_not_permitted(open_world):
    w = _creator_world(["18-24"] * 5)
    w.user("pat")
    w.user("otto", creator=True)
    w.video("otto")
    service = open_world(w)
    with pytest.raises(NotPermitted, match="creator account"):
        service.analytics(service.user("pat"))
    with pytest.raises(NotPermitted, match="not yours"):
        service.analytics(service.user("cara"), video_id=2)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"k": 1}, "at least 2"),
        ({"k": 0}, "at least 2"),
        ({"window": "30d"}, "unknown window"),
        ({"video_id": 99}, "no video 99"),
    ],
)
def test_bad_input(open_world, kwargs, fragment):
    service = open_world(_creator_world(["18-24"] * 5))
    with pytest.raises(BadInput, match=fragment):
        service.analytics(service.user("cara"), **kwargs)


def test_totals_for_any_account_match_analytics(open_world):
    """A personal account sees totals only (same numbers as analytics' totals)."""
    w = _creator_world(["18-24"] * 6)
    w.user("pat")
    mine = w.video("pat")
    w.like("fan0", mine, at(timedelta(days=1)))
    w.like("fan1", mine, at(timedelta(days=30)))
    service = open_world(w)
    cara, pat = service.user("cara"), service.user("pat")
    for window in WINDOW_DAYS:
        full = service.analytics(cara, window=window)
        assert service.totals(cara, window=window) == {
            key: full[key] for key in ("scope", "window", "totals", "videos")
        }
    result = service.totals(pat, video_id=mine, window="7d")
    assert result["scope"] == {"video_id": mine}
    assert result["totals"]["likes"] == result["totals"]["likers"] == 1
    with pytest.raises(NotPermitted, match="not yours"):
        service.totals(pat, video_id=1)
