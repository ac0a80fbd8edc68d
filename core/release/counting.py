"""The counting half of the release: each liker's position, bounded, then histogram cells.

A cell is (histogram, index, bucket): `index` is the segment of the liker's position
(see `accounting.SEGMENTS`) or, for `new_likers`, the day of their first like counted
back from the release day (0 = the day before, `accounting.DAYS` = earlier). Only
likes before the release day's 00:00Z count, so the counts are the same all day.

All videos: a liker's position is their latest like of the creator's videos, and
their first like dates them as new: one cell per histogram per liker.
One video: a liker counts only if the video is among the M they liked most recently
of this creator's videos, with the time of that like: one cell per histogram in at
most M videos.

Both have a second path for creators with a release rollup (`core.store.rollup`): the
same counts from pre-summed rows, corrected on the fly for the likers the rollup cannot
vouch for today (`from_rollup`, `video_from_rollup`); the tests hold the two equal.
"""

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from wholiked.core.release.accounting import DAYS, SEGMENTS, VIDEOS_PER_LIKER
from wholiked.core.release.domains import DIMENSIONS, bucket_of
from wholiked.core.store import rollup
from wholiked.core.store.database import Database
from wholiked.core.store.format import TIMESTAMP_FORMAT

Cell = tuple[str, int, str]
Counts = Counter[Cell]


def _stamp(day: date, days_before: int) -> str:
    moment = datetime.combine(day, time(), UTC) - timedelta(days=days_before)
    return moment.strftime(TIMESTAMP_FORMAT)


def _params(creator_id: int, day: date) -> dict[str, object]:
    params: dict[str, object] = {"c": creator_id, "d0": _stamp(day, 0), "day": day.isoformat()}
    for i, (start, _) in enumerate(SEGMENTS[1:], start=1):
        params[f"b{i}"] = _stamp(day, start)
    params["bdays"] = _stamp(day, DAYS)
    return params


_SEGMENT = "CASE WHEN {t} >= :b1 THEN 0 WHEN {t} >= :b2 THEN 1 WHEN {t} >= :b3 THEN 2 ELSE 3 END"
_DAY = (
    "CASE WHEN {t} >= :bdays"
    " THEN CAST(julianday(:day) - julianday(substr({t}, 1, 10)) AS INTEGER) - 1"
    f" ELSE {DAYS} END"
)
_U_ATTRIBUTES = ", ".join(f"u.{a}" for a in rollup.ATTRIBUTES)


def _by_attribute(source: str, keys: str = "", group: str = "2, 3") -> str:
    """One UNION ALL arm per released attribute, counting `source`'s rows by segment."""
    return " ".join(
        f"UNION ALL SELECT {keys}'{a}', seg, {a}, count(*) FROM {source} GROUP BY {group}"
        for a in rollup.ATTRIBUTES
    )


def _cells(segment: str, day: str) -> str:
    """The cells of the likers `p` (uid, latest, first): each histogram's rows."""
    return f""", q AS MATERIALIZED (
        SELECT {segment} AS seg, {day} AS day, substr(p.latest, 12, 2) AS hour,
            {_U_ATTRIBUTES}
        FROM p JOIN users u ON u.id = p.uid)
    SELECT 'likers', seg, NULL, count(*) FROM q GROUP BY 2
    UNION ALL SELECT 'new_likers', day, NULL, count(*) FROM q GROUP BY 2
    UNION ALL SELECT 'hour', seg, hour, count(*) FROM q GROUP BY 2, 3
    {_by_attribute("q")}"""


def _fold(rows: list[tuple[Any, ...]]) -> Counts:
    counts: Counts = Counter()
    for histogram, index, value, n in rows:
        if histogram in DIMENSIONS:
            counts[(histogram, index, bucket_of(histogram, value))] += n
        else:
            counts[(histogram, index, "")] += n
    return counts


