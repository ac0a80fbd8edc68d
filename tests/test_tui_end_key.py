"""End on a long likers list jumps to its last page (a keyset walk from the end) instead of
loading every page before it; scrolling up from there loads the earlier pages, each row
once, in core's order; Home goes back to the first page."""

import pytest

from tests.tui_helpers import make_app, open_service, run, settle
from tests.worlds import World
from wholiked.core.service import Wholiked
from wholiked.tui.widgets.paged_table import PAGE_SIZE, PagedTable

LIKERS = 3_000


@pytest.fixture(scope="module")
def big_service(tmp_path_factory: pytest.TempPathFactory):
    """One video with 3,000 public likers (ties in liked_at, so handles break them)."""
    world = World()
    world.user("star", creator=True)
    video = world.video("star")
    for i in range(LIKERS):
        handle = f"fan{i:04d}"
        world.user(handle)
        world.like(handle, video, at=f"2026-11-{1 + i // 200:02d}T{i % 24:02d}:00:00Z")
    path = world.write(tmp_path_factory.mktemp("big") / "big.db")
    service = open_service(path)
    yield service
    service.close()


def keys(table: PagedTable) -> list[int]:
    return [int(row.key.value) for row in table.ordered_rows]


def test_end_reaches_the_last_liker_in_one_page(big_service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(big_service, "star")
        expected = [r.user_id for r in big_service.likers(1, app.acting).identifiable]
        assert len(expected) == LIKERS
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#likers", PagedTable)
            assert table.row_count == PAGE_SIZE and not table.complete
            table.focus()
            await pilot.press("end")
            await settle(pilot)
            # One page, not fifteen: the last row is the cursor's.
            assert table.from_end and table.row_count == PAGE_SIZE
            assert keys(table) == expected[-PAGE_SIZE:]
            assert table.cursor_row == table.row_count - 1
            assert table.key_at_cursor() == str(expected[-1])
            line = str(app.screen.query_one("#detail-identified").content)
            assert "Showing the last 200; earlier ones load as you scroll up." in line

            # Going up loads the page before it above the rows already there; the row under
            # the cursor stays under it, and stays where it was on the screen.
            table.move_cursor(row=0)
            await settle(pilot)
            assert table.row_count == 2 * PAGE_SIZE
            assert table.key_at_cursor() == str(expected[-PAGE_SIZE])
            assert table.cursor_row - table.scroll_y == 0
            for _ in range(LIKERS // PAGE_SIZE + 5):
                if table.complete:
                    break
                table.move_cursor(row=0)
                await settle(pilot)
            assert table.complete
            assert keys(table) == expected  # every row once, in core's order

            # Home after a jump: the first page again.
            await pilot.press("end")
            await settle(pilot)
            assert table.key_at_cursor() == str(expected[-1])

    run(scenario)


def test_home_after_end_goes_back_to_the_first_page(big_service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(big_service, "star")
        expected = [r.user_id for r in big_service.likers(1, app.acting).identifiable]
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#likers", PagedTable)
            table.focus()
            await pilot.press("end")
            await settle(pilot)
            assert table.from_end
            await pilot.press("home")
            await settle(pilot)
            assert not table.from_end and keys(table) == expected[:PAGE_SIZE]
            assert table.cursor_row == 0

    run(scenario)


def test_audit_end_jumps_too(big_service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(big_service, "star")
        expected = [r.user_id for r in big_service.audit(1, app.acting).likers]
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            table = app.screen.query_one("#audit-likers", PagedTable)
            await pilot.press("end")
            await settle(pilot)
            assert keys(table) == expected[-PAGE_SIZE:]
            assert table.key_at_cursor() == str(expected[-1])

    run(scenario)
