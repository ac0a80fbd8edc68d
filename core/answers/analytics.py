"""Aggregate analytics for a creator's own videos that never identify a liker (DESIGN.md).

`analytics(db, creator, video_id=None, window="28d", k=5)` returns exactly what
`wholiked analytics --json` prints::

    {
      "scope": "all" | {"video_id": 3},
      "window": "7d" | "28d" | "60d" | "all",
      "k": 5,
      "totals": {"videos": int, "likes": int, "likers": int, "comments": int,
                 "views": int, "shares": int, "engagement_rate": float | null},
      "breakdowns": {} | {"age_band": {bucket: int | "<k"}, "region": {...},
                          "language": {...}, "device": {...}, "hour": {"00": ..., ...}},
      "withheld": null | "why the breakdowns are empty",
      "videos": [{"video_id", "caption", "posted_at", "views", "likes", "comments",
                  "shares", "engagement_rate"}],
      "likes_per_day": [{"date": "YYYY-MM-DD", "likes": int | "<k"}]
    }

Definitions (ref = the reference time, `meta.now` or the current UTC time):

* window: likes with `liked_at` in (ref - N days, ref] and comments with `created_at`
  in it, compared as ISO strings in SQL; "all" is everything up to ref (a row dated
  after the reference time is in no window).
* totals: likes and distinct likers in scope and window, comments in scope and window
  (replies included), lifetime views and shares (NULL counts as 0), engagement_rate =
  likes / views rounded to 4 decimals (null when views is 0).
* videos: one row per video in scope, newest first; likes and comments in the window,
  views and shares lifetime, engagement_rate as for the totals (null without views).
  Like counts per video are the public like totals (rule 2) cut to the window.
* breakdowns: one dimension at a time; a NULL attribute is the bucket "unknown"; "hour"
  is the UTC hour of the like. Every bucket counts distinct likers; empty buckets are
  omitted; buckets are ordered by name (age bands and devices in the format's order,
  "unknown" last), never by count, so the order says nothing about suppressed buckets.
* suppression: a bucket with 0 < n < k is the string "<k"; if that leaves exactly one
  suppressed bucket, the smallest remaining one (ties: the first in bucket order) is
  shown as "<k" too, so "<k" means "suppressed", not always "fewer than k".
* withheld: `breakdowns` is {} (and `likes_per_day` is []) when the scope and window
  hold fewer than k distinct likers, or when 0 < a < k of them are anonymous to the
  creator (rule 3: not the creator, and a block either way or a private account the
  creator does not follow with approval), since subtracting the likers the creator can
  identify would then single the anonymous few out.
* likes_per_day: likes per UTC date for every date the window touches, oldest first
  (the first and last dates may be partial); for "all" from the date of the scope's
  first like. It sums to totals.likes and is a breakdown of likes by day, so it follows
  the same rules: days with 0 < n < k are "<k" (with the exactly-one rule), days with
  no likes are 0, and it is [] whenever the breakdowns are withheld (a daily series
  would date the anonymous likes).

Access: creator accounts, own videos only (NotPermitted otherwise; BadInput for k < 2,
an unknown window or video). `totals(db, user, ...)` gives any account, personal
ones included, the same "scope", "window", "totals" and "videos" without breakdowns
(DESIGN: "a personal account sees totals only").

Everything is read in one snapshot and aggregated by SQLite (GROUP BY over the likes
index); Python only folds the few grouped rows.
"""

import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from wholiked.core.errors import BadInput, NotPermitted
from wholiked.core.rules.policy import approved_sql
from wholiked.core.store.database import Database
from wholiked.core.store.format import AGE_BANDS, DEVICES, TIMESTAMP_FORMAT
from wholiked.core.store.records import User, video_by_id

WINDOWS: dict[str, int | None] = {"7d": 7, "28d": 28, "60d": 60, "all": None}
DEFAULT_WINDOW = "28d"
DEFAULT_K = 5

SORT_THREADS = min(4, os.cpu_count() or 1)
"""Helper threads SQLite may use for the big sorts (PRAGMA threads), set per query."""

DIMENSIONS = ("age_band", "region", "language", "device", "hour")
UNKNOWN = "unknown"
HOURS = tuple(f"{h:02d}" for h in range(24))
_ORDER = {"age_band": AGE_BANDS, "device": DEVICES, "hour": HOURS}


def _personal_message(user: User) -> str:
    return (
        f"@{user.handle} is a personal account: analytics are for creator accounts"
        " (switch to a creator account to see aggregate analytics of your own videos)"
    )


def check_k(k: object) -> int:
    """k as an int of at least 2, else BadInput."""
    if isinstance(k, bool) or not isinstance(k, int):
        raise BadInput(f"k must be a whole number, not {k!r}")
    if k < 2:
        raise BadInput(f"k must be at least 2 (got {k}): a smaller k would show single likers")
    return k


