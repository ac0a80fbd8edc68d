"""Analytics of a creator's own videos (README, "Analytics and tips", "The daily
release"): the release's cell counts against a brute-force recount of the World, the JSON
contract of `analytics` (every bucket of every fixed domain, values "<τ" or at least τ,
the new-likers series), exact public totals, the display threshold, access rules (in
process and through the CLI), and `meta.dp_epsilon`.

The statistical privacy checks (attacks, utility, consistency) are in test_release.py."""

import sqlite3
import tempfile
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_helpers import run
from tests.worlds import NOW, World
from wholiked.core.answers.analytics import WINDOWS, segments
from wholiked.core.answers.forms import json_form
from wholiked.core.errors import BadInput, NotPermitted
from wholiked.core.release import counting, noise
from wholiked.core.release.accounting import DAYS, VIDEOS_PER_LIKER
from wholiked.core.release.domains import DOMAINS, bucket_of
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database
from wholiked.core.store.format import AGE_BANDS, DEVICES, TIMESTAMP_FORMAT

REF = datetime.strptime(NOW, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
DAY = REF.date()  # the release day: 2026-11-20
MIDNIGHT = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC)  # the release counts before it
DIMS = ("age_band", "region", "language", "device")


def stamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP_FORMAT)


def at(delta: timedelta) -> str:
    """A timestamp `delta` before the reference time (NOW, 12:00Z on the release day)."""
    return stamp(REF - delta)


def before_midnight(delta: timedelta) -> str:
    """A timestamp `delta` before the release day's 00:00Z."""
    return stamp(MIDNIGHT - delta)


def with_meta(w: World, path: Path, *, indexes: bool = True, **meta: str) -> Path:
    """Write the World and add meta rows (noise_key=..., dp_epsilon=...)."""
    w.write(path, indexes=indexes)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
    conn.close()
    return path


@pytest.fixture
def open_keyed(tmp_path: Path):
    """Write a World with meta rows (a fixed noise key by default) and open it read-only."""
    opened: list[Wholiked] = []

    def _open(w: World, **meta: str) -> Wholiked:
        meta.setdefault("noise_key", "test-analytics")
        path = with_meta(w, tmp_path / f"keyed{len(opened)}.db", **meta)
        service = Wholiked(open_database(path))
        opened.append(service)
        return service

    yield _open
    for service in opened:
        service.close()


# --- brute force over the World -------------------------------------------------------------


def _parse(t: str) -> datetime:
    return datetime.strptime(t, TIMESTAMP_FORMAT).replace(tzinfo=UTC)


def _segment(latest: datetime) -> int:
    """Segments [0,7), [7,28), [28,60), [60,inf) days before the release day's 00:00Z."""
    for index, days in enumerate((7, 28, 60)):
        if latest >= MIDNIGHT - timedelta(days=days):
            return index
    return 3


def _day_index(first: datetime) -> int:
    """0 = the day before the release day ... DAYS - 1; DAYS = earlier."""
    if first < MIDNIGHT - timedelta(days=DAYS):
        return DAYS
    return (DAY - first.date()).days - 1


def brute_cells(w: World, creator: int, video: int | None) -> Counter:
    """The release's cells recounted from the World's rows, independently of the SQL.

    All videos: each liker of the creator's videos (likes before the release day's 00:00Z)
    once, positioned at their latest like (segment, hour) and dated by their first like.
    One video: a liker counts when the video is among the M most recent of their likes of
    the creator's videos (ties: the higher video id is more recent), at that like's time.
    """
    users = {u["id"]: u for u in w.users.values()}
    per_liker: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for (x, uid), t in w.likes.items():
        when = _parse(t)
        if w.videos[x] == creator and when < MIDNIGHT:
            per_liker[uid].append((when, x))
    positions: dict[int, tuple[datetime, datetime]] = {}
    for uid, likes in per_liker.items():
        if video is None:
            positions[uid] = (max(likes)[0], min(likes)[0])
            continue
        for when, x in sorted(likes, reverse=True)[:VIDEOS_PER_LIKER]:
            if x == video:
                positions[uid] = (when, when)
    cells: Counter = Counter()
    for uid, (latest, first) in positions.items():
        seg = _segment(latest)
        cells[("likers", seg, "")] += 1
        cells[("new_likers", _day_index(first), "")] += 1
        cells[("hour", seg, f"{latest.hour:02d}")] += 1
        for dim in DIMS:
            cells[(dim, seg, bucket_of(dim, users[uid][dim]))] += 1
    return cells


