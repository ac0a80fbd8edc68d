"""Snapshot tests: one picture per state of the app, on the demo world at a fixed size.

Each docstring says what the picture must show. Regenerate with
`pytest tests/test_tui_snapshots.py --snapshot-update` and review every SVG.
"""

import pytest
from textual.widgets import Input

from tests.tui_helpers import as_the_app_opens_the_demo, make_app, settle
from wholiked.fixtures.demo import (
    DEMO_CREATOR,
    DEMO_PERSONAL,
    DEMO_PRIVATE_VIEWER,
    DEMO_PUBLIC_VIEWER,
    DEMO_TOP_VIDEO,
    DEMO_WITHHELD_VIDEO,
)
from wholiked.tui.screens.browse import BrowseScreen

SIZE = (120, 36)


@pytest.fixture
def service(demo_path):
    """The module's demo world as the app opens it (writable, "the demo world")."""
    service = as_the_app_opens_the_demo(demo_path)
    yield service
    service.close()


def show_video(video_id: int):
    """run_before: settle, put the current screen on a video, settle again."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, BrowseScreen)
        screen.focus_video(video_id)
        await settle(pilot)

    return run_before


def test_studio_video_selected(snap_compare, service) -> None:
    """Creator studio as @mia.makes with video 1 selected: her 8 videos on top; below, video 1's
    heading with "48 likes", "You can identify 40 of 48 likers.", the anonymous row in words
    ("+ 8 likes from accounts you cannot identify: private accounts you are not an approved
    follower of, or accounts on either side of a block with you.") and the likers table with
    the hostile display names shown literally and whole in the wide display-name column (e.g.
    "[link=file:///etc/passwd]x[/link]")."""
    app = make_app(service, DEMO_CREATOR)
    assert snap_compare(app, terminal_size=SIZE, run_before=show_video(DEMO_TOP_VIDEO))


def test_studio_empty(snap_compare, service) -> None:
    """Creator studio as @sam.quiet, who has no videos (the app opens in his feed; c shows the
    studio): the badge says "private account · personal account", the empty state says
    "@sam.quiet (a personal account) has not posted any videos" and offers the viewer feed
    (key v and a button); the footer ends in "q Quit"."""
    app = make_app(service, DEMO_PRIVATE_VIEWER)
    assert snap_compare(app, terminal_size=SIZE, run_before=_press_and_settle("c"))


def _feed_on(video_id: int):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await show_video(video_id)(pilot)

    return run_before


def test_feed_public_viewer(snap_compare, service) -> None:
    """Viewer feed as @jules.b (public) on video 1: "Who can see my like" says the creator
    @mia.makes can see the like because "your account is public", and counts everyone who can
    view the video; the likers table lists the likers Jules can identify."""
    app = make_app(service, DEMO_PUBLIC_VIEWER)
    assert snap_compare(app, terminal_size=SIZE, run_before=_feed_on(DEMO_TOP_VIDEO))


def test_feed_private_viewer(snap_compare, service) -> None:
    """Viewer feed as @sam.quiet (private) on video 1: "You liked this. The creator @mia.makes
    cannot see your like: your account is private and they are not your approved follower."
    and the audience is "your approved followers who can view this video"."""
    app = make_app(service, DEMO_PRIVATE_VIEWER)
    assert snap_compare(app, terminal_size=SIZE, run_before=_feed_on(DEMO_TOP_VIDEO))


def test_audit(snap_compare, service) -> None:
    """Audit of video 1 for @mia.makes: the red banner "AUDIT — omniscient, not what any user
    sees", "48 likes in all. Verdicts for @mia.makes: 40 identifiable, 8 hidden", rule 9 and
    rule 6 as `audit --as` says them ("For @mia.makes: 8 anonymous among 8 candidates
    (effectively identifiable); @mia.makes's like would be seen by exactly 6,057 users."),
    "Showing every liker (h: only the hidden ones).", and every liker with a verdict (HIDDEN
    rows for @pia.p, @sam.quiet, @kai.locked with their reasons)."""

    async def run_before(pilot) -> None:
        await show_video(DEMO_TOP_VIDEO)(pilot)
        await pilot.press("a")
        await settle(pilot)

    app = make_app(service, DEMO_CREATOR)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_audit_small_terminal(snap_compare, service) -> None:
    """The audit of video 1 for @mia.makes at 80×24: beside each handle the verdict whole
    ("HIDDEN" for @kai.locked) and its reason, then the time and the display name, each at
    least 11 cells (a cut value ends in "…"); nothing runs off the right edge (no horizontal
    scrollbar). The compact footer shows every key and "q Quit" and "^p palette" on one
    line."""

    async def run_before(pilot) -> None:
        await show_video(DEMO_TOP_VIDEO)(pilot)
        await pilot.press("a")
        await settle(pilot)

    app = make_app(service, DEMO_CREATOR)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_picker_filtered(snap_compare, service) -> None:
    """The 'Act as…' picker over the studio with "sa" typed: the matches @sam.quiet (private ·
    personal) and @rosa.d (display name "Rosa D" contains "sa"), and "2 matches."."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press("s", "a")
        await settle(pilot)

    app = make_app(service, DEMO_CREATOR)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_faq(snap_compare, service) -> None:
    """Help for @mia.makes on video 1 (selected in the studio: the help is about the selected
    video): the six questions of the seed answered with her numbers (question 1: "For your
    video 1 (…) you can identify 40 of 48 likers; the other 8 likes are from accounts you
    cannot identify…"), and the footer's "esc Close"."""

    async def run_before(pilot) -> None:
        await show_video(DEMO_TOP_VIDEO)(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    app = make_app(service, DEMO_CREATOR)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_small_terminal(snap_compare, service) -> None:
    """The viewer feed at 80×24 as @sam.quiet on video 1: list above, detail below; the badge,
    the totals, the anonymous row, "Who can see my like" and a few likers all fit, and the
    footer shows the keys."""
    app = make_app(service, DEMO_PRIVATE_VIEWER)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_feed_on(DEMO_TOP_VIDEO))


def _press_and_settle(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_people_requests(snap_compare, hostile_service) -> None:
    """People on the follow requests (r) as @sam.quiet after @mark.up and @click.bait (the
    hostile world's) asked to follow him: the title "People of @sam.quiet (private account)
    │ hostile.db", the four tabs
    with their counts ("Requests (3)" active), what approving does, the three requesters by
    id with their names shown literally (@mark.up "[b]x[/b]", @click.bait
    "[@click=app.quit]"), "asks you", "3 pending requests." and the footer's
    "f Follow", "b Block", "F Next list", "a Approve", "d Decline", "esc Back"."""
    service = hostile_service
    for handle in ("mark.up", "click.bait"):
        service.follow(service.user(handle), service.user(DEMO_PRIVATE_VIEWER))
    app = make_app(service, DEMO_PRIVATE_VIEWER)
    assert snap_compare(app, terminal_size=SIZE, run_before=_press_and_settle("r"))


def test_people_followers(snap_compare, service) -> None:
    """People (F) as @sam.quiet on his followers: "Followers (4)" active among the four tabs,
    the note that his approved followers are the only accounts that can see his likes, the
    four followers with account, since and "Between you" ("mutual" for @noor.private,
    "follows you"), "4 followers." and the footer's "f Unfollow" (on Noor)."""
    app = make_app(service, DEMO_PRIVATE_VIEWER)
    assert snap_compare(app, terminal_size=SIZE, run_before=_press_and_settle("F"))


def test_people_small_terminal(snap_compare, service) -> None:
    """People at 80×24 as @mia.makes on whom she follows (F twice): the tabs, the note, the
    five accounts with her pending request to @kai.locked ("you asked"), "5 accounts you
    follow." and the footer fit."""
    app = make_app(service, DEMO_CREATOR)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_press_and_settle("F", "F"))


def test_notification_after_going_public(snap_compare, writable_service) -> None:
    """@sam.quiet pressed p in the studio (c: he opens in the feed) and y to confirm: the
    badge now says "public, personal account", the footer offers "p Go private", and a
    notification gives core's
    sentence "Your account is public: everyone who can view a video sees your like; 1
    pending request approved"."""
    app = make_app(writable_service, DEMO_PRIVATE_VIEWER)
    assert snap_compare(app, terminal_size=SIZE, run_before=_press_and_settle("c", "p", "y"))


def test_confirm_going_public(snap_compare, writable_service) -> None:
    """@sam.quiet pressed p in the studio (c: he opens in the feed): a dialog "Make your
    account public?" says "Going public approves 1 pending follow request and lets everyone
    who can view a video see your 6 likes", that going private later does not undo the
    approvals, and offers "Go public (y)" and "Cancel (n)" (focused); nothing has changed
    yet (the badge still says private)."""
    app = make_app(writable_service, DEMO_PRIVATE_VIEWER)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_press_and_settle("c", "p"))


async def open_analytics(pilot) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)


