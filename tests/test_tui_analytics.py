"""The analytics perspective (n) and the tips panel (t), checked against core's numbers."""

import pytest
from textual.widgets import DataTable, Sparkline

from tests.tui_helpers import assert_inert, make_app, run, screen_text, settle, static_text
from wholiked.core.service import Wholiked
from wholiked.fixtures.demo import (
    DEMO_CREATOR,
    DEMO_PERSONAL,
    DEMO_PRIVATE_VIEWER,
    DEMO_WITHHELD_VIDEO,
)
from wholiked.tui.screens.analytics import AnalyticsScreen
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.widgets.bars import FULL, bar_rows
from wholiked.tui.widgets.tips_panel import TipsPanel

SIZE = (120, 36)


def totals_line(t: dict) -> str:
    return f"{t['likes']:,} likes from {t['likers']:,} distinct likers"


def test_bar_rows_draw_no_bar_for_suppressed_buckets() -> None:
    rows = [str(row) for row in bar_rows({"ios": 26, "android": 13, "web": "<5"})]
    assert rows[0].count(FULL) == 20 and rows[0].endswith(" 26")
    assert rows[1].count(FULL) == 10
    assert FULL not in rows[2] and rows[2].endswith("<5")


def test_window_key_cycles_and_numbers_equal_core(service: Wholiked) -> None:
    """n opens analytics for all of Mia's videos over 28 days; w moves to 60d, all, 7d; each
    time the totals, the per-video table and every breakdown equal core.analytics."""
    mia = service.user(DEMO_CREATOR)

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AnalyticsScreen)
            for window in ("28d", "60d", "all", "7d"):
                expected = service.analytics(mia, window=window)
                assert screen.window == window
                assert screen.report is not None and screen.report.data == expected
                assert totals_line(expected["totals"]) in static_text(app, "#an-totals")
                table = screen.query_one("#an-videos", DataTable)
                assert [int(k.value) for k in table.rows] == [
                    v["video_id"] for v in expected["videos"]
                ]
                drawn = "\n".join(
                    str(b.content) for b in screen.query("#an-breakdowns > .breakdown")
                )
                for buckets in expected["breakdowns"].values():
                    for name, count in buckets.items():
                        line = next(x for x in drawn.splitlines() if x.startswith(f"{name} "))
                        if isinstance(count, int):
                            assert line.endswith(f" {count:,}") and FULL in line
                        else:
                            assert line.rstrip().endswith("<5") and FULL not in line
                spark = screen.query_one("#an-sparkline", Sparkline)
                assert len(spark.data or []) == len(expected["likes_per_day"])
                await pilot.press("w")
                await settle(pilot)
            assert screen.window == "28d"

    run(scenario)


def test_suppressed_buckets_and_withheld_reason_in_words(service: Wholiked) -> None:
    """Mia's 28 days hold '<5' buckets drawn without a bar; video 5 alone (s) has too few
    likers, so the breakdowns are withheld and the reason is said in words."""
    mia = service.user(DEMO_CREATOR)

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.screen.focus_video(DEMO_WITHHELD_VIDEO)  # type: ignore[attr-defined]
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            shown = screen_text(app)
            assert "45-54    <5" in shown and "<5: fewer than 5 likers" in shown
            assert "days with fewer than 5 likes (shown as <5) are drawn as 0" in shown
            await pilot.press("s")
            await settle(pilot)
            expected = service.analytics(mia, video_id=DEMO_WITHHELD_VIDEO)
            assert expected["withheld"]
            assert app.screen.report.data == expected  # type: ignore[attr-defined]
            assert f"video {DEMO_WITHHELD_VIDEO}" in static_text(app, "#an-heading")
            assert expected["withheld"] in static_text(app, "#an-withheld")
            assert not app.screen.query("#an-breakdowns > .breakdown")
            assert_inert(app)

    run(scenario)


def test_personal_account_sees_totals_and_a_tip(service: Wholiked) -> None:
    """Theo (personal account) gets core.analytics.totals and the creator-account tip, no
    breakdowns and no sparkline."""
    theo = service.user(DEMO_PERSONAL)

    async def scenario() -> None:
        app = make_app(service, DEMO_PERSONAL)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            expected = service.totals(theo)
            assert totals_line(expected["totals"]) in static_text(app, "#an-totals")
            tip = next(t for t in service.tips(theo) if t["id"] == "creator_account")
            assert "switch to a creator account" in static_text(app, "#an-withheld")
            assert tip["detail"] in static_text(app, "#an-withheld")
            assert not app.screen.query_one("#an-sparkline").display
            assert not app.screen.query("#an-breakdowns > .breakdown")
            assert_inert(app)  # Theo's captions are hostile markup

    run(scenario)


@pytest.mark.parametrize(
    ("handle", "mode"), [(DEMO_CREATOR, "creator"), (DEMO_PRIVATE_VIEWER, "viewer")]
)
def test_tips_panel_lists_core_tips_and_follows_user_switch(
    service: Wholiked, handle: str, mode: str
) -> None:
    """Folded, the tips are not computed; t unfolds and computes them as core.tips says
    (creator tips in the studio, viewer tips in the feed); acting as someone else while
    unfolded recomputes them."""

    async def scenario() -> None:
        app = make_app(service, handle)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            if mode == "viewer":
                await pilot.press("v")
                await settle(pilot)
            screen = app.screen
            assert isinstance(screen, BrowseScreen)
            panel = screen.query_one(TipsPanel)
            expected = [t for t in service.tips(service.user(handle)) if t["perspective"] == mode]
            assert panel.found is None and "t shows your" in str(panel.content)
            await pilot.press("t")
            await settle(pilot)
            assert panel.found == expected and expected
            assert panel.unfolded and not screen.query_one("#split").display
            shown = str(panel.content)
            for tip in expected:
                assert tip["title"] in shown
            app.act_as(service.user(DEMO_PERSONAL).id)
            await settle(pilot)
            theo = service.user(DEMO_PERSONAL)
            assert panel.found == [t for t in service.tips(theo) if t["perspective"] == mode]
            await pilot.press("t")
            await settle(pilot)
            assert not panel.unfolded and screen.query_one("#split").display

    run(scenario)