def all_videos(conn: sqlite3.Connection, creator_id: int, day: date) -> Counts:
    """Cells of the all-videos scope: every liker once, at their latest like."""
    query = f"""WITH p AS MATERIALIZED (
            SELECT l.user_id AS uid, max(l.liked_at) AS latest, min(l.liked_at) AS first
            FROM videos x JOIN likes l ON l.video_id = x.id
            WHERE x.creator_id = :c AND l.liked_at < :d0
            GROUP BY l.user_id)
        {_cells(_SEGMENT.format(t="p.latest"), _DAY.format(t="p.first"))}"""
    return _fold(conn.execute(query, _params(creator_id, day)).fetchall())


def one_video(
    conn: sqlite3.Connection,
    *,
    creator_id: int,
    video_id: int,
    day: date,
    users: list[int] | None = None,
) -> Counts:
    """Cells of one video's scope: its likers for whom it is one of their M latest likes of
    this creator's videos (ties by video id), each at the time of that like (only the
    likers listed in `users`, when given)."""
    only = "" if users is None else "AND m.user_id IN (SELECT value FROM json_each(:users))"
    query = f"""WITH p AS MATERIALIZED (
            SELECT m.user_id AS uid, m.liked_at AS latest, m.liked_at AS first
            FROM likes m
            WHERE m.video_id = :x AND m.liked_at < :d0 {only}
              AND EXISTS (SELECT 1 FROM videos WHERE id = :x AND creator_id = :c) AND (
                SELECT count(*) FROM likes l JOIN videos x ON x.id = l.video_id
                WHERE l.user_id = m.user_id AND x.creator_id = :c AND l.liked_at < :d0
                  AND (l.liked_at > m.liked_at
                       OR (l.liked_at = m.liked_at AND l.video_id > m.video_id))
            ) < :m)
        {_cells(_SEGMENT.format(t="p.latest"), _DAY.format(t="p.first"))}"""
    params = {**_params(creator_id, day), "x": video_id, "m": VIDEOS_PER_LIKER}
    params["users"] = json.dumps(users)
    return _fold(conn.execute(query, params).fetchall())


# --- the same counts from the rollup (core.store.rollup) ----------------------------------

LIVE_LIMIT = 20_000
"""More likers than this to correct on the fly and the release is counted live instead."""

_FOLD = f"""SELECT histogram,
        CASE WHEN histogram = 'new_likers' THEN
            CASE WHEN day >= :bdays_day
                THEN CAST(julianday(:day) - julianday(day) AS INTEGER) - 1 ELSE {DAYS} END
        ELSE CASE WHEN day >= :b1_day THEN 0 WHEN day >= :b2_day THEN 1
                  WHEN day >= :b3_day THEN 2 ELSE 3 END END,
        value, sum(n)
    FROM ({{source}}) WHERE day < :day GROUP BY 1, 2, 3"""
"""Rows (histogram, day, value, n) folded into the release's cells: days before the
release day only, by segment (or, for new likers, by day), as `_SEGMENT` and `_DAY` do."""

_UNKNOWN = f"""SELECT user_id FROM {rollup.LIKERS} WHERE creator_id = :c AND latest >= :d0
    AND (prev IS NULL OR latest >= :d1)"""
"""Likers whose row cannot serve today although it is exact: their latest like is today
without a known `prev`, or later than today."""

_TODAY = f"""WITH r AS MATERIALIZED (
        SELECT {_SEGMENT.format(t="prev")} AS seg,
            substr(prev, 12, 2) AS hour, {", ".join(rollup.ATTRIBUTES)}
        FROM {rollup.LIKERS} WHERE creator_id = :c AND latest >= :d0 AND latest < :d1
          AND prev <> '' AND present AND user_id NOT IN (SELECT value FROM json_each(:users)))
    SELECT 'likers', seg, NULL, count(*) FROM r GROUP BY 2
    UNION ALL SELECT 'hour', seg, hour, count(*) FROM r GROUP BY 2, 3
    {_by_attribute("r")}"""
"""Likers whose latest like is today: the release places them at `prev`, their latest
like before today (their first like, and so their new-liker cell, is unchanged); the
cells they add, by segment."""


