"""The video lists: the acting user's own videos (studio) and the videos they can view (feed)."""

from rich.text import Text
from textual.coordinate import Coordinate

from wholiked.core.answers.wording import day
from wholiked.core.service import ListView, User, VideoSummary, Wholiked
from wholiked.tui import text
from wholiked.tui.widgets.list_table import Find, Listing, ListTable
from wholiked.tui.widgets.paged_table import Fetch, Page

CREATOR_VIDEO_LIMIT = 500
FEED_PAGE = 100

STUDIO_COLUMNS = (
    ("caption", "Caption"),
    ("posted", "Posted"),
    ("likes", "Likes"),
    ("views", "Views"),
)
FEED_COLUMNS = (
    ("creator", "Creator"),
    ("caption", "Caption"),
    ("likes", "Likes"),
    ("liked", "You liked"),
)


STUDIO_LISTING = Listing(
    "your videos",
    sorts=(
        ("", "newest first"),
        ("likes", "most likes"),
        ("views", "most views"),
        ("caption", "caption A–Z"),
    ),
    by_column={"posted": "", "likes": "likes", "views": "views", "caption": "caption"},
    fit={"caption": 14},
)
FEED_LISTING = Listing(
    "the feed",
    sorts=(("", "newest first"), ("likes", "most likes"), ("caption", "caption A–Z")),
    by_column={"likes": "likes", "caption": "caption"},
    filters=(
        ("", "every video"),
        ("liked", "the videos you liked"),
        ("unliked", "the videos you have not liked"),
    ),
    fit={"caption": 14, "creator": 12},
)


def studio_cells(s: VideoSummary) -> tuple[Text, ...]:
    return (
        text.cell(s.video.caption or "(no caption)"),
        text.cell(day(s.video.posted_at)),
        text.number_cell(s.likes),
        text.number_cell(s.video.views),
    )


def feed_cells(s: VideoSummary) -> tuple[Text, ...]:
    return (
        text.cell(text.handle(s.video.creator_handle)),
        text.cell(s.video.caption or "(no caption)"),
        text.number_cell(s.likes),
        text.cell("yes, liked" if s.liked else "no"),
    )


def studio_fetch(service: Wholiked, acting: User, view: ListView) -> Fetch:
    """The acting user's own videos, newest first (or as sorted), in one page (runs in a
    worker)."""

    def fetch(_after: object) -> Page:
        found = service.creator_videos(acting, limit=CREATOR_VIDEO_LIMIT, view=view)
        return Page([(str(s.video.id), studio_cells(s)) for s in found], after=None, extra=found)

    return fetch


def feed_fetch(service: Wholiked, acting: User, view: ListView) -> Fetch:
    """Videos the acting user can view, newest first (or as sorted and filtered), a page at a
    time (runs in a worker)."""

    def fetch(after: tuple[object, int] | None) -> Page:
        found = service.feed(acting, limit=FEED_PAGE, after=after, view=view)
        full = len(found) >= FEED_PAGE
        cursor = service.video_cursor(found[-1], view) if found and full else None
        return Page([(str(s.video.id), feed_cells(s)) for s in found], after=cursor, extra=found)

    return fetch


def videos_find(service: Wholiked, acting: User, view: ListView, *, own: bool) -> Find:
    """A find in the studio (`own`) or the feed, in SQL (runs in a worker)."""

    def find(value: str) -> list[str]:
        return [str(i) for i in service.find_videos(acting, value, own=own, view=view)]

    return find


class VideoList(ListTable):
    """A list of videos; row keys are video ids."""

    def video_at_cursor(self) -> int | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None

    def row_label(self, row: int) -> str:
        """A video is named by its id (its first cell is its caption or its creator)."""
        return f"Video {self.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value}"

    def has_video(self, video_id: int) -> bool:
        return str(video_id) in self.rows

    def move_to_video(self, video_id: int) -> bool:
        """Put the cursor on a video if it is loaded; False when it is not in the list."""
        try:
            index = self.get_row_index(str(video_id))
        except Exception:
            return False
        self.move_cursor(row=index)
        return True