# Times at and around every segment and day edge (relative to the release day's 00:00Z),
# several of them shared so that ties between videos occur; the last ones are today.
TIMES = [
    before_midnight(timedelta(seconds=1)),
    before_midnight(timedelta(hours=13, minutes=7)),
    before_midnight(timedelta(days=1)),
    before_midnight(timedelta(days=7)),
    before_midnight(timedelta(days=7, seconds=1)),
    before_midnight(timedelta(days=6, hours=23, minutes=59, seconds=59)),
    before_midnight(timedelta(days=20, hours=3)),
    before_midnight(timedelta(days=28)),
    before_midnight(timedelta(days=28, seconds=1)),
    before_midnight(timedelta(days=59, hours=13)),
    before_midnight(timedelta(days=60)),
    before_midnight(timedelta(days=60, seconds=1)),
    before_midnight(timedelta(days=400)),
    stamp(MIDNIGHT),  # the release day's 00:00Z itself: not counted
    at(timedelta(hours=1)),  # today, before the reference time: not counted
]


@st.composite
def creator_worlds(draw: st.DrawFn) -> World:
    """Creator "cc" with 1-5 videos, creator "oo" with one, 2-9 other users with attributes
    inside and outside the fixed domains; random likes at a few of the TIMES (many ties)."""
    w = World()
    w.user("cc", creator=True, age_band=draw(st.sampled_from([None, "35-44"])))
    w.user("oo", creator=True)
    for i in range(draw(st.integers(2, 9))):
        w.user(
            f"u{i}",
            private=draw(st.booleans()),
            age_band=draw(st.sampled_from([None, *AGE_BANDS])),
            region=draw(st.sampled_from([None, "US", "DE", "ZZ", "IS"])),
            language=draw(st.sampled_from([None, "", "en", "fi", "EN", "zh"])),
            device=draw(st.sampled_from([None, *DEVICES])),
        )
    handles = list(w.users)
    mine = [w.video("cc") for _ in range(draw(st.integers(1, 5)))]
    theirs = w.video("oo")
    # A small pool of times makes ties (same liker, same time, two videos) common.
    pool = draw(st.lists(st.sampled_from(TIMES), min_size=1, max_size=4, unique=True))
    for x in [*mine, theirs]:
        for h in draw(st.lists(st.sampled_from(handles), unique=True, max_size=len(handles))):
            w.like(h, x, draw(st.sampled_from(pool)))
        w.like("u0", x, draw(st.sampled_from(pool)))  # one liker of every video: M binds
    return w


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(creator_worlds())
def test_counting_matches_brute_force(w: World) -> None:
    """`counting.all_videos` and `counting.one_video` (every video of the creator) equal the
    brute-force recount: latest
    like for segment and hour, first like for the new-likers day, fixed domains with
    other/unknown, only likes before the release day's 00:00Z, per-video M = 3 most recent
    likes with ties by higher video id. On a bare file (no indexes, plain sqlite3) and on
    the same file after a writable open has added wholiked's indexes and counters."""
    cc = w.id("cc")
    scopes = [None, *(x for x, c in w.videos.items() if c == cc)]
    expected = {x: brute_cells(w, cc, x) for x in scopes}
    with tempfile.TemporaryDirectory() as folder:
        path = w.write(Path(folder) / "w.db", indexes=False)
        conn = sqlite3.connect(path)
        try:
            for x in scopes:
                got = (
                    counting.all_videos(conn, cc, DAY)
                    if x is None
                    else counting.one_video(conn, creator_id=cc, video_id=x, day=DAY)
                )
                assert +got == +expected[x], x
        finally:
            conn.close()
        db = open_database(path, writable=True)  # adds the indexes and counters
        try:
            assert db.conn.execute(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"
            ).fetchone()[0]
            for x in scopes:
                got = (
                    counting.all_videos(db.conn, cc, DAY)
                    if x is None
                    else counting.one_video(db.conn, creator_id=cc, video_id=x, day=DAY)
                )
                assert +got == +expected[x], x
        finally:
            db.close()


