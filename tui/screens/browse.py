"""A perspective that browses videos: a list beside (or above) the selected video's detail.

The creator studio and the viewer feed differ only in which videos they list,
their columns, their keys, and whether the detail shows 'who can see my like'.
Whenever the app's generation changes (another acting user, or an action),
the list and the detail reload from their first page, keeping the selected
video and liker when they are still there.
"""

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Static

from wholiked.core.answers.wording import error_line
from wholiked.core.service import User, VideoSummary, Wholiked
from wholiked.tui import text
from wholiked.tui.screens.perspective import PerspectiveScreen, Targets
from wholiked.tui.widgets.acting_badge import ActingBadge
from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.footer import KeysFooter
from wholiked.tui.widgets.paged_table import Fetch, PagedTable
from wholiked.tui.widgets.tips_panel import TipsPanel
from wholiked.tui.widgets.video_detail import VideoDetail
from wholiked.tui.widgets.video_list import VideoList


class BrowseScreen(PerspectiveScreen):
    """Video list + detail; reloads whenever the acting user or the data changes."""

    PERSPECTIVE: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()
    WITH_AUDIENCE: ClassVar[bool] = False
    TIPS: ClassVar[str] = ""
    """Whose tips the panel shows: 'creator' or 'viewer'."""

    BINDINGS = [Binding("t", "tips", "Tips", show=False, id="tips")]

    def __init__(self) -> None:
        super().__init__()
        self._empty = False
        self._wanted_video: int | None = None
        self._restore: tuple[int, str | None] | None = None  # (video, liker) kept on reload
        self._summaries: dict[int, VideoSummary] = {}

    # --- what subclasses say --------------------------------------------------------------

    def fetch_for(self, service: Wholiked, acting: User) -> Fetch:
        raise NotImplementedError

    def list_title(self, count: int, complete: bool) -> str:
        raise NotImplementedError

    def empty_message(self, acting: User) -> str:
        raise NotImplementedError

    def compose_empty_actions(self) -> ComposeResult:
        yield from ()

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ActingBadge(self.PERSPECTIVE, id="badge")
        with Container(id="split"):
            with Vertical(id="list-pane"):
                yield Static(id="list-title", classes="pane-title")
                yield VideoList(self.COLUMNS, id="videos")
            yield VideoDetail(with_audience=self.WITH_AUDIENCE, id="detail")
        with Vertical(id="empty"):
            yield Static(id="empty-message")
            yield from self.compose_empty_actions()
        with VerticalScroll(id="tips-scroll"):
            yield TipsPanel(self.TIPS, id="tips")
        yield KeysFooter()

    @property
    def videos(self) -> VideoList:
        return self.query_one("#videos", VideoList)

    @property
    def detail(self) -> VideoDetail:
        return self.query_one("#detail", VideoDetail)

    @property
    def tips(self) -> TipsPanel:
        return self.query_one("#tips", TipsPanel)

    def on_mount(self) -> None:
        self.query_one("#empty").display = False
        self.watch(self.app, "generation", self.data_changed, init=False)
        self.reload()
        self.videos.focus()

    def reload_data(self) -> None:
        self.reload(keep=True)

    def reload(self, *, keep: bool = False) -> None:
        """Load the list from its first page (then a video) for the current acting user.

        With `keep`, the selected video and liker are selected again if the first
        pages still hold them; otherwise the first video is.
        """
        state = app_state(self)
        video = self.detail.video_id if keep else None
        liker = self.detail.table.key_at_cursor() if keep else None
        self._restore = (video, liker) if video is not None else None
        self._wanted_video = None
        self._summaries = {}
        self._set_empty(False)
        self.tips.reload()
        self.query_one("#list-title", Static).update(text.content("Loading videos…"))
        self.detail.show(None)
        cursor = str(video) if video is not None else None
        self.videos.load(self.fetch_for(state.service, state.acting), cursor_key=cursor)

    def _set_empty(self, empty: bool) -> None:
        was_empty = self._empty
        self._empty = empty
        self._show_body()
        if was_empty and not empty and not self.tips.unfolded:
            self.videos.focus()

    def _show_body(self) -> None:
        """The split (or the empty state), or the unfolded tips in their place."""
        unfolded = self.tips.unfolded
        self.query_one("#split").display = not unfolded and not self._empty
        self.query_one("#empty").display = not unfolded and self._empty
        self.query_one("#tips-scroll").set_class(unfolded, "-unfolded")

    def action_tips(self) -> None:
        """Unfold the tips in place of the videos, or fold them back to one line."""
        unfolded = self.tips.toggle()
        self._show_body()
        if unfolded:
            self.query_one("#tips-scroll").focus()
        elif self._empty:
            for button in self.query("#empty Button"):
                button.focus()
        else:
            self.videos.focus()

    # --- events ---------------------------------------------------------------------------

    def on_paged_table_loaded(self, message: PagedTable.Loaded) -> None:
        if message.table is not self.videos:
            return
        message.stop()
        table = self.videos
        for summary in message.page.extra or ():
            self._summaries[summary.video.id] = summary
        if message.first:
            self._restore = None  # the cursor went back to the kept video, or it is gone
        app_state(self).targets_changed()
        self.query_one("#list-title", Static).update(
            text.content(self.list_title(table.row_count, table.complete))
        )
        if message.first and table.row_count == 0:
            acting = app_state(self).acting
            self.query_one("#empty-message", Static).update(
                text.content(self.empty_message(acting))
            )
            if self.tips.unfolded:
                self.tips.toggle()  # unfolded tips would hide why the list is empty
            self._set_empty(True)
            for button in self.query("#empty Button"):
                button.focus()
            if self.is_active:
                app_state(self).video_id = None
            return
        if self._wanted_video is not None and table.move_to_video(self._wanted_video):
            self._wanted_video = None

    def on_paged_table_failed(self, message: PagedTable.Failed) -> None:
        if message.table is not self.videos:
            return
        message.stop()
        error = error_line(message.error, app_state(self).service.label)
        self.query_one("#list-title", Static).update(text.content(error))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is not self.videos or event.row_key.value is None:
            return
        video_id = int(event.row_key.value)
        restore = self._restore
        if restore and restore[0] != video_id and self.videos.has_video(restore[0]):
            return  # the first row of a reload: the cursor is on its way to the kept video
        self._select(video_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table is self.videos:
            self.detail.table.focus()

    def on_screen_resume(self) -> None:
        if self.detail.video_id is not None:
            app_state(self).video_id = self.detail.video_id

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "open-feed":
            app_state(self).action_perspective("viewer")

    # --- selection ------------------------------------------------------------------------

    def _select(self, video_id: int) -> None:
        if video_id != self.detail.video_id:
            restore = self._restore
            liker = restore[1] if restore and restore[0] == video_id else None
            self.detail.show(video_id, liker=liker)
        if self.is_active:
            app_state(self).video_id = video_id
            app_state(self).targets_changed()

    def focus_video(self, video_id: int) -> None:
        """Show a video (from the command palette): move the list cursor to it if loaded."""
        self._set_empty(False)
        if not self.videos.move_to_video(video_id):
            self._wanted_video = video_id
            self._select(video_id)

    # --- what the keys act on -------------------------------------------------------------

    def targets(self) -> Targets:
        """The selected video; the highlighted liker when the likers table has focus, else the
        video's creator."""
        video_id = self.detail.video_id
        summary = self._summaries.get(video_id) if video_id is not None else None
        table = self.detail.table
        if table.has_focus:
            return Targets(summary, table.user_at_cursor())
        if summary is not None:
            return Targets(summary, summary.video.creator_id)
        likers = self.detail.likers
        return Targets(None, likers.video.creator_id if likers is not None else None)
