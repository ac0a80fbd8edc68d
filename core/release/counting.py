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
"""

import sqlite3
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from wholiked.core.release.accounting import DAYS, SEGMENTS, VIDEOS_PER_LIKER
from wholiked.core.release.domains import DIMENSIONS, bucket_of
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
_CELLS = """, q AS MATERIALIZED (
        SELECT {segment} AS seg, {day} AS day, substr(p.latest, 12, 2) AS hour,
            u.age_band, u.region, u.language, u.device
        FROM p JOIN users u ON u.id = p.uid)
    SELECT 'likers', seg, NULL, count(*) FROM q GROUP BY 2
    UNION ALL SELECT 'new_likers', day, NULL, count(*) FROM q GROUP BY 2
    UNION ALL SELECT 'hour', seg, hour, count(*) FROM q GROUP BY 2, 3
    UNION ALL SELECT 'age_band', seg, age_band, count(*) FROM q GROUP BY 2, 3
    UNION ALL SELECT 'region', seg, region, count(*) FROM q GROUP BY 2, 3
    UNION ALL SELECT 'language', seg, language, count(*) FROM q GROUP BY 2, 3
    UNION ALL SELECT 'device', seg, device, count(*) FROM q GROUP BY 2, 3"""


def _fold(rows: list[tuple]) -> Counts:
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
        {_CELLS.format(segment=_SEGMENT.format(t="p.latest"), day=_DAY.format(t="p.first"))}"""
    return _fold(conn.execute(query, _params(creator_id, day)).fetchall())


def one_video(conn: sqlite3.Connection, creator_id: int, video_id: int, day: date) -> Counts:
    """Cells of one video's scope: its likers for whom it is one of their M latest likes of
    this creator's videos (ties by video id), each at the time of that like."""
    query = f"""WITH p AS MATERIALIZED (
            SELECT m.user_id AS uid, m.liked_at AS latest, m.liked_at AS first
            FROM likes m
            WHERE m.video_id = :x AND m.liked_at < :d0 AND (
                SELECT count(*) FROM likes l JOIN videos x ON x.id = l.video_id
                WHERE l.user_id = m.user_id AND x.creator_id = :c AND l.liked_at < :d0
                  AND (l.liked_at > m.liked_at
                       OR (l.liked_at = m.liked_at AND l.video_id > m.video_id))
            ) < :m)
        {_CELLS.format(segment=_SEGMENT.format(t="p.latest"), day=_DAY.format(t="p.first"))}"""
    params = {**_params(creator_id, day), "x": video_id, "m": VIDEOS_PER_LIKER}
    return _fold(conn.execute(query, params).fetchall())
