"""The app's command palette: every key's action, and the rule sets, as commands.

The commands follow what applies now (the selected video, the highlighted person, the
file being writable), like the footer's keys.
"""

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.screen import Screen

from wholiked.tui import text
from wholiked.tui.read_only import NEEDS_WRITE_NOTE
from wholiked.tui.screens.analytics import AnalyticsScreen
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.widgets.list_table import list_commands

if TYPE_CHECKING:
    from wholiked.tui.app import WholikedApp

PERSPECTIVES = {
    "creator": "Creator studio",
    "analytics": "Analytics",
    "viewer": "Viewer feed",
    "audit": "Audit (omniscient)",
}


def palette_commands(app: "WholikedApp", screen: Screen[Any]) -> Iterable[SystemCommand]:
    """The app's own commands, before Textual's (theme, keys, quit...)."""
    yield SystemCommand(
        "Act as another user (u)",
        "Switch the acting user (type to filter, or type 'act as' and a name)",
        app.action_switch_user,
    )
    for mode, title in PERSPECTIVES.items():
        yield SystemCommand(
            title,
            f"Show the {title.lower()} perspective",
            partial(app.action_perspective, mode),
        )
    targets = app._targets()
    writes = "" if app.service.writable else f" — {NEEDS_WRITE_NOTE}"
    if not app.service.writable:
        yield SystemCommand(
            "Reopen writable (W)",
            f"{text.clean(app.service.file_name)} is open read-only: open it again"
            " writable, as --write would have",
            app.action_reopen_writable,
        )
    if targets.video is not None:
        verb = "Unlike" if targets.video.liked else "Like"
        yield SystemCommand(
            f"{verb} video {targets.video.video.id} (l)",
            f"The video selected in the studio or the feed{writes}",
            app.action_like,
        )
    if targets.person is not None and targets.person != app.acting.id:
        what = f"The highlighted person, else the selected video's creator{writes}"
        relation = app.relation_with(targets.person)
        follow = "Unfollow" if relation is not None and relation.following else "Follow"
        block = "Unblock" if relation is not None and relation.you_blocked else "Block"
        yield SystemCommand(f"{follow} (f)", what, app.action_follow)
        yield SystemCommand(f"{block} (b)", what, app.action_block)
    privacy = "public" if app.acting.is_private else "private"
    yield SystemCommand(
        f"Make my account {privacy} (p)",
        f"@{app.acting.handle} is {'private' if app.acting.is_private else 'public'} now{writes}",
        app.action_privacy,
    )
    yield SystemCommand(
        "People (F)",
        "Your followers, whom you follow, requests to you and blocked accounts, with counts",
        app.action_people,
    )
    yield SystemCommand(
        "Answer follow requests (r)",
        f"People: the requests to you; a approves, d declines{writes}",
        app.action_requests,
    )
    yield SystemCommand(
        "Blocked accounts (B)",
        f"People: the accounts you blocked; b unblocks{writes}",
        app.action_blocked,
    )
    screen_now = app.screen_stack[0] if app.screen_stack else None
    if isinstance(screen_now, BrowseScreen):
        yield SystemCommand(
            "Show or hide tips (t)",
            "Engagement tips computed from your numbers",
            screen_now.action_tips,
        )
    yield from list_commands(screen)
    if isinstance(screen_now, AnalyticsScreen):
        yield SystemCommand(
            "Analytics: one video or all (s)",
            "The video selected in the studio, or all your videos",
            screen_now.action_scope,
        )
        yield SystemCommand(
            "Analytics: next window (w)",
            "7 days, 28 days, 60 days, all time",
            screen_now.action_window,
        )
    if app.video_id is not None:
        yield SystemCommand(
            f"Compare platforms on video {app.video_id} (C)",
            "The video and you under the seed, TikTok, Instagram, X and YouTube rules",
            app.action_compare,
        )
    yield SystemCommand(
        "Platform audit (P)",
        "Omniscient: every video's audit as its creator, added up, under every rule set",
        app.action_platform,
    )
    yield SystemCommand(
        "Platform rules… (R)",
        f"Answer under another platform's rules (in use: {app.service.rules.title})",
        app.action_pick_rules,
    )
    for name, rules in app.service.rule_sets.items():
        if name != app.rules:
            yield SystemCommand(
                f"Use the {rules.title} rules",
                rules.summary,
                partial(app.use_rules, name),
            )
    yield SystemCommand("Help and FAQ", "Keys, rules and your live numbers", app.action_help)
