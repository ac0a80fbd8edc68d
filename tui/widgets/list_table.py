"""A paged list people can work with: find (`/`, then n and N), filter (h), sort (s, or a
click on a column's header) and export (e) as CSV.

Find, filter and sort run in SQL through the facade, so a paged list stays paged: the
owner hands `describe()` a `find(text)` that returns the keys of the matching rows in the
list's order (run in a worker); the table moves to the next one after the cursor, or, if
it is not loaded yet, reads the pages up to it (`load(keep=...)`, as an action's reload
does). A sort or a filter is the table's `view`; changing it posts `ViewChanged`, and the
owner reloads the list with its fetches built for that view. Export reads every page of
the current load (the same fetch, so the same filter and sort) in a worker and writes a
CSV into the data folder (`list_export`), named in a notice.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from rich.text import Text
from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from wholiked.core.service import ListView
from wholiked.tui import text
from wholiked.tui.screens.find import FindScreen
from wholiked.tui.widgets.list_export import write_csv
from wholiked.tui.widgets.paged_table import Fetch, Page, PagedTable, Place

Find = Callable[[str], Sequence[str]]
"""`find(text)`: the keys of the rows that match, in the list's order (runs in a worker)."""

EVERYTHING = 10**9  # a kept place "as far as it takes": read pages until the row is in


@dataclass(frozen=True)
class Listing:
    """What a list offers: its name (for notices), its sorts (sort key, words; the first is
    the list's own order, key ''), the sort a click on a column's header picks, its
    filters (category, words; the first is every row, ''), and how its columns share the
    width (`FittedTable`'s `fit`)."""

    what: str
    sorts: tuple[tuple[str, str], ...] = ()
    by_column: Mapping[str, str] = field(default_factory=dict)
    filters: tuple[tuple[str, str], ...] = ()
    fit: Mapping[str, int] = field(default_factory=dict)


