"""The records of the analytics answer: public totals (exact) and the released counts.

`analytics` and `totals` return these; `forms.json_form` writes the one JSON the CLI
prints (its shape is in `analytics`' module doc), and the app reads the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wholiked.core.release.daily import Released


def rate(likes: int, views: int | None) -> float | None:
    """likes / views rounded to 4 decimals; None without views."""
    return round(likes / views, 4) if views else None


@dataclass(frozen=True, slots=True)
class VideoFigures:
    """One video's lifetime public totals, exact (its creator sees them anyway)."""

    video_id: int
    caption: str | None
    posted_at: str
    views: int | None
    likes: int
    comments: int
    shares: int | None

    @property
    def engagement_rate(self) -> float | None:
        return rate(self.likes, self.views)


@dataclass(frozen=True, slots=True)
class PublicTotals:
    """The scope's public totals, summed over its videos."""

    videos: int
    likes: int
    comments: int
    views: int
    shares: int

    @classmethod
    def of(cls, videos: list[VideoFigures]) -> PublicTotals:
        return cls(
            videos=len(videos),
            likes=sum(v.likes for v in videos),
            comments=sum(v.comments for v in videos),
            views=sum(v.views or 0 for v in videos),
            shares=sum(v.shares or 0 for v in videos),
        )

    @property
    def engagement_rate(self) -> float | None:
        return rate(self.likes, self.views)


@dataclass(frozen=True, slots=True)
class Totals:
    """The public part of the answer, which every account gets of its own videos."""

    video_id: int | None
    """None: all the account's videos."""
    window: str
    totals: PublicTotals
    videos: list[VideoFigures]


@dataclass(frozen=True, slots=True)
class VideoScopes:
    """Which videos have a scope of their own in the day's release: those whose public like
    total (as frozen with the day) is at least `min_likes`; the others are not released and
    cost nothing. With none, the all-videos scope takes the day's whole ε."""

    min_likes: int
    released: list[int]
    """Video ids, ascending."""


@dataclass(frozen=True, slots=True)
class ReleaseTerms:
    """How the day's release was made: what a reader needs to weigh its numbers."""

    epsilon: float
    mechanism: str
    threshold: int
    scale: float | None
    """The scope's reference scale Δ/ε of the scope (None: the scope is not released)."""
    scales: dict[str, float]
    """Each histogram's noise scale (its share of the scope's ε; empty: not released)."""
    unit: str
    counts_likes_before: str
    videos_per_liker: int | None
    """M, for a per-video scope (a liker counts in at most M videos); None for all."""
    video_scopes: VideoScopes
    odometer: PrivacyOdometer


@dataclass(frozen=True, slots=True)
class PrivacyOdometer:
    """What the creator's release days have cost their likers so far, and the year's cap
    (README, "The daily release")."""

    epsilon_spent: float
    release_days: int
    year: int
    epsilon_spent_this_year: float
    epsilon_year: float | None
    """meta.dp_epsilon_year, None when the world sets no cap."""
    frozen_until: str | None
    """"YYYY-01-01" when the year's budget is spent and the release shown is its last."""


@dataclass(frozen=True, slots=True)
class Analytics:
    """A creator's analytics of a scope and window: the public totals and the release."""

    video_id: int | None
    window: str
    release_day: str
    privacy: ReleaseTerms
    totals: PublicTotals
    likers: Released | None
    """Liker accounts whose latest like of the scope falls in the window; None for a video
    whose scope is not released (too few likes: `privacy.video_scopes`)."""
    breakdowns: dict[str, dict[str, Released]]
    """Dimension → every bucket of its fixed domain, in domain order (empty: not released)."""
    new_likers_per_day: dict[str, Released]
    """ISO day → new likers, oldest first, then "earlier" (empty: not released)."""

    @property
    def released(self) -> bool:
        """Whether the scope is in the day's release (a video with too few likes is not)."""
        return self.likers is not None

    videos: list[VideoFigures]