def check_window(window: str) -> int | None:
    """The number of days of a window name ("all" is None), else BadInput."""
    if window not in WINDOWS:
        raise BadInput(f"unknown window {window!r}; use one of {', '.join(WINDOWS)}")
    return WINDOWS[window]


def stamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP_FORMAT)


def parse(text: str) -> datetime:
    return datetime.strptime(text, TIMESTAMP_FORMAT).replace(tzinfo=UTC)


# --- suppression ------------------------------------------------------------------------


def bucket_order(dimension: str, buckets: Iterable[str]) -> list[str]:
    """Buckets in display order: the format's order for enums, else by name; unknown last."""
    known = _ORDER.get(dimension, ())
    rank = {b: i for i, b in enumerate(known)}

    def key(bucket: str) -> tuple[int, int, str]:
        if bucket == UNKNOWN and bucket not in rank:
            return (2, 0, "")
        if bucket in rank:
            return (0, rank[bucket], bucket)
        return (1, 0, bucket)

    return sorted(buckets, key=key)


def suppress(
    counts: Mapping[str, int], k: int, *, order: list[str] | None = None, keep_zero: bool = False
) -> dict[str, int | str]:
    """Counts with every 0 < n < k shown as "<k", never exactly one of them suppressed.

    Buckets with n = 0 are dropped (or kept as 0 with keep_zero). When exactly one
    bucket is below k, the smallest of the others (ties: first in `order`) is
    suppressed too, so the hidden one cannot be derived by subtraction.
    """
    order = list(order if order is not None else sorted(counts))
    shown = [b for b in order if counts.get(b, 0) > 0]
    hidden = {b for b in shown if counts[b] < k}
    if len(hidden) == 1:
        rest = [b for b in shown if b not in hidden]
        if rest:
            position = {b: i for i, b in enumerate(order)}
            hidden.add(min(rest, key=lambda b: (counts[b], position[b])))
    marker = f"<{k}"
    result: dict[str, int | str] = {}
    for b in order:
        n = counts.get(b, 0)
        if n > 0 or keep_zero:
            result[b] = marker if b in hidden else n
    return result


# --- the SQL ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which likes: the creator's videos (or one), dated in (since, until] (or up to until)."""

    creator_id: int
    video_id: int | None
    since: str | None
    until: str
    followers_only: bool = False
    """Count only likers who are approved followers of the creator (for tips)."""

    @property
    def params(self) -> dict[str, object]:
        return {"c": self.creator_id, "x": self.video_id, "since": self.since, "until": self.until}

    def videos_sql(self, alias: str = "x") -> str:
        video = f" AND {alias}.id = :x" if self.video_id is not None else ""
        return f"{alias}.creator_id = :c{video}"

    def time_sql(self, column: str) -> str:
        if self.since is None:
            return f"{column} <= :until"
        return f"{column} > :since AND {column} <= :until"

    def liker_sql(self, user: str) -> str:
        """SQL true when `user` is among the scope's likers (walks that user's likes)."""
        return f"""EXISTS (SELECT 1 FROM likes l JOIN videos x ON x.id = l.video_id
            WHERE l.user_id = {user} AND {self.videos_sql()} AND {self.time_sql("l.liked_at")})"""

    def follower_sql(self, user: str) -> str:
        if not self.followers_only:
            return "1"
        return approved_sql(user, ":c")


@dataclass
class LikerStats:
    """Distinct likers of a scope: how many, how many anonymous to the creator, by bucket."""

    likers: int = 0
    anonymous: int = 0
    buckets: dict[str, Counter] = field(default_factory=lambda: {d: Counter() for d in DIMENSIONS})


_HOURS_SQL = "hours(h) AS (VALUES " + ", ".join(f"({h})" for h in range(24)) + ")"