def _stale(conn: sqlite3.Connection, query: str, params: dict[str, object]) -> list[int] | None:
    """The likers to count live: those `query` names and those the journal names, sorted;
    None when they are too many (then the whole scope is counted live)."""
    stale = {r[0] for r in conn.execute(query, params)}
    if rollup.is_pending(conn):
        stale.update(r[0] for r in conn.execute(rollup.AFFECTED_SQL, params))
    return sorted(stale) if len(stale) <= LIVE_LIMIT else None


def _rollup_params(creator_id: int, day: date, stale: list[int]) -> dict[str, object]:
    params = _params(creator_id, day)
    params.update({f"{k}_day": str(v)[:10] for k, v in params.items() if k.startswith("b")})
    params.update({"d1": _stamp(day, -1), "users": json.dumps(stale)})
    return params


def from_rollup(conn: sqlite3.Connection, creator_id: int, day: date) -> Counts | None:
    """The all-videos cells from the creator's rollup, corrected for the likers it cannot
    vouch for (counted live, their stored rows taken out); None when there is no usable
    rollup for the creator or too many likers to correct."""
    if not rollup.usable(conn) or not rollup.is_built(conn, creator_id):
        return None
    stale = _stale(conn, _UNKNOWN, {"c": creator_id, "d0": _stamp(day, 0), "d1": _stamp(day, -1)})
    if stale is None:
        return None
    params = _rollup_params(creator_id, day, stale)

    def fold(source: str) -> Counts:
        return _fold(conn.execute(_FOLD.format(source=source), params).fetchall())

    counts = fold(f"SELECT histogram, day, value, n FROM {rollup.CELLS} WHERE creator_id = :c")
    counts.update(_fold(conn.execute(_TODAY, params).fetchall()))
    if stale:
        counts.subtract(fold(rollup.sums_sql(rollup.STORED_ROWS)))
        live = rollup.ROWS_OF_USERS.format(before="AND l.liked_at < :d0")
        counts.update(fold(rollup.sums_sql(live)))
    return +counts


_VIDEO_LIKERS = f"""WITH m AS MATERIALIZED (
        SELECT user_id, liked_at, video_id FROM likes
        WHERE video_id = :x AND liked_at < :d0
          AND EXISTS (SELECT 1 FROM videos WHERE id = :x AND creator_id = :c)
          AND user_id NOT IN (SELECT value FROM json_each(:users))
        ORDER BY user_id LIMIT -1)
    SELECT m.liked_at AS first, m.liked_at AS latest, k.present,
        {", ".join(f"k.{a}" for a in rollup.ATTRIBUTES)}
    FROM m CROSS JOIN {rollup.LIKERS} k ON k.creator_id = :c AND k.user_id = m.user_id
    WHERE k.latest < :d0
      AND (k.third_at IS NULL OR (m.liked_at, m.video_id) >= (k.third_at, k.third_video))"""
"""A video's likers in its scope, by their rows: all of their likes are before today, so
their third latest like is the one the bound compares with. The likes are taken in
user order (`LIMIT -1` keeps the ORDER BY), so the rows are read in key order."""

_VIDEO_STALE = f"""SELECT user_id FROM {rollup.LIKERS} WHERE creator_id = :c AND latest >= :d0
    AND EXISTS (SELECT 1 FROM likes WHERE video_id = :x AND user_id = {rollup.LIKERS}.user_id)"""
"""A video's likers who liked one of the creator's videos today (or later): counted live."""


def video_from_rollup(
    conn: sqlite3.Connection, *, creator_id: int, video_id: int, day: date
) -> Counts | None:
    """One video's cells from the creator's rollup, its likers with a like today and those
    the journal names counted live; None as `from_rollup`."""
    if VIDEOS_PER_LIKER != rollup.RANK:
        return None
    if not rollup.usable(conn) or not rollup.is_built(conn, creator_id):
        return None
    stale = _stale(conn, _VIDEO_STALE, {"c": creator_id, "x": video_id, "d0": _stamp(day, 0)})
    if stale is None:
        return None
    params = {**_rollup_params(creator_id, day, stale), "x": video_id}
    query = _FOLD.format(source=rollup.sums_sql(_VIDEO_LIKERS))
    counts = _fold(conn.execute(query, params).fetchall())
    if stale:
        counts.update(
            one_video(conn, creator_id=creator_id, video_id=video_id, day=day, users=stale)
        )
    return counts