class ListTable(PagedTable):
    """A PagedTable with find, filter, sort and export (see the module docstring)."""

    BINDINGS = [
        Binding("slash", "find", "Find", show=False, id="list-find"),
        Binding("n", "find_next(1)", "Next match", show=False, id="list-find-next"),
        Binding("N", "find_next(-1)", "Previous match", show=False, id="list-find-previous"),
        Binding("s", "sort_next", "Sort", show=False, id="list-sort"),
        Binding("h", "filter_next", "Filter", show=False, id="list-filter"),
        Binding("e", "export", "Export CSV", show=False, id="list-export"),
    ]

    @dataclass
    class ViewChanged(Message):
        """The sort or the filter changed: the owner reloads the list for `table.view`."""

        table: "ListTable"

        @property
        def control(self) -> "ListTable":
            return self.table

    @dataclass
    class Matches(Message):
        """Internal: a find's matching keys, for the find that asked (the token)."""

        token: int
        text: str
        keys: Sequence[str] | None
        step: int
        error: Exception | None = None

    @dataclass
    class Exported(Message):
        """Internal: an export's result, said in a notice."""

        line: str
        error: bool = False

    def __init__(self, columns: Sequence[tuple[str, str]], listing: Listing, **kwargs: Any) -> None:
        super().__init__(columns, fit=listing.fit, **kwargs)
        self.listing = listing
        self.view = ListView()
        self.find_text = ""
        self._matches: list[str] = []
        self._find: Find | None = None
        self._list_name = listing.what
        self._find_token = 0

    def describe(self, name: str, find: Find | None) -> None:
        """Say which list the next load is (`name`, for the CSV file: another name ends a
        find) and how to find in it."""
        if name != self._list_name:
            self.find_text, self._matches = "", []
        self._list_name = name
        self._find = find

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n and N belong to a find in progress (else they fall through: n is Analytics);
        s and h to lists that have sorts and filters."""
        if action == "find_next":
            return bool(self.find_text)
        if action == "sort_next":
            return len(self.listing.sorts) > 1
        if action == "filter_next":
            return len(self.listing.filters) > 1
        return True

    # --- sort and filter ------------------------------------------------------------------

    def sort_words(self) -> str:
        return _words(self.listing.sorts, self.view.sort)

    def filter_words(self) -> str:
        return _words(self.listing.filters, self.view.only)

    def action_sort_next(self) -> None:
        """s: the next sort of the list (after the last, the list's own order)."""
        self.set_view(replace(self.view, sort=_next(self.listing.sorts, self.view.sort)))
        self.app.notify(f"Sorted by {self.sort_words()} (s for the next sort).", markup=False)

    def action_filter_next(self) -> None:
        """h: the next filter of the list (after the last, every row)."""
        self.set_view(replace(self.view, only=_next(self.listing.filters, self.view.only)))
        self.app.notify(f"Showing {self.filter_words()} (h for the next).", markup=False)

    def set_view(self, view: ListView) -> None:
        if view != self.view:
            self.view = view
            self.post_message(self.ViewChanged(self))

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a sortable column's header sorts by it; a second click, as listed."""
        event.stop()
        sort = self.listing.by_column.get(event.column_key.value or "")
        if sort is None:
            return
        self.set_view(replace(self.view, sort="" if sort == self.view.sort else sort))
        self.app.notify(f"Sorted by {self.sort_words()}.", markup=False)

    # --- find -------------------------------------------------------------------------------

    def action_find(self) -> None:
        self.app.push_screen(FindScreen(self.listing.what, self.find_text), self._find_asked)

    def _find_asked(self, value: str | None) -> None:
        if value is None:
            return
        self.find_text, self._matches = value, []
        self.focus()
        if not value:
            self.app.notify("Find ended.", markup=False)
            return
        self._search(1)

    def action_find_next(self, step: int) -> None:
        self._search(step)

    def _search(self, step: int) -> None:
        self._find_token += 1
        find = self._find
        if find is None:  # every row is in: look in its cells
            self._go(self.find_text, self._local_matches(self.find_text), step)
            return
        self._run_find(find, self.find_text, step, self._find_token)

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    def _run_find(self, find: Find, value: str, step: int, token: int) -> None:
        try:
            keys = list(find(value))
        except Exception as exc:  # one line for the user, not a crash
            self.post_message(self.Matches(token, value, None, step, exc))
            return
        self.post_message(self.Matches(token, value, keys, step))

    def on_list_table_matches(self, message: Matches) -> None:
        message.stop()
        if message.token != self._find_token or message.text != self.find_text:
            return
        if message.keys is None:
            self.app.notify(f"Find failed: {message.error}", severity="error", markup=False)
            return
        self._go(message.text, message.keys, message.step)

    def _local_matches(self, value: str) -> list[str]:
        needle = value.lower().removeprefix("@")
        keys = []
        for row in self.ordered_rows:
            cells = self.get_row(row.key)
            if any(needle in (c.plain if isinstance(c, Text) else str(c)).lower() for c in cells):
                keys.append(str(row.key.value))
        return keys

    def _go(self, value: str, keys: Sequence[str], step: int) -> None:
        """To the next (step 1) or previous (-1) match after the cursor, round the list's
        ends; a match not loaded yet is read up to."""
        self._matches = list(keys)
        said = text.clean(value)
        if not keys:
            self.app.notify(f"Nothing in {self.listing.what} holds “{said}”.", markup=False)
            return
        target, wrapped = self._pick(keys, step)
        where = f"Match {keys.index(target) + 1:,} of {len(keys):,} for “{said}”"
        tail = " (from the top again)" if wrapped and step > 0 else ""
        tail = " (from the bottom again)" if wrapped and step < 0 else tail
        self.app.notify(f"{where}{tail}; n next, N previous.", markup=False)
        try:
            self.move_cursor(row=self.get_row_index(target))
        except RowDoesNotExist:  # not loaded: read the pages up to it
            place = Place(target, "", -1, EVERYTHING, self.from_end)
            self.load(self._fetch, keep=place, fetch_last=self._fetch_last)

    def _pick(self, keys: Sequence[str], step: int) -> tuple[str, bool]:
        """The match after (or before) the cursor in the list's order, and whether it went
        round an end. Rows not loaded come after the loaded ones (or before them, after End)."""
        cursor = self.cursor_row if self.row_count else -1

        def after(key: str) -> bool:
            try:
                index = self.get_row_index(key)
            except RowDoesNotExist:
                return not self.from_end
            return index > cursor

        def before(key: str) -> bool:
            try:
                index = self.get_row_index(key)
            except RowDoesNotExist:
                return self.from_end
            return index < cursor

        if step > 0:
            found = next((k for k in keys if after(k)), None)
            return (found, False) if found is not None else (keys[0], True)
        found = next((k for k in reversed(keys) if before(k)), None)
        return (found, False) if found is not None else (keys[-1], True)

    # --- export -----------------------------------------------------------------------------

    def action_export(self) -> None:
        """e: every row of the list under its filter and sort, to a CSV file."""
        if self._fetch is None:
            self.app.notify("There is nothing to export here.", markup=False)
            return
        self.app.notify(f"Exporting {self.listing.what}…", markup=False)
        self._export(self._fetch, self._list_name, list(self._columns_spec))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, fetch: Fetch, name: str, columns: list[tuple[str, str]]) -> None:
        try:
            pages = _every_page(fetch)
            path, count = write_csv(name, columns, (cells for p in pages for _, cells in p.rows))
        except Exception as exc:  # one line for the user, not a crash
            self.post_message(self.Exported(f"Export failed: {exc}", error=True))
            return
        rows = f"{count:,} row{'' if count == 1 else 's'}"
        self.post_message(self.Exported(f"Exported {rows} of {self.listing.what} to {path}"))

    def on_list_table_exported(self, message: Exported) -> None:
        message.stop()
        if message.error:
            self.app.notify(message.line, severity="error", markup=False, timeout=12)
        else:
            self.app.notify(message.line, markup=False, timeout=12)


