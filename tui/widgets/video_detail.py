"""One video as the acting user sees it: totals, identifiable likers, the anonymous count.

The likers table pages lazily; its first page comes from `service.likers`,
which reads the total, the anonymous count and the page in one snapshot
(rule 4), so the numbers above the table always add up. That page and the
audience (the feed) are fetched together in one worker (`fetch_detail`), by the
detail or by its screen with the video list, and shown in one go: what is on
screen stays until the new video's data is in (a slow load is covered by the
loading indicator), so a switch of user never flashes an empty detail.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from wholiked.core.answers.wording import (
    anonymous_line,
    day,
    error_line,
    identified_line,
    liker_reason,
    plural,
    when,
)
from wholiked.core.rules.policy import Cursor, LikerRow
from wholiked.core.service import Audience, Likers, ListView, Preset, User, Video, Wholiked
from wholiked.tui import text
from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.audience_panel import AudiencePanel
from wholiked.tui.widgets.list_table import Find, Listing, ListTable
from wholiked.tui.widgets.loading import LoadsSoon
from wholiked.tui.widgets.paged_table import (
    PAGE_SIZE,
    Fetch,
    FetchLast,
    Page,
    PagedTable,
    Place,
)
from wholiked.tui.widgets.people_table import PeopleTable

LIKER_COLUMNS = (
    ("handle", "Handle"),
    ("name", "Display name"),
    ("when", "Liked (UTC)"),
    ("reason", "Why you can see them"),
)


LIKER_SORTS = (("", "newest like first"), ("handle", "handle A–Z"), ("name", "display name A–Z"))
LIKER_SORT_COLUMNS = {"handle": "handle", "name": "name", "when": ""}

LIKERS_LISTING = Listing(
    "the likers",
    sorts=LIKER_SORTS,
    by_column=LIKER_SORT_COLUMNS,
    fit={"name": 12, "when": 11, "reason": 14},
)


def likers_listing(rules: Preset) -> Listing:
    """The likers' listing under these rules: a filter per reason they can be seen for."""
    reasons = tuple((r, f"only: {liker_reason(r, rules)}") for r in rules.visible_reasons)
    return replace(LIKERS_LISTING, filters=(("", "every liker you can identify"), *reasons))


def liker_cells(row: LikerRow) -> tuple[Text, ...]:
    return (
        text.cell(text.handle(row.handle)),
        text.cell(row.display_name),
        text.cell(when(row.liked_at)),
        text.cell(liker_reason(row.reason)),
    )


def liker_page(
    rows: list[LikerRow],
    limit: int,
    view: ListView,
    extra: object = None,
    cells: Callable[[LikerRow], tuple[Text, ...]] = liker_cells,
) -> Page:
    """A page of likers; the keyset cursor is the last row's (its sort's value, handle)."""
    full = rows and len(rows) >= limit
    after = Wholiked.liker_cursor(rows[-1], view) if full else None
    return Page([(str(r.user_id), cells(r)) for r in rows], after=after, extra=extra)


def earlier_page(
    rows: list[LikerRow],
    limit: int,
    view: ListView,
    cells: Callable[[LikerRow], tuple[Text, ...]] = liker_cells,
) -> Page:
    """A page taken from the end; the cursor back is its first row's."""
    full = rows and len(rows) >= limit
    before = Wholiked.liker_cursor(rows[0], view) if full else None
    return Page([(str(r.user_id), cells(r)) for r in rows], after=before)


def video_heading(video: Video) -> str:
    """'Video 3 by @mia.makes · posted 2026-10-01 · 1,234 views' (caption on its own line)."""
    views = "views unknown" if video.views is None else plural(video.views, "view")
    return f"Video {video.id} by @{video.creator_handle} · {day(video.posted_at)} · {views}"


def quoted_caption(caption: str | None) -> str:
    """The caption in quotes (cleaned, cut to 120 characters), or '(no caption)'."""
    cleaned = text.clean(caption, limit=120)
    return f"“{cleaned}”" if cleaned else "(no caption)"