def liker_stats(conn: sqlite3.Connection, scope: Scope) -> LikerStats:
    """Distinct likers in scope, their buckets per dimension, and the anonymous count.

    One sort of the scope's likes by user gives each distinct liker with a bit mask of
    the UTC hours they liked at; the likers, in id order, are joined to `users` once and
    grouped by attributes; the hours are counted per distinct mask (few) and spread over
    the 24 bits. The anonymous count
    (rule 3 for the creator, per distinct liker) is private likers - private likers the
    creator follows with approval + likers across a block who would otherwise be
    identifiable; the last two walk the creator's own following and block lists, so no
    liker is probed one by one.
    """
    likers = "q" if scope.followers_only else "p"  # q: only the creator's approved followers
    query = f"""WITH p AS MATERIALIZED (
            SELECT l.user_id AS uid,
                sum(DISTINCT 1 << CAST(substr(l.liked_at, 12, 2) AS INTEGER)) AS m
            FROM videos x JOIN likes l ON l.video_id = x.id
            WHERE {scope.videos_sql()} AND {scope.time_sql("l.liked_at")}
            GROUP BY l.user_id),
        q AS MATERIALIZED (SELECT uid, m FROM p WHERE {scope.follower_sql("p.uid")}),
        {_HOURS_SQL}
        SELECT 'd', u.age_band, u.region, u.language, u.device,
            u.is_private = 1 AND u.id <> :c, count(*)
        FROM {likers} JOIN users u ON u.id = {likers}.uid
        GROUP BY 2, 3, 4, 5, 6
        UNION ALL
        SELECT 'h', h, NULL, NULL, NULL, NULL, sum(n)
        FROM (SELECT m, count(*) AS n FROM {likers} GROUP BY m) JOIN hours ON (m >> h) & 1
        GROUP BY h"""
    stats = LikerStats()
    private = 0
    threads = conn.execute("PRAGMA threads").fetchone()[0]
    conn.execute(f"PRAGMA threads = {SORT_THREADS}")  # sorts of a million likes use them
    try:
        rows = conn.execute(query, scope.params).fetchall()
    finally:
        conn.execute(f"PRAGMA threads = {int(threads)}")
    for kind, *values, n in rows:
        if kind == "h":
            stats.buckets["hour"][HOURS[values[0]]] = n
            continue
        stats.likers += n
        if values[4]:
            private += n
        for dim, value in zip(DIMENSIONS[:4], values[:4], strict=True):
            stats.buckets[dim][UNKNOWN if value is None else value] += n
    if stats.likers:
        stats.anonymous = (
            private
            - _count(conn, _followed_private(scope), scope)
            + _count(conn, _blocked_visible(scope), scope)
        )
    return stats


def _followed_private(scope: Scope) -> str:
    return f"""SELECT count(*) FROM follows f JOIN users u ON u.id = f.followee_id
        WHERE f.follower_id = :c AND f.status = 'approved' AND f.followee_id <> :c
          AND u.is_private = 1 AND {scope.follower_sql("f.followee_id")}
          AND {scope.liker_sql("f.followee_id")}"""


def _blocked_visible(scope: Scope) -> str:
    return f"""SELECT count(*) FROM (
            SELECT blocked_id AS id FROM blocks WHERE blocker_id = :c
            UNION SELECT blocker_id FROM blocks WHERE blocked_id = :c) b
        JOIN users u ON u.id = b.id
        WHERE b.id <> :c AND (u.is_private = 0 OR {approved_sql(":c", "b.id")})
          AND {scope.follower_sql("b.id")} AND {scope.liker_sql("b.id")}"""


def _count(conn: sqlite3.Connection, query: str, scope: Scope) -> int:
    return conn.execute(query, scope.params).fetchone()[0]


def withheld_reason(stats: LikerStats, k: int) -> str | None:
    """Why breakdowns of these likers may not be shown (None when they may)."""
    if stats.likers < k:
        return (
            f"fewer than {k} distinct likers in this scope and window ({stats.likers}):"
            " a breakdown could point at single likers"
        )
    if 0 < stats.anonymous < k:
        return (
            f"between 1 and {k - 1} of these likers are anonymous to you: subtracting the"
            " likers you can identify from a breakdown would single them out"
        )
    return None


def breakdowns(stats: LikerStats, k: int) -> dict[str, dict[str, int | str]]:
    return {
        dim: suppress(stats.buckets[dim], k, order=bucket_order(dim, stats.buckets[dim]))
        for dim in DIMENSIONS
    }


def rate(likes: int, views: int | None) -> float | None:
    """likes / views rounded to 4 decimals; None without views."""
    return round(likes / views, 4) if views else None


def _videos(conn: sqlite3.Connection, scope: Scope) -> list[dict]:
    query = f"""SELECT x.id, x.caption, x.posted_at, x.views, x.shares,
            (SELECT count(*) FROM likes l
                WHERE l.video_id = x.id AND {scope.time_sql("l.liked_at")}),
            (SELECT count(*) FROM comments m
                WHERE m.video_id = x.id AND {scope.time_sql("m.created_at")})
        FROM videos x WHERE {scope.videos_sql()}
        ORDER BY x.posted_at DESC, x.id DESC"""
    return [
        {
            "video_id": vid,
            "caption": caption,
            "posted_at": posted_at,
            "views": views,
            "likes": likes,
            "comments": comments,
            "shares": shares,
            "engagement_rate": rate(likes, views),
        }
        for vid, caption, posted_at, views, shares, likes, comments in conn.execute(
            query, scope.params
        )
    ]