def list_commands(screen: Screen[Any]) -> list[SystemCommand]:
    """The palette's commands for the list that has focus on the screen (else its first
    list): find, next and previous match, sort, filter, export."""
    focused = screen.focused
    table = focused if isinstance(focused, ListTable) else None
    if table is None:
        table = next(iter(screen.query(ListTable)), None)
    if table is None:
        return []
    what = table.listing.what
    found = []
    if table.find_text:
        said = text.clean(table.find_text)
        found = [
            SystemCommand(
                f"Next match in {what} (n)",
                f"The next row holding “{said}”",
                partial(table.action_find_next, 1),
            ),
            SystemCommand(
                f"Previous match in {what} (N)",
                f"The previous row holding “{said}”",
                partial(table.action_find_next, -1),
            ),
        ]
    sorts = filters = []
    if len(table.listing.sorts) > 1:
        words = ", ".join(w for _, w in table.listing.sorts)
        sorts = [SystemCommand(f"Sort {what} (s)", f"In turn: {words}", table.action_sort_next)]
    if len(table.listing.filters) > 1:
        words = ", ".join(w for _, w in table.listing.filters)
        filters = [
            SystemCommand(f"Filter {what} (h)", f"In turn: {words}", table.action_filter_next)
        ]
    return [
        SystemCommand(
            f"Find in {what} (/)", "A handle, display name or caption", table.action_find
        ),
        *found,
        *sorts,
        *filters,
        SystemCommand(
            f"Export {what} as CSV (e)",
            "Every row under the filter and sort, to exports/ in the data folder",
            table.action_export,
        ),
    ]


def _every_page(fetch: Fetch) -> list[Page]:
    """Every page of a list, from the first (runs in a worker)."""
    pages = [fetch(None)]
    while not pages[-1].last:
        pages.append(fetch(pages[-1].after))
    return pages


def _next(choices: Sequence[tuple[str, str]], now: str) -> str:
    keys = [key for key, _ in choices]
    return keys[(keys.index(now) + 1) % len(keys)] if now in keys else keys[0]


def _words(choices: Sequence[tuple[str, str]], now: str) -> str:
    return next((words for key, words in choices if key == now), choices[0][1] if choices else "")
