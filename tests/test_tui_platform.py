"""The Platform screen (P): the report for the open world, computed in a worker with its
progress, one bar group per rule set; the same numbers as `wholiked report`."""

import pytest
from textual.widgets import ProgressBar, Static

from tests.tui_helpers import as_the_app_opens_the_demo, make_app, run, settle
from wholiked.core.service import PRESETS
from wholiked.fixtures.demo import DEMO_CREATOR
from wholiked.tui.screens.platform import PlatformScreen


@pytest.fixture
def service(demo_path):
    """The module's demo world as the app opens it (writable, "the demo world")."""
    service = as_the_app_opens_the_demo(demo_path)
    yield service
    service.close()


def test_p_shows_the_report_under_every_rule_set(service):
    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        seen: list[PlatformScreen.Progressed] = []

        def hook(message) -> None:
            if isinstance(message, PlatformScreen.Progressed):
                seen.append(message)

        async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
            await settle(pilot)
            await pilot.press("P")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PlatformScreen)
            await app.workers.wait_for_complete()
            await settle(pilot)
            assert seen and seen[-1].step == "done"
            assert not screen.query_one(ProgressBar).display
            shown = str(screen.query_one("#platform-groups", Static).render())
            expected = service.report()
            for key, r in expected.rule_sets.items():
                assert f"{key} — {r.rules.title}" in shown
                assert f"{r.totals.identifiable:,} of {r.totals.likes:,} likes" in shown
            assert [line for line in shown.splitlines() if " — " in line] == [
                f"{k} — {p.title}" for k, p in PRESETS.items()
            ]
            await pilot.press("escape")
            await settle(pilot)
            assert not isinstance(app.screen, PlatformScreen)

    run(scenario)


def test_platform_snapshot(snap_compare, service) -> None:
    """Platform audit at 120×40 on the demo world as @mia.makes: the heading "Platform audit —
    omniscient, not what any user sees", "25 videos and 9,416 likes, under 5 rule sets.",
    then one group per preset (seed, tiktok, instagram, x, youtube): a bar of the likes
    identifiable to their creator (99.8% under the seed, >99.9% under tiktok, <0.1% under
    youtube) and a bar of the anonymous likes nameable unseen (10 of 17 on 3 videos under
    the seed)."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)

    app = make_app(service, DEMO_CREATOR)
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
