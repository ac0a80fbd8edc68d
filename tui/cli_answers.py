"""The read commands: `likers`, `audience`, `audit` and `compare` (what users see of a
video's likes, the omniscient audit, and every preset side by side).

On a large file nobody has checked yet, the facade checks only the rows an answer reads (a
first answer in about a second instead of a full check of every row).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from wholiked.core.answers.forms import COMPARE_FIELDS, row_form
from wholiked.core.answers.wording import (
    AUDIENCE_WHO,
    EXPOSED_WARNING,
    RULES_IN_FORCE,
    anonymous_line,
    plural,
)
from wholiked.core.rules.presets import Preset
from wholiked.core.service import RowCheck, load_rule_file
from wholiked.tui import cli_output
from wholiked.tui.cli_options import (
    COUNT,
    SQL_INT,
    as_option,
    db_option,
    json_option,
    list_output,
    rules_option,
)
from wholiked.tui.cli_output import emit, say, table
from wholiked.tui.factory import make_service

if TYPE_CHECKING:
    from wholiked.core.service import Audience, Audit, Comparison, Likers


@click.command()
@click.argument("video_id", type=SQL_INT)
@as_option(required=True)
@db_option
@json_option
@list_output
@rules_option
@click.option(
    "--limit", type=COUNT, help="At most N identifiable likers (N: 0 or more; counts stay whole)."
)
def likers(
    video_id: int,
    as_handle: str,
    db: Path | None,
    as_json: bool,
    as_csv: bool,
    as_nl: bool,
    limit: int | None,
    rules: Preset,
) -> None:
    """Like total, the likers identifiable to --as (with reasons), and the anonymous count.

    Identifiable likers are ordered by liked_at (newest first), then handle.
    Exit 3 when the acting user cannot view the video. --csv and --nl print the
    list only (handle, liked_at, reason), one row per liker.

    \b
    Example:
      wholiked likers 1 --as mia.makes
      wholiked likers 1 --as mia.makes --json --limit 5
      wholiked likers 1 --as mia.makes --json --rules tiktok
      wholiked likers 1 --as mia.makes --csv > likers.csv
      wholiked likers 1 --as mia.makes --nl | sqlite-utils insert seen.db likers - --nl
    """
    fmt = cli_output.chosen_format(json_=as_json, csv_=as_csv, nl=as_nl)
    service = make_service(db, rules=rules, rows=RowCheck.DEFERRED)
    emit(service.likers(video_id, service.user(as_handle), limit=limit), fmt, _likers_text)


def _likers_text(result: Likers) -> None:
    say(
        f"Video {result.video.id} by @{result.video.creator_handle}, as @{result.viewer.handle}:"
        f" {plural(result.total, 'like')}, {result.identifiable_count:,} identifiable,"
        f" {result.anonymous:,} anonymous"
    )
    table(
        ("liked_at", "handle", "display name", "reason"),
        ((r.liked_at, "@" + r.handle, r.display_name or "", r.reason) for r in result.identifiable),
    )
    more = cli_output.more_line(
        len(result.identifiable), result.identifiable_count, "identifiable liker"
    )
    if more:
        say(more)
    if result.anonymous:
        say(anonymous_line(result.anonymous, result.anonymous_who))


@click.command()
@click.argument("video_id", type=SQL_INT)
@as_option(required=True)
@db_option
@json_option
@rules_option
def audience(video_id: int, as_handle: str, db: Path | None, as_json: bool, rules: Preset) -> None:
    """Who can see --as's like of a video (given, or the one they would give).

    Says whether the creator can see it and why, at most how many users can
    (from --as's own followers; the exact number is the audit's), and warns when
    the like, though anonymous, is effectively identifiable to the creator.
    Exit 3 when the acting user cannot view the video.

    \b
    Example:
      wholiked audience 1 --as sam.quiet
      wholiked audience 1 --as sam.quiet --json
    """
    service = make_service(db, rules=rules, rows=RowCheck.DEFERRED)
    fmt = "json" if as_json else "text"
    emit(service.audience(video_id, service.user(as_handle)), fmt, _audience_text)


def _audience_text(a: Audience) -> None:
    verb = "liked" if a.liked else "has not liked (this is who would see it)"
    can = "can" if a.creator_can_see else "cannot"
    say(f"@{a.liker.handle} {verb} video {a.video.id} by @{a.video.creator_handle}.")
    say(f"The creator {can} see this like: {a.reason}.")
    words = {
        "everyone": "everyone who can view the video",
        "approved_followers": "approved followers",
    }
    who = words.get(a.audience) or AUDIENCE_WHO.get(a.audience, a.audience)
    say(f"Audience: {who} (at most {plural(a.audience_at_most, 'user')}).")
    if a.effectively_identifiable:
        say(EXPOSED_WARNING)


@click.command()
@click.argument("video_id", type=SQL_INT)
@as_option(required=False)
@db_option
@json_option
@list_output
@click.option("--limit", type=COUNT, help="At most N likers (N: 0 or more).")
@rules_option
def audit(
    video_id: int,
    as_handle: str | None,
    db: Path | None,
    as_json: bool,
    as_csv: bool,
    as_nl: bool,
    limit: int | None,
    rules: Preset,
) -> None:
    """Every liker of a video (omniscient: not what any user sees).

    With --as, each liker's verdict and reason for that user (under --rules); exit 3
    when that user cannot view the video. --csv and --nl print the list only, one row per
    liker.

    \b
    Example:
      wholiked audit 1
      wholiked audit 1 --as mia.makes --json --rules x
      wholiked audit 1 --as mia.makes --csv > verdicts.csv
    """
    fmt = cli_output.chosen_format(json_=as_json, csv_=as_csv, nl=as_nl)
    service = make_service(db, rules=rules, rows=RowCheck.DEFERRED)
    viewer = service.user(as_handle) if as_handle else None
    emit(service.audit(video_id, viewer, limit=limit), fmt, _audit_text)


def _audit_text(result: Audit) -> None:
    viewer = result.viewer
    say(
        f"AUDIT (omniscient, not what any user sees): video {result.video.id}"
        f" by @{result.video.creator_handle}, {plural(result.total, 'like')}"
        + (f", verdicts for @{viewer.handle}" if viewer else "")
    )
    headers = ("liked_at", "handle", "display name")
    more = cli_output.more_line(len(result.likers), result.total, "liker")
    if viewer is None:
        table(headers, ((r.liked_at, "@" + r.handle, r.display_name or "") for r in result.likers))
        if more:
            say(more)
        return
    if result.anonymity is not None:
        seen = result.anonymity
        verdict = "effectively identifiable" if seen.effectively_identifiable else "hidden"
        say(
            f"For @{viewer.handle}: {seen.anonymous:,} anonymous among"
            f" {plural(seen.candidates, 'candidate')} ({verdict});"
            f" @{viewer.handle}'s like would be seen by exactly"
            f" {plural(result.audience_count or 0, 'user')}"
        )
    table(
        (*headers, "verdict", "reason"),
        (
            (
                r.liked_at,
                "@" + r.handle,
                r.display_name or "",
                "identifiable" if r.identifiable else "hidden",
                r.reason,
            )
            for r in result.likers
        ),
    )
    if more:
        say(more)


@click.command()
@click.argument("video_id", type=SQL_INT)
@as_option(required=True)
@db_option
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per preset.")
@click.option("--nl", "as_nl", is_flag=True, help="Print one JSON object per preset per line.")
@click.option(
    "--rules",
    "files",
    multiple=True,
    metavar="FILE.toml",
    help="Compare a rule file's rules too, after the presets (repeat for more files).",
)
def compare(
    video_id: int,
    as_handle: str,
    db: Path | None,
    as_json: bool,
    as_csv: bool,
    as_nl: bool,
    files: tuple[str, ...],
) -> None:
    """The same video and acting user under every platform preset, side by side.

    Counts, never lists: can view, total, identifiable, anonymous, the identifiable
    likers by reason, and whether the creator can see --as's like. A preset where
    --as cannot view the video is null; exit 3 when no preset lets them view it.
    Each --rules FILE.toml adds its rule set after the presets.

    \b
    Example:
      wholiked compare 1 --as sam.quiet --json
      wholiked compare 1 --as mia.makes --rules mine.toml
    """
    fmt = cli_output.chosen_format(json_=as_json, csv_=as_csv, nl=as_nl)
    loaded = tuple(load_rule_file(Path(f)) for f in files)
    service = make_service(db)
    if loaded:
        service = service.with_files(loaded)
    emit(service.compare(video_id, service.user(as_handle)), fmt, _compare_text)


def _compare_cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _compare_text(comparison: Comparison) -> None:
    video = comparison.video
    say(
        f"Video {video.id} by @{video.creator_handle}, as @{comparison.asker.handle},"
        " under every preset:"
    )
    headers = ("preset", "can view", "total", "identifiable", "anonymous")
    table(
        (*headers, "creator sees my like", "reasons", "vs seed"),
        (
            (
                row["preset"],
                *(_compare_cell(row[k]) for k in COMPARE_FIELDS[1:-2]),
                ", ".join(f"{r} {n:,}" for r, n in (row["reasons"] or {}).items()) or "-",
                "same as seed" if not row["differs_from_seed"] else "differs from seed",
            )
            for row in row_form(comparison).rows
        ),
    )
    say(RULES_IN_FORCE)


COMMANDS = {c.name: c for c in (likers, audience, audit, compare)}
