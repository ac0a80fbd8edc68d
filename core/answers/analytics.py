"""Analytics of a creator's own videos: public totals exact, everything else from the
creator's differentially private daily release (README, "Analytics and tips").

`analytics(db, creator, video_id=None, window="28d", k=5)` returns an `Analytics`
record (analytics_records); its JSON form (`forms.json_form`) is what `wholiked analytics
--json` prints::

    {
      "scope": "all" | {"video_id": 3},
      "window": "7d" | "28d" | "60d" | "all",
      "release_day": "YYYY-MM-DD",
      "privacy": {"epsilon", "mechanism", "threshold", "scale", "scales", "unit",
                  "counts_likes_before", "videos_per_liker",
                  "video_scopes": {"min_likes", "released": [video_id, ...]},
                  "odometer": {"epsilon_spent", "release_days", "year",
                               "epsilon_spent_this_year", "epsilon_year",
                               "frozen_until"}},
      "totals": {"videos", "likes", "comments", "views", "shares", "engagement_rate",
                 "likers": {"value": n | "<τ", "margin90": m} | null},
      "breakdowns": {dimension: {bucket: {"value", "margin90"}}},  (domains.DIMENSIONS)
      "new_likers_per_day": {"YYYY-MM-DD": {"value", "margin90"}, ..., "earlier": {...}},
      "videos": [{"video_id", "caption", "posted_at", "views", "likes", "comments",
                  "shares", "engagement_rate"}]
    }

Public totals (videos, like totals, comments, views, shares and the engagement rate
likes / views, all lifetime, per video and summed) are exact: the creator sees them
anyway. Released values count liker accounts whose latest like (of the scope) falls in
the window, which ends at the release day's 00:00Z; every bucket of every dimension's
fixed domain is listed, in domain order. The threshold τ is 5 and `k` may only raise it.

A video has a scope of its own in the day's release only when its public like total (as
frozen with the day) is at least `privacy.video_scopes.min_likes`; for another video
the answer has the public part only ("likers": null, no breakdowns, no days), and its
scope costs nothing. A day that releases no per-video scope gives the all-videos scope
the whole ε (`accounting.ALONE_SHARE`).

Access: creator accounts, own videos only; a video the acting user cannot view (under
the preset asked for: `rules`) gets the same refusal as `likers` (no creator named).
`totals(db, user, ...)` gives any account, personal ones included, the public part
(a `Totals` record: "scope", "window", "totals", "videos").

The release keeps its key, frozen days and odometer, and remembers its noise draws, in the
`ReleaseStore` it is given (the facade's); without one it makes one for `db`.
"""

import sqlite3
from datetime import UTC, date, datetime, timedelta

from wholiked.core.answers.analytics_defaults import DEFAULT_K, DEFAULT_WINDOW
from wholiked.core.answers.analytics_records import (
    Analytics,
    PrivacyOdometer,
    PublicTotals,
    ReleaseTerms,
    Totals,
    VideoFigures,
    VideoScopes,
)
from wholiked.core.errors import BadInput, NotPermitted, WholikedError
from wholiked.core.release import consistent, counting, keys, odometer
from wholiked.core.release.accounting import (
    DAYS,
    HISTOGRAMS,
    SEGMENTS,
    VIDEOS_PER_LIKER,
    Budget,
    min_video_likes,
)
from wholiked.core.release.counting import Counts
from wholiked.core.release.daily import DailyRelease, Released
from wholiked.core.release.domains import DOMAINS
from wholiked.core.release.frozen import frozen_day
from wholiked.core.release.store import ReleaseStore
from wholiked.core.rules import policy
from wholiked.core.rules.presets import SEED, Preset
from wholiked.core.store import comment_counts
from wholiked.core.store.database import Database
from wholiked.core.store.format import TIMESTAMP_FORMAT
from wholiked.core.store.records import User, video_by_id

WINDOWS: dict[str, int | None] = {"7d": 7, "28d": 28, "60d": 60, "all": None}
MECHANISM = "discrete_laplace"


def personal_message(user: User) -> str:
    return (
        f"@{user.handle} is a personal account: analytics are for creator accounts"
        " (switch to a creator account to see aggregate analytics of your own videos)"
    )


def check_k(k: object) -> int:
    """The display threshold: a whole number, at least the default (it can only be raised)."""
    if isinstance(k, bool) or not isinstance(k, int):
        raise BadInput(f"k must be a whole number, not {k!r}")
    if k < DEFAULT_K:
        raise BadInput(f"k can only raise the display threshold: at least {DEFAULT_K} (got {k})")
    return k


