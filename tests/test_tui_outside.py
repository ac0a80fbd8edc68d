"""Pilot tests: the app notices other programs' writes and a replaced file, and checks a
large unseen file in the background.

Each test acts on its own copy of the demo world. The app polls the file every second;
most tests call that poll (`look_for_outside_changes`) themselves, so they do not depend
on timing; one test lets the timer find the change.
"""

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.tui_helpers import (
    demo_file,
    feed_on,
    make_app,
    record_notifications,
    run,
    settle,
)
from tests.worlds import DEMO_TEST_KEY
from wholiked.core.service import Wholiked
from wholiked.core.store import database
from wholiked.core.store.database import open_database
from wholiked.fixtures.demo import (
    DEMO_CREATOR,
    DEMO_PRIVATE_VIEWER,
    DEMO_PUBLIC_VIEWER,
    build_demo,
)
from wholiked.tui.app import WholikedApp
from wholiked.tui.factory import make_service
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.widgets.paged_table import PagedTable

SIZE = (120, 36)


@pytest.fixture
def service(writable_service: Wholiked) -> Wholiked:
    """The tests here act: conftest's writable demo world."""
    return writable_service


def row_of(app: WholikedApp, video: int) -> list[str]:
    return [str(c) for c in app.screen.query_one("#videos", PagedTable).get_row(str(video))]


def heading(app: WholikedApp) -> str:
    return str(app.screen.query_one("#detail-heading", Static).content)


async def show(pilot, video_id: int) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, BrowseScreen)
    screen.focus_video(video_id)
    await settle(pilot)


