"""The analytics perspective (n) and the tips panel (t), checked against core's numbers."""

import pytest
from textual.geometry import Region
from textual.widgets import DataTable, Sparkline

from tests.tui_helpers import assert_inert, make_app, run, screen_text, settle, static_text
from wholiked.core.answers.wording import released, stands_clear
from wholiked.core.release.daily import Released
from wholiked.core.service import PublicTotals, Wholiked
from wholiked.fixtures.demo import (
    DEMO_BIG_CREATOR,
    DEMO_CREATOR,
    DEMO_PERSONAL,
    DEMO_PRIVATE_VIEWER,
    DEMO_WITHHELD_VIDEO,
)
from wholiked.tui.screens.analytics import AnalyticsScreen
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.widgets.bars import BAR_WIDTH, FULL, bar_rows, breakdown_block
from wholiked.tui.widgets.tips_panel import TipsPanel

SIZE = (120, 36)


def totals_line(t: PublicTotals) -> str:
    return f"{t.videos:,} videos · {t.likes:,} likes"


def test_bar_rows_draw_bars_only_for_values_clear_of_their_noise() -> None:
    """A bar only for a value larger than its margin (its margin does not reach zero):
    26 ± 14 and 20 ± 14 are drawn, 13 ± 14 (within its margin of zero) and "<5" are
    not; the largest drawn value sets the scale."""
    rows = [
        str(row)
        for row in bar_rows(
            {
                "ios": Released(26, 14),
                "android": Released(13, 14),
                "tablet": Released(20, 14),
                "web": Released("<5", 14),
            }
        )
    ]
    assert rows[0].count(FULL) == 20 and rows[0].endswith(" ≈ 26 ± 14")
    assert rows[1].count(FULL) == 15 and rows[1].startswith("tablet ")
    assert len(rows) == 2  # too few to tell: named in one line, never drawn


def test_a_breakdown_without_a_clear_value_says_so() -> None:
    """No bucket clear of its noise: no bars, and "too few likers to break down"; some
    clear: the others are named as too few to tell."""
    none_clear = {"ios": Released(9, 14), "web": Released("<5", 14)}
    block = str(breakdown_block("device", none_clear, 5, 60))
    assert FULL not in block and "too few likers to break down" in block
    some = {**none_clear, "android": Released(40, 14)}
    block = str(breakdown_block("device", some, 5, 60))
    assert block.count(FULL) == 20 and "too few to tell (no bar): ios, web" in block


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 36), (160, 40)])
def test_every_bar_row_fits_its_column(service: Wholiked, size: tuple[int, int]) -> None:
    """At every terminal width each breakdown row (label, bar, ≈ value ± margin) is one line
    of its block: narrow terminals get shorter bars, not a margin wrapped onto a line of its
    own; the wide ones keep bars of BAR_WIDTH. A resize redraws them, also one made while
    another screen was in front."""

    def rows_fit(app) -> list[int]:
        bars = []
        for block in app.screen.query("#an-breakdowns > .breakdown"):
            for line in block.render_lines(Region(0, 0, block.size.width, block.size.height)):
                drawn = line.text.rstrip()
                if FULL in drawn:
                    assert drawn.split()[-2] == "±", drawn  # the margin ends its own line
                    bars.append(drawn.count(FULL))
        return bars

    async def scenario() -> None:
        app = make_app(service, DEMO_BIG_CREATOR)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            longest = max(rows_fit(app))
            assert longest == BAR_WIDTH if size[0] >= 100 else 10 <= longest < BAR_WIDTH
            await pilot.resize_terminal(80, 24)
            await settle(pilot)
            at_80 = max(rows_fit(app))
            assert 10 <= at_80 <= longest
            # Resized while another screen is in front (help), then back: fitted again.
            await pilot.resize_terminal(*size)
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            await pilot.resize_terminal(80, 24)
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, AnalyticsScreen)
            assert max(rows_fit(app)) == at_80

    run(scenario)


def test_unfolded_tips_indent_every_line_of_a_detail(service: Wholiked) -> None:
    """At 80 columns a tip's detail wraps onto several lines, each indented under its title
    (not back at the margin), and they wrap again to the new width after a resize."""

    def drawn(panel: TipsPanel) -> list[str]:
        region = Region(0, 0, panel.size.width, panel.size.height)
        return [line.text.rstrip() for line in panel.render_lines(region)]

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            panel = app.screen.query_one(TipsPanel)
            for width in (80, 120):
                await pilot.resize_terminal(width, 24)
                await settle(pilot)
                lines = [x for x in drawn(panel)[1:] if x]
                details = [x for x in lines if not x.startswith("• ")]
                assert len(details) > len(panel.found)  # some detail wraps at this width
                assert all(x.startswith("  ") and x[2] != " " for x in details), details
                assert max(len(x) for x in lines) <= panel.size.width

    run(scenario)