def check_window(window: str) -> int | None:
    """The number of days of a window name ("all" is None), else BadInput."""
    if window not in WINDOWS:
        raise BadInput(f"unknown window {window!r}; use one of {', '.join(WINDOWS)}")
    return WINDOWS[window]


def segments(days: int | None) -> list[int]:
    """The release segments a window covers (windows end at the release day)."""
    return [i for i, (start, _) in enumerate(SEGMENTS) if days is None or start < days]


def release_day(db: Database) -> date:
    """The UTC date of the reference time: the release counts likes before its 00:00Z."""
    return db.reference_time().date()


# --- public totals ------------------------------------------------------------------------


def _videos(
    conn: sqlite3.Connection, *, creator_id: int, video_id: int | None
) -> list[VideoFigures]:
    one = " AND x.id = :x" if video_id is not None else ""
    query = f"""SELECT x.id, x.caption, x.posted_at, x.views, x.shares,
            {policy.like_total_sql(conn)},
            {comment_counts.total_sql(conn)}
        FROM videos x WHERE x.creator_id = :c{one}
        ORDER BY x.posted_at DESC, x.id DESC"""
    return [
        VideoFigures(
            video_id=vid,
            caption=caption,
            posted_at=posted_at,
            views=views,
            likes=likes,
            comments=comments,
            shares=shares,
        )
        for vid, caption, posted_at, views, shares, likes, comments in conn.execute(
            query, {"c": creator_id, "x": video_id}
        )
    ]


def _own_video(db: Database, user: User, video_id: int | None, rules: Preset = SEED) -> None:
    """Rule 1 first (the same refusal as `likers`, no creator named), then "not yours"."""
    if video_id is None:
        return
    video = video_by_id(db, video_id)
    if not policy.can_view(db.conn, viewer_id=user.id, video_id=video.id, rules=rules):
        raise NotPermitted(f"@{user.handle} cannot view video {video.id}")
    if video.creator_id != user.id:
        raise NotPermitted(f"video {video.id} is not yours: analytics cover your own videos only")


def totals(
    db: Database,
    user: User,
    *,
    video_id: int | None = None,
    window: str = DEFAULT_WINDOW,
    rules: Preset = SEED,
) -> Totals:
    """The public part any account sees of its own videos (a personal account gets this)."""
    check_window(window)
    with db.snapshot() as conn:
        _own_video(db, user, video_id, rules)
        videos = _videos(conn, creator_id=user.id, video_id=video_id)
    return Totals(video_id=video_id, window=window, totals=PublicTotals.of(videos), videos=videos)


# --- the release --------------------------------------------------------------------------


class NotReleased(WholikedError):
    """A video whose scope is not in the day's release (too few likes): no noise is drawn
    for it and nothing of it is shown."""


MIN_LIKES_CELL = ("min_video_likes", 0, "")
"""Kept with the all-videos day: the like total from which a video's scope is released."""
VIDEO_LIKES = "video_likes"
"""Kept with the all-videos day: each video's public like total, (VIDEO_LIKES, id, "")."""


def _public_cells(videos: list[VideoFigures], min_likes: int | None = None) -> Counts:
    """What is public about a scope, kept with its frozen day as cells: its like total and
    when its first video was posted (seconds since 1970; absent without videos); for the
    all-videos scope also the day's rule for per-video scopes and each video's like total,
    so the day's choice of videos is made once, from one snapshot, for both groups."""
    cells = Counts({("likes", 0, ""): sum(v.likes for v in videos)})
    if videos:
        first = min(datetime.strptime(v.posted_at, TIMESTAMP_FORMAT) for v in videos)
        cells[("first_posted", 0, "")] = int(first.replace(tzinfo=UTC).timestamp())
    if min_likes:
        cells[MIN_LIKES_CELL] = min_likes
        for v in videos:
            cells[(VIDEO_LIKES, v.video_id, "")] = v.likes
    return cells


def _public(cells: Counts) -> consistent.Public:
    posted = cells.get(("first_posted", 0, ""))
    first = None if posted is None else datetime.fromtimestamp(posted, UTC)
    return consistent.Public(likes=cells[("likes", 0, "")], first_posted=first)


