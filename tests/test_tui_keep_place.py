"""An action deep in a long list stays on the row it acted on.

A likers list of 450 rows (three pages): the cursor past row 200, `f` follows that
person and the list reloads; the cursor must still be on them, so a second `f` acts on
the same person (it unfollows them), never on whoever the first page puts there. A
block removes the row: the cursor goes to the row that followed it, and a notice says so.
The same from the end (End, then up a page), and in the audit.
"""

import pytest

from tests.tui_helpers import make_app, open_service, record_notifications, run, settle
from tests.worlds import World
from wholiked.core.service import Wholiked
from wholiked.tui.screens.confirm import ConfirmScreen
from wholiked.tui.widgets.paged_table import PAGE_SIZE, PagedTable

LIKERS = 450
DEEP = 250  # past the first page


@pytest.fixture
def service(tmp_path):
    """One video by @star with 450 public likers (ties in liked_at: handles break them)."""
    world = World()
    world.user("star", creator=True)
    video = world.video("star")
    for i in range(LIKERS):
        handle = f"fan{i:04d}"
        world.user(handle)
        world.like(handle, video, at=f"2026-11-{1 + i // 100:02d}T{i % 24:02d}:00:00Z")
    service = open_service(world.write(tmp_path / "long.db"), writable=True)
    yield service
    service.close()


def messages(seen) -> list[str]:
    return [message for _, _, message in seen]


async def go_deep(pilot, table: PagedTable, row: int) -> str:
    """Move the cursor to a row past the first page (loading the pages up to it)."""
    table.focus()
    while table.row_count <= row:
        table.move_cursor(row=table.row_count - 1)
        await settle(pilot)
    table.move_cursor(row=row)
    await settle(pilot)
    key = table.key_at_cursor()
    assert key is not None and table.cursor_row == row
    return key


def handle_of(service: Wholiked, key: str) -> str:
    return service.user_by_id(int(key)).handle


def test_follow_past_row_200_keeps_the_cursor_on_that_person(service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(service, "star")
        seen = record_notifications(app)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#likers", PagedTable)
            assert table.row_count == PAGE_SIZE
            key = await go_deep(pilot, table, DEEP)
            who = handle_of(service, key)
            await pilot.press("f")
            await settle(pilot)
            assert messages(seen)[-1] == f"You now follow @{who}"
            assert table.key_at_cursor() == key and table.cursor_row == DEEP
            assert table.has_focus
            await pilot.press("f")  # the same person again: unfollows them
            await settle(pilot)
            assert messages(seen)[-1] == f"You no longer follow @{who}"
            assert table.key_at_cursor() == key

    run(scenario)


def test_a_block_past_row_200_says_the_row_left_and_moves_to_the_next(
    service: Wholiked,
) -> None:
    async def scenario() -> None:
        app = make_app(service, "star")
        seen = record_notifications(app)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#likers", PagedTable)
            key = await go_deep(pilot, table, DEEP)
            after = table.coordinate_to_cell_key((DEEP + 1, 0)).row_key.value
            who = handle_of(service, key)
            await pilot.press("b")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            assert str(key) not in [row.key.value for row in table.ordered_rows]
            assert table.key_at_cursor() == after and table.cursor_row == DEEP
            assert messages(seen)[-2].startswith(f"You blocked @{who}")
            assert messages(seen)[-1] == (
                f"@{who} is no longer in this list after that change; the cursor is on the"
                " row that followed it."
            )

    run(scenario)


def test_follow_after_end_keeps_the_cursor_in_the_tail(service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(service, "star")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#likers", PagedTable)
            table.focus()
            await pilot.press("end")
            await settle(pilot)
            table.move_cursor(row=0)  # loads the page before the last one above it
            await settle(pilot)
            assert table.from_end and table.row_count == 2 * PAGE_SIZE
            table.move_cursor(row=30)
            await settle(pilot)
            key = table.key_at_cursor()
            await pilot.press("f")
            await settle(pilot)
            # Read again from the end (rows above may load as the view settles near the top).
            assert table.from_end
            assert table.key_at_cursor() == key

    run(scenario)


def test_an_action_in_the_audit_past_row_200_stays_on_that_row(service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(service, "star")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            table = app.screen.query_one("#audit-likers", PagedTable)
            key = await go_deep(pilot, table, DEEP)
            await pilot.press("b")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            # The audit lists every liker, blocked ones too (HIDDEN): the row stays.
            assert table.key_at_cursor() == key and table.cursor_row == DEEP
            assert [str(c) for c in table.get_row(key)][1] == "HIDDEN"

    run(scenario)
