"""Find, filter, sort and export in the app's lists, on a list longer than two pages.

@star's video has 450 likers (three pages of 200). Find (`/`) must reach a row the table
has not loaded (it reads the pages up to it, in SQL); n and N go to the next and previous
match; s sorts in SQL and paging stays exact under the sort; h keeps one reason; e writes
every row of the list (not the loaded page) to a CSV named in a notice, with values a
spreadsheet would run as formulas neutralised.
"""

import csv
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.tui_helpers import (
    demo_file,
    make_app,
    open_service,
    record_notifications,
    row_keys,
    run,
    settle,
)
from tests.worlds import World
from wholiked.core.service import Wholiked
from wholiked.core.store.paths import data_dir
from wholiked.fixtures.demo import DEMO_CREATOR
from wholiked.tui.screens.find import FindScreen
from wholiked.tui.widgets.list_table import ListTable
from wholiked.tui.widgets.paged_table import PAGE_SIZE

LIKERS = 450
NEEDLE = 437  # liked on the first day: among the last rows of the list, never on page one
FRIENDS = range(0, LIKERS, 9)  # private likers @star follows (approved): another reason


@pytest.fixture
def service(tmp_path):
    world = World()
    world.user("star", creator=True)
    video = world.video("star")
    for i in range(LIKERS):
        handle = f"fan{i:04d}"
        name = "Zelda Needle" if i == NEEDLE else f"Fan {i}"
        if i == 5:
            name = '=HYPERLINK("http://x")'
        world.user(handle, private=i in FRIENDS, display_name=name)
        world.like(handle, video, at=f"2026-11-{5 - i // 100:02d}T{i % 24:02d}:00:00Z")
        if i in FRIENDS:
            world.follow("star", handle)
    service = open_service(world.write(tmp_path / "long.db"))
    yield service
    service.close()


def handle_at(service: Wholiked, table: ListTable) -> str:
    key = table.key_at_cursor()
    assert key is not None
    return service.user_by_id(int(key)).handle


async def find(pilot, value: str) -> None:
    await pilot.press("slash")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FindScreen)
    pilot.app.screen.query_one(Input).value = value
    await pilot.press("enter")
    await settle(pilot)


async def load_all(pilot, table: ListTable) -> None:
    while not table.complete:
        table.move_cursor(row=table.row_count - 1)
        await settle(pilot)


def messages(seen) -> list[str]:
    return [message for _, _, message in seen]


def test_find_reaches_a_row_not_loaded_yet_then_n_and_shift_n(service) -> None:
    async def scenario() -> None:
        app = make_app(service, "star")
        seen = record_notifications(app)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#likers", ListTable)
            table.focus()
            assert table.row_count == PAGE_SIZE
            needle = str(service.user(f"fan{NEEDLE:04d}").id)
            assert needle not in row_keys(table) and str(needle) not in table.rows
            await find(pilot, "needle")
            assert table.key_at_cursor() == needle  # read up to it, cursor on it
            assert table.row_count > PAGE_SIZE and table.has_focus
            assert messages(seen)[-1].startswith("Match 1 of 1 for “needle”")
            # a find by handle among many: n goes down, N back up, round the ends
            await find(pilot, "@fan000")  # fan0000 to fan0009, in the list's order
            first = handle_at(service, table)
            assert first.startswith("fan000")
            await pilot.press("n")
            await settle(pilot)
            second = handle_at(service, table)
            assert second.startswith("fan000") and second != first
            assert table.cursor_row > 0
            await pilot.press("N")
            await settle(pilot)
            assert handle_at(service, table) == first
            await find(pilot, "nobody-has-this")
            assert messages(seen)[-1] == "Nothing in the likers holds “nobody-has-this”."

    run(scenario)


def test_export_writes_every_row_not_only_the_loaded_page(service, tmp_path) -> None:
    async def scenario() -> None:
        app = make_app(service, "star")
        seen = record_notifications(app)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#likers", ListTable)
            table.focus()
            assert table.row_count == PAGE_SIZE and not table.complete
            await pilot.press("e")
            await settle(pilot)
            line = messages(seen)[-1]
            assert line.startswith(f"Exported {LIKERS} rows of the likers to ")
            path = Path(line.split(" to ", 1)[1])
            assert path.parent == data_dir() / "exports"
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            assert rows[0] == ["Handle", "Display name", "Liked (UTC)", "Why you can see them"]
            body = rows[1:]
            assert len(body) == LIKERS and len({r[0] for r in body}) == LIKERS
            listed = service.likers(1, service.user("star")).identifiable
            assert [r[0] for r in body] == [r.handle for r in listed]  # handles without @
            by_handle = {r[0]: r for r in body}
            assert by_handle["fan0005"][1] == '\'=HYPERLINK("http://x")'  # not a formula
            assert table.row_count == PAGE_SIZE  # the table itself stays paged
            await pilot.press("e")  # a second export never overwrites the first
            await settle(pilot)
            again = Path(messages(seen)[-1].split(" to ", 1)[1])
            assert again != path and again.name.endswith("-2.csv")

    run(scenario)


def test_sort_runs_in_sql_and_paging_stays_exact(service) -> None:
    async def scenario() -> None:
        app = make_app(service, "star")
        seen = record_notifications(app)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#likers", ListTable)
            table.focus()
            await pilot.press("s")
            await settle(pilot)
            assert messages(seen)[-1].startswith("Sorted by handle A–Z")
            assert table.row_count == PAGE_SIZE  # still one page
            await load_all(pilot, table)
            handles = [service.user_by_id(k).handle for k in row_keys(table)]
            assert handles == sorted(handles) and len(set(handles)) == LIKERS
            await pilot.press("s")  # by display name
            await settle(pilot)
            await load_all(pilot, table)
            names = [service.user_by_id(k).display_name for k in row_keys(table)]
            assert len(names) == LIKERS
            assert names == sorted(names, key=str.lower)
            # a click on a column's header sorts by it
            await pilot.press("s")  # back to the list's own order
            await settle(pilot)
            await pilot.click(table, offset=(3, 0))  # "Handle"
            await settle(pilot)
            assert table.view.sort == "handle"
            assert service.user_by_id(row_keys(table)[0]).handle == "fan0000"

    run(scenario)


def test_filter_keeps_one_reason_of_the_rules(service) -> None:
    async def scenario() -> None:
        app = make_app(service, "star")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#likers", ListTable)
            table.focus()
            while table.view.only != "approved_follower":
                await pilot.press("h")
                await settle(pilot)
            await load_all(pilot, table)
            expected = {service.user(f"fan{i:04d}").id for i in FRIENDS}
            assert set(row_keys(table)) == expected
            while table.view.only != "":
                await pilot.press("h")
                await settle(pilot)
            assert table.row_count == PAGE_SIZE

    run(scenario)


def test_studio_sorts_videos_by_likes_and_finds_a_caption(tmp_path) -> None:
    service = open_service(demo_file(tmp_path))

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            videos = app.screen.query_one("#videos", ListTable)
            videos.focus()
            while videos.view.sort != "likes":
                await pilot.press("s")
                await settle(pilot)
            likes = [service.creator_videos(service.user(DEMO_CREATOR))]
            counts = {s.video.id: s.likes for s in likes[0]}
            shown = [counts[k] for k in row_keys(videos)]
            assert shown == sorted(shown, reverse=True) and len(shown) == len(counts)
            await find(pilot, "kiln")
            video = service.video(int(videos.key_at_cursor() or 0))
            assert "kiln" in (video.caption or "").lower()

    try:
        run(scenario)
    finally:
        service.close()
