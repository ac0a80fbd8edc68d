"""The People screen (F): followers, following, requests and blocked accounts, each with its
count and its actions, paged; r and B open it on the requests and the blocked accounts, and
"who can see my like" on the followers."""

from textual.widgets import Input

from tests.tui_helpers import (
    make_app,
    record_notifications,
    row_keys,
    row_of,
    run,
    settle,
    show,
)
from wholiked.core.service import Wholiked
from wholiked.fixtures.demo import (
    DEMO_BIG_CREATOR,
    DEMO_PENDING_REQUESTER,
    DEMO_PRIVATE_VIEWER,
    DEMO_TOP_VIDEO,
)
from wholiked.tui.screens.confirm import ConfirmScreen
from wholiked.tui.screens.people import PeopleScreen
from wholiked.tui.widgets.paged_table import PAGE_SIZE, PagedTable

SIZE = (120, 36)


def people(app) -> PeopleScreen:
    screen = app.screen
    assert isinstance(screen, PeopleScreen)
    return screen


async def open_people(pilot) -> PeopleScreen:
    """Start the app's pilot, press F, and return People."""
    await settle(pilot)
    await pilot.press("F")
    await settle(pilot)
    return people(pilot.app)


def tab_labels(app) -> list[str]:
    return [str(tab.label) for tab in people(app).query("Tab")]


def listed(app, service: Wholiked, which: str) -> list[int]:
    acting = app.acting
    return [p.user.id for p in service.people_page(acting, which, limit=1000)]  # type: ignore[arg-type]


def test_people_lists_counts_and_actions(writable_service: Wholiked) -> None:
    """As @sam.quiet: F opens the followers (4), tabs count every list; f follows a follower
    back and the cursor stays on them; F moves to the next list; r shows the requests, where
    a approves @rex.loud (the row leaves, the followers count grows); b on a follower asks,
    then blocks, and the blocked list has them; b there unblocks."""
    service = writable_service

    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_people(pilot)
            assert screen.which == "followers"
            assert tab_labels(app) == [
                "Followers (4)",
                "Following (2)",
                "Requests (1)",
                "Blocked (0)",
            ]
            table = screen.table
            assert row_keys(table) == listed(app, service, "followers")

            jules = service.user("jules.b")
            table.move_cursor(row=row_keys(table).index(jules.id))
            await settle(pilot)
            assert screen.active_bindings["f"].binding.description == "Follow"
            await pilot.press("f")
            await settle(pilot)
            assert service.relation(app.acting, jules).following == "approved"
            assert table.user_at_cursor() == jules.id
            assert row_of(table, jules.id)[4] == "mutual"
            assert screen.active_bindings["f"].binding.description == "Unfollow"
            assert tab_labels(app)[1] == "Following (3)"

            await pilot.press("F")
            await settle(pilot)
            assert screen.which == "following"
            assert row_keys(table) == listed(app, service, "following")

            await pilot.press("r")
            await settle(pilot)
            assert screen.which == "requests"
            rex = service.user(DEMO_PENDING_REQUESTER)
            assert row_keys(table) == [rex.id]
            assert screen.active_bindings["a"].binding.description == "Approve"
            await pilot.press("a")
            await settle(pilot)
            assert service.relation(rex, app.acting).following == "approved"
            assert row_keys(table) == []
            assert any(m.startswith("@rex.loud can now see your likes") for _, _, m in seen)
            assert tab_labels(app)[0] == "Followers (5)"
            assert tab_labels(app)[2] == "Requests (0)"

            await pilot.press("F", "F")  # blocked, then followers
            await settle(pilot)
            assert screen.which == "followers"
            ana = service.user("ana.lima")
            table.move_cursor(row=row_keys(table).index(ana.id))
            await settle(pilot)
            await pilot.press("b")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            assert people(app) is screen
            assert service.relation(app.acting, ana).you_blocked
            assert tab_labels(app)[3] == "Blocked (1)"

            await pilot.press("B")
            await settle(pilot)
            assert screen.which == "blocked"
            assert row_keys(table) == [ana.id]
            assert screen.active_bindings["b"].binding.description == "Unblock"
            await pilot.press("b")
            await settle(pilot)
            assert not service.relation(app.acting, ana).you_blocked
            assert row_keys(table) == []

            await pilot.press("escape")
            await settle(pilot)
            assert not isinstance(app.screen, PeopleScreen)

    run(scenario)


def test_a_long_list_is_paged(service: Wholiked) -> None:
    """@luna.loops's thousands of followers: one page at first, the next as the cursor nears
    the end, each row once; the status says how many there are and how many are loaded."""

    async def scenario() -> None:
        app = make_app(service, DEMO_BIG_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_people(pilot)
            table = screen.table
            total = service.people_counts(app.acting).followers
            assert total > 2 * PAGE_SIZE
            assert table.row_count == PAGE_SIZE
            status = str(screen.query_one("#people-status").content)  # type: ignore[attr-defined]
            assert status == f"{total:,} followers; {PAGE_SIZE} loaded, more as you scroll."
            table.move_cursor(row=PAGE_SIZE - 1)
            await settle(pilot)
            assert table.row_count == 2 * PAGE_SIZE
            keys = row_keys(table)
            assert len(keys) == len(set(keys))
            assert keys == listed(app, service, "followers")[: 2 * PAGE_SIZE]

    run(scenario)


def test_who_can_see_my_like_opens_the_followers(service: Wholiked) -> None:
    """In @sam.quiet's feed on video 1, a click on "who can see my like" opens People on his
    followers: the approved followers the panel's "at most 4 users" counts."""

    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await show(pilot, DEMO_TOP_VIDEO)
            panel = app.screen.query_one("#audience")
            assert "F lists them." in str(panel.content)  # type: ignore[attr-defined]
            await pilot.click(panel)
            await settle(pilot)
            screen = people(app)
            assert screen.which == "followers"
            assert len(row_keys(screen.table)) == 4
            assert "the people 'who can see my like' means" in str(
                screen.query_one("#people-note").content  # type: ignore[attr-defined]
            )

    run(scenario)


def test_r_and_b_open_people_on_their_lists(service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            assert people(app).which == "requests"
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("B")
            await settle(pilot)
            assert people(app).which == "blocked"
            assert isinstance(people(app).table, PagedTable)

    run(scenario)


def test_find_and_sort_in_a_long_list(service: Wholiked) -> None:
    """/ in @luna.loops's followers finds one not loaded yet (the pages up to it load); s
    sorts the list in SQL, still paged, its first page the sort's first rows."""

    async def scenario() -> None:
        app = make_app(service, DEMO_BIG_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            table = (await open_people(pilot)).table
            every = service.people_page(app.acting, "followers", limit=100_000)
            far = every[-3].user.id  # well past the first page
            assert far not in row_keys(table)
            await pilot.press("slash")
            await settle(pilot)
            app.screen.query_one(Input).value = service.user_by_id(far).handle
            await pilot.press("enter")
            await settle(pilot)
            assert table.key_at_cursor() == str(far)
            assert table.row_count > PAGE_SIZE
            await pilot.press("s")  # handle A-Z
            await settle(pilot)
            by_handle = sorted(every, key=lambda p: p.user.handle)
            assert row_keys(table) == [p.user.id for p in by_handle[:PAGE_SIZE]]
            status = str(people(app).query_one("#people-status").content)  # type: ignore[attr-defined]
            assert status.startswith(f"{len(every):,} followers, by handle A–Z; 200 loaded")
            assert not table.complete

    run(scenario)
