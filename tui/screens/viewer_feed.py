"""Viewer feed: videos the acting user can view; likers they can identify; who sees my like."""

from textual.binding import Binding

from wholiked.core.answers.wording import plural
from wholiked.core.service import ListView, User, Wholiked
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.widgets.list_table import Find
from wholiked.tui.widgets.paged_table import Fetch
from wholiked.tui.widgets.video_list import FEED_COLUMNS, FEED_LISTING, feed_fetch, videos_find


class ViewerFeed(BrowseScreen):
    """The feed; l likes the selected video, f follows its creator (or the highlighted liker)."""

    BINDINGS = [
        Binding("l", "app.like('like')", "Like", id="like"),
        Binding("l", "app.like('unlike')", "Unlike", id="like"),
        Binding("f", "app.follow('follow')", "Follow", id="follow"),
        Binding("f", "app.follow('unfollow')", "Unfollow", id="follow"),
    ]
    PERSPECTIVE = "Viewer feed"
    COLUMNS = FEED_COLUMNS
    LISTING = FEED_LISTING
    WITH_AUDIENCE = True
    TIPS = "viewer"

    def fetch_for(self, service: Wholiked, acting: User, view: ListView) -> Fetch:
        return feed_fetch(service, acting, view)

    def find_for(self, service: Wholiked, acting: User, view: ListView) -> Find:
        return videos_find(service, acting, view, own=False)

    def list_title(self, count: int, complete: bool) -> str:
        if not complete:  # a count of what is loaded, never read as the total
            return f"Videos you can view: {count:,} loaded, more as you scroll"
        return f"Videos you can view: {plural(count, 'video')}"

    def list_name(self, acting: User) -> str:
        return f"the videos @{acting.handle} can view"

    def empty_message(self, acting: User) -> str:
        return (
            f"There are no videos @{acting.handle} can view: no public creator has posted,"
            " and they are not an approved follower of a private one."
        )
