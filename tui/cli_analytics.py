"""`analytics` and `tips`: the creator's released counts and public totals, and the
engagement tips, each for the acting user. On a large file nobody has checked, analytics
checks the rows the creator's release reads; tips check the whole file first."""

from pathlib import Path

import click

from wholiked.core.answers.forms import json_form
from wholiked.core.answers.wording import (
    BLURRED_WHY,
    TOO_FEW,
    TOO_FEW_TO_BREAK_DOWN,
    odometer_words,
    released,
    stands_clear,
    video_scope_cell,
    video_scope_words,
)
from wholiked.core.release.daily import Released
from wholiked.core.rules.presets import Preset
from wholiked.core.service import Analytics, RowCheck
from wholiked.tui.cli_help import Whole
from wholiked.tui.cli_options import SQL_INT, as_option, db_option, json_option, rules_option
from wholiked.tui.cli_output import emit_json, say, table
from wholiked.tui.factory import make_service


@click.command("analytics")
@as_option(required=True)
@db_option
@json_option
@click.option(
    "--video", "video_id", type=SQL_INT, help="One of your videos (default: all of them)."
)
@click.option(
    "--window",
    type=click.Choice(["7d", "28d", "60d", "all"]),
    default="28d",
    show_default=True,
    help="Likes in the last N days before the reference time, or all time.",
)
@click.option(
    "--k",
    type=Whole(0, metavar="K"),
    default=5,
    show_default=True,
    help='Display threshold: blurred values below it show as "<K" (K: 5 or more).',
)
@rules_option
def analytics_command(
    as_handle: str,
    db: Path | None,
    as_json: bool,
    video_id: int | None,
    window: str,
    k: int,
    rules: Preset,
) -> None:
    """Analytics of a creator's own videos: exact public totals, and the day's
    differentially private release of liker counts (blurred on purpose).

    Released values are "value" with a 90% "margin90"; below K they show as
    "<K". Exit 3 for a personal account, someone else's video, or a video you
    cannot view.

    \b
    Example:
      wholiked analytics --as mia.makes
      wholiked analytics --as luna.loops --window 7d --json
      wholiked analytics --as mia.makes --video 1 --window all
    """

    service = make_service(db, rules=rules, rows=RowCheck.DEFERRED, beside=True)
    creator = service.user(as_handle)
    report = service.analytics(creator, video_id=video_id, window=window, k=k)
    if as_json:
        emit_json(json_form(report))
        return
    _analytics_text(report, as_handle.lstrip("@").lower())


def _analytics_text(report: Analytics, handle: str) -> None:
    scope = "all videos" if report.video_id is None else f"video {report.video_id}"
    privacy = report.privacy
    say(
        f"Analytics of @{handle}, {scope}, window {report.window}; release of"
        f" {report.release_day} (epsilon {privacy.epsilon:g}, threshold {privacy.threshold})"
    )
    say(odometer_words(privacy.odometer, report.release_day))
    t = report.totals
    if scopes := video_scope_words(privacy.video_scopes, report.video_id, t.likes):
        say(scopes)
    if report.likers is not None:
        say(BLURRED_WHY)
    rows: list[tuple[str, object]] = [
        ("videos", t.videos),
        ("likes", t.likes),
        ("comments", t.comments),
        ("views", t.views),
        ("shares", t.shares),
        ("engagement_rate", t.engagement_rate),
    ]
    if report.likers is not None:
        rows.append(("likers", released(report.likers)))
    table(("total", "value"), rows)
    for dimension, buckets in report.breakdowns.items():
        say()
        say(f"by {dimension} (liker accounts):")
        _released_rows(dimension, buckets, TOO_FEW_TO_BREAK_DOWN)
    if report.likers is not None:
        say()
        say("new liker accounts per day:")
        _released_rows("day", report.new_likers_per_day, "too few to tell on every day")
    say()
    _videos_table(report)


def _videos_table(report: Analytics) -> None:
    """The per-video table; with a rule for per-video scopes, whether each has its own."""
    scopes = report.privacy.video_scopes
    own = scopes.min_likes > 0
    say("videos (public totals, exact" + ("; own: analytics of its own today):" if own else "):"))
    headers = ("video", "posted", "likes", "views", "comments", *(("own",) if own else ()))
    table(
        (*headers, "caption"),
        [
            (
                v.video_id,
                v.posted_at[:10],
                v.likes,
                v.views,
                v.comments,
                *((video_scope_cell(scopes, v.video_id),) if own else ()),
                v.caption,
            )
            for v in report.videos
        ],
    )


def _released_rows(name: str, cells: dict[str, Released], none_clear: str) -> None:
    """Released cells as a table of those that stand clear of their noise, the others named
    in one line (or the whole group in one line when none does), as the app's bars do."""
    clear = [(b, released(v)) for b, v in cells.items() if stands_clear(v)]
    if not clear:
        say(f"  {none_clear}")
        return
    table((name, "likers"), clear)
    if hidden := [b for b, v in cells.items() if not stands_clear(v)]:
        say(f"  {TOO_FEW}: {', '.join(hidden)}")


@click.command("tips")
@as_option(required=True)
@db_option
@json_option
@rules_option
def tips_command(as_handle: str, db: Path | None, as_json: bool, rules: Preset) -> None:
    """Engagement tips for the acting user, each with the numbers it rests on.

    What counts as visible to them follows --rules.

    Example: wholiked tips --as sam.quiet --rules instagram --json
    """

    service = make_service(db, rules=rules, beside=True)
    found = service.tips(service.user(as_handle))
    if as_json:
        emit_json([json_form(tip) for tip in found])
        return
    for tip in found:
        say(f"[{tip.perspective}] {tip.title}")
        say(f"    {tip.detail}")


COMMANDS = {c.name: c for c in (analytics_command, tips_command)}