def test_analytics_creator(snap_compare, service) -> None:
    """Analytics as @mia.makes, all videos, the last 28 days: "109 likes from 57 distinct
    likers", the likes-per-day sparkline with "13 days with fewer than 5 likes (shown as <5)
    are drawn as 0.", and bars for age band and region with "<5" buckets drawn without a
    bar; the footer shows s Scope, w Window."""
    app = make_app(service, DEMO_CREATOR)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_analytics)


def test_analytics_withheld(snap_compare, service) -> None:
    """Analytics of @mia.makes's video 5 alone (s): its public totals, "Video 5 had fewer
    than 130 likes when today's release was made (13 now): ... no analytics of its own
    today" (no sparkline, no breakdown), and the one-row per-video table ("< 130 likes")."""
    app = make_app(service, DEMO_CREATOR)

    async def run_before(pilot) -> None:
        await show_video(DEMO_WITHHELD_VIDEO)(pilot)
        await open_analytics(pilot)
        await pilot.press("s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_analytics_personal(snap_compare, service) -> None:
    """Analytics as @theo.k (personal account): the totals ("12 likes from 11 distinct
    likers"), "Tip: switch to a creator account" with what it would add, and the per-video
    table with his three captions ("landed it 🛹")."""
    app = make_app(service, DEMO_PERSONAL)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_analytics)


