"""A DataTable whose columns fit its rows in every frame drawn, and share its width.

Textual 8.2's DataTable measures new rows when its message queue next runs empty and
widens the columns there, without invalidating the lines it already rendered (their
cache key is `_update_count`). A Resize usually hides it; a panel of fixed size gets
none, so a frame drawn between `add_row` and that idle (the loading indicator going away
after a slow load) would stay: a header at the width of its labels over wider rows, or
handles cut short. Every table of the app is one of these.

With `fit` (column key -> the narrowest it may become, in the order columns give way),
the columns share the table's width by what they hold: each is as wide as its widest
cell, the first of `fit` (a caption, a display name) takes the room left over, and when
the cells do not fit, the columns of `fit` give way in turn down to their floor (a cut
cell ends in "…") before anything scrolls sideways.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from textual import events
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class FittedTable(DataTable[Any]):
    """DataTable that forgets the lines drawn at the old widths when its columns widen."""

    def __init__(self, *args: Any, fit: Mapping[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fit = dict(fit or {})

    def _widths(self) -> list[int]:
        return [column.get_render_width(self) for column in self.columns.values()]

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        widths = self._widths()
        super()._update_dimensions(new_rows)
        self._share_width()
        if widths != self._widths():
            self._update_count += 1  # a new cache key for every line
            self.refresh()

    def _on_resize(self, event: events.Resize) -> None:
        super()._on_resize(event)
        self._share_width()

    def _room(self) -> int:
        """The width the columns may take: the table's, less a vertical scrollbar when
        the rows are taller than the table."""
        room = self.size.width - self._row_label_column_width
        header = self.header_height if self.show_header else 0
        if self._total_row_height + header > self.size.height:
            room -= self.styles.scrollbar_size_vertical
        return room

    def _share_width(self) -> None:
        """Set the columns' widths from what they hold and the room there is (see the module
        docstring); the virtual width follows."""
        if not self._fit or not self.columns or self.size.width <= 0:
            return
        columns = list(self.ordered_columns)
        pad = 2 * self.cell_padding
        widths = {c.key.value: c.content_width for c in columns}
        spare = self._room() - sum(widths.values()) - pad * len(columns)
        keys = [k for k in self._fit if k in widths]
        if spare > 0 and keys:
            widths[keys[0]] += spare
        for key in keys:
            if spare >= 0:
                break
            give = min(-spare, max(widths[key] - self._fit[key], 0))
            widths[key] -= give
            spare += give
        for column in columns:
            column.auto_width = False
            column.width = widths[column.key.value]
        self.virtual_size = Size(
            sum(self._widths()) + self._row_label_column_width, self.virtual_size.height
        )
        self._update_count += 1
        self.refresh()
