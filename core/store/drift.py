"""`wholiked index --check`: every counter, as answers read it, against a fresh count."""

import sqlite3
from dataclasses import dataclass, field

from wholiked.core.store.counters import (
    COUNTS_TABLE,
    DIRTY_USERS,
    DIRTY_VIDEOS,
    PRIVATE_TABLE,
    USER_DELTA,
    fresh_population,
    population,
    unusable_reason,
)


@dataclass
class Drift:
    """How the counters compare with a fresh count of every video."""

    present: bool
    unusable: str | None
    videos: int = 0
    differences: list[tuple[int, tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    """(video, what the counters say, a fresh count) for every video that differs."""
    copy_differences: int = 0
    """Users outside the dirty list whose privacy copy differs from users.is_private."""
    pending_videos: int = 0
    pending_users: int = 0
    population: tuple[tuple[int, int], tuple[int, int]] | None = None
    """(what the counters say, a fresh count) of (users, private users) when they differ."""

    @property
    def exact(self) -> bool:
        return (
            self.unusable is None
            and not self.differences
            and not self.copy_differences
            and self.population is None
        )


def drift(conn: sqlite3.Connection) -> Drift:
    """Compare every counter (as answers would read it) with a fresh count of the rows."""
    present = conn.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", (COUNTS_TABLE,)
    ).fetchone()
    if present is None:
        return Drift(present=False, unusable=None)
    reason = unusable_reason(conn)
    fresh = {
        v: (n, p or 0)
        for v, n, p in conn.execute(
            "SELECT l.video_id, count(*), sum(u.is_private = 1) FROM likes l"
            " LEFT JOIN users u ON u.id = l.user_id"
            " WHERE typeof(l.video_id) = 'integer' GROUP BY l.video_id"
        )
    }
    stored = {
        v: (n, p)
        for v, n, p in conn.execute(f"SELECT video_id, likes, private_likes FROM {COUNTS_TABLE}")
    }
    report = Drift(present=True, unusable=reason)
    if reason is None:
        report.pending_videos = conn.execute(f"SELECT count(*) FROM {DIRTY_VIDEOS}").fetchone()[0]
        report.pending_users = conn.execute(f"SELECT count(*) FROM {DIRTY_USERS}").fetchone()[0]
        dirty = {r[0] for r in conn.execute(f"SELECT video_id FROM {DIRTY_VIDEOS}")}
        corrections = dict(
            conn.execute(
                f"""SELECT l.video_id, sum({USER_DELTA}) FROM {DIRTY_USERS} d
                JOIN likes l ON l.user_id = d.user_id GROUP BY l.video_id"""
            ).fetchall()
        )
        for video in dirty:
            stored[video] = fresh.get(video, (0, 0))  # answers count a dirty video afresh
        for video, delta in corrections.items():
            if video not in dirty:
                n, p = stored.get(video, (0, 0))
                stored[video] = (n, p + delta)
        report.copy_differences = conn.execute(
            f"""SELECT count(*) FROM (
                SELECT id AS uid FROM users WHERE is_private = 1 AND typeof(id) = 'integer'
                    AND id NOT IN (SELECT user_id FROM {PRIVATE_TABLE})
                UNION ALL
                SELECT user_id FROM {PRIVATE_TABLE}
                    WHERE user_id NOT IN (SELECT id FROM users WHERE is_private = 1))
            WHERE uid NOT IN (SELECT user_id FROM {DIRTY_USERS})"""
        ).fetchone()[0]
        said, truth = population(conn), fresh_population(conn)
        if said != truth:
            report.population = (said, truth)
    for video in sorted(set(fresh) | set(stored)):
        said, truth = stored.get(video, (0, 0)), fresh.get(video, (0, 0))
        if said != truth:
            report.differences.append((video, said, truth))
    report.videos = len(set(fresh) | set(stored))
    return report
