"""Counts and headings that mean what they say: a loaded count is never read as the total,
the analytics heading names what is shown, an empty studio says why."""

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.tui_helpers import make_app, open_service, run, settle
from tests.worlds import World
from wholiked.core.service import Wholiked
from wholiked.tui.widgets.paged_table import PagedTable
from wholiked.tui.widgets.video_list import FEED_PAGE


def static_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


@pytest.fixture
def many_videos(tmp_path: Path):
    """A public creator with 150 videos and a viewer who can view them all."""
    world = World()
    world.user("maker", creator=True)
    world.user("viewer")
    for _ in range(150):
        world.video("maker")
    service = open_service(world.write(tmp_path / "many.db"))
    yield service
    service.close()


def test_feed_title_says_loaded_not_total(many_videos: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(many_videos, "viewer")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("v")
            await settle(pilot)
            videos = app.screen.query_one("#videos", PagedTable)
            assert videos.row_count == FEED_PAGE
            title = static_text(app, "#list-title")
            assert title == f"Videos you can view: {FEED_PAGE} loaded, more as you scroll"
            for _ in range(5):
                videos.move_cursor(row=videos.row_count - 1)
                await settle(pilot)
                if videos.complete:
                    break
            assert static_text(app, "#list-title") == "Videos you can view: 150 videos"

    run(scenario)
