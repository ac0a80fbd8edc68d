"""A PagedTable's columns fit the rows it holds in every frame, whenever a frame is drawn.

Textual's DataTable measures new rows when its message queue next runs empty and
widens the columns then, without invalidating the lines it rendered before. A frame
drawn in between (the loading indicator going away after a slow load) used to stay
on screen: a header at the width of its labels over wider rows, or handles cut short.
"""

import asyncio

from rich.text import Text
from textual.app import App, ComposeResult

from wholiked.tui.widgets.paged_table import Page, PagedTable

COLUMNS = (("handle", "Who"), ("when", "When"))
ROWS = [(str(i), (Text(f"@a.rather.long.handle{i}"), Text("2026-11-18 20:55"))) for i in range(3)]


class OneTable(App):
    CSS = "PagedTable { height: 8; }"  # a fixed size, as in the app's panels

    def compose(self) -> ComposeResult:
        yield PagedTable(COLUMNS, id="t")


def _line(table: PagedTable, y: int) -> str:
    return table.render_line(y).text.rstrip()


def test_a_frame_drawn_before_the_rows_are_measured_does_not_stay() -> None:
    async def scenario() -> tuple[str, str]:
        app = OneTable()
        async with app.run_test(size=(60, 10)) as pilot:
            table = app.query_one(PagedTable)
            await pilot.pause()
            table.load(lambda _after: Page(ROWS), first=Page(ROWS))
            table.render_line(0)  # a frame drawn before the table's next idle measures the rows
            table.render_line(1)
            await pilot.pause()
            return _line(table, 0), _line(table, 1)

    header, first_row = asyncio.run(scenario())
    assert first_row.split() == ["@a.rather.long.handle0", "2026-11-18", "20:55"]
    # The header's second label starts where the second column does, past the longest handle.
    assert header.index("When") == first_row.index("2026-11-18"), (header, first_row)
