"""The app's lists through the facade: a creator's videos, the feed, finds and searches,
the People lists, each a page at a time by keyset."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wholiked.core.rules.listing import AS_LISTED, ListView
from wholiked.core.service.door import Door

if TYPE_CHECKING:
    from wholiked.core.answers.browse import VideoSummary
    from wholiked.core.answers.people import PeopleCounts, Person, Which
    from wholiked.core.rules.policy import Cursor, LikerRow
    from wholiked.core.store.records import User


class Lists(Door):
    """Videos, users and people, listed, found and paged."""

    def creator_videos(
        self, creator: User, *, limit: int = 500, view: ListView = AS_LISTED
    ) -> list[VideoSummary]:
        from wholiked.core.answers import browse

        return browse.creator_videos(self.db, creator, limit=limit, view=view)

    def feed(
        self,
        viewer: User,
        *,
        limit: int = 100,
        after: tuple[Any, int] | None = None,
        view: ListView = AS_LISTED,
    ) -> list[VideoSummary]:
        """Videos the viewer can view, a page after a keyset cursor (`video_cursor`)."""
        from wholiked.core.answers import browse

        return browse.feed(self.db, viewer, limit=limit, after=after, view=view)

    def find_videos(
        self, viewer: User, text: str, *, own: bool, view: ListView = AS_LISTED
    ) -> list[int]:
        """The ids of the videos of the viewer's own list (`own`) or feed whose caption or
        creator's handle or display name holds the text, in the list's order (in SQL)."""
        from wholiked.core.answers import browse

        return browse.find_videos(self.db, viewer, text, own=own, view=view)

    @staticmethod
    def video_cursor(summary: VideoSummary, view: ListView = AS_LISTED) -> tuple[Any, int]:
        """A video row's keyset position in a list shown this way (for `feed(after=...)`)."""
        from wholiked.core.answers.browse import video_cursor

        return video_cursor(summary, view)

    @staticmethod
    def liker_cursor(row: LikerRow, view: ListView = AS_LISTED) -> Cursor:
        """A liker row's keyset position in a list shown this way (for `after=`)."""
        from wholiked.core.rules.policy import liker_cursor

        return liker_cursor(row, view)

    def search_users(self, text: str, *, limit: int = 20) -> list[User]:
        from wholiked.core.answers import browse

        return browse.search_users(self.db, text, limit=limit)

    def search_videos(self, viewer: User, text: str, *, limit: int = 20) -> list[VideoSummary]:
        from wholiked.core.answers import browse

        return browse.search_videos(self.db, viewer, text, limit=limit)

    def pending_requests(self, user: User, *, limit: int = 200) -> list[User]:
        from wholiked.core.answers import browse

        return browse.pending_requests(self.db, user, limit=limit)

    def blocked_accounts(self, user: User, *, limit: int = 200) -> list[User]:
        from wholiked.core.answers import relations

        return relations.blocked_accounts(self.db, user, limit=limit)

    def people_counts(self, user: User) -> PeopleCounts:
        """How many followers (approved), accounts followed (requests sent included),
        pending requests to the user and accounts they blocked."""
        from wholiked.core.answers import people

        return people.people_counts(self.db, user)

    def people_page(
        self,
        user: User,
        which: Which,
        *,
        limit: int,
        after: Any = None,
        view: ListView = AS_LISTED,
    ) -> list[Person]:
        """A page of the user's 'followers', 'following', 'requests' or 'blocked', by the
        other account's id, or by the view's sort ('handle', 'name', 'since'), after the
        row `after` (keyset: any page costs the same; see `people_cursor`)."""
        from wholiked.core.answers import people

        self.db.check_scope(users=(user.id,), followers_of=(user.id,))
        return people.people_page(self.db, user, which, limit=limit, after=after, view=view)

    @staticmethod
    def people_cursor(person: Person, view: ListView = AS_LISTED) -> Any:
        """A row's keyset position in a list of people shown this way (for `after=`)."""
        from wholiked.core.answers.people import people_cursor

        return people_cursor(person, view)

    def find_people(
        self, user: User, which: Which, text: str, *, view: ListView = AS_LISTED
    ) -> list[int]:
        """The ids of the accounts in one of the user's lists whose handle or display name
        holds the text, in the list's order (in SQL)."""
        from wholiked.core.answers import people

        self.db.check_scope(users=(user.id,), followers_of=(user.id,))
        return people.find_people(self.db, user, which, text, view=view)
