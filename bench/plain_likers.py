"""The yardstick for `wholiked likers VIDEO --as H --json --limit N`: the least a script can do.

    python bench/plain_likers.py VIDEO --as HANDLE --limit N --db PATH

It imports only sqlite3, json and click, opens the file read-only and runs the SQL the
service runs for that answer under the seed's rules on a file with wholiked's counters
(the user, the video and rule 1, the counters, the asker's own like, block and following
lists, one page of likers), then prints the same JSON. No format, schema or row check:
what is left of wholiked's time above this script is its own overhead. The bench checks
that both print the same bytes.
"""

import json
import sqlite3
from pathlib import Path

import click

BLOCKED = """(EXISTS (SELECT 1 FROM blocks WHERE blocker_id = :v AND blocked_id = {o})
    OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = {o} AND blocked_id = :v))"""
APPROVED = """EXISTS (SELECT 1 FROM follows WHERE follower_id = :v AND followee_id = {o}
    AND status = 'approved')"""

USER = "SELECT id, handle FROM users WHERE handle = :h"
VIDEO = """SELECT x.id, c.handle FROM videos x JOIN users c ON c.id = x.creator_id
    WHERE x.id = :x"""
CAN_VIEW = f"""SELECT 1 FROM videos x JOIN users c ON c.id = x.creator_id
    WHERE x.id = :x AND (x.creator_id = :v OR (NOT {BLOCKED.format(o="x.creator_id")}
    AND (c.is_private = 0 OR {APPROVED.format(o="x.creator_id")})))"""
COUNTS = """SELECT coalesce(c.likes, 0), coalesce(c.private_likes, 0)
    FROM (SELECT 1) LEFT JOIN wholiked_video_counts c ON c.video_id = :x"""
OWN = """SELECT u.is_private FROM users u JOIN likes m ON m.video_id = :x AND m.user_id = u.id
    WHERE u.id = :v"""
ACROSS = f"""SELECT count(*), coalesce(sum(u.is_private = 0), 0),
    coalesce(sum({APPROVED.format(o="b.id")}), 0),
    coalesce(sum(u.is_private = 0 AND {APPROVED.format(o="b.id")}), 0)
    FROM (SELECT blocked_id AS id FROM blocks WHERE blocker_id = :v
          UNION SELECT blocker_id FROM blocks WHERE blocked_id = :v) b
    JOIN users u ON u.id = b.id JOIN likes m ON m.video_id = :x AND m.user_id = b.id
    WHERE b.id <> :v"""
FOLLOWED_PRIVATE = """SELECT count(*) FROM follows f
    JOIN likes m ON m.video_id = :x AND m.user_id = f.followee_id
    JOIN users u ON u.id = f.followee_id
    WHERE f.follower_id = :v AND f.status = 'approved' AND f.followee_id <> :v
      AND u.is_private = 1"""
PAGE = f"""SELECT u.handle, l.liked_at, CASE WHEN l.user_id = :v THEN 'self'
    WHEN u.is_private = 0 THEN 'public' ELSE 'approved_follower' END
    FROM likes l JOIN users u ON u.id = l.user_id
    WHERE l.video_id = :x AND (l.user_id = :v OR (
        (u.is_private = 0 OR {APPROVED.format(o="l.user_id")})
        AND NOT {BLOCKED.format(o="l.user_id")}))
    ORDER BY l.liked_at DESC, u.handle ASC LIMIT :n"""


@click.command()
@click.argument("video_id", type=int)
@click.option("--as", "handle", required=True)
@click.option("--limit", type=int, default=-1)
@click.option("--db", type=click.Path(path_type=Path), required=True)
def likers(video_id: int, handle: str, limit: int, db: Path) -> None:
    conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    conn.execute("BEGIN")
    viewer, viewer_handle = conn.execute(USER, {"h": handle.lstrip("@").lower()}).fetchone()
    p = {"x": video_id, "v": viewer, "n": limit}
    video, creator = conn.execute(VIDEO, p).fetchone()
    if conn.execute(CAN_VIEW, p).fetchone() is None:
        raise click.ClickException(f"@{viewer_handle} cannot view video {video}")
    total, private = conn.execute(COUNTS, p).fetchone()
    own = conn.execute(OWN, p).fetchone()
    across = conn.execute(ACROSS, p).fetchone()
    followed = conn.execute(FOLLOWED_PRIVATE, p).fetchone()[0] - (across[2] - across[3])
    # Identifiable: the viewer's own like, public likers, approved-followed private likers,
    # none across a block (the seed's rules, counted as the service counts them).
    public = total - private - (own is not None and not own[0]) - across[1]
    identifiable = (own is not None) + public + followed
    rows = conn.execute(PAGE, p).fetchall()
    conn.execute("COMMIT")
    answer = {
        "video_id": video,
        "creator": creator,
        "total": total,
        "identifiable": [{"handle": h, "liked_at": t, "reason": r} for h, t, r in rows],
        "anonymous": total - identifiable,
    }
    click.echo(json.dumps(answer, ensure_ascii=True, indent=2))


if __name__ == "__main__":
    likers()
