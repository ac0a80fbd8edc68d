"""Pilot tests of the actions: each key's visible effect matches core, everywhere, at once.

Each test acts on its own writable copy of the demo world (built into tmp_path).
No pytest-asyncio here: each test runs its scenario with asyncio.run().
"""

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.tui_helpers import (
    demo_file,
    feed_on,
    footer_keys,
    make_app,
    open_service,
    option_texts,
    palette_choose,
    record_notifications,
    row_keys,
    row_of,
    run,
    screen_text,
    settle,
    show,
    static_text,
    type_into,
)
from wholiked.core import actions
from wholiked.core.answers.wording import anonymous_line
from wholiked.core.service import Wholiked
from wholiked.core.store.database import describe_sqlite_error
from wholiked.fixtures.demo import (
    DEMO_CREATOR,
    DEMO_PENDING_LIKER,
    DEMO_PENDING_REQUESTER,
    DEMO_PRIVATE_VIEWER,
    DEMO_PUBLIC_VIEWER,
    DEMO_TOP_VIDEO,
)
from wholiked.tui import changes
from wholiked.tui.app import WholikedApp
from wholiked.tui.screens.analytics import AnalyticsScreen
from wholiked.tui.screens.confirm import ConfirmScreen
from wholiked.tui.screens.creator_studio import CreatorStudio
from wholiked.tui.screens.help import KEYS, HelpScreen
from wholiked.tui.screens.people import PeopleScreen
from wholiked.tui.screens.user_picker import UserPicker
from wholiked.tui.widgets.paged_table import PagedTable

SIZE = (120, 36)
DJ_VIDEOS = {18, 19, 20}  # @dj.pulse's videos
TROLL = "troll.king"  # blocked by Mia


@pytest.fixture
def service(writable_service: Wholiked) -> Wholiked:
    """Every test here acts: a fresh writable demo world per test."""
    return writable_service


def table(app: WholikedApp, selector: str) -> PagedTable:
    return app.screen.query_one(selector, PagedTable)


async def act_as(pilot, handle: str) -> None:
    """Switch the acting user the way a user does: u, type the handle, Enter."""
    await pilot.press("u")
    await settle(pilot)
    assert isinstance(pilot.app.screen, UserPicker)
    await type_into(pilot, handle)
    await pilot.press("enter")
    await settle(pilot)
    assert pilot.app.acting.handle == handle


async def cursor_to(pilot, t: PagedTable, user_id: int) -> None:
    t.focus()
    t.move_cursor(row=t.get_row_index(str(user_id)))
    await settle(pilot)


def messages(seen) -> list[str]:
    return [message for _, _, message in seen]


# --- privacy ------------------------------------------------------------------------------------


def test_going_public_reveals_sams_like_to_mia(service: Wholiked) -> None:
    """As @sam.quiet, p asks first (going public cannot be undone in one key: it approves
    her pending request), then y makes the account public: the badge says so, the
    notification gives core's sentence, and for @mia.makes video 1's anonymous likes drop
    from 8 to 7 (Sam's like is now identifiable as a public account's)."""
    mia, sam = service.user(DEMO_CREATOR), service.user(DEMO_PRIVATE_VIEWER)
    assert service.likers(DEMO_TOP_VIDEO, mia).anonymous == 8
    likes = service.public_cost(sam).likes

    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("c")  # a personal account opens in the feed; p is the studio's
            await settle(pilot)
            assert app.screen.active_bindings["p"].binding.description == "Go public"
            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert static_text(app, "#confirm-body").startswith(
                "Going public approves 1 pending follow request and lets everyone who can view"
                f" a video see your {likes} likes."
            )
            assert seen == [] and app.acting.is_private  # nothing changed yet
            await pilot.press("y")
            await settle(pilot)
            assert seen == [
                (
                    "information",
                    "",
                    "Your account is public: everyone who can view a video sees your like;"
                    " 1 pending request approved",
                )
            ]
            assert "Your account is public" in screen_text(app)
            assert app.acting.is_private is False
            assert "· public, personal account" in static_text(app, "#badge")
            assert app.screen.active_bindings["p"].binding.description == "Go private"

            await act_as(pilot, DEMO_CREATOR)
            await show(pilot, DEMO_TOP_VIDEO)
            likers = service.likers(DEMO_TOP_VIDEO, app.acting)
            assert likers.anonymous == 7
            assert static_text(app, "#detail-anonymous") == anonymous_line(7)
            assert sam.id in row_keys(table(app, "#likers"))
            assert row_of(table(app, "#likers"), sam.id)[3] == "public account"

    run(scenario)


