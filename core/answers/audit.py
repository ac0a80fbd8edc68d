"""Who can see a like, and the omniscient audit: rules 6, 7 and 9 as answers.

Apart from `likers` (rules 2-5), so that the CLI's most asked answer does not build these
records at its start (a dataclass costs about half a millisecond to make on Python 3.11).
"""

import sqlite3
from dataclasses import dataclass
from typing import Any

from wholiked.core.answers.likers import viewable_video
from wholiked.core.rules import effective_anonymity, policy, who_sees
from wholiked.core.rules.listing import AS_LISTED, ListView
from wholiked.core.rules.policy import Cursor, LikerRow
from wholiked.core.rules.presets import SEED, Preset
from wholiked.core.store.database import Database
from wholiked.core.store.records import User, Video, video_by_id


@dataclass(frozen=True, slots=True)
class Audience:
    """Who can see a user's like (given or potential) of a video, from the liker's side.

    `audience_at_most` comes from the liker's own relationships only (rule 6);
    `effectively_identifiable` is rule 9's warning for this like and the creator, as the
    liker may be told it: the worst case over what others' follows and blocks could be,
    from the public like total and public account data (the audit has the exact verdict).
    """

    video: Video
    liker: User
    liked: bool
    creator_can_see: bool
    reason: str
    audience: str
    audience_at_most: int
    effectively_identifiable: bool


@dataclass(frozen=True, slots=True)
class Anonymity:
    """Rule 9 for an asker and a video: anonymous likes, candidates, and the verdict."""

    anonymous: int
    candidates: int
    effectively_identifiable: bool


@dataclass(frozen=True, slots=True)
class Audit:
    """Every liker of a video, with each verdict for an optional viewer (omniscient)."""

    video: Video
    viewer: User | None
    total: int
    likers: list[LikerRow]
    audience_count: int | None = None
    """Rule 6 exact for the viewer's (given or potential) like; None without a viewer."""
    anonymity: Anonymity | None = None


def audit_page_from_end(
    db: Database,
    video_id: int,
    viewer: User | None,
    *,
    limit: int,
    before: Cursor | None,
    rules: Preset = SEED,
    view: ListView = AS_LISTED,
) -> list[LikerRow]:
    """The audit's page just before a cursor (None: its last page), newest first."""
    with db.snapshot() as conn:
        _, rows = _audited(
            db,
            conn,
            video_id,
            viewer,
            rules,
            limit=limit,
            after=before,
            view=view,
            oldest_first=True,
        )
    return rows[::-1]


def _audited(
    db: Database,
    conn: sqlite3.Connection,
    video_id: int,
    viewer: User | None,
    rules: Preset,
    **page: Any,
) -> tuple[Video, list[LikerRow]]:
    """The video and a page of its audit, for a viewer who may view it (or none)."""
    video = video_by_id(db, video_id)
    if viewer is not None:
        viewable_video(db, video_id, viewer, rules)
    viewer_id = viewer.id if viewer else None
    return video, policy.audit_page(
        conn, video_id=video.id, viewer_id=viewer_id, rules=rules, **page
    )


def creator_reason(conn: sqlite3.Connection, video: Video, liker: User, rules: Preset) -> str:
    """Why the video's creator can or cannot identify the liker's like (rule 6's verdict)."""
    if video.creator_id == liker.id:
        return "self"
    return policy.pair_reason(
        conn,
        viewer_id=video.creator_id,
        liker_id=liker.id,
        rules=rules,
        creator_id=video.creator_id,
    )


def audience(db: Database, video_id: int, liker: User, *, rules: Preset = SEED) -> Audience:
    """Rule 6: who can see the liker's like (or the like they would give)."""
    with db.snapshot() as conn:
        video = viewable_video(db, video_id, liker, rules)
        reason = creator_reason(conn, video, liker, rules)
        liked = policy.has_liked(conn, user_id=liker.id, video_id=video.id)
        creator_can_see = reason in rules.visible_reasons
        # Rule 9's warning from the liker's side only (the exact verdict is the audit's).
        exposed = not creator_can_see and effective_anonymity.may_be_identifiable(
            conn, liker_id=liker.id, video_id=video.id, liked=liked, rules=rules
        )
        return Audience(
            video=video,
            liker=liker,
            liked=liked,
            creator_can_see=creator_can_see,
            reason=reason,
            audience=who_sees.audience_kind(
                rules,
                liker_private=liker.is_private,
                liker_is_creator=video.creator_id == liker.id,
            ),
            audience_at_most=who_sees.audience_at_most(
                conn, liker.id, rules=rules, creator_id=video.creator_id
            ),
            effectively_identifiable=exposed,
        )


def anonymity(
    conn: sqlite3.Connection, *, viewer_id: int, video_id: int, rules: Preset = SEED
) -> Anonymity:
    """Rule 9 for a viewer who can view the video."""
    anonymous = policy.anonymous_count(conn, viewer_id=viewer_id, video_id=video_id, rules=rules)
    found = effective_anonymity.candidates(
        conn, viewer_id=viewer_id, video_id=video_id, rules=rules
    )
    return Anonymity(
        anonymous, found, effective_anonymity.effectively_identifiable(anonymous, found)
    )


def audit(
    db: Database,
    video_id: int,
    viewer: User | None = None,
    *,
    limit: int | None = None,
    after: Cursor | None = None,
    rules: Preset = SEED,
    view: ListView = AS_LISTED,
) -> Audit:
    """Rule 7: every liker, with verdict and reason for the viewer when given (a page
    sorted as `view` says)."""
    with db.snapshot() as conn:
        video, rows = _audited(
            db, conn, video_id, viewer, rules, limit=limit, after=after, view=view
        )
        total = policy.like_total(conn, video.id)
        if viewer is None:
            return Audit(video, viewer, total, rows)
        return Audit(
            video,
            viewer,
            total,
            rows,
            audience_count=who_sees.audience_count(
                conn, liker_id=viewer.id, video_id=video.id, rules=rules
            ),
            anonymity=anonymity(conn, viewer_id=viewer.id, video_id=video.id, rules=rules),
        )
