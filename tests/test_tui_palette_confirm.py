"""The palette finds its own commands and offers only actions that can succeed; what one key
cannot undo (a block, going public) is asked first, with its consequence in numbers; the
accounts you blocked are listed where you can unblock them.

Each test acts on its own writable copy of the demo world.
"""

import pytest

from tests.tui_helpers import (
    make_app,
    palette_choose,
    record_notifications,
    run,
    screen_text,
    settle,
    type_into,
)
from wholiked.core.answers.relations import Relation
from wholiked.core.service import Wholiked
from wholiked.fixtures.demo import (
    DEMO_APPROVED_PRIVATE_LIKER,
    DEMO_BLOCKED_BY_CREATOR,
    DEMO_BLOCKER_OF_CREATOR,
    DEMO_CREATOR,
    DEMO_PENDING_LIKER,
    DEMO_PRIVATE_VIEWER,
)
from wholiked.tui.changes import offered_verb
from wholiked.tui.screens.commands import after_phrase
from wholiked.tui.screens.confirm import ConfirmScreen
from wholiked.tui.screens.people import PeopleScreen
from wholiked.tui.widgets.paged_table import PagedTable

SIZE = (120, 36)


@pytest.fixture
def service(writable_service: Wholiked) -> Wholiked:
    """The tests here act: conftest's writable demo world."""
    return writable_service


async def palette_shows(pilot, query: str, wanted: str) -> str:
    """Open the palette (if needed), search, wait until `wanted` shows; the screen's text."""
    if "Search for commands" not in screen_text(pilot.app):
        await pilot.press("ctrl+p")
        await settle(pilot)
    await type_into(pilot, query)
    for _ in range(40):
        shown = screen_text(pilot.app)
        if wanted in shown:
            return shown
        await pilot.pause(0.05)
    raise AssertionError(f"{wanted!r} not shown for {query!r}:\n{screen_text(pilot.app)}")