def _served(
    db: Database,
    fast: Callable[[sqlite3.Connection], Counts | None],
    live: Callable[[sqlite3.Connection], Counts],
) -> Counts:
    """From the rollup when it can serve (the journal folded first on a writable file),
    else counted live: the same counts either way."""
    db.repair_derived()
    with db.snapshot() as conn:
        counts = fast(conn)
        return counts if counts is not None else live(conn)


def video_counts(db: Database, *, creator_id: int, video_id: int, day: date) -> Counts:
    """One video's cells (see `_served`)."""
    return _served(
        db,
        lambda conn: video_from_rollup(conn, creator_id=creator_id, video_id=video_id, day=day),
        lambda conn: one_video(conn, creator_id=creator_id, video_id=video_id, day=day),
    )


def all_videos_counts(db: Database, creator_id: int, day: date) -> Counts:
    """The all-videos cells (see `_served`)."""
    return _served(
        db,
        lambda conn: from_rollup(conn, creator_id, day),
        lambda conn: all_videos(conn, creator_id, day),
    )


def rollup_drift(conn: sqlite3.Connection, day: date) -> list[int]:
    """Built creators whose release counts from the rollup differ from the live count."""
    return [
        c
        for c in rollup.built(conn)
        if from_rollup(conn, c, day) not in (None, all_videos(conn, c, day))
    ]


# --- every video scope of a creator's day, in one snapshot -------------------------------

_VIDEO_SCOPES = """WITH r AS MATERIALIZED (
        SELECT l.user_id AS uid, l.video_id AS vid, l.liked_at AS t, row_number() OVER (
            PARTITION BY l.user_id ORDER BY l.liked_at DESC, l.video_id DESC) AS rank
        FROM videos x JOIN likes l ON l.video_id = x.id
        WHERE x.creator_id = :c AND l.liked_at < :d0),
    q AS MATERIALIZED (
        SELECT r.vid, {segment} AS seg, {day} AS day, substr(r.t, 12, 2) AS hour,
            {u_attributes}
        FROM r JOIN users u ON u.id = r.uid WHERE r.rank <= :m)
    SELECT vid, 'likers', seg, NULL, count(*) FROM q GROUP BY 1, 3
    UNION ALL SELECT vid, 'new_likers', day, NULL, count(*) FROM q GROUP BY 1, 3
    UNION ALL SELECT vid, 'hour', seg, hour, count(*) FROM q GROUP BY 1, 3, 4
    {by_attribute}""".format(
    u_attributes=_U_ATTRIBUTES,
    by_attribute=_by_attribute("q", keys="vid, ", group="1, 3, 4"),
    segment=_SEGMENT.format(t="r.t"),
    day=_DAY.format(t="r.t"),
)
"""Each video's cells: a like counts in its video's scope when it is one of the liker's M
latest likes of the creator's videos (ties by video id), at its time (`one_video` for
every video at once)."""


def video_scopes(conn: sqlite3.Connection, creator_id: int, day: date) -> dict[int, Counts]:
    """The cells of every video scope of the creator (a video nobody counts in: empty)."""
    scopes: dict[int, list[tuple[Any, ...]]] = {
        vid: []
        for (vid,) in conn.execute("SELECT id FROM videos WHERE creator_id = ?", (creator_id,))
    }
    params = {**_params(creator_id, day), "m": VIDEOS_PER_LIKER}
    for vid, *row in conn.execute(_VIDEO_SCOPES, params):
        scopes.setdefault(vid, []).append(tuple(row))
    return {vid: _fold(rows) for vid, rows in scopes.items()}


def video_day(db: Database, creator_id: int, day: date) -> dict[str, Counts]:
    """Every video scope of the creator ("video:N"), from one snapshot, counted live."""
    db.repair_derived()
    with db.snapshot() as conn:
        return {f"video:{v}": counts for v, counts in video_scopes(conn, creator_id, day).items()}
