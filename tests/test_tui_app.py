"""Pilot tests: the app shows exactly what core says, and untrusted text stays inert.

No pytest-asyncio here: each test runs its scenario with asyncio.run().
"""

import re
import threading
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Input, OptionList, Static

from tests.tui_helpers import (
    click_along,
    feed_on,
    make_app,
    open_service,
    palette_choose,
    row_keys,
    run,
    screen_text,
    settle,
    show,
    static_text,
    type_into,
)
from tests.worlds import World
from wholiked.core.answers.wording import anonymous_line, identified_line
from wholiked.core.errors import NotPermitted
from wholiked.core.service import Wholiked
from wholiked.fixtures.demo import (
    DEMO_CREATOR,
    DEMO_PENDING_REQUESTER,
    DEMO_PRIVATE_CREATOR,
    DEMO_PRIVATE_VIDEOS,
    DEMO_PRIVATE_VIEWER,
    DEMO_PUBLIC_VIEWER,
    DEMO_TOP_VIDEO,
)
from wholiked.fixtures.hostile import HOSTILE_STRINGS
from wholiked.tui import text
from wholiked.tui.app import WholikedApp
from wholiked.tui.screens.audit import AuditScreen
from wholiked.tui.screens.help import HelpScreen
from wholiked.tui.screens.user_picker import UserPicker
from wholiked.tui.widgets.paged_table import Page, PagedTable

SIZE = (120, 36)


def likers_table(app: WholikedApp) -> PagedTable:
    return app.screen.query_one("#likers", PagedTable)


def assert_likers_match_core(app: WholikedApp, service: Wholiked, video_id: int) -> None:
    expected = service.likers(video_id, app.acting)
    assert row_keys(likers_table(app)) == [r.user_id for r in expected.identifiable]
    assert static_text(app, "#detail-identified") == identified_line(
        expected.identifiable_count, expected.total
    )
    assert static_text(app, "#detail-anonymous") == anonymous_line(expected.anonymous)


# --- perspectives and the acting user ------------------------------------------------------


def test_switching_user_changes_likers_as_core_says(service: Wholiked) -> None:
    """The feed's likers of video 1, then after switching user in the picker, match core."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await feed_on(pilot, DEMO_TOP_VIDEO)
            assert_likers_match_core(app, service, DEMO_TOP_VIDEO)
            mia_rows = row_keys(likers_table(app))

            await pilot.press("u")
            await settle(pilot)
            assert isinstance(app.screen, UserPicker)
            await type_into(pilot, DEMO_PRIVATE_VIEWER)
            await pilot.press("enter")
            await settle(pilot)
            assert app.acting.handle == DEMO_PRIVATE_VIEWER
            assert "@sam.quiet" in static_text(app, "#badge")
            assert "private, personal account" in static_text(app, "#badge")

            await show(pilot, DEMO_TOP_VIDEO)
            assert_likers_match_core(app, service, DEMO_TOP_VIDEO)
            assert row_keys(likers_table(app)) != mia_rows
            audience = str(app.screen.query_one("#audience", Static).content)
            assert "cannot see your like" in audience

    run(scenario)


@pytest.mark.parametrize(
    ("mode", "first", "then", "listing"),
    [
        ("creator", DEMO_CREATOR, DEMO_PRIVATE_CREATOR, "creator_videos"),
        ("viewer", DEMO_PUBLIC_VIEWER, DEMO_PRIVATE_VIEWER, "feed"),
    ],
)
def test_switch_keeps_the_panels_until_the_new_data_is_in(
    service: Wholiked, monkeypatch, mode: str, first: str, then: str, listing: str
) -> None:
    """While the new acting user's video list is being read, the badge, the list, the detail
    and its likers still show the previous user's (no empty flash); then all of them show
    the new user's at once."""
    gate = threading.Event()
    read = getattr(service, listing)

    def held(*args, **kwargs):
        gate.wait(timeout=10)
        return read(*args, **kwargs)

    async def scenario() -> None:
        app = make_app(service, first)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            if mode != "creator":
                await pilot.press("v")
                await settle(pilot)
            await show(pilot, DEMO_TOP_VIDEO)
            videos = app.screen.query_one("#videos", PagedTable)

            def on_screen() -> tuple:
                return (
                    static_text(app, "#badge"),
                    row_keys(videos),
                    row_keys(likers_table(app)),
                    static_text(app, "#list-title"),
                    static_text(app, "#detail-heading"),
                    static_text(app, "#detail-identified"),
                )

            before = on_screen()
            assert before[0] and before[1]
            monkeypatch.setattr(service, listing, held)
            try:
                app.acting = service.user(then)
                for _ in range(3):
                    await pilot.pause()
                    assert on_screen() == before
                    assert not videos.loading
            finally:
                gate.set()
            await settle(pilot)
            assert f"@{then}" in static_text(app, "#badge")
            acting = service.user(then)
            found = service.creator_videos(acting) if mode == "creator" else service.feed(acting)
            ids = [s.video.id for s in found]
            assert row_keys(videos) == ids[: len(row_keys(videos))]
            video = app.screen.detail.video_id
            assert video == (DEMO_TOP_VIDEO if DEMO_TOP_VIDEO in row_keys(videos) else ids[0])
            assert_likers_match_core(app, service, video)

    run(scenario)


