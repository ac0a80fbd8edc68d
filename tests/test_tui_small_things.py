"""The small things of a working hour: where a personal account opens, what the help talks
about, what the follow key says, and what a switch of user does to the selected video."""

import re

from tests.tui_helpers import (
    feed_on,
    make_app,
    record_notifications,
    run,
    settle,
    show,
    static_text,
)
from wholiked.core.service import Wholiked
from wholiked.fixtures.demo import (
    DEMO_CREATOR,
    DEMO_PENDING_REQUESTER,
    DEMO_PERSONAL,
    DEMO_PRIVATE_VIEWER,
    DEMO_PUBLIC_VIEWER,
    DEMO_TOP_VIDEO,
)
from wholiked.tui.screens.help import HelpScreen

SIZE = (120, 36)
LAST_OF_MIA = 8


def test_a_personal_account_without_videos_opens_in_the_feed(service: Wholiked) -> None:
    """@sam.quiet (personal, no videos) opens in the viewer feed; @theo.k (personal, with
    videos) and @mia.makes (creator) in their studio."""

    async def opens_in(handle: str) -> str:
        app = make_app(service, handle)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            return app.current_mode

    async def scenario() -> None:
        assert await opens_in(DEMO_PRIVATE_VIEWER) == "viewer"
        assert await opens_in(DEMO_PERSONAL) == "creator"
        assert await opens_in(DEMO_CREATOR) == "creator"

    run(scenario)


def test_the_faq_answers_about_the_video_asked_about(service: Wholiked) -> None:
    """With a video the user can view, the answers cite that video; with one they cannot
    (Noor's, to @rex.loud), the example video as before."""
    mia = service.user(DEMO_CREATOR)
    assert "your video 8" in service.faq(mia, video_id=LAST_OF_MIA)[0].answer
    jules = service.user(DEMO_PUBLIC_VIEWER)
    assert "video 17 by @chef.ade" in service.faq(jules, video_id=17)[0].answer
    rex = service.user(DEMO_PENDING_REQUESTER)
    assert service.faq(rex, video_id=12) == service.faq(rex)


def test_help_answers_about_the_selected_video(service: Wholiked) -> None:
    """Video 8 selected in the studio: the help's answers are about video 8, not video 1."""

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await show(pilot, LAST_OF_MIA)
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            faq = static_text(app, "#help-faq")
            assert "your video 8" in faq
            assert not re.search(r"video 1\b", faq)

    run(scenario)


def test_switching_user_keeps_the_selected_video_when_it_is_there(service: Wholiked) -> None:
    """In the feed on video 1, acting as @sam.quiet (who can view it too) keeps video 1,
    silently; in Mia's studio on video 8, acting as @theo.k (whose studio holds only his
    own videos) selects another video and says so."""

    async def scenario() -> None:
        app = make_app(service, DEMO_PUBLIC_VIEWER)
        seen = record_notifications(app)
        async with app.run_test(size=SIZE) as pilot:
            await feed_on(pilot, DEMO_TOP_VIDEO)
            app.act_as(service.user(DEMO_PRIVATE_VIEWER).id)
            await settle(pilot)
            assert app.acting.handle == DEMO_PRIVATE_VIEWER
            assert app.screen.detail.video_id == DEMO_TOP_VIDEO  # type: ignore[attr-defined]
            assert app.video_id == DEMO_TOP_VIDEO
            assert not [m for _, title, m in seen if title == "Another video"]

            app.act_as(service.user(DEMO_CREATOR).id)
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            await show(pilot, LAST_OF_MIA)
            app.act_as(service.user(DEMO_PERSONAL).id)
            await settle(pilot)
            shown = app.screen.detail.video_id  # type: ignore[attr-defined]
            assert shown in (9, 10, 11)
            assert app.video_id == shown
            said = [m for _, title, m in seen if title == "Another video"]
            assert said == [
                f"Video 8 is not in @theo.k's studio (their own videos): video {shown} is"
                " selected now."
            ]

    run(scenario)


def _footer_words(app) -> dict[str, str]:
    """The words the footer shows beside each key."""
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.show
    }


def test_the_follow_key_says_follow_or_unfollow_for_the_selected_person(
    writable_service: Wholiked,
) -> None:
    """In the feed on Mia's video, @jules.b (who follows Mia) sees "f Unfollow"; after f,
    "f Follow"; on Theo's video (Jules follows Theo too) "Unfollow" again."""
    service = writable_service

    async def scenario() -> None:
        app = make_app(service, DEMO_PUBLIC_VIEWER)
        async with app.run_test(size=SIZE) as pilot:
            await feed_on(pilot, DEMO_TOP_VIDEO)
            assert _footer_words(app)["f"] == "Unfollow"
            await pilot.press("f")
            await settle(pilot)
            assert service.relation(app.acting, service.user(DEMO_CREATOR)).following is None
            assert _footer_words(app)["f"] == "Follow"
            await show(pilot, 9)
            assert _footer_words(app)["f"] == "Unfollow"

    run(scenario)


def test_the_app_leaves_when_its_terminal_is_closed(service: Wholiked, monkeypatch) -> None:
    """Under `make run`, a closed terminal sends the app no hangup (make leads the session)
    and standard input stops being a terminal: the app notices within a second or two and
    exits, instead of spinning on the dead terminal. Started without a terminal (in a
    browser, in a test) it never looks."""
    import asyncio

    from wholiked.tui import app as app_module

    async def exits_after(terminal: list[int | None]) -> bool:
        monkeypatch.setattr(app_module, "_terminal_in", lambda: terminal[0])
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            terminal[0] = None  # the terminal is gone (or was never there)
            for _ in range(30):
                await asyncio.sleep(0.1)
                if app._exit:
                    return True
            return False

    async def scenario() -> None:
        assert await exits_after([0])
        assert not await exits_after([None])

    run(scenario)