def _likes_per_day(conn: sqlite3.Connection, scope: Scope) -> dict[str, int]:
    """Likes per UTC date of the scope, every date from the window's first to its last.

    Each date is an index range count per video (likes by video_id, liked_at), so a
    million likes are stepped over once and never sorted.
    """
    if scope.since is not None:
        first = (parse(scope.since) + timedelta(seconds=1)).date().isoformat()
    else:
        query = f"""SELECT min((SELECT min(l.liked_at) FROM likes l WHERE l.video_id = x.id
                AND l.liked_at <= :until)) FROM videos x WHERE {scope.videos_sql()}"""
        first = conn.execute(query, scope.params).fetchone()[0]
        if first is None:
            return {}
        first = first[:10]
    # One lower and one upper bound per date (the window's edges clamp the first and last
    # date), so that each count is one index range.
    query = f"""WITH RECURSIVE days(d) AS (
            SELECT :first UNION ALL
            SELECT date(d, '+1 day') FROM days WHERE d < date(:until))
        SELECT d, (SELECT count(*) FROM videos x JOIN likes l ON l.video_id = x.id
            WHERE {scope.videos_sql()}
              AND l.liked_at > max(coalesce(:since, ''), date(d, '-1 day') || 'T23:59:59Z')
              AND l.liked_at <= min(:until, d || 'T23:59:59Z'))
        FROM days"""
    return dict(conn.execute(query, {**scope.params, "first": first}).fetchall())


# --- the entry point ----------------------------------------------------------------------


def _check_own_video(db: Database, user: User, video_id: int | None) -> None:
    if video_id is not None:
        video = video_by_id(db, video_id)
        if video.creator_id != user.id:
            raise NotPermitted(
                f"video {video.id} is not yours (it is @{video.creator_handle}'s):"
                " analytics cover your own videos only"
            )


def check_creator(db: Database, creator: User, video_id: int | None) -> None:
    """Creator accounts only, own videos only: NotPermitted (or BadInput for no such video)."""
    if not creator.is_creator:
        raise NotPermitted(_personal_message(creator))
    _check_own_video(db, creator, video_id)


def _scope(db: Database, user: User, video_id: int | None, days: int | None) -> Scope:
    ref = db.reference_time()
    since = stamp(ref - timedelta(days=days)) if days is not None else None
    return Scope(user.id, video_id, since, stamp(ref))


def _report(video_id: int | None, window: str, videos: list[dict], likers: int) -> dict:
    likes = sum(v["likes"] for v in videos)
    views = sum(v["views"] or 0 for v in videos)
    return {
        "scope": "all" if video_id is None else {"video_id": video_id},
        "window": window,
        "totals": {
            "videos": len(videos),
            "likes": likes,
            "likers": likers,
            "comments": sum(v["comments"] for v in videos),
            "views": views,
            "shares": sum(v["shares"] or 0 for v in videos),
            "engagement_rate": rate(likes, views),
        },
        "videos": videos,
    }


def totals(
    db: Database, user: User, *, video_id: int | None = None, window: str = DEFAULT_WINDOW
) -> dict:
    """What any account sees of its own videos: {"scope", "window", "totals", "videos"}, as
    in `analytics` but without breakdowns (a personal account gets this; DESIGN: "a
    personal account sees totals only"). NotPermitted for another creator's video."""
    days = check_window(window)
    with db.snapshot() as conn:
        _check_own_video(db, user, video_id)
        scope = _scope(db, user, video_id, days)
        videos = _videos(conn, scope)
        query = f"""SELECT count(DISTINCT l.user_id) FROM videos x JOIN likes l
            ON l.video_id = x.id WHERE {scope.videos_sql()} AND {scope.time_sql("l.liked_at")}"""
        likers = conn.execute(query, scope.params).fetchone()[0]
    return _report(video_id, window, videos, likers)


def analytics(
    db: Database,
    creator: User,
    *,
    video_id: int | None = None,
    window: str = DEFAULT_WINDOW,
    k: int = DEFAULT_K,
) -> dict:
    """Aggregate analytics of the creator's videos (or one of them); see the module doc.

    BadInput for k < 2, an unknown window or video; NotPermitted for a personal account
    or another creator's video.
    """
    k = check_k(k)
    days = check_window(window)
    with db.snapshot() as conn:
        check_creator(db, creator, video_id)
        scope = _scope(db, creator, video_id, days)
        videos = _videos(conn, scope)
        stats = liker_stats(conn, scope)
        withheld = withheld_reason(stats, k)
        per_day = {} if withheld else _likes_per_day(conn, scope)
    report = _report(video_id, window, videos, stats.likers)
    days_shown = suppress(per_day, k, order=list(per_day), keep_zero=True) if per_day else {}
    return {
        "scope": report["scope"],
        "window": window,
        "k": k,
        "totals": report["totals"],
        "breakdowns": {} if withheld else breakdowns(stats, k),
        "withheld": withheld,
        "videos": videos,
        "likes_per_day": [{"date": d, "likes": n} for d, n in days_shown.items()],
    }
