"""A DataTable that loads its rows page by page in a thread worker.

The owner hands `load()` a `fetch(after) -> Page` function (it runs off the UI
thread and may only call the service); the table asks for the next page as
the cursor or the scroll position nears the end. Every result carries the
token of the load that asked for it, so a page that arrives after the table
was reloaded (another video, another acting user) is dropped: each row is
added exactly once. Row keys are domain ids.

A new load keeps the rows on screen until its first page is in, then swaps
them in one go: a reload (a switch of user, an action) never flashes an empty
table, and a slow one is covered by the loading indicator (`LoadsSoon`). An
owner that fetched the first page itself (with other panels' data, in one
worker) hands it to `load(first=...)`, which swaps it in at once.

With a `fetch_last(before) -> Page` as well, End on a list that is not fully
loaded jumps: the table forgets its rows and loads the list's last page (a
keyset walk from the end), and scrolling up loads the pages before it. So the
last row of a million is one page away, never a million rows of DataTable.
Home jumps back to the first page.

A reload after an action keeps the cursor on the row it was on, on any page: the
owner takes `place()` before the action's reload and hands it to `load(keep=...)`;
the worker then reads as many pages as it takes to reach that row again (at most
as many rows as were loaded, from the same end), and the rows swap in at once. If
the row is no longer in the list (the action removed it), the cursor goes to the row
that followed it and the table posts `Lost` with the row's label.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from wholiked.tui.widgets.fitted_table import FittedTable
from wholiked.tui.widgets.loading import LoadsSoon

PAGE_SIZE = 200
NEAR_END = 20  # rows from the end at which the next page is fetched


@dataclass(frozen=True)
class Page:
    """One page: rows as (key, cells), the cursor for the next page (None: no more)."""

    rows: Sequence[tuple[str, Sequence[Text]]]
    after: Any = None
    extra: Any = None  # whatever the owner wants back with the page (totals, ...)
    done: bool = field(default=False)

    @property
    def last(self) -> bool:
        return self.done or self.after is None


@dataclass(frozen=True)
class Place:
    """Where the cursor is: its row's key and label, its index, the rows loaded, which end."""

    key: str
    label: str
    index: int
    count: int
    from_end: bool

    def first_page_only(self) -> "Place":
        """The row, if the first page holds it (another list now: another acting user)."""
        return replace(self, index=-1, count=0, from_end=False)


Fetch = Callable[[Any], Page]
"""`fetch(after)`: the page after a cursor (None: the first page)."""
FetchLast = Callable[[Any], Page]
"""`fetch_last(before)`: the page just before a cursor (None: the last page), rows in the
list's order; its `after` is the cursor for the page before it (None: the first row is in)."""


def gather(fetch: Fetch, keep: Place, first: Page | None = None) -> list[Page]:
    """Pages from the start (or, with `fetch` a `fetch_last`, from the end) until the kept
    row is in, the list ends, or as many rows are in as were loaded; runs in a worker."""
    pages = [first if first is not None else fetch(None)]
    while not _holds(keep, pages):
        pages.append(fetch(pages[-1].after))
    return pages


