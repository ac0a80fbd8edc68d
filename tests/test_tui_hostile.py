"""Untrusted text in every widget that shows it: literal, and inert.

The demo world's hostile accounts (display names that are markup, click actions,
links, ANSI escapes, a right-to-left override, zero-width characters, emoji)
and video 21's caption are shown in the badge, the picker, the palette, the
likers and audit tables, the video lists, the detail, the help, the requests
dialog and notifications. Each must appear as typed (after `tui.text.clean`)
and nothing drawn may carry a control character, a link or a click action.
"""

import pytest
from textual.content import Content
from textual.widgets import Input, Static

from tests.tui_helpers import (
    assert_inert,
    click_along,
    make_app,
    option_texts,
    record_notifications,
    row_of,
    run,
    screen_text,
    settle,
    static_text,
    type_into,
)
from wholiked.core.service import Wholiked
from wholiked.fixtures.demo import DEMO_CREATOR, DEMO_PRIVATE_VIEWER, DEMO_TOP_VIDEO
from wholiked.tui import text
from wholiked.tui.app import WholikedApp
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.screens.people import PeopleScreen
from wholiked.tui.screens.user_picker import UserPicker
from wholiked.tui.widgets.paged_table import PagedTable

SIZE = (120, 36)
HOSTILE_USERS = (
    "mark.up",
    "click.bait",
    "link.trap",
    "red.alert",
    "rtl.trick",
    "zero.width",
    "emoji.fan",
)
# Each display name as shown: literal, controls and invisibles replaced (before any cut).
SHOWN_NAMES = {
    "mark.up": "[b]x[/b]",
    "click.bait": "[@click=app.quit]",
    "link.trap": "[link=file:///etc/passwd]x[/link]",
    "red.alert": "\ufffd[31mRED ALERT",
    "rtl.trick": "\ufffdgnp.exe",
    "zero.width": "zero\ufffdwidth\ufffdjoiner",
    "emoji.fan": "🎉 Emoji Fan 🦄",
}
HOSTILE_VIDEO = 21  # by @click.bait: "FREE FOLLOWERS [ @click=app.quit] tap [link=…]x[/link] OSC52"
HOSTILE_CAPTIONS = {
    18: "Neon Nights remix drop \ufffd[31mLOUD\ufffd[0m 🔊",
    20: "\ufffdevil dnuor\ufffd at the warehouse",
}


@pytest.fixture
def service(hostile_service: Wholiked) -> Wholiked:
    """A fresh writable hostile world per test (the demo's, with hostile strings)."""
    return hostile_service


def quit_watch(app: WholikedApp, monkeypatch) -> list[str]:
    """Record any quit or URL opening the app is asked for (a hostile click would do one)."""
    calls: list[str] = []
    monkeypatch.setattr(app, "action_quit", lambda: calls.append("quit"))
    monkeypatch.setattr(app, "open_url", lambda url, **_: calls.append(url))
    return calls


ACTION_TEXT = len("[ @click=app.quit]")


async def click_user_row(pilot, table: PagedTable, user_id: int) -> None:
    """Click along a user's display name "[@click=app.quit]" in a table (scrolled into view)."""
    index = table.get_row_index(str(user_id))
    table.move_cursor(row=index)
    await pilot.pause()
    y = index - round(table.scroll_y) + 1  # +1: the header row
    columns = table.ordered_columns
    at = [column.key.value for column in columns].index("name")
    left = sum(column.get_render_width(table) for column in columns[:at])
    width = min(ACTION_TEXT, columns[at].get_render_width(table))
    await click_along(pilot, table, y, left, left + width)


def test_inert_check_notices_real_markup_and_escapes(service: Wholiked) -> None:
    """The check used below fails on a real click action, a real link and a raw ESC."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert_inert(app)
            for bad in (
                Content.from_markup("[@click=app.quit]TAP[/]"),
                Content.from_markup("[link='file:///etc/passwd']x[/]"),
                Content("\x1b[31mRED"),
            ):
                probe = Static(bad, id="probe")
                await app.screen.mount(probe)
                await pilot.pause()
                with pytest.raises(AssertionError):
                    assert_inert(app)
                await probe.remove()
                await pilot.pause()

    run(scenario)


def test_badge_picker_and_palette_show_hostile_names_literally(
    service: Wholiked, monkeypatch
) -> None:
    """Acting as each hostile user, the badge shows their display name literally; the picker
    filtered on their handle and the palette's "Act as" hit do too; nothing is a control
    character, a link or a click action (test_tui_app clicks the badge itself)."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        calls = quit_watch(app, monkeypatch)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for handle in HOSTILE_USERS:
                user = service.user(handle)
                app.act_as(user.id)
                await settle(pilot)
                assert text.clean(user.display_name) == SHOWN_NAMES[handle]
                shown = text.clean(user.display_name, limit=30)  # the badge's and picker's cut
                assert f"@{handle} ({shown}) " in static_text(app, "#badge")
                assert_inert(app)

            await pilot.press("u")
            await settle(pilot)
            assert isinstance(app.screen, UserPicker)
            for handle in HOSTILE_USERS:
                app.screen.query_one(Input).value = handle
                await settle(pilot)
                shown = text.clean(service.user(handle).display_name, limit=30)
                now = "  (acting now)" if handle == app.acting.handle else ""
                assert option_texts(app) == [f"@{handle}  {shown}  · public · personal{now}"]
                assert_inert(app)
            await pilot.press("escape")
            await settle(pilot)

            for handle in ("click.bait", "red.alert"):
                await pilot.press("ctrl+p")
                await type_into(pilot, handle)
                name = text.clean(service.user(handle).display_name, limit=30)
                wanted = f"Act as @{handle} ({name})"
                for _ in range(40):
                    await pilot.pause(0.05)
                    if wanted in screen_text(app):
                        break
                assert wanted in screen_text(app)
                assert_inert(app)
                await pilot.press("escape")
                await settle(pilot)
            assert calls == []
            assert app.is_running

    run(scenario)


