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


def test_audit_at_80_columns_shows_every_verdict_whole(tmp_path: Path) -> None:
    """At 80×24 each verdict is whole, even beside the longest handle (24 characters) and
    the longest reason; the columns give way (a display name to 12 cells, the time, the
    handle to 16, the reason to 14: each at least begins) and nothing runs off the edge."""
    world = World()
    world.user("maker", creator=True)
    video = world.video("maker")
    longest = "a" * 20 + ".zzz"  # 24 characters, the most a handle may have
    world.user(longest, private=True, display_name="Somebody With A Long Display Name")
    world.follow("maker", longest, "pending")
    world.like(longest, video, "2026-11-02T00:00:00Z")
    for handle, private in (("blocked.one", False), ("stranger", True), ("fan", False)):
        world.user(handle, private=private)
        world.like(handle, video)
    world.block("maker", "blocked.one")
    service = open_service(world.write(tmp_path / "audit.db"))

    async def scenario() -> None:
        from textual.widgets import DataTable

        from tests.tui_helpers import screen_text
        from wholiked.core.answers.wording import liker_reason

        app = make_app(service, "maker")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            shown = screen_text(app)
            rows = service.audit(video, app.acting).likers
            assert {r.reason for r in rows} == {
                "private_follow_pending",
                "blocked",
                "private_not_following",
                "public",
            }
            lines = shown.splitlines()
            for row in rows:
                line = next(line for line in lines if f"@{row.handle}"[:15] in line)
                verdict = "identifiable" if row.identifiable else "HIDDEN"
                assert f" {verdict} " in line, line
                assert liker_reason(row.reason)[:13] in line, line
                assert len(line) <= 80
            table = app.screen.query_one("#audit-likers", DataTable)
            assert table.virtual_size.width <= table.size.width  # nothing off the edge

    try:
        run(scenario)
    finally:
        service.close()


@pytest.fixture
def demo_service(tmp_path: Path):
    from tests.tui_helpers import demo_file

    service = open_service(demo_file(tmp_path))
    yield service
    service.close()


def test_analytics_heading_names_what_is_shown(demo_service: Wholiked) -> None:
    """From the feed on @dj.pulse's video 19, n then s (one video): the heading says
    "all your videos" (what is shown), and the note why, not "Analytics of video 19"."""

    async def scenario() -> None:
        app = make_app(demo_service, "mia.makes")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("v")
            await settle(pilot)
            app.screen.focus_video(19)
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            heading = static_text(app, "#an-heading")
            assert heading.startswith("Analytics of all your videos · the last 28 days")
            assert "video 19" not in heading
            assert static_text(app, "#an-note").startswith(
                "Video 19, selected in the feed, is not yours"
            )
            await pilot.press("c")
            await settle(pilot)
            app.screen.focus_video(1)
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            assert static_text(app, "#an-heading").startswith("Analytics of your video 1 ·")

    run(scenario)


def test_switching_to_a_personal_account_says_why_the_studio_is_empty(
    demo_service: Wholiked,
) -> None:
    """In the studio with the tips unfolded, acting as @sam.quiet (personal, no videos) shows
    why the studio is empty, not an empty tips panel."""

    async def scenario() -> None:
        app = make_app(demo_service, "mia.makes")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            app.act_as(demo_service.user("sam.quiet").id)
            await settle(pilot)
            empty = app.screen.query_one("#empty")
            assert empty.display and not app.screen.tips.unfolded
            assert static_text(app, "#empty-message").startswith(
                "@sam.quiet (a personal account) has not posted any videos, so the creator"
                " studio is empty."
            )

    run(scenario)
