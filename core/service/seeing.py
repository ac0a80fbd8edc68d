"""What a user sees of a video: its likers (a page at a time, found by text), an
audience, the audit and the comparison across rule sets. The facade checks the rows each
answer reads on a file not checked whole, here, for the CLI and the app alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wholiked.core.rules.listing import AS_LISTED, ListView
from wholiked.core.service.door import Door

if TYPE_CHECKING:
    from wholiked.core.answers.audit import Audience, Audit
    from wholiked.core.answers.compare import Comparison
    from wholiked.core.answers.likers import Likers
    from wholiked.core.rules.policy import Cursor, LikerRow
    from wholiked.core.store.records import User


class Seeing(Door):
    """Likers, audience, audit and comparison of one video."""

    def likers(
        self,
        video_id: int,
        viewer: User,
        *,
        limit: int | None = None,
        after: Cursor | None = None,
        view: ListView = AS_LISTED,
    ) -> Likers:
        from wholiked.core.answers import likers

        self.db.check_scope(videos=(video_id,), likers_of=(video_id,), users=(viewer.id,))
        result = likers.likers(
            self.db, video_id, viewer, limit=limit, after=after, rules=self.rules, view=view
        )
        self.db.check_listed(video_id, result.identifiable)
        return result

    def likers_page(
        self,
        video_id: int,
        viewer: User,
        *,
        limit: int,
        after: Cursor | None,
        view: ListView = AS_LISTED,
    ) -> list[LikerRow]:
        from wholiked.core.answers import likers

        return likers.likers_page(
            self.db, video_id, viewer, limit=limit, after=after, rules=self.rules, view=view
        )

    def likers_page_from_end(
        self,
        video_id: int,
        viewer: User,
        *,
        limit: int,
        before: Cursor | None,
        view: ListView = AS_LISTED,
    ) -> list[LikerRow]:
        from wholiked.core.answers import likers

        return likers.likers_page_from_end(
            self.db, video_id, viewer, limit=limit, before=before, rules=self.rules, view=view
        )

    def find_likers(
        self,
        video_id: int,
        viewer: User | None,
        text: str,
        *,
        audit: bool = False,
        view: ListView = AS_LISTED,
    ) -> list[int]:
        """The ids of the likers (identifiable to the viewer, or with `audit` every liker)
        whose handle or display name holds the text, in the list's order: a find in a
        paged list, run in SQL, so the table loads only the pages up to a match."""
        from wholiked.core.answers import likers

        return likers.find_likers(
            self.db, video_id, viewer, text, audit=audit, rules=self.rules, view=view
        )

    def audience(self, video_id: int, liker: User) -> Audience:
        from wholiked.core.answers import audit

        people = (liker.id, self.video(video_id).creator_id)
        self.db.check_scope(videos=(video_id,), users=people, followers_of=people)
        return audit.audience(self.db, video_id, liker, rules=self.rules)

    def audit(
        self,
        video_id: int,
        viewer: User | None = None,
        *,
        limit: int | None = None,
        after: Cursor | None = None,
        view: ListView = AS_LISTED,
    ) -> Audit:
        from wholiked.core.answers import audit

        people = (viewer.id,) if viewer else ()
        self.db.check_scope(videos=(video_id,), likers_of=(video_id,), users=people)
        result = audit.audit(
            self.db, video_id, viewer, limit=limit, after=after, rules=self.rules, view=view
        )
        self.db.check_listed(video_id, result.likers)
        return result

    def compare(self, video_id: int, asker: User) -> Comparison:
        """The video and asker under every preset and every rule file of the session
        (whatever this facade's own rule set)."""
        from wholiked.core.answers import compare

        return compare.compare(self.db, video_id, asker, self.rule_sets)

    def audit_page_from_end(
        self,
        video_id: int,
        viewer: User | None,
        *,
        limit: int,
        before: Cursor | None,
        view: ListView = AS_LISTED,
    ) -> list[LikerRow]:
        from wholiked.core.answers import audit

        return audit.audit_page_from_end(
            self.db, video_id, viewer, limit=limit, before=before, rules=self.rules, view=view
        )
