"""The facade the CLI and the TUI both call: resolve users and videos, ask the policy.

Built from an open `Database`; nothing here opens files at import time.
"""

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from wholiked.core.errors import BadInput, NotPermitted
from wholiked.core.rules import policy
from wholiked.core.rules.policy import Cursor, LikerRow
from wholiked.core.store.database import Database, describe_sqlite_error
from wholiked.core.store.models import HANDLE_RE

USER_FIELDS = (
    "id",
    "handle",
    "display_name",
    "bio",
    "is_private",
    "account_type",
    "age_band",
    "region",
    "language",
    "device",
    "created_at",
)
USER_COLUMNS = ", ".join(USER_FIELDS)
VIDEO_COLUMNS = (
    "x.id, x.creator_id, c.handle, x.caption, x.sound, x.posted_at, x.duration_s, x.views, x.shares"
)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    handle: str
    display_name: str | None
    bio: str | None
    is_private: bool
    account_type: str
    age_band: str | None
    region: str | None
    language: str | None
    device: str | None
    created_at: str | None

    @property
    def is_creator(self) -> bool:
        return self.account_type == "creator"


@dataclass(frozen=True, slots=True)
class Video:
    id: int
    creator_id: int
    creator_handle: str
    caption: str | None
    sound: str | None
    posted_at: str
    duration_s: int | None
    views: int | None
    shares: int | None


@dataclass(frozen=True, slots=True)
class VideoSummary:
    """A video in a list: its like total, comment count, and whether the viewer liked it."""

    video: Video
    likes: int
    comments: int
    liked: bool


@dataclass(frozen=True, slots=True)
class Likers:
    """What a viewer sees of a video's likes: the total, a page of identifiable likers, the rest."""

    video: Video
    viewer: User
    total: int
    anonymous: int
    identifiable: list[LikerRow]

    @property
    def identifiable_count(self) -> int:
        return self.total - self.anonymous


@dataclass(frozen=True, slots=True)
class Audience:
    """Who can see a user's like (given or potential) of a video."""

    video: Video
    liker: User
    liked: bool
    creator_can_see: bool
    reason: str
    audience: str
    audience_count: int


@dataclass(frozen=True, slots=True)
class Audit:
    """Every liker of a video, with each verdict for an optional viewer (omniscient)."""

    video: Video
    viewer: User | None
    total: int
    likers: list[LikerRow]