def test_counting_readable_example() -> None:
    """One liker of four videos: in the all-videos scope once (latest like, 02:00, segment 0;
    first like 30 days ago, day 29); in video scopes only for the three latest (the tie at
    the latest time goes to the higher video id), so video 1 does not count them. A second
    liker likes all four at one time: videos 2-4 count them, video 1 does not."""
    w = World()
    w.user("cc", creator=True)
    w.user("fan", age_band="18-24", region="IS", language="", device="web")
    videos = [w.video("cc") for _ in range(4)]
    w.like("fan", videos[0], before_midnight(timedelta(days=30)))
    w.like("fan", videos[1], before_midnight(timedelta(days=1, hours=22)))
    w.like("fan", videos[2], before_midnight(timedelta(days=1, hours=22)))
    w.like("fan", videos[3], before_midnight(timedelta(days=3)))
    w.user("tied")  # four likes at the same time: the three higher video ids count
    for x in videos:
        w.like("tied", x, before_midnight(timedelta(days=40)))
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(w.write(Path(folder) / "w.db"))
        cells = counting.all_videos(conn, 1, DAY)
        assert cells == Counter(
            {
                ("likers", 0, ""): 1,
                ("new_likers", 29, ""): 1,
                ("hour", 0, "02"): 1,
                ("age_band", 0, "18-24"): 1,
                ("region", 0, "other"): 1,
                ("language", 0, "unknown"): 1,
                ("device", 0, "web"): 1,
                ("likers", 2, ""): 1,
                ("new_likers", 39, ""): 1,
                ("hour", 2, "00"): 1,
                ("age_band", 2, "unknown"): 1,
                ("region", 2, "unknown"): 1,
                ("language", 2, "unknown"): 1,
                ("device", 2, "unknown"): 1,
            }
        )
        assert counting.one_video(conn, creator_id=1, video_id=1, day=DAY) == Counter()
        for x in (2, 3, 4):
            cells = counting.one_video(conn, creator_id=1, video_id=x, day=DAY)
            assert (cells[("likers", 0, "")], cells[("likers", 2, "")]) == (1, 1)
        conn.close()


def test_one_video_of_another_creator_counts_nothing() -> None:
    """`one_video(conn, creator, video)` for a video that is not the creator's: by its own
    docstring (a liker counts when the video is one of their M latest likes *of this
    creator's videos*) nothing counts. analytics() checks ownership first, so this is not
    reachable from the CLI or the TUI today; it is a guard for future callers."""
    w = World()
    w.user("cc", creator=True)
    w.user("oo", creator=True)
    w.user("fan")
    w.video("cc")
    theirs = w.video("oo")
    w.like("fan", theirs, before_midnight(timedelta(days=2)))
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(w.write(Path(folder) / "w.db"))
        try:
            assert (
                counting.one_video(conn, creator_id=w.id("cc"), video_id=theirs, day=DAY)
                == Counter()
            )
        finally:
            conn.close()


# --- worlds for the JSON checks ---------------------------------------------------------------


def creator_world() -> World:
    """'cara' (public creator) with videos 1 and 2, 'otto' (creator) with video 3, 'pat'
    (personal), twelve public likers with attributes, one private stranger."""
    w = World()
    w.user("cara", creator=True)
    w.user("otto", creator=True)
    w.user("pat")
    x1, x2 = w.video("cara"), w.video("cara")
    w.video("otto")
    for i in range(12):
        w.user(
            f"fan{i}",
            age_band=AGE_BANDS[i % len(AGE_BANDS)],
            region=("US", "DE", "ZZ")[i % 3],
            language=("en", "de", None)[i % 3],
            device=DEVICES[i % 3],
        )
        w.like(f"fan{i}", x1, before_midnight(timedelta(days=i * 6, hours=i)))
        if i % 2:
            w.like(f"fan{i}", x2, before_midnight(timedelta(days=i, hours=3)))
    w.user("secret", private=True, age_band="55+")
    w.like("secret", x2, at(timedelta(days=2)))
    w.like("pat", x1, at(timedelta(hours=2)))  # today: in the like total, not the release
    return w


def _released(item: object, threshold: int) -> None:
    assert isinstance(item, dict) and list(item) == ["value", "margin90"]
    value, margin = item["value"], item["margin90"]
    assert value == f"<{threshold}" or (
        isinstance(value, int) and not isinstance(value, bool) and value >= threshold
    ), item
    assert isinstance(margin, int) and not isinstance(margin, bool) and margin > 0


