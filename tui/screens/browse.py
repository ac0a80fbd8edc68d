"""A perspective that browses videos: a list beside (or above) the selected video's detail.

The creator studio and the viewer feed differ only in which videos they list,
their columns, their keys, and whether the detail shows 'who can see my like'.
Whenever the app's generation changes (another acting user, or an action),
the list and the detail reload from their first page, keeping the selected
video and liker when they are still there. One worker fetches the list's first
page and the detail of the video that will be selected, and both replace what
is on screen in one go: until then the previous rows stay (covered by the
loading indicator if it takes long), so a switch of user never flashes empty
panels, and costs one round trip instead of one per panel.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Static

from wholiked.core.answers.wording import error_line
from wholiked.core.service import ListView, User, VideoSummary, Wholiked
from wholiked.tui import text
from wholiked.tui.screens.perspective import PerspectiveScreen, Targets
from wholiked.tui.widgets.acting_badge import ActingBadge
from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.footer import KeysFooter
from wholiked.tui.widgets.list_table import Find, Listing, ListTable
from wholiked.tui.widgets.paged_table import PAGE_SIZE, Fetch, Page, PagedTable, Place, gather
from wholiked.tui.widgets.tips_panel import TipsPanel
from wholiked.tui.widgets.video_detail import DetailData, VideoDetail, fetch_detail
from wholiked.tui.widgets.video_list import VideoList

if TYPE_CHECKING:
    from wholiked.core.service import Perspective

SEARCH_ROWS = 5 * PAGE_SIZE
"""After a switch of user, how far down the new list the selected video is looked for."""


class BrowseScreen(PerspectiveScreen):
    """Video list + detail; reloads whenever the acting user or the data changes."""

    PERSPECTIVE: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()
    LISTING: ClassVar[Listing] = Listing("videos")
    WITH_AUDIENCE: ClassVar[bool] = False
    TIPS: ClassVar["Perspective"]
    """Whose tips the panel shows: 'creator' or 'viewer'."""

    BINDINGS = [Binding("t", "tips", "Tips", show=False, id="tips")]

    @dataclass
    class Reloaded(Message):
        """Internal: the list's first page and the detail of the video to select, fetched
        together for one reload (the token)."""

        token: int
        fetch: Fetch
        first: list[Page] | Exception
        detail: DetailData | None
        liker: Place | None

    def __init__(self) -> None:
        super().__init__()
        self._empty = False
        self._wanted_video: int | None = None
        self._restore: tuple[int, Place | None] | None = None  # (video, liker) kept on reload
        self._keep_video: Place | None = None  # where the list's cursor was, kept on reload
        self._acting: int | None = None  # whose lists are shown
        self._summaries: dict[int, VideoSummary] = {}
        self._drawn_first: Page | None = None  # the first page drawn before its Loaded
        self._token = 0
        self._reloading = False  # the panels show the previous state until the reload is in
        self._switched: int | None = None  # the video selected before a switch of user

    # --- what subclasses say --------------------------------------------------------------

    def fetch_for(self, service: Wholiked, acting: User, view: ListView) -> Fetch:
        raise NotImplementedError

    def find_for(self, service: Wholiked, acting: User, view: ListView) -> Find:
        raise NotImplementedError

    def list_title(self, count: int, complete: bool) -> str:
        raise NotImplementedError

    def empty_message(self, acting: User) -> str:
        raise NotImplementedError

    def list_name(self, acting: User) -> str:
        """How a notice names this list for the acting user ("@x's studio")."""
        raise NotImplementedError

    def compose_empty_actions(self) -> ComposeResult:
        yield from ()

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ActingBadge(self.PERSPECTIVE, follow=False, id="badge")  # changed by the swap
        with Container(id="split"):
            with Vertical(id="list-pane"):
                yield Static(id="list-title", classes="pane-title")
                yield VideoList(self.COLUMNS, self.LISTING, id="videos")
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

        With `keep`, the selected video and liker are selected again, on whatever page
        they are (the pages up to them are read first); otherwise the first video is.
        """
        state = app_state(self)
        video = self.detail.video_id if keep else None
        liker = self.detail.table.place() if keep else None
        at = self.videos.place() if keep else None
        self._switched = None
        if self._acting != state.acting.id:  # another user's lists: no place to keep there
            liker = liker.first_page_only() if liker is not None else None
            # The selected video is looked for in the new list, a few pages deep.
            at = Place(str(video), "", -1, SEARCH_ROWS, False) if video is not None else None
            self._switched = video if self._acting is not None else None
        self._acting = state.acting.id
        self._restore = (video, liker) if video is not None else None
        self._keep_video = at if at is not None and at.key == str(video) else None
        self._wanted_video = None
        self._token += 1
        self._reloading = True
        self.videos.loading_soon()
        self.detail.loading_soon()
        view = self.videos.view
        fetch = self.fetch_for(state.service, state.acting, view)
        self.videos.describe(
            f"{self.LISTING.what}-{state.acting.handle}".replace(" ", "-"),
            self.find_for(state.service, state.acting, view),
        )
        self._fetch_all(
            state.service, state.acting, fetch, self._restore, self._keep_video, self._token
        )

    @work(thread=True, exclusive=True, group="browse", exit_on_error=False)
    def _fetch_all(
        self,
        service: Wholiked,
        acting: User,
        fetch: Fetch,
        restore: tuple[int, Place | None] | None,
        at: Place | None,
        token: int,
    ) -> None:
        """The list's first page (or the pages up to the kept video), then the detail of the
        video the cursor will land on: the kept one if the pages have it, else the first."""
        try:
            first = gather(fetch, at) if at is not None and not at.from_end else [fetch(None)]
        except Exception as exc:  # said in the list's title
            self.post_message(self.Reloaded(token, fetch, exc, None, None))
            return
        keys = [key for page in first for key, _cells in page.rows]
        kept = str(restore[0]) if restore is not None else None
        chosen = kept if kept in keys else (keys[0] if keys else None)
        if kept not in keys and keys and at is not None and not at.from_end and at.index >= 0:
            chosen = keys[min(at.index, len(keys) - 1)]  # the row that followed the kept one
        liker = restore[1] if restore is not None and chosen == kept else None
        detail = None
        if chosen is not None:
            detail = fetch_detail(
                service, acting, int(chosen), self.WITH_AUDIENCE, self.detail.table.view
            )
        self.post_message(self.Reloaded(token, fetch, first, detail, liker))

    def on_browse_screen_reloaded(self, message: Reloaded) -> None:
        message.stop()
        if message.token != self._token:
            return  # asked for an older state or another acting user
        self._reloading = False
        self._summaries = {}
        cursor = str(self._restore[0]) if self._restore is not None else None
        at = self._keep_video
        at = at if at is not None and not at.from_end else None
        detail, wanted = message.detail, self._wanted_video
        with self.app.batch_update():
            self.query_one(ActingBadge).show_now()
            self.tips.reload()
            self.videos.load(message.fetch, cursor_key=cursor, keep=at, first=message.first)
            if detail is None:
                self.detail.show(None)
            elif wanted is None or wanted == detail.video_id:
                self.detail.show(detail.video_id, liker=message.liker, data=detail)
            # The list's Loaded follows (after the cursor's moves): the rest is drawn now,
            # in the same frame as the rows.
            if not isinstance(message.first, Exception):
                for i, page in enumerate(message.first):
                    self._list_loaded(page, first=i == 0)
            if self._wanted_video is not None and not self._empty:
                self._select(self._wanted_video)  # asked for meanwhile, and not in the list
            self.query_one(KeysFooter).refresh_keys()  # "Go public" or "Go private" now
        self._say_if_selection_changed(detail.video_id if detail is not None else None)

    def _say_if_selection_changed(self, shown: int | None) -> None:
        """After a switch of user, a notice when the video selected before is not in the
        new user's list (so the selection changed), naming what is selected now."""
        was, self._switched = self._switched, None
        if was is None or was == shown or self._wanted_video is not None or not self.is_active:
            return
        acting = app_state(self).acting
        now = f"video {shown} is selected now" if shown is not None else "nothing is selected"
        self.app.notify(
            f"Video {was} is not in {self.list_name(acting)}: {now}.",
            title="Another video",
            markup=False,
        )

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
        if message.first:
            self._restore = None  # the cursor went back to the kept video, or it is gone
            if message.page is not self._drawn_first:
                self._list_loaded(message.page, first=True)
            self._drawn_first = None
        else:
            self._list_loaded(message.page, first=False)

    def _list_loaded(self, page: Page, *, first: bool) -> None:
        """A page of the list is in: the title, the empty state, the wanted video."""
        table = self.videos
        if first:
            self._drawn_first = page
        for summary in page.extra or ():
            self._summaries[summary.video.id] = summary
        app_state(self).targets_changed()
        self.query_one("#list-title", Static).update(
            text.content(self.list_title(table.row_count, table.complete) + _view_words(table))
        )
        if first and table.row_count == 0:
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
        if first:
            self._set_empty(False)
        if self._wanted_video is not None and table.move_to_video(self._wanted_video):
            self._wanted_video = None

    def on_paged_table_failed(self, message: PagedTable.Failed) -> None:
        if message.table is not self.videos:
            return
        message.stop()
        self._set_empty(False)
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

    def on_list_table_view_changed(self, message: ListTable.ViewChanged) -> None:
        """s or h on the video list: the list again in its new order, the video kept."""
        if message.table is self.videos:
            message.stop()
            self.reload(keep=True)

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
        if self._reloading:
            return  # a row of the list being replaced: the reload selects a video itself
        if video_id != self.detail.video_id:
            restore = self._restore
            liker = restore[1] if restore and restore[0] == video_id else None
            self.detail.show(video_id, liker=liker)
        if self.is_active:
            app_state(self).video_id = video_id
            app_state(self).targets_changed()

    def focus_video(self, video_id: int) -> None:
        """Show a video (from the command palette): move the list cursor to it if loaded."""
        if self._reloading:
            self._wanted_video = video_id  # the reload moves the cursor to it, or shows it
            return
        self._set_empty(False)
        if not self.videos.move_to_video(video_id):
            self._wanted_video = video_id
            self._select(video_id)

    # --- what the keys act on -------------------------------------------------------------

    def targets(self) -> Targets:
        """The selected video; the highlighted liker when the likers table has focus, else the
        video's creator. Nothing while a reload is on its way (the rows shown are the
        previous state's)."""
        if self._reloading:
            return Targets()
        video_id = self.detail.video_id
        summary = self._summaries.get(video_id) if video_id is not None else None
        table = self.detail.table
        if table.has_focus:
            return Targets(summary, table.user_at_cursor())
        if summary is not None:
            return Targets(summary, summary.video.creator_id)
        likers = self.detail.likers
        return Targets(None, likers.video.creator_id if likers is not None else None)


def _view_words(table: ListTable) -> str:
    """' · most likes first · only …' when the list is sorted or filtered ('' as listed)."""
    words = ""
    if table.view.sort:
        words += f" · sorted by {table.sort_words()}"
    if table.view.only:
        words += f" · {table.filter_words()}"
    return words