def _day_of_all(db: Database, creator: User, day: date, min_likes: int) -> dict[str, Counts]:
    counts = counting.all_videos_counts(db, creator.id, day)
    with db.snapshot() as conn:
        videos = _videos(conn, creator_id=creator.id, video_id=None)
    return {"all": counts, "public:all": _public_cells(videos, min_likes)}


def _day_of_videos(db: Database, creator: User, day: date) -> dict[str, Counts]:
    scopes = counting.video_day(db, creator.id, day)
    with db.snapshot() as conn:
        for video in _videos(conn, creator_id=creator.id, video_id=None):
            scopes[f"public:video:{video.video_id}"] = _public_cells([video])
    return scopes


def video_scopes_of(db: Database, creator: User, public_all: Counts) -> VideoScopes:
    """The day's per-video scopes, from the public data kept with its all-videos day: the
    videos whose like total was then at least the rule's. A day kept without a rule (none
    set, or kept before rules) releases every video's scope, as before."""
    min_likes = public_all.get(MIN_LIKES_CELL)
    if min_likes is None:
        with db.snapshot() as conn:
            rows = conn.execute("SELECT id FROM videos WHERE creator_id = ?", (creator.id,))
            ids = sorted(r[0] for r in rows)
        return VideoScopes(min_likes=0, released=ids)
    released = [i for (h, i, _), n in public_all.items() if h == VIDEO_LIKES and n >= min_likes]
    return VideoScopes(min_likes=min_likes, released=sorted(released))


def _release(
    db: Database, creator: User, video_id: int | None, threshold: int, store: ReleaseStore
) -> tuple[DailyRelease | None, VideoScopes, date]:
    """Today's release of the scope (None: a video whose scope is not released), the day's
    per-video scopes and the release day shown; see `daily_release`."""
    today = release_day(db)
    epsilon = keys.epsilon(db)
    key = keys.noise_key(db, store)
    cost = odometer.cost(Budget(epsilon))  # the same whichever scopes the day releases
    day = odometer.served_day(store, creator.id, today, cost, keys.epsilon_year(db))
    fresh = day == today  # a past day (the year's cap is spent) is shown as it was kept

    def count_all() -> dict[str, Counts]:
        rule = keys.video_min_likes(db, min_video_likes(Budget(epsilon)))
        return _day_of_all(db, creator, day, rule)

    def count_videos() -> dict[str, Counts]:
        return _day_of_videos(db, creator, day)

    # the all-videos day is frozen first: its public data decides the day's video scopes
    try:
        whole = frozen_day(store, key, day, creator.id, "all", count_all if fresh else None)
    except odometer.BudgetSpent:
        if video_id is None:
            raise
        whole = {}  # a past day kept before the rule: every video's scope, as it was
    chosen = video_scopes_of(db, creator, whole.get("public:all", Counts()))
    budget = Budget(epsilon, videos=chosen.min_likes == 0 or bool(chosen.released))
    if video_id is None:
        scopes, scope = whole, "all"
    elif video_id not in chosen.released:
        return None, chosen, day
    else:
        scopes = frozen_day(store, key, day, creator.id, "videos", count_videos if fresh else None)
        scope = f"video:{video_id}"
    public = scopes.get(f"public:{scope}")
    if public is None:  # a day frozen without its public data: public data as it is now
        with db.snapshot() as conn:
            public = _public_cells(_videos(conn, creator_id=creator.id, video_id=video_id))
    release = DailyRelease(
        key=key,
        creator_id=creator.id,
        day=day,
        scope=scope,
        scale=budget.scale("all" if video_id is None else "video"),
        threshold=threshold,
        counts=scopes.get(scope, Counts()),
        public=_public(public),
        draws=store.draws,
        videos=budget.videos,
    )
    return release, chosen, day


def daily_release(
    db: Database,
    creator: User,
    video_id: int | None = None,
    *,
    threshold: int = DEFAULT_K,
    store: ReleaseStore | None = None,
) -> DailyRelease:
    """Today's release of the scope, noise drawn on demand, from the day's frozen counts:
    all videos frozen at the first reading of any scope (with each video's public like
    total, which decides the day's per-video scopes), every video of the creator together
    at the first reading of any of them (one snapshot, so the per-video bound holds all
    day), each with the public data its post-processing may use (like totals, posting
    days) as they were then. `keeping.CannotKeep` when the day cannot be kept: never live
    counts; `NotReleased` for a video whose scope the day does not release."""
    release, chosen, _ = _release(db, creator, video_id, threshold, store or ReleaseStore(db))
    if release is None:
        raise NotReleased(
            f"video {video_id} has fewer than {chosen.min_likes} likes: its own scope is not"
            " released today"
        )
    return release


