"""Layout: a table's columns share its width by what they hold, nothing is cut to a sliver
at 80×24, and the studio's list is as tall as its rows (all 8 of the demo's videos at
120×36)."""

import pytest

from tests.tui_helpers import make_app, run, settle, show
from wholiked.fixtures.demo import DEMO_CREATOR, DEMO_PUBLIC_VIEWER, DEMO_TOP_VIDEO
from wholiked.tui.widgets.list_table import ListTable

NARROWEST = 10  # no column below this many cells (a date, "Display name" cut to "Displ…")


def widths(table: ListTable) -> dict[str, int]:
    return {str(c.key.value): c.width for c in table.ordered_columns}


def assert_fits(table: ListTable) -> None:
    """Every column at least NARROWEST wide (or as wide as all it holds), nothing sideways."""
    for column in table.ordered_columns:
        assert column.width >= min(NARROWEST, column.content_width), column.key.value
    assert table.virtual_size.width <= table.size.width
    assert not table.show_horizontal_scrollbar


@pytest.mark.parametrize("perspective", ["a", "c", "v"])
def test_at_80x24_no_column_is_a_sliver_and_nothing_scrolls_sideways(service, perspective):
    async def scenario() -> None:
        handle = DEMO_PUBLIC_VIEWER if perspective == "v" else DEMO_CREATOR
        app = make_app(service, handle)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            if perspective == "v":
                await pilot.press("v")
                await settle(pilot)
            await show(pilot, DEMO_TOP_VIDEO)
            if perspective == "a":
                await pilot.press("a")
                await settle(pilot)
            for table in app.screen.query(ListTable):
                if table.display and table.row_count:
                    assert_fits(table)
            if perspective == "a":
                audit = app.screen.query_one("#audit-likers", ListTable)
                assert widths(audit)["name"] >= 12
                assert widths(audit)["verdict"] >= len("identifiable")

    run(scenario)


def test_at_120x36_the_studio_shows_all_8_videos_and_captions_take_the_room(service):
    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            videos = app.screen.query_one("#videos", ListTable)
            assert videos.row_count == 8
            assert videos.size.height >= 1 + 8  # the header and every row, no scrolling
            assert videos.max_scroll_y == 0
            column = {str(c.key.value): c for c in videos.ordered_columns}
            caption = column["caption"]
            assert caption.width >= caption.content_width  # every caption whole
            pad = 2 * videos.cell_padding
            assert sum(c.width + pad for c in column.values()) == videos.size.width
            detail = app.screen.query_one("#likers", ListTable)
            assert detail.size.height >= 10  # the likers take the rest of the screen

    run(scenario)


def test_captions_grow_with_the_terminal(service):
    async def caption_width(size: tuple[int, int]) -> int:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            return widths(app.screen.query_one("#videos", ListTable))["caption"]

    found: list[int] = []

    async def scenario() -> None:
        for size in ((80, 24), (110, 30), (139, 36)):  # all below the side-by-side layout
            found.append(await caption_width(size))

    run(scenario)
    assert found[0] < found[1] < found[2]
