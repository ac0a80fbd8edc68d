"""Which file, and can I change it: the top bar names the open file and says read-only; on
a read-only file the footer offers W instead of the keys that change it, the help and the
palette say those need --write, and W (or the palette's "Reopen writable") opens the same
file again writable, after which the same key changes it."""

from pathlib import Path

from tests.tui_helpers import (
    feed_on,
    footer_keys,
    make_app,
    open_service,
    record_notifications,
    run,
    settle,
    static_text,
)
from tests.worlds import DEMO_TEST_KEY
from wholiked.core.service import Wholiked
from wholiked.fixtures.demo import DEMO_PUBLIC_VIEWER, build_demo
from wholiked.tui.read_only import NEEDS_WRITE_NOTE
from wholiked.tui.screens.help import HelpScreen

SIZE = (120, 36)
VIDEO = 2  # Mia's video that @jules.b has not liked


def palette_titles(app) -> list[str]:
    return [str(command.title) for command in app.get_system_commands(app.screen)]


def test_a_read_only_file_says_so_and_reopens_writable(tmp_path: Path) -> None:
    path = tmp_path / "world.db"
    build_demo(path, noise_key=DEMO_TEST_KEY)
    service = open_service(path)  # read-only, as --db without --write
    assert not service.writable

    async def scenario() -> None:
        app = make_app(service, DEMO_PUBLIC_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await feed_on(pilot, VIDEO)
            assert static_text(app, "#badge").endswith("│ world.db (read-only)")
            keys = footer_keys(app)
            assert "W" in keys and "l" not in keys and "f" not in keys
            titles = palette_titles(app)
            assert "Reopen writable (W)" in titles
            helps = {str(c.title): c.help for c in app.get_system_commands(app.screen)}
            assert helps["Like video 2 (l)"].endswith(NEEDS_WRITE_NOTE)

            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            lines = [str(s.content) for s in app.screen.query("#help-keys Static")]
            assert lines[lines.index("l") + 1].endswith(f"({NEEDS_WRITE_NOTE})")
            assert not lines[lines.index("u") + 1].endswith(f"({NEEDS_WRITE_NOTE})")
            await pilot.press("escape")
            await settle(pilot)

            await pilot.press("l")  # refused in words, naming the way out
            await settle(pilot)
            refused = [m for severity, _, m in seen if severity == "error"]
            assert refused and "--write" in refused[-1] and "W reopens it writable" in refused[-1]

            await pilot.press("W")
            await settle(pilot)
            assert service.writable
            assert any("world.db is open writable now" in m for _, _, m in seen)
            assert static_text(app, "#badge").endswith("│ world.db")
            keys = footer_keys(app)
            assert "W" not in keys and "l" in keys
            assert "Reopen writable (W)" not in palette_titles(app)

            await pilot.press("l")
            await settle(pilot)
            jules = service.user(DEMO_PUBLIC_VIEWER)
            assert any(s.video.id == VIDEO and s.liked for s in service.feed(jules, limit=50))

    try:
        run(scenario)
    finally:
        service.close()


def test_the_demo_world_is_writable_and_offers_no_reopen(writable_service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(writable_service, DEMO_PUBLIC_VIEWER)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "(read-only)" not in static_text(app, "#badge")
            assert "W" not in footer_keys(app)
            assert "Reopen writable (W)" not in palette_titles(app)

    run(scenario)
