"""Creator studio: the acting user's own videos and, for the selected one, who liked it."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button

from wholiked.core.answers.wording import plural
from wholiked.core.service import ListView, User, Wholiked
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.widgets.list_table import Find
from wholiked.tui.widgets.paged_table import Fetch
from wholiked.tui.widgets.video_list import (
    STUDIO_COLUMNS,
    STUDIO_LISTING,
    studio_fetch,
    videos_find,
)


class CreatorStudio(BrowseScreen):
    """Your own videos; your account's keys (privacy, follow requests) are shown here."""

    BINDINGS = [
        Binding("p", "app.privacy('public')", "Go public", id="privacy"),
        Binding("p", "app.privacy('private')", "Go private", id="privacy"),
        Binding("F", "app.people", "People", id="people"),
        # Working here, not shown here (People holds the requests).
        Binding("r", "app.requests", show=False, id="requests"),
        Binding("n", "app.perspective('analytics')", "Analytics", id="analytics"),
        # Working here, not shown here, so the footer keeps six keys.
        Binding("a", "app.perspective('audit')", show=False, id="audit"),
    ]
    PERSPECTIVE = "Creator studio"
    COLUMNS = STUDIO_COLUMNS
    LISTING = STUDIO_LISTING
    WITH_AUDIENCE = False
    TIPS = "creator"

    def fetch_for(self, service: Wholiked, acting: User, view: ListView) -> Fetch:
        return studio_fetch(service, acting, view)

    def find_for(self, service: Wholiked, acting: User, view: ListView) -> Find:
        return videos_find(service, acting, view, own=True)

    def list_title(self, count: int, complete: bool) -> str:
        return f"Your videos: {plural(count, 'video')}"

    def empty_message(self, acting: User) -> str:
        kind = "" if acting.is_creator else " (a personal account)"
        return (
            f"@{acting.handle}{kind} has not posted any videos, so the creator studio is"
            " empty. Press v for the viewer feed: the videos you can view, the likers you can"
            " identify there, and who can see your own likes."
        )

    def list_name(self, acting: User) -> str:
        return f"@{acting.handle}'s studio (their own videos)"

    def compose_empty_actions(self) -> ComposeResult:
        yield Button("Open the viewer feed (v)", id="open-feed", variant="primary")