@pytest.mark.parametrize("video", [None, 1])
@pytest.mark.parametrize("window", list(WINDOWS))
def test_json_shape(open_keyed, window: str, video: int | None) -> None:
    """Exactly the module docstring's keys in its order; every bucket of every fixed domain
    in domain order, each {"value": int >= τ or "<τ", "margin90": int} with the exact 90%
    margin of the cells summed; new_likers_per_day has the window's days (at most 60),
    oldest first, ending the day before the release day, then "earlier"."""
    service = open_keyed(creator_world())
    result = json_form(service.analytics(service.user("cara"), video_id=video, window=window))
    assert list(result) == [
        "scope",
        "window",
        "release_day",
        "privacy",
        "totals",
        "breakdowns",
        "new_likers_per_day",
        "videos",
    ]
    assert result["scope"] == ("all" if video is None else {"video_id": video})
    assert (result["window"], result["release_day"]) == (window, "2026-11-20")
    scale = 14 if video is None else 42
    # each histogram's share of the scope's ε: scale = reference scale / (7 x share)
    scales = {
        "likers": Fraction(scale, 3),
        **{d: Fraction(scale * 8, 5) for d in ("age_band", "region", "language", "device")},
        "hour": Fraction(scale),
        "new_likers": Fraction(scale * 2),
    }
    assert result["privacy"] == {
        "epsilon": 1.0,
        "mechanism": "discrete_laplace",
        "threshold": 5,
        "scale": float(scale),
        "scales": {h: float(t) for h, t in scales.items()},
        "unit": "liker account",
        "counts_likes_before": "2026-11-20T00:00:00Z",
        "videos_per_liker": None if video is None else 3,
        "video_scopes": {"min_likes": 0, "released": [1, 2]},  # no rule set: every video
        "odometer": {
            "epsilon_spent": 1.0,  # this test's one release day
            "release_days": 1,
            "year": 2026,
            "epsilon_spent_this_year": 1.0,
            "epsilon_year": None,
            "frozen_until": None,
        },
    }
    totals = result["totals"]
    assert list(totals) == [
        "videos",
        "likes",
        "comments",
        "views",
        "shares",
        "engagement_rate",
        "likers",
    ]
    cells = len(segments(WINDOWS[window]))
    _released(totals["likers"], 5)
    assert totals["likers"]["margin90"] == noise.margin90(scales["likers"], cells)
    assert list(result["breakdowns"]) == ["age_band", "region", "language", "device", "hour"]
    assert list(DOMAINS["age_band"]) == [*AGE_BANDS, "unknown"]
    assert list(DOMAINS["device"]) == [*DEVICES, "other", "unknown"]
    assert list(DOMAINS["hour"]) == [f"{h:02d}" for h in range(24)]
    assert DOMAINS["region"][-2:] == DOMAINS["language"][-2:] == ("other", "unknown")
    for dim, buckets in result["breakdowns"].items():
        assert list(buckets) == list(DOMAINS[dim])
        for item in buckets.values():
            _released(item, 5)
            assert item["margin90"] == noise.margin90(scales[dim], cells)
    days = min(WINDOWS[window] or 60, 60)
    series = result["new_likers_per_day"]
    assert list(series) == [
        *((DAY - timedelta(days=i)).isoformat() for i in range(days, 0, -1)),
        "earlier",
    ]
    for name, item in series.items():
        _released(item, 5)
        if name == "earlier":  # all likers less the window's days: both noises, each at 95%
            margin = noise.tail_bound(scales["likers"], 4, 0.025)
            margin += noise.tail_bound(scales["new_likers"], days, 0.025)
        else:
            margin = noise.margin90(scales["new_likers"], 1)
        assert item["margin90"] == margin
    assert [v["video_id"] for v in result["videos"]] == ([2, 1] if video is None else [1])
    for row in result["videos"]:
        assert list(row) == [
            "video_id",
            "caption",
            "posted_at",
            "views",
            "likes",
            "comments",
            "shares",
            "engagement_rate",
        ]


def test_window_all_has_sixty_days_and_earlier(open_keyed) -> None:
    """--window all: 60 dated days plus "earlier" (older first likes go there)."""
    service = open_keyed(creator_world())
    series = json_form(service.analytics(service.user("cara"), window="all"))["new_likers_per_day"]
    assert len(series) == 61
    assert list(series)[0] == "2026-09-21" and list(series)[-2:] == ["2026-11-19", "earlier"]


