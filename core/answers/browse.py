"""The lists the app browses: a creator's videos, the feed, user and video search."""

from dataclasses import dataclass
from typing import Any

from wholiked.core.rules import policy
from wholiked.core.rules.listing import (
    AS_LISTED,
    MATCH_LIMIT,
    ListView,
    find_text,
    like_pattern,
    video_sort,
)
from wholiked.core.store import comment_counts
from wholiked.core.store.database import Database
from wholiked.core.store.records import (
    USER_COLUMNS,
    USER_FIELDS,
    VIDEO_COLUMNS,
    User,
    Video,
    user_from_row,
)


@dataclass(frozen=True, slots=True)
class VideoSummary:
    """A video in a list: its like total, comment count, and whether the viewer liked it."""

    video: Video
    likes: int
    comments: int
    liked: bool


VideoCursor = tuple[Any, int]
"""Keyset position in a video list: (the sort's value, video id) of the last row."""

_MATCHES = (
    "(coalesce(x.caption, '') LIKE :p ESCAPE '\\' OR c.handle LIKE :p ESCAPE '\\'"
    " OR coalesce(c.display_name, '') LIKE :p ESCAPE '\\')"
)
"""A find in a video list: the caption, or the creator's handle or display name."""


def video_cursor(summary: VideoSummary, view: ListView = AS_LISTED) -> VideoCursor:
    """A row's keyset position in a video list shown this way."""
    video = summary.video
    value: Any = {
        "likes": summary.likes,
        "views": -1 if video.views is None else video.views,
        "caption": video.caption or "",
    }.get(view.sort, video.posted_at)
    return (value, video.id)


def _summaries(
    db: Database,
    where: str,
    params: dict[str, Any],
    viewer: User,
    limit: int,
    view: ListView = AS_LISTED,
    after: VideoCursor | None = None,
) -> list[VideoSummary]:
    likes = policy.like_total_sql(db.conn)
    if view.only in ("liked", "unliked"):  # whether the viewer liked it: their own like
        mine = "EXISTS (SELECT 1 FROM likes WHERE video_id = x.id AND user_id = :v)"
        where += f" AND {'' if view.only == 'liked' else 'NOT '}{mine}"
    key = video_sort(view)
    sort = key.sql.replace("{likes}", likes)
    order = "DESC" if key.descending else "ASC"
    if after is not None:
        op = "<" if key.descending else ">"
        where += f" AND ({sort} {op} :at OR ({sort} = :at AND x.id < :id))"
        params = {**params, "at": after[0], "id": after[1]}
    query = f"""SELECT {VIDEO_COLUMNS},
            {likes} AS likes,
            {comment_counts.total_sql(db.conn)} AS comments,
            EXISTS (SELECT 1 FROM likes WHERE video_id = x.id AND user_id = :v) AS liked
        FROM videos x JOIN users c ON c.id = x.creator_id
        WHERE {where}
        ORDER BY {sort} {order}, x.id DESC LIMIT :n"""
    params = {**params, "v": viewer.id, "n": limit}
    with db.snapshot() as conn:
        rows = conn.execute(query, params).fetchall()
    return [VideoSummary(Video(*r[:9]), r[9], r[10], bool(r[11])) for r in rows]


def creator_videos(
    db: Database, creator: User, *, limit: int = 500, view: ListView = AS_LISTED
) -> list[VideoSummary]:
    """The user's own videos, newest first (or as `view` sorts them)."""
    return _summaries(db, "x.creator_id = :v", {}, creator, limit, view)


def feed(
    db: Database,
    viewer: User,
    *,
    limit: int = 100,
    after: VideoCursor | None = None,
    view: ListView = AS_LISTED,
) -> list[VideoSummary]:
    """Videos the viewer can view (rule 1), newest first (or as `view` sorts them), after a
    keyset cursor (`video_cursor`; newest first: (posted_at, id))."""
    return _summaries(db, policy.CAN_VIEW_SQL, {}, viewer, limit, view, after)


def find_videos(
    db: Database, viewer: User, text: str, *, own: bool, view: ListView = AS_LISTED
) -> list[int]:
    """The ids of the videos of a list (the viewer's own, or the feed) whose caption or
    creator's handle or display name holds the text, in the list's order."""
    where = "x.creator_id = :v" if own else policy.CAN_VIEW_SQL
    found = _summaries(
        db,
        f"{where} AND {_MATCHES}",
        {"p": like_pattern(find_text(text))},
        viewer,
        MATCH_LIMIT,
        view,
    )
    return [s.video.id for s in found]


def search_videos(db: Database, viewer: User, text: str, *, limit: int = 20) -> list[VideoSummary]:
    """Videos the viewer can view whose caption contains the text (or whose id it is)."""
    text = text.strip()
    where = f"{policy.CAN_VIEW_SQL} AND (x.caption LIKE :p ESCAPE '\\' OR x.id = :vid)"
    vid = int(text) if text.isdigit() and len(text) < 19 else -1
    return _summaries(db, where, {"p": like_pattern(text), "vid": vid}, viewer, limit)


def search_users(db: Database, text: str, *, limit: int = 20) -> list[User]:
    """Users whose handle starts with the text, then whose display name contains it."""
    conn = db.conn
    text = text.strip().removeprefix("@")
    if not text:
        query = f"SELECT {USER_COLUMNS} FROM users ORDER BY handle LIMIT ?"
        return [user_from_row(r) for r in conn.execute(query, (limit,))]
    prefix = text.lower()
    found = conn.execute(
        f"SELECT {USER_COLUMNS} FROM users WHERE handle >= ? AND handle < ?"
        " ORDER BY handle LIMIT ?",
        (prefix, prefix + "\uffff", limit),
    ).fetchall()
    if len(found) < limit:
        pattern = like_pattern(text)
        seen = {r["id"] for r in found}
        more = conn.execute(
            f"SELECT {USER_COLUMNS} FROM users"
            " WHERE (display_name LIKE ? ESCAPE '\\' OR handle LIKE ? ESCAPE '\\')"
            " LIMIT ?",
            (pattern, pattern, limit + len(seen)),
        ).fetchall()
        found += [r for r in more if r["id"] not in seen][: limit - len(found)]
    return [user_from_row(r) for r in found]


def pending_requests(db: Database, user: User, *, limit: int = 200) -> list[User]:
    """Users whose follow request to this user is pending, newest request first."""
    query = f"""SELECT {", ".join("u." + c for c in USER_FIELDS)}
        FROM follows f JOIN users u ON u.id = f.follower_id
        WHERE f.followee_id = ? AND f.status = 'pending'
        ORDER BY f.created_at DESC, u.handle LIMIT ?"""
    return [user_from_row(r) for r in db.conn.execute(query, (user.id, limit))]