def outside(path: Path, *statements: str) -> None:
    """Another program (the sqlite3 shell, say) writes the file."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def messages(seen) -> list[str]:
    return [message for _, _, message in seen]


def test_an_outside_unlike_refreshes_the_list_and_the_detail(service: Wholiked) -> None:
    """Jules's like is taken back by another program: the feed row, the detail and the key
    all follow (before, the row kept "yes, liked" while the detail had the new count, and l
    then failed); a notice says why the panels changed."""
    jules = service.user(DEMO_PUBLIC_VIEWER)
    summary = next(s for s in service.feed(jules) if s.liked)
    video, likes = summary.video.id, summary.likes

    async def scenario() -> None:
        app = make_app(service, DEMO_PUBLIC_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await feed_on(pilot, video)
            assert row_of(app, video)[2:] == [f"{likes:,}", "yes, liked"]

            outside(
                service.db.path,
                f"DELETE FROM likes WHERE video_id = {video} AND user_id = {jules.id}",
            )
            app.look_for_outside_changes()
            await settle(pilot)
            assert WholikedApp.CHANGED_OUTSIDE in messages(seen)
            assert row_of(app, video)[2:] == [f"{likes - 1:,}", "no"]
            assert f"· {likes - 1} likes" in heading(app)

            await pilot.press("l")
            await settle(pilot)
            assert messages(seen)[-1].startswith(f"You liked video {video}; ")
            assert row_of(app, video)[2:] == [f"{likes:,}", "yes, liked"]
            app.look_for_outside_changes()  # our own like is not another program's change
            await settle(pilot)
            assert messages(seen).count(WholikedApp.CHANGED_OUTSIDE) == 1

    run(scenario)


def test_the_timer_finds_an_outside_change(service: Wholiked, monkeypatch) -> None:
    """Without any call from the test: the poll timer sees another program's privacy switch
    and the acting user's badge follows it."""
    monkeypatch.setattr(WholikedApp, "POLL_SECONDS", 0.05)

    async def scenario() -> None:
        app = make_app(service, DEMO_PRIVATE_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.acting.is_private
            outside(
                service.db.path,
                f"UPDATE users SET is_private = 0 WHERE handle = '{DEMO_PRIVATE_VIEWER}'",
            )
            for _ in range(200):
                if WholikedApp.CHANGED_OUTSIDE in messages(seen):
                    break
                await pilot.pause(0.02)
            await settle(pilot)
            assert WholikedApp.CHANGED_OUTSIDE in messages(seen)
            assert not app.acting.is_private
            assert "public" in str(app.screen.query_one("#badge", Static).content)

    run(scenario)


def test_reset_replaces_the_demo_file_and_the_app_reopens_it(tmp_path: Path) -> None:
    """`wholiked reset` swaps a new demo file in (a new inode): the app stops reading the
    deleted one, reopens the path, and shows the pristine world again."""
    from wholiked.tui.factory import ensure_demo_copy

    service = make_service(None)  # the demo working copy in this test's data folder
    jules = service.user(DEMO_PUBLIC_VIEWER)
    summary = next(s for s in service.feed(jules) if not s.liked)
    video, likes = summary.video.id, summary.likes

    async def scenario() -> None:
        app = make_app(service, DEMO_PUBLIC_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await feed_on(pilot, video)
            await pilot.press("l")
            await settle(pilot)
            assert row_of(app, video)[2:] == [f"{likes + 1:,}", "yes, liked"]

            old_inode = service.db.path.stat().st_ino
            ensure_demo_copy(fresh=True)  # what `wholiked reset` does
            assert service.db.path.stat().st_ino != old_inode
            app.look_for_outside_changes()
            await settle(pilot)
            assert WholikedApp.REPLACED in messages(seen)
            assert row_of(app, video)[2:] == [f"{likes:,}", "no"]

            await pilot.press("l")  # the reopened file is the one written to
            await settle(pilot)
            assert messages(seen)[-1].startswith(f"You liked video {video}; ")
        conn = sqlite3.connect(service.db.path)
        found = conn.execute(
            "SELECT count(*) FROM likes WHERE video_id = ? AND user_id = ?", (video, jules.id)
        ).fetchone()[0]
        conn.close()
        assert found == 1

    try:
        run(scenario)
    finally:
        service.close()


def test_a_replaced_file_that_breaks_the_format_is_said_in_words(service: Wholiked) -> None:
    path = service.db.path

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            replacement = path.with_name("other.db")
            replacement.write_text("not a database at all\n" * 20)
            replacement.replace(path)
            app.look_for_outside_changes()
            await settle(pilot)
            severity, title, message = seen[-1]
            assert (severity, title) == ("error", "Could not reopen the database")
            assert "not a SQLite database" in message
            assert app.is_running

            good = path.with_name("good.db")  # a good file put back: reopened again
            build_demo(good, noise_key=DEMO_TEST_KEY)
            good.replace(path)
            app.look_for_outside_changes()
            await settle(pilot)
            assert messages(seen)[-1] == WholikedApp.REPLACED
            assert service.user(DEMO_CREATOR).handle == DEMO_CREATOR

    run(scenario)


def test_a_large_unseen_file_is_checked_in_the_background(tmp_path: Path, monkeypatch) -> None:
    """A file too large to check at open (the limit is zero here): the app shows it at once
    and checks every row in a worker; a bad row gets an error notice naming it."""
    monkeypatch.setattr(database, "FULL_CHECK_MAX_BYTES", 0)
    path = demo_file(tmp_path)
    outside(path, "UPDATE videos SET views = -5 WHERE id = 20")
    service = Wholiked(open_database(path, rows="deferred"))
    assert not service.db.rows_checked

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            errors = [(t, m) for s, t, m in seen if s == "error"]
            assert len(errors) == 1
            title, message = errors[0]
            assert title == "This file breaks the format: answers may be wrong"
            assert "table videos, row id 20: field views" in message

    try:
        run(scenario)
    finally:
        service.close()


def test_a_valid_large_file_is_checked_quietly(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(database, "FULL_CHECK_MAX_BYTES", 0)
    path = demo_file(tmp_path)
    outside(path, "UPDATE videos SET views = views + 1 WHERE id = 20")  # unseen content
    service = Wholiked(open_database(path, rows="deferred"))
    assert not service.db.rows_checked

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert [s for s, _, _ in seen if s == "error"] == []
            assert service.db.rows_checked

    try:
        run(scenario)
    finally:
        service.close()


def test_an_outside_write_that_breaks_the_format_is_checked_again(service: Wholiked) -> None:
    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            outside(
                service.db.path,
                f"UPDATE users SET is_private = 2 WHERE handle = '{DEMO_PRIVATE_VIEWER}'",
            )
            app.look_for_outside_changes()
            await settle(pilot)
            assert WholikedApp.CHANGED_OUTSIDE in messages(seen)
            errors = [m for s, _, m in seen if s == "error"]
            assert len(errors) == 1 and "field is_private: must be 0 or 1 (got 2)" in errors[0]

    run(scenario)
