"""Presets in the app: R picks the rules for the session (every view follows, the badge says
which), C compares the selected video under every preset, the palette offers both, and
the help has one line per preset."""

from textual.widgets import DataTable, OptionList, Static

from tests.tui_helpers import make_app, palette_choose, run, screen_text, settle
from wholiked.core.service import PRESETS
from wholiked.fixtures.demo import DEMO_CREATOR, DEMO_PRIVATE_VIEWER, DEMO_TOP_VIDEO
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.screens.compare import CompareScreen, comparison_rows
from wholiked.tui.screens.help import HelpScreen
from wholiked.tui.screens.rules_picker import RulesPicker


async def _on_video(pilot, video_id: int) -> None:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BrowseScreen)
    screen.focus_video(video_id)
    await settle(pilot)


def _static(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def test_r_picks_the_rules_and_every_view_follows(service):
    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=(120, 36)) as pilot:
            await _on_video(pilot, DEMO_TOP_VIDEO)
            assert app.rules == "seed" and "rules" not in _static(app, "#badge")
            generation = app.generation
            await pilot.press("R")
            await settle(pilot)
            picker = app.screen
            assert isinstance(picker, RulesPicker)
            options = picker.query_one(OptionList)
            assert [options.get_option_at_index(i).id for i in range(5)] == list(PRESETS)
            assert options.highlighted == 0
            await pilot.press("down", "enter")  # tiktok
            await settle(pilot)
            assert app.rules == "tiktok" and app.service.rules.name == "tiktok"
            assert app.generation > generation
            assert "TikTok rules" in _static(app, "#badge")
            detail = app.screen.query_one("#detail")
            expected = app.service.likers(DEMO_TOP_VIDEO, app.acting, limit=0)
            assert detail.likers.anonymous == expected.anonymous
            assert detail.likers.rules.name == "tiktok"
            shown = screen_text(app)
            assert "your video (Inbox → Activities)" in shown  # the likers' reason
            assert "accounts on either side of a block with you" in shown  # the anonymous row
            # Esc in the picker keeps the rules in use.
            await pilot.press("R")
            await settle(pilot)
            await pilot.press("down", "escape")
            await settle(pilot)
            assert app.rules == "tiktok"

    run(scenario)


def test_c_compares_the_selected_video_under_every_preset(service):
    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("v")
            await _on_video(pilot, DEMO_TOP_VIDEO)
            await pilot.press("C")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CompareScreen) and screen.video_id == DEMO_TOP_VIDEO
            expected = service.compare(DEMO_TOP_VIDEO, service.user(DEMO_PRIVATE_VIEWER))
            assert screen.comparison.as_json() == expected.as_json()
            table = screen.query_one(DataTable)
            assert [str(c.label) for c in table.columns.values()][1:] == list(PRESETS)
            rows = comparison_rows(expected)
            assert table.row_count == len(rows)
            labels = [label for label, _ in rows]
            assert labels[:5] == [
                "Can view",
                "Like total",
                "Identifiable",
                "Anonymous",
                "Creator sees my like",
            ]
            cells = dict(rows)
            seed = expected.views["seed"]
            instagram = expected.views["instagram"]
            assert cells["Identifiable"][0] == f"{seed.identifiable:,}"
            assert cells["Identifiable"][2] == f"{instagram.identifiable:,} ≠"
            assert cells["Creator sees my like"][0] == "no"  # Sam is private, Mia does not follow
            assert cells["Creator sees my like"][1] == "yes ≠"  # tiktok: the creator sees all
            assert cells["vs the seed rule"] == [
                "the seed",
                "differs",
                "differs",
                "differs",
                "differs",
            ]
            shown = screen_text(app)
            assert "≠ marks a value that differs from the seed rule's" in shown
            # Switching rules while comparing reloads the comparison (the in-use line says so).
            app.use_rules("youtube")
            await settle(pilot)
            assert "Your session uses the YouTube rules" in _static(app, "#compare-in-use")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, BrowseScreen)

    run(scenario)