class PagedTable(LoadsSoon, FittedTable):
    """Rows fetched lazily, a page at a time; `loading` while a slow first page runs."""

    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    @dataclass
    class Loaded(Message):
        """A page was added (the first one of a load carries the owner's extra)."""

        table: "PagedTable"
        page: Page
        first: bool

        @property
        def control(self) -> "PagedTable":
            return self.table

    @dataclass
    class Failed(Message):
        """A fetch raised; `error` is one line for the user."""

        table: "PagedTable"
        error: Exception

        @property
        def control(self) -> "PagedTable":
            return self.table

    @dataclass
    class Lost(Message):
        """The row the cursor was kept on is no longer in the list; `label`: its first cell."""

        table: "PagedTable"
        label: str

        @property
        def control(self) -> "PagedTable":
            return self.table

    @dataclass
    class PageReady(Message):
        """Internal: a worker's result (one page, or several for a kept place), checked
        against the current load before use."""

        token: int
        after: Any
        pages: Sequence[Page] | None
        error: Exception | None
        back: bool = False

    def __init__(self, columns: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self._columns_spec = columns
        self._token = 0
        self._fetch: Fetch | None = None
        self._fetch_last: FetchLast | None = None
        self._after: Any = None
        self._from_end = False  # the rows are the list's tail (End jumped there)
        self._before: Any = None  # from the end: the cursor of the next earlier page
        self._moving = False  # rows went in above the view; it catches up after a refresh
        self._done = True
        self._pending = False
        self._cursor_key: str | None = None
        self._keep: Place | None = None
        self._stale_rows = False  # the rows shown are an older load's, until its first page

    def on_mount(self) -> None:
        for key, label in self._columns_spec:
            self.add_column(Text(label), key=key)
        self.watch(self, "scroll_y", self._scrolled, init=False)

    # --- state -----------------------------------------------------------------------

    @property
    def complete(self) -> bool:
        """Every row of the current load is in the table."""
        return self._done

    @property
    def busy(self) -> bool:
        return self._pending

    @property
    def from_end(self) -> bool:
        """The rows are the end of the list (End jumped there); earlier ones load going up."""
        return self._from_end

    def place(self) -> Place | None:
        """Where the cursor is now, for `load(keep=...)` (None when the table is empty)."""
        key = self.key_at_cursor()
        if key is None:
            return None
        return Place(
            key,
            self.row_label(self.cursor_row),
            self.cursor_row,
            self.row_count,
            self._from_end,
        )

    def row_label(self, row: int) -> str:
        """How a notice names a row: its first cell (a handle)."""
        label = self.get_row_at(row)[0]
        return label.plain if isinstance(label, Text) else str(label)

    def load(
        self,
        fetch: Fetch | None,
        *,
        cursor_key: str | None = None,
        keep: Place | None = None,
        fetch_last: FetchLast | None = None,
        first: Page | Sequence[Page] | Exception | None = None,
    ) -> None:
        """Load from the first page (fetch None: empty at once); the rows shown stay until
        the first page replaces them.

        With `cursor_key`, the cursor goes back to that row if the first page has it.
        With `keep` (a `place()` taken before a change), the cursor goes back to that row
        on whatever page it is, from the same end (see the module docstring). With
        `fetch_last`, End jumps to the list's last page instead of loading every page
        before it. `first`: the first page (or pages, from `gather`, or its error),
        already fetched by `fetch(None)`, put in now.
        """
        self._fetch_last = fetch_last
        from_end = keep is not None and keep.from_end and fetch_last is not None
        if from_end:
            first = None  # the kept row is counted from the end: read from there
        if keep is not None:
            cursor_key = keep.key
        self._start(
            fetch, from_end=from_end, cursor_key=cursor_key, fetch_now=first is None, keep=keep
        )
        if first is not None and fetch is not None:
            if isinstance(first, Exception):
                self._accept(None, first, back=False)
            elif isinstance(first, Page):
                if keep is not None and not _holds(keep, [first]):
                    self._pending = False
                    self._request(first)  # the kept row is further on: read up to it
                else:
                    self._accept([first], None, back=False)
            else:
                self._accept(list(first), None, back=False)

    def _start(
        self,
        fetch: Fetch | None,
        *,
        from_end: bool,
        cursor_key: str | None,
        fetch_now: bool = True,
        keep: Place | None = None,
    ) -> None:
        self._token += 1
        self._keep = keep
        self._stale_rows = fetch is not None and self.row_count > 0
        if not self._stale_rows:
            self.clear()
        self._fetch = fetch
        self._cursor_key = cursor_key
        self._after = None
        self._before = None
        self._from_end = from_end
        self._done = fetch is None
        self._pending = False
        if fetch is None:
            self.loaded()
        elif fetch_now:
            self.loading_soon()
            self._request()
        else:
            self._pending = True  # the owner hands the first page in

    def reset(self) -> None:
        """Empty, with nothing to load."""
        self.load(None)

    # --- fetching ----------------------------------------------------------------------

    def _request(self, first: Page | None = None) -> None:
        if self._pending or self._done:
            return
        # A load that keeps a place reads up to it before anything is shown.
        keep = self._keep if self._stale_rows or self.row_count == 0 else None
        if self._from_end and self._fetch_last is not None:
            self._pending = True
            self._fetch_page(self._fetch_last, self._token, self._before, True, keep, None)
        elif not self._from_end and self._fetch is not None:
            self._pending = True
            self._fetch_page(self._fetch, self._token, self._after, False, keep, first)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def _fetch_page(
        self,
        fetch: Fetch,
        token: int,
        after: Any,
        back: bool,
        keep: Place | None,
        first: Page | None,
    ) -> None:
        try:
            pages = [fetch(after)] if keep is None else gather(fetch, keep, first)
        except Exception as exc:  # shown to the user as one line, not a crash
            self.post_message(self.PageReady(token, after, None, exc, back))
            return
        self.post_message(self.PageReady(token, after, pages, None, back))

    def on_paged_table_page_ready(self, message: PageReady) -> None:
        message.stop()
        expected = self._before if self._from_end else self._after
        if (
            message.token != self._token
            or message.back != self._from_end
            or message.after != expected
        ):
            return  # a page of an older load, or one already added
        self._accept(message.pages, message.error, back=message.back)

    def _accept(self, pages: Sequence[Page] | None, error: Exception | None, *, back: bool) -> None:
        """Put pages of the current load in (the first one replaces the rows shown)."""
        self._pending = False
        self.loaded()
        if self._stale_rows:
            self._stale_rows = False
            self.clear()
        if error is not None:
            self._done = True
            self.post_message(self.Failed(self, error))
            return
        assert pages
        if back:
            if len(pages) == 1 and self._keep is None:
                self._add_earlier(pages[0])
            else:
                self._add_tail(pages)
            for page in pages:
                self.post_message(self.Loaded(self, page, False))
            return
        first = self._after is None
        for page in pages:
            for key, cells in page.rows:
                self.add_row(*cells, key=key)
        if first:
            self._restore_cursor()
        self._after = pages[-1].after
        self._done = pages[-1].last
        for i, page in enumerate(pages):
            self.post_message(self.Loaded(self, page, first and i == 0))
        self.call_after_refresh(self._maybe_more)

    # --- from the end ------------------------------------------------------------------

    def action_scroll_bottom(self) -> None:
        """End: the last row; if it is not loaded, jump to the list's last page."""
        if not self._done and not self._from_end and self._fetch_last is not None:
            self._start(self._fetch, from_end=True, cursor_key=None)
            return
        super().action_scroll_bottom()

    def action_scroll_top(self) -> None:
        """Home: the first row; after a jump to the end, load the first page again."""
        if not self._done and self._from_end:
            self._start(self._fetch, from_end=False, cursor_key=None)
            return
        super().action_scroll_top()

    def _add_earlier(self, page: Page) -> None:
        """Put a page from the end in: the last page at the bottom, earlier ones above it."""
        first = self._before is None
        self._before = page.after
        self._done = page.last
        self._moving = True  # until the view has followed, where it is says nothing
        if first:
            for key, cells in page.rows:
                self.add_row(*cells, key=key)
            if self.row_count:
                self.move_cursor(row=self.row_count - 1)
            self.call_after_refresh(self._moved)  # after the cursor's own scroll
            return
        # DataTable only appends: add the rows, then sort them above the others.
        # Each row's cells are its own objects, so the first cell names its row.
        shift = len(page.rows)
        cursor, top = self.cursor_row, self.scroll_y
        rank = {id(self.get_row_at(i)[0]): shift + i for i in range(self.row_count)}
        for i, (key, cells) in enumerate(page.rows):
            self.add_row(*cells, key=key)
            rank[id(cells[0])] = i
        self.sort(key=lambda cells: rank[id(cells[0])])
        self.move_cursor(row=cursor + shift, scroll=False)
        self.call_after_refresh(self.scroll_to, y=top + shift, animate=False, immediate=True)
        self.call_after_refresh(self._moved)

    def _add_tail(self, pages: Sequence[Page]) -> None:
        """The first pages of a load from the end, read back to a kept place: the last page
        at the bottom, each earlier one above it."""
        self._before = pages[-1].after
        self._done = pages[-1].last
        self._moving = True
        for page in reversed(pages):
            for key, cells in page.rows:
                self.add_row(*cells, key=key)
        if not self._restore_cursor() and self.row_count:
            self.move_cursor(row=self.row_count - 1)
        self.call_after_refresh(self._moved)

    def _moved(self) -> None:
        self._moving = False
        self._maybe_more()

    def _restore_cursor(self) -> bool:
        """The cursor back on the kept row (or, when it is gone, the row that followed it);
        False when there was nothing to keep."""
        key, self._cursor_key = self._cursor_key, None
        keep, self._keep = self._keep, None
        if key is None:
            return False
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            if keep is None or keep.index < 0 or self.row_count == 0:
                return False
            if keep.from_end:  # the same distance from the end, less the row that left
                index = self.row_count - keep.count + keep.index + 1
            else:
                index = keep.index
            index = max(0, min(index, self.row_count - 1))
            # Posted from the table's own turn: a message bubbles no further than the
            # parent of whoever sent it, and this may run in the owner's handler.
            self.call_later(self._lost, keep.label)
        if index != self.cursor_row:
            self.move_cursor(row=index)
        return True

    def _lost(self, label: str) -> None:
        self.post_message(self.Lost(self, label))

    def key_at_cursor(self) -> str | None:
        """The row key under the cursor (None when the table is empty)."""
        if self.row_count == 0:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def _near_end(self) -> bool:
        """Near the end that has more to load (the top, after a jump to the end)."""
        if self.row_count == 0:
            return False
        if self._from_end:
            return self.cursor_row < NEAR_END or self.scroll_y < NEAR_END
        if self.cursor_row >= self.row_count - NEAR_END:
            return True
        return self.max_scroll_y > 0 and self.scroll_y >= self.max_scroll_y - NEAR_END

    def _maybe_more(self) -> None:
        if not self._done and not self._moving and self._near_end():
            self._request()

    def _scrolled(self, _value: float) -> None:
        self._maybe_more()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._maybe_more()  # the event keeps bubbling to the owner


def _holds(keep: Place, pages: Sequence[Page]) -> bool:
    """The pages reach the kept place: they hold its row, end the list, or fill its count."""
    rows = sum(len(p.rows) for p in pages)
    found = any(k == keep.key for p in pages for k, _ in p.rows)
    return found or pages[-1].last or rows >= keep.count