def breakdown(release: DailyRelease, dimension: str, days: int | None) -> dict[str, Released]:
    """One dimension over the window: every bucket of its fixed domain, in domain order."""
    covered = segments(days)
    return {b: release.total(dimension, covered, b) for b in DOMAINS[dimension]}


def new_likers_per_day(release: DailyRelease, days: int | None) -> dict[str, Released]:
    """New likers (first like of the scope) per day of the window, oldest first, then the
    days before the window in one bucket."""
    shown = min(days or DAYS, DAYS)
    series = {
        (release.day - timedelta(days=i + 1)).isoformat(): release.total("new_likers", [i])
        for i in reversed(range(shown))
    }
    series["earlier"] = release.total("new_likers", range(shown, DAYS + 1))
    return series


def _odometer(db: Database, creator: User, store: ReleaseStore) -> PrivacyOdometer:
    """The creator's privacy odometer as of the reference time."""
    cap = keys.epsilon_year(db)
    reading = odometer.reading(store, creator.id, release_day(db), cap)
    return PrivacyOdometer(
        epsilon_spent=float(reading.epsilon),
        release_days=reading.release_days,
        year=reading.year,
        epsilon_spent_this_year=float(reading.year_epsilon),
        epsilon_year=None if cap is None else float(cap),
        frozen_until=f"{reading.year + 1}-01-01" if reading.held else None,
    )


def check_creator(db: Database, creator: User, video_id: int | None, rules: Preset = SEED) -> None:
    """Creator accounts, own videos only (NotPermitted; BadInput for no such video)."""
    if not creator.is_creator:
        raise NotPermitted(personal_message(creator))
    _own_video(db, creator, video_id, rules)


def analytics(
    db: Database,
    creator: User,
    *,
    video_id: int | None = None,
    window: str = DEFAULT_WINDOW,
    k: int = DEFAULT_K,
    rules: Preset = SEED,
    store: ReleaseStore | None = None,
) -> Analytics:
    """The creator's analytics for a scope and window; see the module doc.

    The preset decides only who may view the scope: public totals are shown to everyone
    who can view under every preset, and the release counts liker accounts without
    naming any, whatever the rules say about who is identifiable.
    """
    threshold = check_k(k)
    days = check_window(window)
    check_creator(db, creator, video_id, rules)
    store = store or ReleaseStore(db)
    with db.snapshot() as conn:
        videos = _videos(conn, creator_id=creator.id, video_id=video_id)
        release, chosen, day = _release(db, creator, video_id, threshold, store)
    epsilon = keys.epsilon(db)
    if release is None:  # a video with too few likes: the public part, nothing noisy
        return Analytics(
            video_id=video_id,
            window=window,
            release_day=day.isoformat(),
            privacy=ReleaseTerms(
                epsilon=float(epsilon),
                mechanism=MECHANISM,
                threshold=threshold,
                scale=None,
                scales={},
                unit="liker account",
                counts_likes_before=f"{day.isoformat()}T00:00:00Z",
                videos_per_liker=VIDEOS_PER_LIKER,
                video_scopes=chosen,
                odometer=_odometer(db, creator, store),
            ),
            totals=PublicTotals.of(videos),
            likers=None,
            breakdowns={},
            new_likers_per_day={},
            videos=videos,
        )
    return Analytics(
        video_id=video_id,
        window=window,
        release_day=release.day.isoformat(),
        privacy=ReleaseTerms(
            epsilon=float(epsilon),
            mechanism=MECHANISM,
            threshold=threshold,
            scale=float(release.scale),
            scales={h: float(release.scale_of(h)) for h in HISTOGRAMS},
            unit="liker account",
            counts_likes_before=f"{release.day.isoformat()}T00:00:00Z",
            videos_per_liker=VIDEOS_PER_LIKER if video_id is not None else None,
            video_scopes=chosen,
            odometer=_odometer(db, creator, store),
        ),
        totals=PublicTotals.of(videos),
        likers=release.total("likers", segments(days)),
        breakdowns={dim: breakdown(release, dim, days) for dim in DOMAINS},
        new_likers_per_day=new_likers_per_day(release, days),
        videos=videos,
    )