def test_compare_says_when_the_acting_user_cannot_view(service):
    async def scenario() -> None:
        app = make_app(service, "rex.loud")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            app.video_id = 12  # noor.private's video; rex's request is pending
            await pilot.press("C")
            await settle(pilot)
            assert isinstance(app.screen, CompareScreen)
            heading = _static(app, "#compare-heading")
            assert "Not permitted" in heading and "cannot view video 12" in heading
            assert "noor" not in heading
            assert app.screen.query_one(DataTable).row_count == 0

    run(scenario)


def test_c_without_a_selected_video_says_so(service):
    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)  # no videos: the studio is empty
        seen: list[str] = []
        notify = app.notify
        app.notify = lambda message, **kw: (seen.append(message), notify(message, **kw))  # type: ignore[method-assign]
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            app.video_id = None
            await pilot.press("C")
            await settle(pilot)
            assert not isinstance(app.screen, CompareScreen)
            assert any("Select a video" in m for m in seen)

    run(scenario)


def test_palette_offers_compare_and_every_preset(service):
    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=(120, 36)) as pilot:
            await _on_video(pilot, DEMO_TOP_VIDEO)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert f"Compare platforms on video {DEMO_TOP_VIDEO} (C)" in titles
            assert "Platform rules… (R)" in titles
            for preset in list(PRESETS.values())[1:]:
                assert f"Use the {preset.title} rules" in titles
            await palette_choose(pilot, "Use the X", "Use the X (since June 2024) rules")
            assert app.rules == "x"
            assert "X (since June 2024) rules" in _static(app, "#badge")

    run(scenario)


def test_help_has_one_line_per_preset_and_follows_the_rules(service):
    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            app.use_rules("instagram")
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            lines = _static(app, "#help-presets").splitlines()
            assert len(lines) == len(PRESETS)
            for line, preset in zip(lines, PRESETS.values(), strict=True):
                assert line.startswith(f"• {preset.title}: ") and "documented" in line
            assert "In use: Instagram" in _static(app, "#help-in-use")
            faq = _static(app, "#help-faq")
            assert "Under the Instagram rules" in faq

    run(scenario)


def test_a_rule_file_given_at_start_is_in_use_and_listed_after_the_presets(service):
    """`wholiked tui --rules FILE.toml`: the session answers under the file's rules, R lists
    it after the five presets with its file, and picking a preset and back works."""
    from pathlib import Path

    from wholiked.core.service import Wholiked, load_rule_file

    example = Path(__file__).resolve().parent.parent / "docs/rules/creator_sees_followers.toml"
    rules = load_rule_file(example)
    ruled = Wholiked(service.db, rules)

    async def scenario() -> None:
        app = make_app(ruled, DEMO_CREATOR)
        async with app.run_test(size=(120, 36)) as pilot:
            await _on_video(pilot, DEMO_TOP_VIDEO)
            assert app.rules == "creator_sees_followers"
            assert "Creator sees followers rules" in _static(app, "#badge")
            await pilot.press("R")
            await settle(pilot)
            options = app.screen.query_one(OptionList)
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            assert ids == [*PRESETS, "creator_sees_followers"]
            assert options.highlighted == 5
            assert str(example) in str(options.get_option_at_index(5).prompt)
            await pilot.press("up", "enter")  # youtube
            await settle(pilot)
            assert app.rules == "youtube" and app.service.rules.name == "youtube"
            await pilot.press("R")
            await settle(pilot)
            await pilot.press("down", "enter")  # back to the file
            await settle(pilot)
            assert app.service.rules is rules
            detail = app.screen.query_one("#detail")
            expected = ruled.likers(DEMO_TOP_VIDEO, app.acting, limit=0)
            assert detail.likers.anonymous == expected.anonymous

    run(scenario)
