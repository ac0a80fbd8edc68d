"""A DataTable whose columns fit its rows in every frame drawn.

Textual 8.2's DataTable measures new rows when its message queue next runs empty and
widens the columns there, without invalidating the lines it already rendered (their
cache key is `_update_count`). A Resize usually hides it; a panel of fixed size gets
none, so a frame drawn between `add_row` and that idle (the loading indicator going away
after a slow load) would stay: a header at the width of its labels over wider rows, or
handles cut short. Every table of the app is one of these.
"""

from collections.abc import Iterable
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class FittedTable(DataTable[Any]):
    """DataTable that forgets the lines drawn at the old widths when its columns widen."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        widths = [column.content_width for column in self.columns.values()]
        super()._update_dimensions(new_rows)
        if widths != [column.content_width for column in self.columns.values()]:
            self._update_count += 1  # a new cache key for every line
            self.refresh()