def test_perspective_keys_switch_modes(service: Wholiked) -> None:
    """c, v, a switch perspectives; the key of the current one is hidden from the footer."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.current_mode == "creator"
            assert app.check_action("perspective", ("creator",)) is False
            assert app.check_action("perspective", ("viewer",)) is True
            await pilot.press("v")
            await settle(pilot)
            assert app.current_mode == "viewer"
            assert "Viewer feed" in static_text(app, "#badge")
            await pilot.press("a")
            await settle(pilot)
            assert app.current_mode == "audit"
            assert isinstance(app.screen, AuditScreen)
            assert "AUDIT — omniscient, not what any user sees" in screen_text(app)
            await pilot.press("c")
            await settle(pilot)
            assert app.current_mode == "creator"
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            assert app.current_mode == "creator"
            assert not isinstance(app.screen, HelpScreen)

    run(scenario)


def test_audit_shows_every_liker_and_refuses_unviewable(service: Wholiked) -> None:
    """The audit lists all likers of the selected video; a video the acting user cannot view
    gives the NotPermitted message in words."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await show(pilot, DEMO_TOP_VIDEO)
            await pilot.press("a")
            await settle(pilot)
            table = app.screen.query_one("#audit-likers", PagedTable)
            audit = service.audit(DEMO_TOP_VIDEO, app.acting)
            assert row_keys(table) == [r.user_id for r in audit.likers]
            assert "HIDDEN" in screen_text(app)

            app.acting = service.user(DEMO_PENDING_REQUESTER)
            app.video_id = DEMO_PRIVATE_VIDEOS[0]
            await settle(pilot)
            with pytest.raises(NotPermitted):
                service.audit(DEMO_PRIVATE_VIDEOS[0], app.acting)
            assert static_text(app, "#audit-heading").startswith("Not permitted:")
            assert table.row_count == 0

    run(scenario)


def test_picker_filters_and_cancels(service: Wholiked) -> None:
    """Typing filters the candidates through the service; Esc keeps the acting user."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            options = app.screen.query_one(OptionList)
            assert options.option_count == min(50, len(service.search_users("", limit=50)))
            await pilot.press(*"noor")
            await settle(pilot)
            expected = [str(u.id) for u in service.search_users("noor", limit=50)]
            assert [options.get_option_at_index(i).id for i in range(options.option_count)] == (
                expected
            )
            assert app.screen.query_one(Input).value == "noor"
            await pilot.press("escape")
            await settle(pilot)
            assert app.acting.handle == DEMO_CREATOR

    run(scenario)


def test_stale_page_is_dropped(service: Wholiked) -> None:
    """A page that arrives for an older load (another user or video) is never added."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await show(pilot, DEMO_TOP_VIDEO)
            table = likers_table(app)
            before = row_keys(table)
            old_token = table._token
            app.acting = service.user(DEMO_PRIVATE_VIEWER)
            await settle(pilot)
            stale = Page([("999999", ())], after=None)
            table.post_message(PagedTable.PageReady(old_token, None, stale, None))
            await settle(pilot)
            assert 999999 not in row_keys(table)
            assert row_keys(table) != before or not before

    run(scenario)


