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
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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


Fetch = Callable[[Any], Page]
"""`fetch(after)`: the page after a cursor (None: the first page)."""
FetchLast = Callable[[Any], Page]
"""`fetch_last(before)`: the page just before a cursor (None: the last page), rows in the
list's order; its `after` is the cursor for the page before it (None: the first row is in)."""


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
    class PageReady(Message):
        """Internal: a worker's result, checked against the current load before use."""

        token: int
        after: Any
        page: Page | None
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

    def load(
        self,
        fetch: Fetch | None,
        *,
        cursor_key: str | None = None,
        fetch_last: FetchLast | None = None,
        first: Page | Exception | None = None,
    ) -> None:
        """Load from the first page (fetch None: empty at once); the rows shown stay until
        the first page replaces them.

        With `cursor_key`, the cursor goes back to that row if the first page has it
        (a reload after a change keeps your place when it can). With `fetch_last`, End
        jumps to the list's last page instead of loading every page before it. `first`:
        the first page (or its error), already fetched by `fetch(None)`, put in now.
        """
        self._fetch_last = fetch_last
        self._start(fetch, from_end=False, cursor_key=cursor_key, fetch_now=first is None)
        if first is not None and fetch is not None:
            if isinstance(first, Exception):
                self._accept(None, first, back=False)
            else:
                self._accept(first, None, back=False)

    def _start(
        self,
        fetch: Fetch | None,
        *,
        from_end: bool,
        cursor_key: str | None,
        fetch_now: bool = True,
    ) -> None:
        self._token += 1
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

    def _request(self) -> None:
        if self._pending or self._done:
            return
        if self._from_end and self._fetch_last is not None:
            self._pending = True
            self._fetch_page(self._fetch_last, self._token, self._before, True)
        elif not self._from_end and self._fetch is not None:
            self._pending = True
            self._fetch_page(self._fetch, self._token, self._after, False)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def _fetch_page(self, fetch: Fetch, token: int, after: Any, back: bool) -> None:
        try:
            page = fetch(after)
        except Exception as exc:  # shown to the user as one line, not a crash
            self.post_message(self.PageReady(token, after, None, exc, back))
            return
        self.post_message(self.PageReady(token, after, page, None, back))

    def on_paged_table_page_ready(self, message: PageReady) -> None:
        message.stop()
        expected = self._before if self._from_end else self._after
        if (
            message.token != self._token
            or message.back != self._from_end
            or message.after != expected
        ):
            return  # a page of an older load, or one already added
        self._accept(message.page, message.error, back=message.back)

    def _accept(self, page: Page | None, error: Exception | None, *, back: bool) -> None:
        """Put a page of the current load in (the first one replaces the rows shown)."""
        self._pending = False
        self.loaded()
        if self._stale_rows:
            self._stale_rows = False
            self.clear()
        if error is not None:
            self._done = True
            self.post_message(self.Failed(self, error))
            return
        assert page is not None
        if back:
            self._add_earlier(page)
            self.post_message(self.Loaded(self, page, False))
            return
        first = self._after is None
        for key, cells in page.rows:
            self.add_row(*cells, key=key)
        if first:
            self._restore_cursor()
        self._after = page.after
        self._done = page.last
        self.post_message(self.Loaded(self, page, first))
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

    def _moved(self) -> None:
        self._moving = False
        self._maybe_more()

    def _restore_cursor(self) -> None:
        key, self._cursor_key = self._cursor_key, None
        if key is None:
            return
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            return
        if index != self.cursor_row:
            self.move_cursor(row=index)

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