def test_public_totals_are_exact(open_keyed, tmp_path: Path) -> None:
    """Like totals (all likes, today's and private ones included), views, shares, comments and
    engagement rate = likes / views (4 decimals), per video and summed; `totals` gives the
    same public part, also to a personal account for its own videos."""
    w = creator_world()
    mine = w.video("pat")
    w.like("fan0", mine, at(timedelta(days=1)))
    path = with_meta(w, tmp_path / "totals.db", noise_key="t")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE videos SET views = 777, shares = 9 WHERE id = 1")
        conn.execute("UPDATE videos SET views = 0, shares = 0 WHERE id = 4")
        conn.executemany(
            "INSERT INTO comments VALUES (?, ?, ?, 'hi', '2026-11-10T00:00:00Z', NULL)",
            [(1, 1, 4), (2, 1, 5), (3, 2, 4), (4, 3, 6)],
        )
    conn.close()
    service = Wholiked(open_database(path))
    try:
        cara = service.user("cara")
        likes1 = sum(1 for (x, _) in w.likes if x == 1)
        likes2 = sum(1 for (x, _) in w.likes if x == 2)
        for window in WINDOWS:
            result = json_form(service.analytics(cara, window=window))
            totals = result["totals"]
            assert {k: totals[k] for k in list(totals)[:6]} == {
                "videos": 2,
                "likes": likes1 + likes2,
                "comments": 3,
                "views": 1777,
                "shares": 12,
                "engagement_rate": round((likes1 + likes2) / 1777, 4),
            }
            assert json_form(service.totals(cara, window=window)) == {
                key: result[key] for key in ("scope", "window", "totals", "videos")
            } | {"totals": {k: totals[k] for k in list(totals)[:6]}}
        rows = {v["video_id"]: v for v in result["videos"]}
        assert rows[1]["likes"] == likes1 == 13 and rows[1]["comments"] == 2
        assert rows[1]["engagement_rate"] == round(13 / 777, 4)
        assert rows[2]["likes"] == likes2 == 7 and rows[2]["views"] == 1000
        one = json_form(service.analytics(cara, video_id=2))
        assert one["totals"]["likes"] == 7 and one["totals"]["comments"] == 1
        personal = json_form(service.totals(service.user("pat"), video_id=mine, window="7d"))
        assert personal["scope"] == {"video_id": mine}
        assert personal["totals"] == {
            "videos": 1,
            "likes": 1,
            "comments": 0,
            "views": 0,
            "shares": 0,
            "engagement_rate": None,
        }
    finally:
        service.close()


def test_threshold_can_only_be_raised(open_keyed, capsys, tmp_path: Path) -> None:
    """k=4 (and 0, True, "5") is BadInput, exit 2 from the CLI; k=8 shows "<8" for every
    noisy value below 8 and never "<5"."""
    service = open_keyed(creator_world())
    cara = service.user("cara")
    for bad in (4, 0, -5, True, "5", 5.0):
        with pytest.raises(BadInput):
            json_form(service.analytics(cara, k=bad))
    result = json_form(service.analytics(cara, k=8, window="all"))
    assert result["privacy"]["threshold"] == 8
    values = [item["value"] for b in result["breakdowns"].values() for item in b.values()]
    values += [item["value"] for item in result["new_likers_per_day"].values()]
    assert "<8" in values and "<5" not in values
    assert all(v == "<8" or v >= 8 for v in values)
    db = str(with_meta(creator_world(), tmp_path / "k.db", noise_key="k"))
    code, out, err = run(capsys, "analytics", "--as", "cara", "--db", db, "--k", "4", "--json")
    assert code == 2 and out == "" and "can only raise" in err
    code, out, _ = run(capsys, "analytics", "--as", "cara", "--db", db, "--k", "8", "--json")
    assert code == 0 and '"<8"' in out and '"<5"' not in out


def access_world() -> World:
    """cara (creator) and otto (creator) are public; zq_hidden_maker is a private creator cara
    does not follow; zq_blocking_maker blocked cara; pat is personal."""
    w = World()
    w.user("cara", creator=True)
    w.user("otto", creator=True)
    w.user("zq_hidden_maker", creator=True, private=True)
    w.user("zq_blocking_maker", creator=True)
    w.user("pat")
    w.follow("cara", "zq_hidden_maker", "pending")
    w.block("zq_blocking_maker", "cara")
    for handle in ("cara", "otto", "zq_hidden_maker", "zq_blocking_maker"):
        w.like("pat", w.video(handle), at(timedelta(days=3)))
    w.video("pat")
    return w