# --- likes ----------------------------------------------------------------------------------------


def test_like_toggle_updates_feed_detail_and_audit(service: Wholiked) -> None:
    """In the feed, l likes the selected video: "You liked" turns to "yes, liked", the total
    and the detail heading grow by one, the audience panel says "You liked this", the audit
    counts it; l again takes it back. The footer says Like, then Unlike."""
    jules = service.user(DEMO_PUBLIC_VIEWER)
    summary = next(s for s in service.feed(jules) if not s.liked)
    video, before = summary.video.id, summary.likes

    async def scenario() -> None:
        app = make_app(service, DEMO_PUBLIC_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await feed_on(pilot, video)
            videos = table(app, "#videos")
            assert row_of(videos, video)[2:] == [f"{before:,}", "no"]
            assert app.screen.active_bindings["l"].binding.description == "Like"

            await pilot.press("l")
            await settle(pilot)
            assert messages(seen)[-1].startswith(f"You liked video {video}; ")
            assert row_of(videos, video)[2:] == [f"{before + 1:,}", "yes, liked"]
            assert app.screen.detail.video_id == video  # the selection is kept
            assert f"· {before + 1} likes" in static_text(app, "#detail-heading")
            assert "You liked this." in static_text(app, "#audience")
            assert app.screen.active_bindings["l"].binding.description == "Unlike"
            assert jules.id in row_keys(table(app, "#likers"))

            await pilot.press("a")
            await settle(pilot)
            assert f"{before + 1} likes in all" in static_text(app, "#audit-summary")
            await pilot.press("v")
            await settle(pilot)

            await pilot.press("l")
            await settle(pilot)
            assert messages(seen)[-1] == f"You no longer like video {video}"
            assert row_of(videos, video)[2:] == [f"{before:,}", "no"]
            assert jules.id not in row_keys(table(app, "#likers"))

    run(scenario)


# --- blocks and follows ---------------------------------------------------------------------


def test_block_removes_creators_videos_and_palette_unblocks(service: Wholiked) -> None:
    """As @jules.b in the feed on a @dj.pulse video, b blocks the creator: their videos leave
    the feed (as core says); following them is refused in words (NotPermitted). The palette's
    "unblock dj.pulse" lifts the block and they come back."""
    jules = service.user(DEMO_PUBLIC_VIEWER)

    async def scenario() -> None:
        app = make_app(service, DEMO_PUBLIC_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await feed_on(pilot, 18)
            assert DJ_VIDEOS <= set(row_keys(table(app, "#videos")))
            at = table(app, "#videos").cursor_row
            await pilot.press("b")
            await settle(pilot)
            # A block cannot be undone in one key (unblocking does not restore follows): the
            # app asks, with the numbers, and nothing changes until y.
            assert isinstance(app.screen, ConfirmScreen)
            cost = service.block_cost(jules, service.user("dj.pulse"))
            assert cost.videos == len(DJ_VIDEOS)
            body = static_text(app, "#confirm-body")
            assert "Their 3 videos you can view now vanish from your feed" in body
            follows = "removes your follow of them" if cost.relation.following else "no follow"
            assert follows in body
            assert seen == []
            await pilot.press("y")
            await settle(pilot)
            assert messages(seen)[-2].startswith("You blocked @dj.pulse:")
            keys = row_keys(table(app, "#videos"))
            assert not DJ_VIDEOS & set(keys)
            assert keys == [s.video.id for s in service.feed(jules)]
            # The video left the feed: the cursor is on the one that followed it.
            assert messages(seen)[-1] == (
                "Video 18 is no longer in this list after that change; the cursor is on the"
                " row that followed it."
            )
            assert app.screen.detail.video_id == keys[at]
            assert table(app, "#videos").cursor_row == at

            dj = service.user("dj.pulse")
            app.run_change(changes.on_user("follow", dj.id))  # refused by core: a block
            await settle(pilot)
            assert seen[-1] == (
                "error",
                "Could not follow that account",
                "Not permitted: there is a block between you and @dj.pulse",
            )

            await palette_choose(pilot, "unblock dj.pulse", "Unblock @dj.pulse")
            assert messages(seen)[-1] == "You unblocked @dj.pulse"
            assert DJ_VIDEOS <= set(row_keys(table(app, "#videos")))

    run(scenario)


def test_follow_and_block_toggle_on_the_highlighted_audit_row(service: Wholiked) -> None:
    """In the audit of video 1 as @mia.makes, f on @kai.locked withdraws her pending request
    (the verdict's reason turns to "private, not followed"); b on @troll.king lifts her block
    (he becomes identifiable). The cursor stays on the row acted on."""
    kai, troll = service.user(DEMO_PENDING_LIKER), service.user(TROLL)

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await show(pilot, DEMO_TOP_VIDEO)
            await pilot.press("a")
            await settle(pilot)
            audit = table(app, "#audit-likers")
            assert row_of(audit, kai.id)[1:3] == ["HIDDEN", "private, request pending"]
            await cursor_to(pilot, audit, kai.id)
            await pilot.press("f")
            await settle(pilot)
            assert messages(seen)[-1] == "You no longer follow @kai.locked"
            assert row_of(audit, kai.id)[1:3] == ["HIDDEN", "private, not followed"]
            assert audit.user_at_cursor() == kai.id
            await pilot.press("f")
            await settle(pilot)
            assert messages(seen)[-1].startswith("Follow request sent to @kai.locked")
            assert row_of(audit, kai.id)[1:3] == ["HIDDEN", "private, request pending"]

            assert row_of(audit, troll.id)[1:3] == ["HIDDEN", "blocked (either way)"]
            await cursor_to(pilot, audit, troll.id)
            await pilot.press("b")
            await settle(pilot)
            assert messages(seen)[-1] == "You unblocked @troll.king"
            assert row_of(audit, troll.id)[1:3] == ["identifiable", "public account"]
            assert service.likers(DEMO_TOP_VIDEO, app.acting).anonymous == 7

            await pilot.press("c")
            await settle(pilot)
            assert troll.id in row_keys(table(app, "#likers"))  # the studio reloaded too

    run(scenario)


def test_follow_on_a_liker_in_the_likers_table(service: Wholiked) -> None:
    """With the likers table focused, f acts on the highlighted liker (not the creator) and
    toggles: follow, then unfollow. On your own row it does not apply (hidden from the footer)."""

    async def scenario() -> None:
        app = make_app(service, DEMO_PUBLIC_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await feed_on(pilot, DEMO_TOP_VIDEO)
            likers = table(app, "#likers")
            rex = service.user(DEMO_PENDING_REQUESTER)
            await cursor_to(pilot, likers, rex.id)
            assert footer_keys(app)[:2] == ["f", "b"]
            await pilot.press("f")
            await settle(pilot)
            assert messages(seen)[-1] == "You now follow @rex.loud"
            assert likers.user_at_cursor() == rex.id
            await pilot.press("f")
            await settle(pilot)
            assert messages(seen)[-1].startswith("You no longer follow @rex.loud")

            await cursor_to(pilot, likers, app.acting.id)
            assert "f" not in footer_keys(app)
            await pilot.press("f")
            await settle(pilot)
            assert len(seen) == 2  # nothing ran

    run(scenario)


# --- follow requests ------------------------------------------------------------------------


def test_requests_approve_reveals_sams_likes_to_rex(service: Wholiked) -> None:
    """As @sam.quiet, r shows People on @rex.loud's pending request; a approves it (core's
    sentence in the notification, the list empties); acting as @rex.loud, Sam's like on
    video 1 is now in his likers table, as core says."""
    sam, rex = service.user(DEMO_PRIVATE_VIEWER), service.user(DEMO_PENDING_REQUESTER)
    assert sam.id not in {r.user_id for r in service.likers(DEMO_TOP_VIDEO, rex).identifiable}

    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, PeopleScreen) and app.screen.which == "requests"
            requests = app.screen.table
            assert row_keys(requests) == [rex.id]
            assert "1 pending request." in screen_text(app)
            await pilot.press("a")
            await settle(pilot)
            assert any(
                m.startswith("@rex.loud can now see your likes on the videos they can view")
                for m in messages(seen)
            )
            assert requests.row_count == 0
            assert static_text(app, "#people-status") == "0 pending requests."
            await pilot.press("escape")
            await settle(pilot)

            await act_as(pilot, DEMO_PENDING_REQUESTER)
            await pilot.press("v")
            await settle(pilot)
            await show(pilot, DEMO_TOP_VIDEO)
            expected = service.likers(DEMO_TOP_VIDEO, app.acting)
            assert row_keys(table(app, "#likers")) == [r.user_id for r in expected.identifiable]
            assert sam.id in row_keys(table(app, "#likers"))
            assert row_of(table(app, "#likers"), sam.id)[3] == "you follow (approved)"

    run(scenario)


def test_requests_decline(service: Wholiked) -> None:
    """d declines: the request is gone, and nothing more became visible to the requester."""
    rex = service.user(DEMO_PENDING_REQUESTER)

    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            assert messages(seen)[-1] == "You declined @rex.loud's follow request"
            assert service.pending_requests(app.acting) == []
            assert app.screen.query_one("#people-table", DataTable).row_count == 0
            assert service.likers(DEMO_TOP_VIDEO, rex).anonymous > 0

    run(scenario)


# --- errors -----------------------------------------------------------------------------------


def test_read_only_database_refuses_changes_in_words(tmp_path: Path) -> None:
    """A --db opened without --write: p shows core's refusal as an error notification and
    nothing changes; the app keeps running."""
    path = demo_file(tmp_path)
    before = path.read_bytes()
    service = open_service(path)

    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("p")
            await settle(pilot)
            assert len(seen) == 1
            severity, title, message = seen[0]
            assert (severity, title) == ("error", "Could not make your account public")
            assert "opened read-only; pass --write to change it" in message
            assert app.is_running
            assert app.acting.is_private

    try:
        run(scenario)
    finally:
        service.close()
    assert path.read_bytes() == before


def test_sqlite_errors_in_workers_are_readable(service: Wholiked, monkeypatch) -> None:
    """An SQLite error inside a worker (a damaged file, a lock) is one readable line in the
    app (in the panel or a notification), never a crash."""
    damaged = sqlite3.DatabaseError("database disk image is malformed")
    locked = sqlite3.OperationalError("database is locked")

    def broken(*_args, **_kwargs):
        raise damaged

    def busy(*_args, **_kwargs):
        raise locked

    async def scenario() -> None:
        app = make_app(service, DEMO_PUBLIC_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await feed_on(pilot, DEMO_TOP_VIDEO)

            monkeypatch.setattr(actions, "like", busy)
            monkeypatch.setattr(actions, "unlike", busy)
            await pilot.press("l")
            await settle(pilot)
            severity, title, message = seen[-1]
            assert severity == "error" and title.startswith("Could not ")
            assert message == describe_sqlite_error(service.label, locked)
            assert "locked by another program; try again" in message

            monkeypatch.setattr(service, "likers", broken)
            monkeypatch.setattr(service, "feed", broken)
            app.generation += 1  # every view reloads
            await settle(pilot)
            expected = describe_sqlite_error(service.label, damaged)
            assert "damaged or not a SQLite database" in expected
            assert static_text(app, "#list-title") == expected
            assert app.is_running

    run(scenario)


# --- stale views -------------------------------------------------------------------------------


def test_open_picker_and_help_follow_a_change(service: Wholiked) -> None:
    """A change that lands while the picker or the help is open refreshes them: no dialog
    keeps showing the old state. A stale copy of a user picked later is read again."""

    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            await type_into(pilot, "sam")
            assert option_texts(app) == ["@sam.quiet  Sam  · private · personal  (acting now)"]
            old = app.generation
            stale = UserPicker.Results(old, "sam", [service.user(DEMO_CREATOR)])
            app.run_change(changes.set_private(False))
            await settle(pilot)
            assert option_texts(app) == ["@sam.quiet  Sam  · public · personal  (acting now)"]
            app.screen.post_message(stale)  # a result asked before the change: dropped
            await settle(pilot)
            assert option_texts(app) == ["@sam.quiet  Sam  · public · personal  (acting now)"]
            await pilot.press("escape")
            await settle(pilot)

            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            assert "your account is public" in static_text(app, "#help-faq")
            app.run_change(changes.set_private(True))
            await settle(pilot)
            assert "your account is private" in static_text(app, "#help-faq")
            await pilot.press("escape")
            await settle(pilot)

            stale_sam = app.acting  # private
            service.set_private(stale_sam, False)  # changed behind the app's back
            app.action_switch_user()
            await settle(pilot)
            app.screen.dismiss(stale_sam)
            await settle(pilot)
            assert app.acting.is_private is False  # read again, not the picker's copy

    run(scenario)


# --- keys ---------------------------------------------------------------------------------------


def test_footer_keeps_six_keys_then_quit_and_help_lists_every_key(service: Wholiked) -> None:
    """In every context the footer shows at most 6 keys, the ones that apply there, and then
    "q Quit"; every key of the app is in the help, every action in the command palette."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            contexts = {"studio list": footer_keys(app)}
            steps = [
                ("n", "analytics"),
                ("c", None),
                ("tab", "studio likers"),
                ("v", "feed list"),
                ("tab", "feed likers"),
                ("a", "audit"),
                ("r", "requests"),
                ("escape", None),
            ]
            for key, context in steps:
                await pilot.press(key)
                await settle(pilot)
                if context:
                    contexts[context] = footer_keys(app)
            # Six keys for the context, then "q Quit" in every perspective (not in dialogs,
            # which close with Esc).
            for name, keys in contexts.items():
                if name != "requests":
                    assert keys[-1] == "q", (name, keys)
                    keys.pop()
            assert all(len(keys) <= 6 for keys in contexts.values()), contexts
            assert contexts["studio list"] == ["p", "F", "n", "v", "u", "question_mark"]
            assert contexts["analytics"] == ["s", "w", "c", "v", "u", "question_mark"]
            assert contexts["feed list"][:2] == ["l", "f"]
            assert contexts["feed likers"][:2] == ["f", "b"]
            assert contexts["audit"][:2] == ["f", "b"]
            assert contexts["requests"] == ["F", "a", "d", "escape"]

            helped = {key for key, _ in KEYS}
            for binding in WholikedApp.BINDINGS:
                first = binding.key.split(",")[0].replace("question_mark", "?")  # type: ignore[union-attr]
                assert first in helped, first
            await pilot.press("c")
            await settle(pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            for key in "lfbprt":
                assert any(t.endswith(f"({key})") for t in titles), (key, titles)
            await pilot.press("n")
            await settle(pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            for key in "sw":
                assert any(t.endswith(f"({key})") for t in titles), (key, titles)
            assert "Analytics" in titles
            for binding in AnalyticsScreen.BINDINGS + CreatorStudio.BINDINGS:
                assert binding.key in helped, binding.key  # type: ignore[union-attr]

    run(scenario)
