"""What one user sees of one video's likes: rules 2-5 as answers the CLI and TUI show
(rules 6, 7 and 9: `audit`).

Each answer is read in one snapshot, so the total, the identifiable likers and
the anonymous count always add up. Every answer takes the rules (a preset, the
seed's by default) it is asked under.
"""

from dataclasses import dataclass

from wholiked.core.answers import wording
from wholiked.core.errors import NotPermitted
from wholiked.core.rules import policy
from wholiked.core.rules.listing import AS_LISTED, MATCH_LIMIT, ListView
from wholiked.core.rules.policy import Cursor, LikerRow
from wholiked.core.rules.presets import SEED, Preset
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
    rules: Preset = SEED

    @property
    def identifiable_count(self) -> int:
        return self.total - self.anonymous

    @property
    def anonymous_who(self) -> str:
        """Who the anonymous likes are from, in words, under these rules."""
        is_creator = self.video.creator_id == self.viewer.id
        return wording.anonymous_who(self.rules, asker_is_creator=is_creator)


def viewable_video(db: Database, video_id: int, viewer: User, rules: Preset = SEED) -> Video:
    """The video, if the viewer may view it (rule 1); NotPermitted names no creator."""
    video = video_by_id(db, video_id)
    if not policy.can_view(db.conn, viewer_id=viewer.id, video_id=video.id, rules=rules):
        raise NotPermitted(f"@{viewer.handle} cannot view video {video.id}")
    return video


def likers(
    db: Database,
    video_id: int,
    viewer: User,
    *,
    limit: int | None = None,
    after: Cursor | None = None,
    rules: Preset = SEED,
    view: ListView = AS_LISTED,
) -> Likers:
    """Rules 2-5: total, identifiable likers (a page, sorted and filtered by `view`),
    anonymous count, one snapshot."""
    with db.snapshot() as conn:
        video = viewable_video(db, video_id, viewer, rules)
        total = policy.like_total(conn, video.id)
        anonymous = policy.anonymous_count(
            conn, viewer_id=viewer.id, video_id=video.id, rules=rules
        )
        rows = policy.identifiable_page(
            conn,
            viewer_id=viewer.id,
            video_id=video.id,
            limit=limit,
            after=after,
            rules=rules,
            view=view,
        )
    return Likers(video, viewer, total, anonymous, rows, rules)


def likers_page(
    db: Database,
    video_id: int,
    viewer: User,
    *,
    limit: int,
    after: Cursor | None,
    rules: Preset = SEED,
    view: ListView = AS_LISTED,
) -> list[LikerRow]:
    """The next page of identifiable likers after a cursor (for lazy lists)."""
    with db.snapshot() as conn:
        viewable_video(db, video_id, viewer, rules)
        return policy.identifiable_page(
            conn,
            viewer_id=viewer.id,
            video_id=video_id,
            limit=limit,
            after=after,
            rules=rules,
            view=view,
        )


def find_likers(
    db: Database,
    video_id: int,
    viewer: User | None,
    text: str,
    *,
    audit: bool = False,
    rules: Preset = SEED,
    view: ListView = AS_LISTED,
) -> list[int]:
    """The ids of the likers whose handle or display name holds the text, in the list's
    order (the identifiable likers, or with `audit` every liker), at most MATCH_LIMIT."""
    with db.snapshot() as conn:
        video_by_id(db, video_id)
        if viewer is not None:
            viewable_video(db, video_id, viewer, rules)
        if audit or viewer is None:
            rows = policy.audit_page(
                conn,
                video_id=video_id,
                viewer_id=viewer.id if viewer else None,
                limit=MATCH_LIMIT,
                rules=rules,
                view=view,
                find=text,
            )
        else:
            rows = policy.identifiable_page(
                conn,
                viewer_id=viewer.id,
                video_id=video_id,
                limit=MATCH_LIMIT,
                rules=rules,
                view=view,
                find=text,
            )
    return [r.user_id for r in rows]


def likers_page_from_end(
    db: Database,
    video_id: int,
    viewer: User,
    *,
    limit: int,
    before: Cursor | None,
    rules: Preset = SEED,
    view: ListView = AS_LISTED,
) -> list[LikerRow]:
    """The page of identifiable likers just before a cursor (None: the list's last page),
    in the list's order (newest first): a lazy list jumps to its end, then walks back."""
    with db.snapshot() as conn:
        viewable_video(db, video_id, viewer, rules)
        rows = policy.identifiable_page(
            conn,
            viewer_id=viewer.id,
            video_id=video_id,
            limit=limit,
            after=before,
            rules=rules,
            oldest_first=True,
            view=view,
        )
    return rows[::-1]