def test_access_rules(open_keyed) -> None:
    """A personal account: NotPermitted (switch to a creator account), totals still work;
    another creator's viewable video: NotPermitted "not yours"; a video cara cannot view
    (private creator not followed, or a creator who blocked her): NotPermitted like `likers`,
    never naming the creator; an unknown video: BadInput."""
    service = open_keyed(access_world())
    cara, pat = service.user("cara"), service.user("pat")
    with pytest.raises(NotPermitted, match="personal account"):
        json_form(service.analytics(pat))
    assert json_form(service.totals(pat))["totals"]["videos"] == 1
    with pytest.raises(NotPermitted, match="not yours"):
        json_form(service.analytics(cara, video_id=2))
    for video, handle in ((3, "zq_hidden_maker"), (4, "zq_blocking_maker")):
        for ask in (service.analytics, service.totals):
            with pytest.raises(NotPermitted) as info:
                ask(cara, video_id=video)
            assert handle not in str(info.value) and "not yours" not in str(info.value)
        with pytest.raises(NotPermitted) as likers_info:
            service.likers(video, cara)
        assert handle not in str(likers_info.value)
    with pytest.raises(BadInput, match="99"):
        json_form(service.analytics(cara, video_id=99))


def test_access_through_the_cli(capsys, tmp_path: Path) -> None:
    """`analytics --as cara --video N --json`: exit 3 with one stderr line and no creator
    handle for a video cara cannot view; exit 3 "not yours" for otto's; exit 3 for a personal
    account; exit 2 for an unknown video; exit 0 for her own."""
    db = str(with_meta(access_world(), tmp_path / "access.db", noise_key="cli"))
    base = ("analytics", "--db", db, "--json")
    for video, handle in (("3", "zq_hidden_maker"), ("4", "zq_blocking_maker")):
        code, out, err = run(capsys, *base, "--as", "cara", "--video", video)
        assert (code, out) == (3, "") and err.count("\n") == 1
        assert handle not in err and "zq_" not in err
    code, out, err = run(capsys, *base, "--as", "cara", "--video", "2")
    assert (code, out) == (3, "") and "not yours" in err
    code, out, err = run(capsys, *base, "--as", "pat")
    assert (code, out) == (3, "") and "personal account" in err
    code, out, err = run(capsys, *base, "--as", "cara", "--video", "99")
    assert (code, out) == (2, "") and err.count("\n") == 1
    code, out, err = run(capsys, *base, "--as", "cara", "--video", "1")
    assert (code, err) == (0, "") and '"video_id": 1' in out


def test_epsilon_from_meta(open_keyed, capsys, tmp_path: Path) -> None:
    """meta.dp_epsilon "0.5" doubles every scale (28 for all videos, 84 per video) and is
    reported as epsilon 0.5; "1" is the default; "0", "-1", "abc", "100", "", values below
    0.05 and huge exponents are BadInput (exit 2 from the CLI)."""
    w = creator_world()
    half = open_keyed(w, dp_epsilon="0.5")
    default = open_keyed(w)
    for video, scale in ((None, 14), (1, 42)):
        a = json_form(half.analytics(half.user("cara"), video_id=video))
        b = json_form(default.analytics(default.user("cara"), video_id=video))
        assert (a["privacy"]["epsilon"], b["privacy"]["epsilon"]) == (0.5, 1.0)
        assert (a["privacy"]["scale"], b["privacy"]["scale"]) == (2.0 * scale, float(scale))
        assert a["totals"]["likers"]["margin90"] > b["totals"]["likers"]["margin90"]
    one = open_keyed(w, dp_epsilon=" 1 ")
    assert json_form(one.analytics(one.user("cara")))["privacy"]["scale"] == 14.0
    for i, value in enumerate(
        ("0", "-1", "abc", "100", "", "1/0", "nan", "0.01", "1e-400", "1e999999999")
    ):
        bad = open_keyed(w, dp_epsilon=value)
        with pytest.raises(BadInput, match="dp_epsilon"):
            json_form(bad.analytics(bad.user("cara")))
        db = str(with_meta(w, tmp_path / f"eps{i}.db", dp_epsilon=value))
        code, out, err = run(capsys, "analytics", "--as", "cara", "--db", db, "--json")
        assert (code, out) == (2, "") and "dp_epsilon" in err, value
