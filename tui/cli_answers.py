"""The read commands: `likers`, `audience`, `audit` and `compare` (what users see of a
video's likes, the omniscient audit, and every preset side by side).

On a large file nobody has checked yet, the facade checks only the rows an answer reads (a
first answer in about a second instead of a full check of every row).
"""

import json
from pathlib import Path
from typing import Any

import click

from wholiked.core.answers.wording import AUDIENCE_WHO, EXPOSED_WARNING, anonymous_line, plural
from wholiked.core.errors import BadInput
from wholiked.core.rules.policy import LikerRow
from wholiked.core.rules.presets import Preset
from wholiked.core.service import Wholiked, load_rule_file
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
from wholiked.tui.cli_output import emit_json, say, table
from wholiked.tui.factory import make_service


def _liker_json(row: LikerRow) -> dict[str, Any]:
    return {"handle": row.handle, "liked_at": row.liked_at, "reason": row.reason}


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
    service = make_service(db, rules=rules, rows="deferred")
    viewer = service.user(as_handle)
    result = service.likers(video_id, viewer, limit=limit)
    if fmt in ("csv", "nl"):
        rows = (_liker_json(r) for r in result.identifiable)
        cli_output.emit_rows(fmt, ("handle", "liked_at", "reason"), rows)
        return
    if as_json:
        emit_json(
            {
                "video_id": result.video.id,
                "creator": result.video.creator_handle,
                "total": result.total,
                "identifiable": [_liker_json(r) for r in result.identifiable],
                "anonymous": result.anonymous,
            }
        )
        return
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
        click.echo(more)
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
    service = make_service(db, rules=rules, rows="deferred")
    a = service.audience(video_id, service.user(as_handle))
    if as_json:
        emit_json(
            {
                "video_id": a.video.id,
                "liker": a.liker.handle,
                "liked": a.liked,
                "creator_can_see": a.creator_can_see,
                "reason": a.reason,
                "audience": a.audience,
                "audience_at_most": a.audience_at_most,
                "effectively_identifiable": a.effectively_identifiable,
            }
        )
        return
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
    service = make_service(db, rules=rules, rows="deferred")
    viewer = service.user(as_handle) if as_handle else None
    result = service.audit(video_id, viewer, limit=limit)
    likers_json = []
    for r in result.likers:
        item: dict[str, Any] = {"handle": r.handle, "liked_at": r.liked_at}
        if viewer is not None:
            item.update(identifiable=r.identifiable, reason=r.reason)
        likers_json.append(item)
    if fmt in ("csv", "nl"):
        fields = ["handle", "liked_at"] + (["identifiable", "reason"] if viewer else [])
        cli_output.emit_rows(fmt, fields, likers_json)
        return
    if as_json:
        report: dict[str, Any] = {
            "video_id": result.video.id,
            "total": result.total,
            "likers": likers_json,
        }
        if result.anonymity is not None:
            report["audience_count"] = result.audience_count
            report["anonymity"] = {
                "anonymous": result.anonymity.anonymous,
                "candidates": result.anonymity.candidates,
                "effectively_identifiable": result.anonymity.effectively_identifiable,
            }
        emit_json(report)
        return
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
            click.echo(more)
        return
    if result.anonymity is not None:
        seen = result.anonymity
        verdict = "effectively identifiable" if seen.effectively_identifiable else "hidden"
        click.echo(
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
        click.echo(more)


COMPARE_COLUMNS = (
    "preset",
    "can_view",
    "total",
    "identifiable",
    "anonymous",
    "creator_can_see_my_like",
    "reasons",
    "differs_from_seed",
)


def _compare_rows(comparison: Any) -> list[dict[str, Any]]:
    """One row per preset: the JSON's values (null where the asker cannot view) and what
    differs from the seed."""
    rows = []
    for name, view in comparison.as_json()["presets"].items():
        row: dict[str, Any] = {"preset": name}
        row.update(view or dict.fromkeys(COMPARE_COLUMNS[1:-1]))
        row["can_view"] = view is not None
        row["differs_from_seed"] = comparison.differs_from_seed(name)
        rows.append(row)
    return rows


@click.command()
@click.argument("video_id", type=SQL_INT)
@as_option(required=True)
@db_option
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per preset (0/1 booleans).")
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
    if as_json + as_csv + as_nl > 1:
        raise BadInput("choose one of --json, --csv and --nl")
    loaded = tuple(load_rule_file(Path(f)) for f in files)
    service = make_service(db)
    if loaded:
        service = Wholiked(service.db, files=loaded)
    comparison = service.compare(video_id, service.user(as_handle))
    if as_json:
        emit_json(comparison.as_json())
        return
    rows = _compare_rows(comparison)
    if as_nl:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=True))
        return
    if as_csv:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COMPARE_COLUMNS)
        for row in rows:
            reasons = json.dumps(row["reasons"]) if row["reasons"] is not None else ""
            values = [row[c] for c in COMPARE_COLUMNS[:-2]]
            writer.writerow(
                [
                    *("" if v is None else int(v) if isinstance(v, bool) else v for v in values),
                    reasons,
                    " ".join(row["differs_from_seed"]),
                ]
            )
        click.echo(out.getvalue(), nl=False)
        return
    video = comparison.video
    click.echo(
        f"Video {video.id} by @{video.creator_handle}, as @{comparison.asker.handle},"
        " under every preset:"
    )

    def cell(row: dict[str, Any], key: str) -> str:
        value = row[key]
        if value is None:
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        return f"{value:,}" if isinstance(value, int) else str(value)

    table(
        (
            "preset",
            "can view",
            "total",
            "identifiable",
            "anonymous",
            "creator sees my like",
            "reasons",
            "vs seed",
        ),
        (
            (
                row["preset"],
                *(cell(row, k) for k in COMPARE_COLUMNS[1:-2]),
                ", ".join(f"{r} {n:,}" for r, n in (row["reasons"] or {}).items()) or "-",
                "same as seed" if not row["differs_from_seed"] else "differs from seed",
            )
            for row in rows
        ),
    )


COMMANDS = {c.name: c for c in (likers, audience, audit, compare)}
