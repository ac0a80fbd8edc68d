"""A user's numbers through the facade: the private daily release (analytics, totals)
and what is computed from it, the tips and the FAQ answered with their numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wholiked.core.answers.analytics_defaults import DEFAULT_K, DEFAULT_WINDOW
from wholiked.core.service.door import Door

if TYPE_CHECKING:
    from wholiked.core.answers.analytics_records import Analytics, Totals
    from wholiked.core.answers.faq import FaqAnswer
    from wholiked.core.answers.tips import Perspective
    from wholiked.core.answers.tips.common import Tip
    from wholiked.core.store.records import User


class Numbers(Door):
    """Analytics, totals, tips and the FAQ."""

    def analytics(
        self,
        creator: User,
        *,
        video_id: int | None = None,
        window: str = DEFAULT_WINDOW,
        k: int = DEFAULT_K,
    ) -> Analytics:
        from wholiked.core.answers import analytics as _analytics

        # The rows this answer reads, not the whole file (a large file's full check waits),
        # and the video's row with its creator's when one is asked (may they view it).
        one = () if video_id is None else (video_id,)
        self.db.check_scope(videos=one, users=one and (creator.id,), released_for=(creator.id,))
        return _analytics.analytics(
            self.db,
            creator,
            video_id=video_id,
            window=window,
            k=k,
            rules=self.rules,
            store=self.release_store,
        )

    def totals(
        self, user: User, *, video_id: int | None = None, window: str = DEFAULT_WINDOW
    ) -> Totals:
        from wholiked.core.answers import analytics as _analytics

        return _analytics.totals(self.db, user, video_id=video_id, window=window, rules=self.rules)

    def tips(
        self, user: User, *, k: int = DEFAULT_K, perspective: Perspective | None = None
    ) -> list[Tip]:
        from wholiked.core.answers.tips import tips as _tips

        return _tips(
            self.db,
            user,
            k=k,
            perspective=perspective,
            rules=self.rules,
            store=self.release_store,
        )

    def faq(self, user: User, *, video_id: int | None = None) -> list[FaqAnswer]:
        """The FAQ answered with the user's numbers: of `video_id` when they can view it
        (the video selected in the app), else of an example video of theirs."""
        from wholiked.core.answers import faq

        return faq.faq(self.db, user, rules=self.rules, video_id=video_id)
