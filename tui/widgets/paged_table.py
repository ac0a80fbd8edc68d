"""A DataTable that loads its rows page by page in a thread worker.

The owner hands `load()` a `fetch(after) -> Page` function (it runs off the UI
thread and may only call the service); the table asks for the next page as
the cursor or the scroll position nears the end. Every result carries the
token of the load that asked for it, so a page that arrives after the table
was reloaded (another video, another acting user) is dropped: each row is
added exactly once. Row keys are domain ids.
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


class PagedTable(LoadsSoon, DataTable):
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

    def __init__(self, columns: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self._columns_spec = columns
        self._token = 0
        self._fetch: Fetch | None = None
        self._after: Any = None
        self._done = True
        self._pending = False
        self._cursor_key: str | None = None

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

    def load(self, fetch: Fetch | None, *, cursor_key: str | None = None) -> None:
        """Forget every row and start loading from the first page (None: stay empty).

        With `cursor_key`, the cursor goes back to that row if the first page has it
        (a reload after a change keeps your place when it can).
        """
        self._token += 1
        self.clear()
        self._fetch = fetch
        self._cursor_key = cursor_key
        self._after = None
        self._done = fetch is None
        self._pending = False
        if fetch is None:
            self.loaded()
        else:
            self.loading_soon()
        self._request()

    def reset(self) -> None:
        """Empty, with nothing to load."""
        self.load(None)

    # --- fetching ----------------------------------------------------------------------

    def _request(self) -> None:
        if self._pending or self._done or self._fetch is None:
            return
        self._pending = True
        self._fetch_page(self._fetch, self._token, self._after)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def _fetch_page(self, fetch: Fetch, token: int, after: Any) -> None:
        try:
            page = fetch(after)
        except Exception as exc:  # shown to the user as one line, not a crash
            self.post_message(self.PageReady(token, after, None, exc))
            return
        self.post_message(self.PageReady(token, after, page, None))

    def on_paged_table_page_ready(self, message: PageReady) -> None:
        message.stop()
        if message.token != self._token or message.after != self._after:
            return  # a page of an older load, or one already added
        self._pending = False
        self.loaded()
        if message.error is not None:
            self._done = True
            self.post_message(self.Failed(self, message.error))
            return
        page = message.page
        assert page is not None
        first = self._after is None
        for key, cells in page.rows:
            self.add_row(*cells, key=key)
        if first:
            self._restore_cursor()
        self._after = page.after
        self._done = page.last
        self.post_message(self.Loaded(self, page, first))
        self.call_after_refresh(self._maybe_more)

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
        if self.row_count == 0:
            return False
        if self.cursor_row >= self.row_count - NEAR_END:
            return True
        return self.max_scroll_y > 0 and self.scroll_y >= self.max_scroll_y - NEAR_END

    def _maybe_more(self) -> None:
        if not self._done and self._near_end():
            self._request()

    def _scrolled(self, _value: float) -> None:
        self._maybe_more()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._maybe_more()  # the event keeps bubbling to the owner
