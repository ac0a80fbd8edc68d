"""What one user sees of one video's likes: rules 2-7 as answers the CLI and TUI show.

Each answer is read in one snapshot, so the total, the identifiable likers and
the anonymous count always add up.
"""

from dataclasses import dataclass

from wholiked.core.errors import NotPermitted
from wholiked.core.rules import policy
from wholiked.core.rules.policy import Cursor, LikerRow
from wholiked.core.store.database import Database
from wholiked.core.store.records import User, Video, video_by_id


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


def viewable_video(db: Database, video_id: int, viewer: User) -> Video:
    """The video, if the viewer may view it (rule 1); NotPermitted names no creator."""
    video = video_by_id(db, video_id)
    if not policy.can_view(db.conn, viewer.id, video.id):
        raise NotPermitted(f"@{viewer.handle} cannot view video {video.id}")
    return video


def likers(
    db: Database,
    video_id: int,
    viewer: User,
    *,
    limit: int | None = None,
    after: Cursor | None = None,
) -> Likers:
    """Rules 2-5: total, identifiable likers (a page), anonymous count, one snapshot."""
    with db.snapshot() as conn:
        video = viewable_video(db, video_id, viewer)
        total = policy.like_total(conn, video.id)
        anonymous = policy.anonymous_count(conn, viewer.id, video.id)
        rows = policy.identifiable_page(conn, viewer.id, video.id, limit=limit, after=after)
    return Likers(video, viewer, total, anonymous, rows)


def likers_page(
    db: Database, video_id: int, viewer: User, *, limit: int, after: Cursor | None
) -> list[LikerRow]:
    """The next page of identifiable likers after a cursor (for lazy lists)."""
    with db.snapshot() as conn:
        viewable_video(db, video_id, viewer)
        return policy.identifiable_page(conn, viewer.id, video_id, limit=limit, after=after)


def audience(db: Database, video_id: int, liker: User) -> Audience:
    """Rule 6: who can see the liker's like (or the like they would give)."""
    with db.snapshot() as conn:
        video = viewable_video(db, video_id, liker)
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
    db: Database,
    video_id: int,
    viewer: User | None = None,
    *,
    limit: int | None = None,
    after: Cursor | None = None,
) -> Audit:
    """Rule 7: every liker, with verdict and reason for the viewer when given."""
    with db.snapshot() as conn:
        video = video_by_id(db, video_id)
        if viewer is not None:
            viewable_video(db, video_id, viewer)
        total = policy.like_total(conn, video.id)
        viewer_id = viewer.id if viewer else None
        rows = policy.audit_page(conn, video.id, viewer_id, limit=limit, after=after)
    return Audit(video, viewer, total, rows)