def test_palette_offers_users_and_videos(service: Wholiked) -> None:
    """ctrl+p: typing a handle offers 'Act as @…'; choosing it switches the acting user."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await palette_choose(pilot, "sam.quiet", "Act as @sam.quiet")
            assert app.acting.handle == DEMO_PRIVATE_VIEWER

    run(scenario)


# --- untrusted text --------------------------------------------------------------------------


def test_hostile_strings_render_literally(hostile_service: Wholiked) -> None:
    """Markup-looking names and captions (the hostile world) appear as typed; no ESC, BEL or
    RLO reaches the screen."""

    async def scenario() -> None:
        app = make_app(hostile_service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await show(pilot, DEMO_TOP_VIDEO)
            table = likers_table(app)
            cells = [str(c) for row in table.ordered_rows for c in table.get_row(row.key)]
            joined = "\n".join(cells)
            assert "[b]x[/b]" in joined
            assert "[link=file:///etc/p" in joined  # cut to 20 characters, never parsed
            for ch in ("\x1b", "\x07", "\u202e"):
                assert ch not in joined
            screen = screen_text(app)
            for ch in ("\x1b", "\x07", "\u202e", "\x9b"):
                assert ch not in screen
            assert "[b]x[/b]" in screen
            assert "[31mRED ALERT" in screen  # the ESC replaced, the rest literal
            await pilot.press("v")
            await settle(pilot)
            videos = app.screen.query_one("#videos", PagedTable)
            captions = [str(videos.get_row(row.key)[1]) for row in videos.ordered_rows]
            assert "[b]x[/b] landed it [/] 🛹" in captions
            assert any(c.startswith("FREE FOLLOWERS [ @click=app.q") for c in captions)
            assert "[b]x[/b] landed it [/]" in screen_text(app)

    run(scenario)


def test_clicking_markup_names_does_nothing(hostile_service: Wholiked, monkeypatch) -> None:
    """Clicking '[@click=app.quit]' text (badge, caption, likers cell) runs no action; the same
    clicks on a real markup link do, so the harness would notice."""

    async def scenario() -> None:
        quits: list[str] = []
        app = make_app(hostile_service, "click.bait")
        monkeypatch.setattr(app, "action_quit", lambda: quits.append("quit"))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            badge = app.screen.query_one("#badge", Static)
            start = static_text(app, "#badge").index("[@click")
            await click_along(pilot, badge, 0, start, start + 18)

            await pilot.press("v")
            await settle(pilot)
            await show(pilot, 21)  # caption "FREE FOLLOWERS [ @click=app.quit] tap [link=…"
            caption = app.screen.query_one("#detail-caption", Static)
            assert "[ @click=app.quit] tap" in str(caption.content)
            start = str(caption.content).index("[ @click")
            await click_along(pilot, caption, 0, start, start + 18)

            await show(pilot, DEMO_TOP_VIDEO)
            table = likers_table(app)
            index = next(
                i
                for i, row in enumerate(table.ordered_rows)
                if "[@click=app.quit]" in str(table.get_row(row.key)[1])
            )
            table.move_cursor(row=index)
            await pilot.pause()
            y = index - round(table.scroll_y) + 1  # +1: the header row
            handle_col, name_col = table.ordered_columns[:2]
            left = handle_col.get_render_width(table)
            await click_along(pilot, table, y, left, left + name_col.get_render_width(table))
            await settle(pilot)
            assert quits == []
            assert app.is_running

            control = Static(Content.from_markup("[@click=app.quit]TAP TAP[/]"), id="control")
            await app.screen.mount(control)
            await pilot.pause()
            await click_along(pilot, control, 0, 0, 8)
            assert quits, "clicking a real action link should have run it"

    run(scenario)


def test_text_module_never_parses_markup() -> None:
    """Every helper of tui.text keeps hostile strings literal and strips terminal controls."""

    for hostile in HOSTILE_STRINGS:
        expected = text.clean(hostile)
        assert text.cell(hostile).plain == expected
        assert text.content(hostile).plain == expected
        assert text.styled("[b]$v[/b]", v=hostile).plain == expected
        assert Content.from_markup(text.palette_markup(hostile)).plain == expected
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", expected)


# --- long lists -------------------------------------------------------------------------------


@pytest.fixture
def crowd_service(tmp_path: Path):
    """A creator whose one video has 700 public likers (ties in liked_at), 3 private ones."""
    world = World()
    world.user("star", creator=True)
    video = world.video("star")
    for i in range(700):
        handle = f"fan{i:03d}"
        world.user(handle, display_name=f"Fan {i}")
        world.like(handle, video, at=f"2026-11-01T{i // 60:02d}:{i % 60 // 3:02d}:00Z")
    for i in range(3):
        world.user(f"shy{i}", private=True)
        world.like(f"shy{i}", video, at="2026-11-02T00:00:00Z")
    path = world.write(tmp_path / "crowd.db")
    service = open_service(path)
    yield service
    service.close()


def test_long_likers_list_loads_every_row_once(crowd_service: Wholiked) -> None:
    """Moving the cursor down to the end of 700 likers loads pages of 200 until all 700 are
    in, each once, in core's order (End jumps to the last page instead:
    tests/test_tui_end_key.py)."""

    async def scenario() -> None:
        app = make_app(crowd_service, "star")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            table = likers_table(app)
            assert table.row_count == 200
            assert not table.complete
            table.focus()
            for _ in range(10):
                table.move_cursor(row=table.row_count - 1)  # as ↓ held down gets there
                await settle(pilot)
                if table.complete:
                    break
            keys = row_keys(table)
            expected = crowd_service.likers(1, app.acting)
            assert len(keys) == len(set(keys)) == 700
            assert keys == [r.user_id for r in expected.identifiable]
            assert expected.anonymous == 3
            assert static_text(app, "#detail-anonymous") == anonymous_line(3)

            # Scrolling (mouse wheel, scrollbar) rather than the cursor loads the rest too.
            app.screen.detail.show(1)
            await settle(pilot)
            assert table.row_count == 200
            for _ in range(10):
                table.scroll_to(y=table.max_scroll_y, animate=False)
                await settle(pilot)
                if table.complete:
                    break
            assert row_keys(table) == [r.user_id for r in expected.identifiable]

    run(scenario)


# --- the FAQ ------------------------------------------------------------------------------------


@pytest.mark.parametrize("handle", [DEMO_CREATOR, DEMO_PRIVATE_VIEWER, "theo.k"])
def test_faq_cites_the_services_numbers(service: Wholiked, handle: str) -> None:
    """The help answers question 1 with core.faq, whose numbers are the likers view's for the
    video it names (the user's most-liked own video, else the one they liked last)."""
    user = service.user(handle)
    answers = service.faq(user)
    assert len(answers) == 6
    first = answers[0].answer
    video_id = int(re.search(r"video (\d+)", first).group(1))  # type: ignore[union-attr]
    likers = service.likers(video_id, user, limit=0)
    if likers.identifiable_count == likers.total:
        assert f"all {likers.total:,} likers" in first
    else:
        assert f"identify {likers.identifiable_count:,} of {likers.total:,}" in first
    assert "not a documented rule of any real platform" in answers[5].answer
