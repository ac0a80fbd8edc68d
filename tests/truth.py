"""Fresh answers computed from a file's rows with the reference oracle, never with counters.

`answers_match_rows(path)` opens the file read-only through wholiked and compares, for
every video and a handful of acting users, the like total, the identifiable and anonymous
counts, the audit's verdicts, rule 6's audience (exact and at most) and rule 9's
candidates (which read the number of users and of private users from the counters), the
video lists' like and comment totals with what `tests.reference` computes from the rows
themselves, and every creator's release counts from the rollup (where one serves) with
the live count.
"""

import sqlite3
from pathlib import Path

from tests import reference
from tests.worlds import World
from wholiked.core.errors import NotPermitted
from wholiked.core.release import counting
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database


def world_from_file(path: Path) -> World:
    """The rows of a file as a World (plain SQL, no wholiked code)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    w = World()
    for uid, handle, private in conn.execute("SELECT id, handle, is_private FROM users"):
        w.users[handle] = {"id": uid, "handle": handle, "is_private": private == 1}
    w.follows = {
        (a, b): s
        for a, b, s in conn.execute("SELECT follower_id, followee_id, status FROM follows")
    }
    w.blocks = {(a, b) for a, b in conn.execute("SELECT blocker_id, blocked_id FROM blocks")}
    w.videos = dict(conn.execute("SELECT id, creator_id FROM videos").fetchall())
    w.likes = {
        (v, u): at for v, u, at in conn.execute("SELECT video_id, user_id, liked_at FROM likes")
    }
    conn.close()
    return w


def fresh(w: World, video: int, viewer: int) -> tuple[int, int, int] | None:
    """(total, identifiable, anonymous) for the viewer, or None when they cannot view it."""
    if not reference.can_view(w, viewer, video):
        return None
    likers = reference.likers(w, video)
    seen = sum(reference.identifiable(w, viewer, video, liker) for liker in likers)
    return len(likers), seen, len(likers) - seen


def viewers(w: World) -> list[int]:
    """Acting users worth asking as: every creator, and every private account."""
    creators = set(w.videos.values())
    private = {u["id"] for u in w.users.values() if u["is_private"]}
    return sorted(creators | private)


def answers_match_rows(path: Path) -> int:
    """Assert every answer equals a fresh count of the rows; the number of answers compared."""
    w = world_from_file(path)
    comments = comment_counts(path)
    service = Wholiked(open_database(path))
    day = service.reference_time().date()
    compared = 0
    try:
        for viewer_id in viewers(w):
            viewer = service.user_by_id(viewer_id)
            for video in sorted(w.videos):
                expected = fresh(w, video, viewer_id)
                try:
                    got = service.likers(video, viewer)
                except NotPermitted:
                    assert expected is None, (video, viewer.handle)
                    continue
                assert expected is not None, (video, viewer.handle)
                said = (got.total, got.identifiable_count, got.anonymous)
                assert said == expected, (video, viewer.handle, said, expected)
                audit = service.audit(video, viewer)
                assert audit.total == expected[0]
                assert sum(bool(r.identifiable) for r in audit.likers) == expected[1]
                candidates = reference.preset_candidates(w, "seed", viewer_id, video)
                assert audit.anonymity.candidates == len(candidates), (video, viewer.handle)
                audience = reference.preset_audience(w, "seed", viewer_id, video)
                assert audit.audience_count == len(audience), (video, viewer.handle)
                at_most = reference.preset_audience_at_most(w, "seed", viewer_id, video)
                assert service.audience(video, viewer).audience_at_most == at_most
                compared += 1
            for summary in service.creator_videos(viewer):
                video = summary.video.id
                assert summary.likes == len(reference.likers(w, video)), (video, summary.likes)
                assert summary.comments == comments.get(video, 0), (video, summary.comments)
        conn = service.db.conn
        for creator in sorted(set(w.videos.values())):
            live = counting.all_videos(conn, creator, day)
            fast = counting.from_rollup(conn, creator, day)
            assert fast is None or fast == live, creator
    finally:
        service.close()
    return compared


def comment_counts(path: Path) -> dict[int, int]:
    """Comments per video, counted from the rows (plain SQL)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT video_id, count(*) FROM comments GROUP BY video_id"))
    finally:
        conn.close()