def blocked_handles(app) -> list[str]:
    table = app.screen.query_one("#people-table", PagedTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def test_command_words_are_found() -> None:
    assert after_phrase("act as", ("act as",)) == ""
    assert after_phrase("Act a", ("act as",)) == ""
    assert after_phrase("act as  Sam", ("act as",)) == "sam"
    assert after_phrase("sam", ("act as",)) is None
    assert after_phrase("ac", ("act as",)) is None  # too short to mean the command
    assert after_phrase("open video 12", ("open video", "open", "video")) == "12"
    assert after_phrase("video glaze", ("open video", "open", "video")) == "glaze"


def test_offered_verb_never_fails() -> None:
    """The verb typed becomes the action that can succeed on that account."""
    none = Relation(None, None, False, False)
    approved = Relation("approved", None, False, False)
    pending = Relation("pending", None, False, False)
    i_blocked = Relation(None, None, True, False)
    they_blocked = Relation(None, None, False, True)
    assert offered_verb("follow", none) == "follow"
    assert offered_verb("follow", approved) == "unfollow"
    assert offered_verb("follow", pending) == "unfollow"
    assert offered_verb("unfollow", none) == "follow"
    assert offered_verb("follow", i_blocked) == "unblock"
    assert offered_verb("follow", they_blocked) is None
    assert offered_verb("block", i_blocked) == "unblock"
    assert offered_verb("unblock", none) == "block"
    assert offered_verb("block", they_blocked) == "block"  # a block of your own still works


def test_palette_finds_act_as_and_open_video(service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            shown = await palette_shows(pilot, "act as", "Act as another user (u)")
            assert "Act as @" in shown  # accounts to act as, not only the command
            await palette_shows(pilot, "act as sam", f"Act as @{DEMO_PRIVATE_VIEWER}")
            shown = await palette_shows(pilot, "open video", "Open video ")
            feed = service.feed(app.acting, limit=1)
            assert f"Open video {feed[0].video.id}:" in shown
            await palette_shows(pilot, "open video 5", "Open video 5:")
            await pilot.press("escape")
            await settle(pilot)

            await palette_choose(pilot, "act as sam", f"Act as @{DEMO_PRIVATE_VIEWER}")
            assert app.acting.handle == DEMO_PRIVATE_VIEWER

    run(scenario)


def test_palette_offers_what_can_succeed(service: Wholiked) -> None:
    """As @mia.makes: "follow bea.close" (she follows Bea) offers "Unfollow @bea.close", not
    "Follow"; "follow troll.king" (she blocked him) offers "Unblock"; "follow ex.fan" (he
    blocked her) offers nothing to do to him; "unfollow kai.locked" (pending) withdraws."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            bea = DEMO_APPROVED_PRIVATE_LIKER
            shown = await palette_shows(pilot, f"follow {bea}", f"Unfollow @{bea}")
            assert f"\nFollow @{bea}" not in "\n" + "\n".join(
                line.strip() for line in shown.splitlines()
            )
            troll = DEMO_BLOCKED_BY_CREATOR
            shown = await palette_shows(pilot, f"follow {troll}", f"Unblock @{troll}")
            assert f"Follow @{troll}" not in shown.replace("Unfollow", "")
            shown = await palette_shows(pilot, f"block {troll}", f"Unblock @{troll}")
            assert f"Block @{troll}" not in shown.replace("Unblock", "")
            ex = DEMO_BLOCKER_OF_CREATOR
            await palette_shows(pilot, f"follow {ex}", "No matches found")
            shown = await palette_shows(
                pilot, f"unfollow {DEMO_PENDING_LIKER}", f"Unfollow @{DEMO_PENDING_LIKER}"
            )
            assert "withdraws your pending follow request" in shown

    run(scenario)


def test_block_asks_with_numbers_and_n_changes_nothing(service: Wholiked) -> None:
    """b on @bea.close in the audit asks "Block @bea.close?" and says both follows go and do
    not come back; n keeps everything; b then y blocks, and B lists her with @troll.king;
    x there unblocks her (the follows stay gone, as the dialog said)."""
    mia = service.user(DEMO_CREATOR)
    bea = service.user(DEMO_APPROVED_PRIVATE_LIKER)

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            audit = app.screen.query_one("#audit-likers")
            audit.focus()
            audit.move_cursor(row=audit.get_row_index(str(bea.id)))
            await settle(pilot)
            await pilot.press("b")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            shown = screen_text(app)
            assert "Block @bea.close?" in shown
            body = str(app.screen.query_one("#confirm-body").content)
            assert body.startswith(
                "Blocking @bea.close removes your follow of them and their follow of you;"
                " unblocking later does not restore them."
            )
            await pilot.press("n")
            await settle(pilot)
            assert not isinstance(app.screen, ConfirmScreen) and seen == []
            assert service.relation(mia, bea).following == "approved"

            await pilot.press("b")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert seen[-1][2].startswith("You blocked @bea.close")
            assert service.relation(mia, bea) == Relation(None, None, True, False)

            await pilot.press("B")
            await settle(pilot)
            assert isinstance(app.screen, PeopleScreen) and app.screen.which == "blocked"
            assert blocked_handles(app) == ["@bea.close", "@troll.king"]
            assert "2 blocked accounts." in screen_text(app)
            await pilot.press("b")  # the first row, highlighted first: Bea (unblocked at once)
            await settle(pilot)
            assert "You unblocked @bea.close" in [m for _, _, m in seen]
            assert seen[-1][2].startswith("@bea.close is no longer in this list")
            assert blocked_handles(app) == ["@troll.king"]
            assert service.relation(mia, bea) == Relation(None, None, False, False)
            await pilot.press("escape")
            await settle(pilot)
            assert not isinstance(app.screen, PeopleScreen)

    run(scenario)


def test_unblock_and_going_private_need_no_question(service: Wholiked) -> None:
    """b on someone you blocked unblocks at once; p going private is undone by p."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.act_on("unblock", service.user(DEMO_BLOCKED_BY_CREATOR).id)
            await settle(pilot)
            assert seen[-1][2] == "You unblocked @troll.king"
            await pilot.press("p")
            await settle(pilot)
            assert not isinstance(app.screen, ConfirmScreen)
            assert app.acting.is_private

    run(scenario)


def test_palette_block_asks_first(service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await palette_choose(pilot, "block mia.makes", "Block @mia.makes")
            assert isinstance(app.screen, ConfirmScreen)
            body = str(app.screen.query_one("#confirm-body").content)
            videos = service.block_cost(app.acting, service.user(DEMO_CREATOR)).videos
            assert videos > 0
            assert f"Their {videos} videos you can view now vanish from your feed" in body
            await pilot.press("escape")
            await settle(pilot)
            assert not service.relation(app.acting, service.user(DEMO_CREATOR)).blocked

    run(scenario)