@dataclass(frozen=True)
class DetailData:
    """What the detail shows of one video for one acting user, fetched in one worker."""

    video_id: int
    likers: Page | Exception
    """The first likers page (its extra: the `Likers` totals), or why it failed."""
    audience: Audience | Exception | None
    """Who can see my like (the feed), or why it failed; None when not asked for."""


def fetch_detail(
    service: Wholiked, acting: User, video_id: int, with_audience: bool, view: ListView
) -> DetailData:
    """The first likers page (as `view` sorts and filters them) and (the feed) the audience
    of a video; runs in a worker."""
    try:
        likers: Page | Exception = _likers_fetch(service, acting, video_id, view)(None)
    except Exception as exc:  # shown in the detail as one line
        likers = exc
    audience: Audience | Exception | None = None
    if with_audience:
        try:
            audience = service.audience(video_id, acting)
        except Exception as exc:
            audience = exc
    return DetailData(video_id, likers, audience)


class VideoDetail(LoadsSoon, Vertical):
    """Heading, 'you can identify N of M', the anonymous count, who sees my like, likers."""

    @dataclass
    class Ready(Message):
        """Internal: a video's data, for the show() that asked (the token)."""

        token: int
        liker: Place | None
        data: DetailData

    def __init__(self, *, with_audience: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.with_audience = with_audience
        self.video_id: int | None = None
        self.likers: Likers | None = None
        self._token = 0

    def compose(self) -> ComposeResult:
        yield Static(id="detail-heading", classes="heading")
        yield Static(id="detail-caption", classes="caption")
        yield Static(id="detail-identified")
        yield Static(id="detail-anonymous", classes="anonymous")
        if self.with_audience:
            yield AudiencePanel(id="audience", classes="audience")
        yield PeopleTable(LIKER_COLUMNS, LIKERS_LISTING, id="likers")

    def on_mount(self) -> None:
        self._placeholder("Select a video to see who liked it.")

    @property
    def table(self) -> PeopleTable:
        return self.query_one("#likers", PeopleTable)

    def _set(self, widget_id: str, content: Content | str) -> None:
        self.query_one(f"#{widget_id}", Static).update(content)

    def _placeholder(self, message: str) -> None:
        self._set("detail-heading", text.content(message))
        self._set("detail-caption", "")
        self._set("detail-identified", "")
        self._set("detail-anonymous", "")

    def show(
        self, video_id: int | None, *, liker: Place | None = None, data: DetailData | None = None
    ) -> None:
        """Show a video for the current acting user (None: nothing selected, at once).

        What is shown stays until the video's data is in. `liker`: where the likers cursor
        was (`PagedTable.place()`), to put it back on that row on any page. `data`: already
        fetched (by `fetch_detail`, for this video and the current acting user): shown now.
        """
        self._token += 1
        self.video_id = video_id
        if video_id is None:
            self.loaded()
            self.likers = None
            if self.with_audience:
                self.query_one(AudiencePanel).put(None)
            self._placeholder("Select a video to see who liked it.")
            self.table.reset()
            return
        if data is not None:
            self._put(data, liker)
            return
        state = app_state(self)
        self.loading_soon()
        view = self.table.view
        self._fetch(state.service, state.acting, video_id, liker, self._token, view)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _fetch(
        self,
        service: Wholiked,
        acting: User,
        video_id: int,
        liker: Place | None,
        token: int,
        view: ListView,
    ) -> None:
        data = fetch_detail(service, acting, video_id, self.with_audience, view)
        self.post_message(self.Ready(token, liker, data))

    def on_video_detail_ready(self, message: Ready) -> None:
        message.stop()
        if message.token == self._token:  # else: another video or acting user since
            self._put(message.data, message.liker)

    def _put(self, data: DetailData, liker: Place | None) -> None:
        """Replace everything shown by one video's data, in one go."""
        self.loaded()
        state = app_state(self)
        video_id = data.video_id
        with self.app.batch_update():
            if self.with_audience:
                self.query_one(AudiencePanel).put(data.audience)
            self.likers = None
            table, view, service = self.table, self.table.view, state.service
            table.listing = likers_listing(service.rules)
            table.describe(
                f"likers-video-{video_id}", _likers_find(service, state.acting, video_id, view)
            )
            table.load(
                _likers_fetch(service, state.acting, video_id, view),
                keep=liker,
                fetch_last=_likers_fetch_last(service, state.acting, video_id, view),
                first=data.likers,
            )
            if isinstance(data.likers, Exception):
                self._placeholder(error_line(data.likers, state.service.label))
            else:
                self._show_totals(data.likers.extra)
                self._show_identified()

    def on_paged_table_loaded(self, message: PagedTable.Loaded) -> None:
        if message.table is not self.table:
            return
        message.stop()
        if message.first and message.page.extra is not self.likers:
            self._show_totals(message.page.extra)
        self._show_identified()

    def _show_identified(self) -> None:
        if self.likers is None:
            return
        line = identified_line(self.likers.identifiable_count, self.likers.total)
        table = self.table
        if table.view.sort:
            line += f" Sorted by {table.sort_words()}."
        if table.view.only:
            line += f" Showing {table.filter_words()}: {table.row_count:,}."
        if table.from_end and not table.complete:
            line += f" Showing the last {table.row_count:,}; earlier ones load as you scroll up."
        elif not table.complete:
            line += f" Showing the first {table.row_count:,}; more load as you scroll."
        self._set("detail-identified", text.content(line))

    def _show_totals(self, likers: Likers) -> None:
        self.likers = likers
        self._set(
            "detail-heading",
            text.styled(
                "[b]$heading · $total[/b]",
                heading=video_heading(likers.video),
                total=plural(likers.total, "like"),
            ),
        )
        self._set("detail-caption", text.content(quoted_caption(likers.video.caption)))
        anonymous = anonymous_line(likers.anonymous, likers.anonymous_who)
        self._set("detail-anonymous", text.content(anonymous))

    def on_paged_table_failed(self, message: PagedTable.Failed) -> None:
        if message.table is not self.table:
            return
        message.stop()
        self._placeholder(error_line(message.error, app_state(self).service.label))

    def on_list_table_view_changed(self, message: ListTable.ViewChanged) -> None:
        """s or h on the likers: the video's likers again, sorted or filtered so."""
        if message.table is self.table:
            message.stop()
            self.show(self.video_id)


def _likers_fetch(service: Wholiked, acting: User, video_id: int, view: ListView) -> Fetch:
    """The page function for one video and viewer; runs in a thread worker."""

    def fetch(after: Cursor | None) -> Page:
        if after is None:
            result = service.likers(video_id, acting, limit=PAGE_SIZE, view=view)
            return liker_page(result.identifiable, PAGE_SIZE, view, extra=result)
        rows = service.likers_page(video_id, acting, limit=PAGE_SIZE, after=after, view=view)
        return liker_page(rows, PAGE_SIZE, view)

    return fetch


def _likers_fetch_last(service: Wholiked, acting: User, video_id: int, view: ListView) -> FetchLast:
    """Pages from the end of the likers list (End, then scrolling up); runs in a worker."""

    def fetch_last(before: Cursor | None) -> Page:
        rows = service.likers_page_from_end(
            video_id, acting, limit=PAGE_SIZE, before=before, view=view
        )
        return earlier_page(rows, PAGE_SIZE, view)

    return fetch_last


def _likers_find(service: Wholiked, acting: User, video_id: int, view: ListView) -> Find:
    """A find among the likers the acting user can identify, in SQL (runs in a worker)."""

    def find(value: str) -> list[str]:
        return [str(i) for i in service.find_likers(video_id, acting, value, view=view)]

    return find
