"""One video and one asker under every preset, side by side (README, "Platform presets").

`compare(db, video_id, asker)` reads every preset in one snapshot, so the columns
describe the same state of the file. Counts only, never lists: the same numbers
`likers --rules NAME` gives (total, identifiable, anonymous), the identifiable
likers by visible reason, and whether the creator can see the asker's like.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wholiked.core.answers.audit import creator_reason
from wholiked.core.errors import NotPermitted
from wholiked.core.rules import policy
from wholiked.core.rules.presets import PRESETS, SEED, Preset
from wholiked.core.store.database import Database
from wholiked.core.store.records import User, Video, video_by_id

COMPARED = ("can_view", "total", "identifiable", "anonymous", "creator_can_see_my_like")
"""What "differs from seed" compares."""


@dataclass(frozen=True, slots=True)
class PresetView:
    """What the asker sees of the video under one preset (they can view it)."""

    rules: Preset
    total: int
    identifiable: int
    anonymous: int
    reasons: dict[str, int]
    """Identifiable likers by visible reason, every reason of the preset (zeros included)."""
    creator_reason: str
    """Why the creator can or cannot identify the asker's like (given or potential)."""

    @property
    def creator_can_see_my_like(self) -> bool:
        return self.creator_reason in self.rules.visible_reasons

    def as_json(self) -> dict[str, Any]:
        return {
            "can_view": True,
            "total": self.total,
            "identifiable": self.identifiable,
            "anonymous": self.anonymous,
            "reasons": dict(self.reasons),
            "creator_can_see_my_like": self.creator_can_see_my_like,
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """The video under every preset; None where the asker cannot view it."""

    video: Video
    asker: User
    views: dict[str, PresetView | None]

    def as_json(self) -> dict[str, Any]:
        return {
            "video_id": self.video.id,
            "asker": self.asker.handle,
            "presets": {
                name: (view.as_json() if view is not None else None)
                for name, view in self.views.items()
            },
        }

    def differs_from_seed(self, name: str) -> list[str]:
        """The answers (can_view, the counts, the creator's verdict) in which a preset
        differs from the seed; reasons are named per preset, so they are not compared."""
        seed, other = self.views.get(SEED.name), self.views.get(name)
        if name == SEED.name:
            return []
        if seed is None or other is None:
            return [] if seed is other else ["can_view"]
        mine, theirs = other.as_json(), seed.as_json()
        return [key for key in COMPARED if mine[key] != theirs[key]]


def compare(
    db: Database, video_id: int, asker: User, rule_sets: Mapping[str, Preset] = PRESETS
) -> Comparison:
    """Every preset's answer (and every rule file's given in `rule_sets`) for the asker and
    video, one snapshot; NotPermitted (exit 3, no creator named) when no rule set lets the
    asker view the video."""
    with db.snapshot() as conn:
        video = video_by_id(db, video_id)
        views: dict[str, PresetView | None] = {}
        for name, rules in rule_sets.items():
            if not policy.can_view(conn, viewer_id=asker.id, video_id=video.id, rules=rules):
                views[name] = None
                continue
            total = policy.like_total(conn, video.id)
            reasons = policy.reason_counts(conn, viewer_id=asker.id, video_id=video.id, rules=rules)
            identifiable = sum(reasons.values())
            views[name] = PresetView(
                rules=rules,
                total=total,
                identifiable=identifiable,
                anonymous=total - identifiable,
                reasons=reasons,
                creator_reason=creator_reason(conn, video, asker, rules),
            )
    if all(view is None for view in views.values()):
        raise NotPermitted(f"@{asker.handle} cannot view video {video.id}")
    return Comparison(video, asker, views)