def test_tables_lists_detail_and_help_show_hostile_text_literally(
    service: Wholiked, monkeypatch
) -> None:
    """Video 1's likers (studio) and audit rows show every hostile name literally (cut to the
    column's 20 characters); @click.bait's studio and the feed show the hostile captions, the
    detail shows video 21's caption, the help quotes it; nothing drawn is live, and clicking
    @click.bait's rows and the caption runs nothing."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        calls = quit_watch(app, monkeypatch)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, BrowseScreen)
            screen.focus_video(DEMO_TOP_VIDEO)
            await settle(pilot)
            likers = screen.query_one("#likers", PagedTable)
            for handle in HOSTILE_USERS:
                user = service.user(handle)
                expected = text.clean(user.display_name)  # whole: the column cuts it, with "…"
                assert row_of(likers, user.id)[:2] == [f"@{handle}", expected]
            assert row_of(likers, service.user("link.trap").id)[1].startswith("[link=file:///")
            assert_inert(app)
            bait = service.user("click.bait").id
            await click_user_row(pilot, likers, bait)

            await pilot.press("a")
            await settle(pilot)
            audit = app.screen.query_one("#audit-likers", PagedTable)
            for handle in HOSTILE_USERS:
                user = service.user(handle)
                row = row_of(audit, user.id)
                assert [row[0], row[4]] == [  # the display name is the audit's last column
                    f"@{handle}",
                    text.clean(user.display_name),
                ]
            assert_inert(app)
            await click_user_row(pilot, audit, bait)

            app.act_as(service.user("click.bait").id)
            await pilot.press("c")
            await settle(pilot)
            studio = app.screen.query_one("#videos", PagedTable)
            caption = str(studio.get_row(str(HOSTILE_VIDEO))[0])
            assert caption.startswith("FREE FOLLOWERS [ @click=app.quit] tap [link=")
            detail_caption = static_text(app, "#detail-caption")
            assert detail_caption.startswith("“FREE FOLLOWERS [ @click=app.quit] tap [link=")
            assert "[/link] \ufffd]52;c;aGk=\ufffd”" in detail_caption
            assert_inert(app)
            start = detail_caption.index("[ @click")
            caption_widget = app.screen.query_one("#detail-caption")
            await click_along(pilot, caption_widget, 0, start, start + ACTION_TEXT)

            await pilot.press("v")
            await settle(pilot)
            feed = app.screen.query_one("#videos", PagedTable)
            for video_id, shown in HOSTILE_CAPTIONS.items():
                assert str(feed.get_row(str(video_id))[1]) == text.clean(shown)
            assert_inert(app)

            await pilot.press("question_mark")
            await settle(pilot)
            faq = static_text(app, "#help-faq")  # about the feed's selected video, no caption
            assert f"video {app.video_id} by @" in faq
            assert_inert(app)
            assert calls == []
            assert app.is_running

    run(scenario)


def test_requests_dialog_and_notifications_show_hostile_requesters_literally(
    service: Wholiked, monkeypatch
) -> None:
    """Every hostile account asks to follow @sam.quiet: People's requests list their names
    literally, clicking them answers nothing and runs nothing; approving @mark.up names them
    in the notification; nothing drawn is live."""
    sam = service.user(DEMO_PRIVATE_VIEWER)
    for handle in HOSTILE_USERS:
        service.follow(service.user(handle), service.user(sam.handle))

    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        calls = quit_watch(app, monkeypatch)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PeopleScreen) and screen.which == "requests"
            table = screen.table
            for handle in HOSTILE_USERS:
                user = service.user(handle)
                row = row_of(table, user.id)
                assert row[:3] == [
                    f"@{handle}",
                    text.clean(user.display_name, limit=16),
                    "public",
                ]
            assert_inert(app)
            await click_user_row(pilot, table, service.user("click.bait").id)
            await settle(pilot)
            assert len(service.pending_requests(sam)) == len(HOSTILE_USERS) + 1
            assert seen == []

            table.move_cursor(row=table.get_row_index(str(service.user("mark.up").id)))
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            assert any(
                m.startswith("@mark.up can now see your likes on the videos they can view")
                for _, _, m in seen
            )
            assert "@mark.up can now see your likes" in screen_text(app)
            assert str(service.user("mark.up").id) not in [r.key.value for r in table.ordered_rows]
            assert_inert(app)
            assert calls == []

    run(scenario)
