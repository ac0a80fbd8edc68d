"""The video lists: the acting user's own videos (studio) and the videos they can view (feed)."""

from rich.text import Text
from textual.coordinate import Coordinate

from wholiked.core.answers.wording import day
from wholiked.core.service import User, VideoSummary, Wholiked
from wholiked.tui import text
from wholiked.tui.widgets.paged_table import Fetch, Page, PagedTable

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


def studio_cells(s: VideoSummary) -> tuple[Text, ...]:
    return (
        text.cell(s.video.caption or "(no caption)", limit=34),
        text.cell(day(s.video.posted_at)),
        text.number_cell(s.likes),
        text.number_cell(s.video.views),
    )


def feed_cells(s: VideoSummary) -> tuple[Text, ...]:
    return (
        text.cell(text.handle(s.video.creator_handle)),
        text.cell(s.video.caption or "(no caption)", limit=30),
        text.number_cell(s.likes),
        text.cell("yes, liked" if s.liked else "no"),
    )


def studio_fetch(service: Wholiked, acting: User) -> Fetch:
    """The acting user's own videos, newest first, in one page (runs in a worker)."""

    def fetch(_after: object) -> Page:
        found = service.creator_videos(acting, limit=CREATOR_VIDEO_LIMIT)
        return Page([(str(s.video.id), studio_cells(s)) for s in found], after=None, extra=found)

    return fetch


def feed_fetch(service: Wholiked, acting: User) -> Fetch:
    """Videos the acting user can view, newest first, a page at a time (runs in a worker)."""

    def fetch(after: tuple[str, int] | None) -> Page:
        found = service.feed(acting, limit=FEED_PAGE, after=after)
        last = found[-1].video if found else None
        cursor = (last.posted_at, last.id) if last and len(found) >= FEED_PAGE else None
        return Page([(str(s.video.id), feed_cells(s)) for s in found], after=cursor, extra=found)

    return fetch


class VideoList(PagedTable):
    """A PagedTable of videos; row keys are video ids."""

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
