"""Helpers for the TUI tests: the demo world as a service, the app, and waiting for quiet."""

import asyncio
import html
import re
from collections import defaultdict
from pathlib import Path

from rich.segment import Segment
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from textual.worker import WorkerCancelled, WorkerFailed

from tests.worlds import DEMO_TEST_KEY
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database
from wholiked.fixtures.demo import build_demo
from wholiked.tui.app import WholikedApp
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.widgets.paged_table import PagedTable


def run(scenario) -> None:
    """Run an async Pilot scenario (no pytest-asyncio here)."""
    asyncio.run(scenario())


def demo_file(folder: Path) -> Path:
    """Build the demo world in a folder (once) and return its path."""
    path = folder / "demo.db"
    if not path.exists():
        build_demo(path, noise_key=DEMO_TEST_KEY)
    return path


def hostile_file(folder: Path) -> Path:
    """Build the hostile world (the demo's, with hostile strings) in a folder (once)."""
    from wholiked.fixtures.hostile import build_hostile

    path = folder / "hostile.db"
    if not path.exists():
        build_hostile(path, noise_key=DEMO_TEST_KEY)
    return path


def open_service(path: Path, *, writable: bool = False) -> Wholiked:
    return Wholiked(open_database(path, writable=writable))


def as_the_app_opens_the_demo(path: Path) -> Wholiked:
    """The demo world as `wholiked` opens its working copy: writable, named "the demo world"
    (what the snapshots show in the top bar)."""
    from wholiked.tui.factory import DEMO_LABEL

    return Wholiked(open_database(path, writable=True, label=DEMO_LABEL))


def writable_demo(folder: Path) -> Wholiked:
    """A fresh demo world built in the folder, opened writable (for tests that act)."""
    return open_service(demo_file(folder), writable=True)


def record_notifications(app: WholikedApp) -> list[tuple[str, str, str]]:
    """Record every notification as (severity, title, message), still showing them."""
    seen: list[tuple[str, str, str]] = []
    notify = app.notify

    def recording(message: str, *, title: str = "", severity: str = "information", **kw):
        seen.append((severity, title, message))
        notify(message, title=title, severity=severity, **kw)  # type: ignore[arg-type]

    app.notify = recording  # type: ignore[method-assign]
    return seen


def footer_keys(app: WholikedApp) -> list[str]:
    """The keys the footer shows now, one per action as the footer does ('?' stands for
    '? and f1'), the command palette's ^p aside."""
    shown: dict[str, str] = {}
    for key, active in app.screen.active_bindings.items():
        if active.binding.show and key != app.COMMAND_PALETTE_BINDING:
            shown.setdefault(active.binding.action, key)
    return list(shown.values())


def make_app(service: Wholiked, handle: str | None = None) -> WholikedApp:
    return WholikedApp(service, service.user(handle) if handle else None)


def static_text(app: WholikedApp, selector: str) -> str:
    """The content of a Static on the current screen, as plain text."""
    return str(app.screen.query_one(selector, Static).content)


def option_texts(app: WholikedApp) -> list[str]:
    """The prompts of the current screen's option list (the picker, the requests)."""
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def row_keys(table: PagedTable) -> list[int]:
    """A table's row keys (domain ids) in display order."""
    return [int(row.key.value) for row in table.ordered_rows]


def row_of(table: PagedTable, key: int) -> list[str]:
    """The cells of a table's row, by its key, as plain text."""
    return [str(c) for c in table.get_row(str(key))]


async def show(pilot: Pilot, video_id: int) -> None:
    """Select a video in the studio or the feed and wait for its panels."""
    screen = pilot.app.screen
    assert isinstance(screen, BrowseScreen)
    screen.focus_video(video_id)
    await settle(pilot)


async def feed_on(pilot: Pilot, video_id: int) -> None:
    """From the app as it opens: the viewer feed (v), on this video."""
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    await show(pilot, video_id)


async def click_along(pilot: Pilot, widget, y: int, start: int, stop: int) -> None:
    """Click every third cell of a line (every link or action is at least 3 cells wide)."""
    for x in range(start, stop, 3):
        await pilot.click(widget, offset=(x, y))


async def settle(pilot: Pilot, rounds: int = 50) -> None:
    """Wait until no worker runs and every posted result has been handled.

    A worker replaced by a newer one (exclusive groups) ends cancelled; that is
    expected and not an error here.
    """
    app = pilot.app
    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except (WorkerCancelled, WorkerFailed):
            pass
        await pilot.pause(0)  # every message queued so far handled (no wait for CPU idle)
        if all(w.is_finished for w in app.workers):
            await pilot.pause()
            if all(w.is_finished for w in app.workers):
                return
    raise AssertionError("workers never settled")


_SVG_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', re.S)


def screen_text(app: WholikedApp) -> str:
    """What the screen shows, as lines of text rebuilt from an SVG screenshot."""
    rows: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for x, y, fragment in _SVG_TEXT.findall(app.export_screenshot()):
        rows[float(y)].append((float(x), html.unescape(fragment).replace("\xa0", " ")))
    lines = []
    for y in sorted(rows):
        line = ""
        for x, fragment in sorted(rows[y]):
            line = line.ljust(round(x / 12.2)) + fragment
        lines.append(line.rstrip())
    return "\n".join(lines)


# Characters that must never reach the terminal from data: C0/C1 controls (ESC, BEL, CSI),
# bidi controls and marks, zero-width and other invisible format characters.
UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def rendered_segments(app: WholikedApp) -> list[Segment]:
    """Every segment the widgets of the current screen render now (what goes to the terminal)."""
    segments: list[Segment] = []
    for widget in app.screen.query("*"):
        if not widget.is_mounted or not widget.display or widget.size.area == 0:
            continue
        for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height)):
            segments.extend(segment for segment in strip if not segment.control)
    return segments


def assert_inert(app: WholikedApp) -> None:
    """Nothing on screen carries a control character, a link or a click action from data."""
    segments = rendered_segments(app)
    drawn = "".join(segment.text for segment in segments)
    assert not UNSAFE.search(drawn), repr(UNSAFE.findall(drawn))
    assert not UNSAFE.search(screen_text(app).replace("\n", ""))
    for segment in segments:
        style = segment.style
        if style is None:
            continue
        assert not style.link, (segment.text, style.link)
        assert "@click" not in style.meta, (segment.text, style.meta)


async def type_into(pilot: Pilot, value: str) -> None:
    """Put text in the focused dialog's input at once (a key press costs ~0.2 s under Pilot;
    test_tui_app types key by key where typing itself is what is tested)."""
    pilot.app.screen.query_one(Input).value = value
    await settle(pilot)


async def palette_choose(pilot: Pilot, query: str, wanted: str) -> None:
    """Open the command palette, search, wait for a hit showing `wanted`, and choose it."""
    await pilot.press("ctrl+p")
    await type_into(pilot, query)
    for _ in range(40):
        if wanted in screen_text(pilot.app):
            break
        await pilot.pause(0.05)
    assert wanted in screen_text(pilot.app)
    await pilot.press("enter")
    await settle(pilot)