def test_tips_creator(snap_compare, service) -> None:
    """Studio as @mia.makes with the tips unfolded (t): "7 creator tips for @mia.makes" with
    every title and detail ("Your best-performing video", "Calls to action", ...); no
    posting-schedule tip: no hour of her blurred release stands out from the noise."""
    app = make_app(service, DEMO_CREATOR)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_tips_viewer(snap_compare, service) -> None:
    """Feed as @sam.quiet with the tips unfolded (t): viewer tips "Who can see your likes"
    (private: 4 approved followers), "Which creators see your likes", "Follow requests waiting
    for you", "If you made your account public"."""
    app = make_app(service, DEMO_PRIVATE_VIEWER)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def _compare_on(video_id: int, *keys: str):
    """run_before: settle, press keys (a perspective, rules), select the video, press C."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await show_video(video_id)(pilot)
        await pilot.press("C")
        await settle(pilot)

    return run_before


def test_compare_small_terminal(snap_compare, service) -> None:
    """Compare platforms at 80×24 as @sam.quiet on video 1 (from the feed): the badge says
    "Compare platforms", one column per preset (seed, tiktok, instagram, x, youtube); the like
    total 48 everywhere; Identifiable 42 under the seed, "1 ≠" under tiktok, x and youtube,
    "48 ≠" under instagram; "Creator sees my like" no under the seed and youtube, "yes ≠" under
    tiktok, instagram and x; the likers by reason (— where a preset has no such reason); the
    last row "the seed / differs" in words, the ≠ legend, and the footer's "esc Back"."""
    app = make_app(service, DEMO_PRIVATE_VIEWER)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_compare_on(DEMO_TOP_VIDEO, "v"))


def test_compare_wide_under_tiktok_rules(snap_compare, service) -> None:
    """Compare platforms at 160×45 as @mia.makes on her video 1 after choosing the TikTok rules
    (R, down, enter): the badge ends "│ TikTok rules", "Your session uses the TikTok rules";
    Identifiable 40 under the seed and "46 ≠" under tiktok, instagram and x (the creator sees
    every liker but the two across a block), "1 ≠" under youtube; creator_inbox 45,
    everyone_who_can_view 45, author_sees_all 45; every preset's rule in one line below; and
    the notification "TikTok rules" with the preset's rule."""
    app = make_app(service, DEMO_CREATOR)
    keys = ("R", "down", "enter")
    assert snap_compare(app, terminal_size=(160, 45), run_before=_compare_on(DEMO_TOP_VIDEO, *keys))


def test_find_dialog_over_the_likers(snap_compare, service) -> None:
    """The studio at 120×36 with the likers focused and `/` pressed: a dialog "Find in the
    likers" holding "bea", with the line "Enter finds; then n next, N previous. Empty: no
    find."; behind it all 8 of @mia.makes's videos, captions whole."""

    async def run_before(pilot) -> None:
        await show_video(DEMO_TOP_VIDEO)(pilot)
        pilot.app.screen.query_one("#likers").focus()
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press("b", "e", "a")
        await settle(pilot)

    app = make_app(service, DEMO_CREATOR)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_studio_sorted_by_likes_and_a_found_liker(snap_compare, service) -> None:
    """The studio at 120×36 after `s` on the videos and a find: the title says "Your videos:
    8 videos · sorted by most likes", the videos by likes (48 first, 13 last), video 8 still
    selected (now sixth); in its likers, sorted by handle (the line above them says "Sorted
    by handle A–Z."), the cursor is on @bea.close, found by "Mia's sister"."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        likers = pilot.app.screen.query_one("#likers")
        likers.focus()
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        pilot.app.screen.query_one(Input).value = "Mia's sister"
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    app = make_app(service, DEMO_CREATOR)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