def _like_pattern(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') matching the text anywhere, wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _user(row: sqlite3.Row | tuple) -> User:
    values = tuple(row)
    return User(*values[:4], bool(values[4]), *values[5:])


class Wholiked:
    """Answers every question of the product for one open database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def label(self) -> str:
        return self.db.label

    def reference_time(self) -> datetime:
        return self.db.reference_time()

    def close(self) -> None:
        self.db.close()

    # --- lookups ------------------------------------------------------------------

    def user(self, handle: str) -> User:
        """The user with this handle (a leading @ is allowed); BadInput when unknown."""
        handle = handle.strip().removeprefix("@")
        if not HANDLE_RE.fullmatch(handle):
            shown = repr(handle if len(handle) <= 40 else handle[:37] + "...")
            raise BadInput(f"{shown} is not a valid handle (2-24 characters of a-z 0-9 . _)")
        row = self._one(f"SELECT {USER_COLUMNS} FROM users WHERE handle = ?", (handle,))
        if row is None:
            raise BadInput(f"no user @{handle} in {self.label}")
        return _user(row)

    def user_by_id(self, user_id: int) -> User:
        row = self._one(f"SELECT {USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
        if row is None:
            raise BadInput(f"no user with id {user_id} in {self.label}")
        return _user(row)

    def default_user(self) -> User:
        """Who the app acts as first: the creator account with the most videos, else anyone."""
        row = self._one(
            "SELECT x.creator_id FROM videos x JOIN users c ON c.id = x.creator_id"
            " GROUP BY x.creator_id ORDER BY c.account_type = 'creator' DESC, count(*) DESC,"
            " x.creator_id LIMIT 1",
            (),
        ) or self._one("SELECT id FROM users ORDER BY id LIMIT 1", ())
        if row is None:
            raise BadInput(f"{self.label}: there are no users")
        return self.user_by_id(row[0])

    def video(self, video_id: int) -> Video:
        """The video with this id; BadInput when unknown."""
        row = self._one(
            f"SELECT {VIDEO_COLUMNS} FROM videos x JOIN users c ON c.id = x.creator_id"
            " WHERE x.id = ?",
            (video_id,),
        )
        if row is None:
            raise BadInput(f"no video {video_id} in {self.label}")
        return Video(*row)

    def _one(self, query: str, params: tuple) -> sqlite3.Row | None:
        try:
            return self.db.conn.execute(query, params).fetchone()
        except sqlite3.Error as exc:
            raise BadInput(describe_sqlite_error(self.label, exc)) from None

    # --- the policy's answers -------------------------------------------------------

    def _viewable(self, video: Video, viewer: User) -> None:
        if not policy.can_view(self.db.conn, viewer.id, video.id):
            raise NotPermitted(f"@{viewer.handle} cannot view video {video.id}")

    def likers(
        self,
        video_id: int,
        viewer: User,
        *,
        limit: int | None = None,
        after: Cursor | None = None,
    ) -> Likers:
        """Rules 2-5: total, identifiable likers (a page), anonymous count, one snapshot."""
        with self.db.snapshot() as conn:
            video = self.video(video_id)
            self._viewable(video, viewer)
            total = policy.like_total(conn, video.id)
            anonymous = policy.anonymous_count(conn, viewer.id, video.id)
            rows = policy.identifiable_page(conn, viewer.id, video.id, limit=limit, after=after)
        return Likers(video, viewer, total, anonymous, rows)

    def likers_page(
        self, video_id: int, viewer: User, *, limit: int, after: Cursor | None
    ) -> list[LikerRow]:
        """The next page of identifiable likers after a cursor (for lazy lists)."""
        with self.db.snapshot() as conn:
            self._viewable(self.video(video_id), viewer)
            return policy.identifiable_page(conn, viewer.id, video_id, limit=limit, after=after)

    def audience(self, video_id: int, liker: User) -> Audience:
        """Rule 6: who can see the liker's like (or the like they would give)."""
        with self.db.snapshot() as conn:
            video = self.video(video_id)
            self._viewable(video, liker)
            if video.creator_id == liker.id:
                reason = "self"
            else:
                reason = policy.pair_reason(conn, video.creator_id, liker.id)
            return Audience(
                video=video,
                liker=liker,
                liked=policy.has_liked(conn, liker.id, video.id),
                creator_can_see=reason in policy.VISIBLE_REASONS,
                reason=reason,
                audience="approved_followers" if liker.is_private else "everyone",
                audience_count=policy.audience_count(conn, liker.id, video.id),
            )

    def audit(
        self,
        video_id: int,
        viewer: User | None = None,
        *,
        limit: int | None = None,
        after: Cursor | None = None,
    ) -> Audit:
        """Rule 7: every liker, with verdict and reason for the viewer when given."""
        with self.db.snapshot() as conn:
            video = self.video(video_id)
            if viewer is not None:
                self._viewable(video, viewer)
            total = policy.like_total(conn, video.id)
            viewer_id = viewer.id if viewer else None
            rows = policy.audit_page(conn, video.id, viewer_id, limit=limit, after=after)
        return Audit(video, viewer, total, rows)

    # --- lists for the app ----------------------------------------------------------------

    def _summaries(self, where: str, params: dict, viewer: User, limit: int) -> list[VideoSummary]:
        query = f"""SELECT {VIDEO_COLUMNS},
                {policy.like_total_sql(self.db.conn)} AS likes,
                (SELECT count(*) FROM comments WHERE video_id = x.id) AS comments,
                EXISTS (SELECT 1 FROM likes WHERE video_id = x.id AND user_id = :v) AS liked
            FROM videos x JOIN users c ON c.id = x.creator_id
            WHERE {where}
            ORDER BY x.posted_at DESC, x.id DESC LIMIT :n"""
        params = {**params, "v": viewer.id, "n": limit}
        with self.db.snapshot() as conn:
            rows = conn.execute(query, params).fetchall()
        return [VideoSummary(Video(*r[:9]), r[9], r[10], bool(r[11])) for r in rows]

    def creator_videos(self, creator: User, *, limit: int = 500) -> list[VideoSummary]:
        """The user's own videos, newest first."""
        return self._summaries("x.creator_id = :v", {}, creator, limit)

    def feed(
        self, viewer: User, *, limit: int = 100, after: tuple[str, int] | None = None
    ) -> list[VideoSummary]:
        """Videos the viewer can view (rule 1), newest first, after a (posted_at, id) cursor."""
        where = policy.CAN_VIEW_SQL
        params: dict[str, object] = {}
        if after is not None:
            where += " AND (x.posted_at < :at OR (x.posted_at = :at AND x.id < :id))"
            params.update(at=after[0], id=after[1])
        return self._summaries(where, params, viewer, limit)

    def search_users(self, text: str, *, limit: int = 20) -> list[User]:
        """Users whose handle starts with the text, then whose display name contains it."""
        text = text.strip().removeprefix("@")
        if not text:
            query = f"SELECT {USER_COLUMNS} FROM users ORDER BY handle LIMIT ?"
            return [_user(r) for r in self.db.conn.execute(query, (limit,))]
        prefix = text.lower()
        found = self.db.conn.execute(
            f"SELECT {USER_COLUMNS} FROM users WHERE handle >= ? AND handle < ?"
            " ORDER BY handle LIMIT ?",
            (prefix, prefix + "\uffff", limit),
        ).fetchall()
        if len(found) < limit:
            pattern = _like_pattern(text)
            seen = {r["id"] for r in found}
            more = self.db.conn.execute(
                f"SELECT {USER_COLUMNS} FROM users"
                " WHERE (display_name LIKE ? ESCAPE '\\' OR handle LIKE ? ESCAPE '\\')"
                " LIMIT ?",
                (pattern, pattern, limit + len(seen)),
            ).fetchall()
            found += [r for r in more if r["id"] not in seen][: limit - len(found)]
        return [_user(r) for r in found]

    def pending_requests(self, user: User, *, limit: int = 200) -> list[User]:
        """Users whose follow request to this user is pending, newest request first."""
        query = f"""SELECT {", ".join("u." + c for c in USER_FIELDS)}
            FROM follows f JOIN users u ON u.id = f.follower_id
            WHERE f.followee_id = ? AND f.status = 'pending'
            ORDER BY f.created_at DESC, u.handle LIMIT ?"""
        return [_user(r) for r in self.db.conn.execute(query, (user.id, limit))]

    def search_videos(self, viewer: User, text: str, *, limit: int = 20) -> list[VideoSummary]:
        """Videos the viewer can view whose caption contains the text (or whose id it is)."""
        text = text.strip()
        pattern = _like_pattern(text)
        where = f"{policy.CAN_VIEW_SQL} AND (x.caption LIKE :p ESCAPE '\\' OR x.id = :vid)"
        vid = int(text) if text.isdigit() and len(text) < 19 else -1
        return self._summaries(where, {"p": pattern, "vid": vid}, viewer, limit)