def test_window_key_cycles_and_numbers_equal_core(service: Wholiked) -> None:
    """n opens analytics for all of Luna's videos over 28 days; w moves to 60d, all, 7d;
    each time the totals, the per-video table, every breakdown (≈ value ± margin, no bar
    for a value within its margin of zero) and the new-likers sparkline equal core's
    release."""
    luna = service.user(DEMO_BIG_CREATOR)

    async def scenario() -> None:
        app = make_app(service, DEMO_BIG_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AnalyticsScreen)
            for window in ("28d", "60d", "all", "7d"):
                expected = service.analytics(luna, window=window)
                assert screen.window == window
                assert screen.report is not None and screen.report.data == expected
                assert totals_line(expected.totals) in static_text(app, "#an-totals")
                assert released(expected.likers) in static_text(app, "#an-release")
                table = screen.query_one("#an-videos", DataTable)
                assert [int(k.value) for k in table.rows] == [v.video_id for v in expected.videos]
                blocks = [str(b.content) for b in screen.query("#an-breakdowns > .breakdown")]
                assert len(blocks) == len(expected.breakdowns)
                for drawn, buckets in zip(blocks, expected.breakdowns.values(), strict=True):
                    for name, value in buckets.items():
                        lines = [x for x in drawn.splitlines() if x.startswith(f"{name} ")]
                        if stands_clear(value):
                            assert lines and lines[0].endswith(f" {released(value)}")
                            assert FULL in lines[0]
                        else:
                            assert not lines  # no bar, no row of its own
                spark = screen.query_one("#an-sparkline", Sparkline)
                days = [d for d in expected.new_likers_per_day if d != "earlier"]
                assert len(spark.data or []) == len(days)
                await pilot.press("w")
                await settle(pilot)
            assert screen.window == "28d"

    run(scenario)


def test_blurred_values_and_the_release_in_words(service: Wholiked) -> None:
    """Mia's release: values too few to tell from the noise are named without a bar, the
    release day and ε are said in words, and that none of her videos has the likes for
    analytics of its own (the demo sets meta.dp_video_min_likes = auto); one video alone
    (s) says it has too few likes and shows its public totals, no breakdown."""
    mia = service.user(DEMO_CREATOR)

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.screen.focus_video(DEMO_WITHHELD_VIDEO)  # type: ignore[attr-defined]
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            assert "too few" in screen_text(app)
            release = static_text(app, "#an-release")
            assert "Counts are blurred on purpose" in release and "ε = 1 a day" in release
            assert release.startswith("Daily release of 2026-11-20")
            assert "None of your videos has 130 likes yet" in release
            await pilot.press("s")
            await settle(pilot)
            expected = service.analytics(mia, video_id=DEMO_WITHHELD_VIDEO)
            assert expected.likers is None
            assert app.screen.report.data == expected  # type: ignore[attr-defined]
            assert f"video {DEMO_WITHHELD_VIDEO}" in static_text(app, "#an-heading")
            assert "no analytics of its own" in static_text(app, "#an-release")
            assert not any(b.display for b in app.screen.query("#an-breakdowns > .breakdown"))
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
            assert totals_line(service.totals(theo).totals) in static_text(app, "#an-totals")
            tip = next(t for t in service.tips(theo) if t.id == "creator_account")
            assert "switch to a creator account" in static_text(app, "#an-withheld")
            assert tip.detail in static_text(app, "#an-withheld")
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
            expected = [t for t in service.tips(service.user(handle)) if t.perspective == mode]
            assert panel.found is None and "t shows your" in str(panel.content)
            await pilot.press("t")
            await settle(pilot)
            assert panel.found == expected and expected
            assert panel.unfolded and not screen.query_one("#split").display
            shown = str(panel.content)
            for tip in expected:
                assert tip.title in shown
            app.act_as(service.user(DEMO_PERSONAL).id)
            await settle(pilot)
            theo = service.user(DEMO_PERSONAL)
            assert panel.found == [t for t in service.tips(theo) if t.perspective == mode]
            await pilot.press("t")
            await settle(pilot)
            assert not panel.unfolded and screen.query_one("#split").display

    run(scenario)
