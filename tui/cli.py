"""The `wholiked` command line: a stable, scriptable contract (DESIGN.md, "CLI").

This module never imports Textual (only the `tui` command does, lazily), so
scripted calls start fast. Errors are one line on stderr with exit 2 (bad
input) or 3 (not permitted). Every line of text output (not JSON, whose
escapes are inert) goes through `core.text.printable`, the sanitiser the app
uses too, so no escape sequence or invisible character from a file reaches
the terminal.

`likers`, `audience` and `audit` check only the rows they read on a large
file nobody has checked yet (a first answer in about a second instead of a
full check of every row); every other command checks the whole file first.
"""

import csv
import io
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from wholiked import __version__
from wholiked.core.answers.wording import (
    AUDIENCE_WHO,
    BLURRED_WHY,
    EXPOSED_WARNING,
    anonymous_line,
    plural,
    released,
)
from wholiked.core.errors import BadInput, WholikedError
from wholiked.core.rules.policy import LikerRow
from wholiked.core.rules.presets import DEFAULT, PRESETS
from wholiked.core.store.database import describe_sqlite_error
from wholiked.core.text import printable
from wholiked.tui.factory import ensure_demo_copy, make_service

SQL_INT = click.IntRange(min=-(2**63), max=2**63 - 1)
"""An integer SQLite can hold (ids outside it are refused as bad input, exit 2)."""
COUNT = click.IntRange(min=0, max=2**62)

DB_HELP = "SQLite file in the wholiked format (default: the demo world's working copy)."


def _db_option(f: Callable) -> Callable:
    return click.option(
        "--db",
        "db",
        type=click.Path(path_type=Path, dir_okay=True),
        default=None,
        help=DB_HELP,
    )(f)


def _as_option(required: bool) -> Callable[[Callable], Callable]:
    return click.option(
        "--as",
        "as_handle",
        required=required,
        metavar="HANDLE",
        help="Act as this user (handle, with or without @).",
    )


_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")

_rules_option = click.option(
    "--rules",
    type=click.Choice(list(PRESETS)),
    default=DEFAULT,
    show_default=True,
    help="Answer under this platform's rules (seed: the article's model; see the README).",
)


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=True, indent=2))


def _n(count: int, noun: str) -> str:
    """'1 video', '2 videos'."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _say(text: str = "") -> None:
    """One line of text output, made safe for the terminal."""
    click.echo(printable(text))


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Print rows as aligned columns; every cell goes through printable()."""
    cells = [[printable(str(c), limit=40) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    _say("  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)))
    for row in cells:
        _say("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _liker_json(row: LikerRow) -> dict[str, Any]:
    return {"handle": row.handle, "liked_at": row.liked_at, "reason": row.reason}


@click.group(
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="wholiked")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Can you see who liked your video? Act as any user and see what they can see.

    Without a command, opens the terminal app on the demo world.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui_command)


@cli.command("tui")
@_db_option
@_as_option(required=False)
@click.option("--write", is_flag=True, help="Allow changes to a --db file (the demo is writable).")
@_rules_option
def tui_command(db: Path | None, as_handle: str | None, write: bool, rules: str) -> None:
    """Open the terminal app (R picks another preset while it runs)."""
    # The app checks a large file's rows in the background.
    service = make_service(db, write=write, rules=rules, rows="deferred")
    acting = service.user(as_handle) if as_handle else None
    from wholiked.tui.app import run_app  # Textual is imported only here

    run_app(service, acting)


@cli.command()
@click.argument("video_id", type=SQL_INT)
@_as_option(required=True)
@_db_option
@_json_option
@click.option("--limit", type=COUNT, help="At most N identifiable likers.")
@_rules_option
def likers(
    video_id: int, as_handle: str, db: Path | None, as_json: bool, limit: int | None, rules: str
) -> None:
    """Like total, the likers identifiable to --as (with reasons), and the anonymous count.

    Identifiable likers are ordered by liked_at (newest first), then handle.
    Exit 3 when the acting user cannot view the video.

    Example: wholiked likers 1 --as mia.makes --json --rules tiktok
    """
    service = make_service(db, rules=rules, rows="deferred")
    viewer = service.user(as_handle)
    service.db.check_scope(videos=(video_id,), likers_of=(video_id,), users=(viewer.id,))
    result = service.likers(video_id, viewer, limit=limit)
    service.db.check_listed(video_id, result.identifiable)
    if as_json:
        _emit_json(
            {
                "video_id": result.video.id,
                "creator": result.video.creator_handle,
                "total": result.total,
                "identifiable": [_liker_json(r) for r in result.identifiable],
                "anonymous": result.anonymous,
            }
        )
        return
    _say(
        f"Video {result.video.id} by @{result.video.creator_handle}, as @{result.viewer.handle}:"
        f" {plural(result.total, 'like')}, {result.identifiable_count:,} identifiable,"
        f" {result.anonymous:,} anonymous"
    )
    _table(
        ("liked_at", "handle", "display name", "reason"),
        ((r.liked_at, "@" + r.handle, r.display_name or "", r.reason) for r in result.identifiable),
    )
    if result.anonymous:
        _say(anonymous_line(result.anonymous, result.anonymous_who))


@cli.command()
@click.argument("video_id", type=SQL_INT)
@_as_option(required=True)
@_db_option
@_json_option
@_rules_option
def audience(video_id: int, as_handle: str, db: Path | None, as_json: bool, rules: str) -> None:
    """Who can see --as's like of a video (given, or the one they would give).

    Says whether the creator can see it and why, at most how many users can
    (from --as's own followers; the exact number is the audit's), and warns when
    the like, though anonymous, is effectively identifiable to the creator.
    Exit 3 when the acting user cannot view the video.

    Example: wholiked audience 1 --as sam.quiet --json
    """
    service = make_service(db, rules=rules, rows="deferred")
    liker = service.user(as_handle)
    people = (liker.id, service.video(video_id).creator_id)
    service.db.check_scope(videos=(video_id,), users=people, followers_of=people)
    a = service.audience(video_id, liker)
    if as_json:
        _emit_json(
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
    _say(f"@{a.liker.handle} {verb} video {a.video.id} by @{a.video.creator_handle}.")
    _say(f"The creator {can} see this like: {a.reason}.")
    who = {
        "everyone": "everyone who can view the video",
        "approved_followers": "approved followers",
    }
    who = who.get(a.audience) or AUDIENCE_WHO.get(a.audience, a.audience)
    _say(f"Audience: {who} (at most {plural(a.audience_at_most, 'user')}).")
    if a.effectively_identifiable:
        _say(EXPOSED_WARNING)


@cli.command()
@click.argument("video_id", type=SQL_INT)
@_as_option(required=False)
@_db_option
@_json_option
@click.option("--limit", type=COUNT, help="At most N likers.")
@_rules_option
def audit(
    video_id: int,
    as_handle: str | None,
    db: Path | None,
    as_json: bool,
    limit: int | None,
    rules: str,
) -> None:
    """Every liker of a video (omniscient: not what any user sees).

    With --as, each liker's verdict and reason for that user (under --rules); exit 3
    when that user cannot view the video.

    Example: wholiked audit 1 --as mia.makes --rules x
    """
    service = make_service(db, rules=rules, rows="deferred")
    viewer = service.user(as_handle) if as_handle else None
    people = (viewer.id,) if viewer else ()
    service.db.check_scope(videos=(video_id,), likers_of=(video_id,), users=people)
    result = service.audit(video_id, viewer, limit=limit)
    service.db.check_listed(video_id, result.likers)
    if as_json:
        likers_json = []
        for r in result.likers:
            item: dict[str, Any] = {"handle": r.handle, "liked_at": r.liked_at}
            if viewer is not None:
                item.update(identifiable=r.identifiable, reason=r.reason)
            likers_json.append(item)
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
        _emit_json(report)
        return
    _say(
        f"AUDIT (omniscient, not what any user sees): video {result.video.id}"
        f" by @{result.video.creator_handle}, {result.total} likes"
        + (f", verdicts for @{viewer.handle}" if viewer else "")
    )
    headers = ("liked_at", "handle", "display name")
    if viewer is None:
        _table(headers, ((r.liked_at, "@" + r.handle, r.display_name or "") for r in result.likers))
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
    _table(
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


@cli.command()
@click.argument("video_id", type=SQL_INT)
@_as_option(required=True)
@_db_option
@_json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per preset (0/1 booleans).")
@click.option("--nl", "as_nl", is_flag=True, help="Print one JSON object per preset per line.")
def compare(
    video_id: int, as_handle: str, db: Path | None, as_json: bool, as_csv: bool, as_nl: bool
) -> None:
    """The same video and acting user under every platform preset, side by side.

    Counts, never lists: can view, total, identifiable, anonymous, the identifiable
    likers by reason, and whether the creator can see --as's like. A preset where
    --as cannot view the video is null; exit 3 when no preset lets them view it.

    Example: wholiked compare 1 --as sam.quiet --json
    """
    if as_json + as_csv + as_nl > 1:
        raise BadInput("choose one of --json, --csv and --nl")
    service = make_service(db)
    comparison = service.compare(video_id, service.user(as_handle))
    if as_json:
        _emit_json(comparison.as_json())
        return
    rows = _compare_rows(comparison)
    if as_nl:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=True))
        return
    if as_csv:
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

    _table(
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


_write_option = click.option(
    "--write", is_flag=True, help="Allow changing a --db file (the demo world is always writable)."
)


def _act(db: Path | None, write: bool, as_handle: str, as_json: bool, action: Callable) -> None:
    service = make_service(db, write=write)
    outcome = action(service, service.user(as_handle))
    if as_json:
        _emit_json({"ok": True, "message": outcome.message})
    else:
        _say(outcome.message)


def _action(name: str, doc: str, arg: str, arg_type: Any) -> None:
    """Register `wholiked NAME ARG --as H [--db] [--write] [--json]` for the action NAME."""

    @cli.command(name, help=doc)
    @click.argument(arg, type=arg_type)
    @_as_option(required=True)
    @_db_option
    @_write_option
    @_json_option
    def command(as_handle: str, db: Path | None, write: bool, as_json: bool, **kwargs: Any) -> None:
        def run(service: Any, actor: Any) -> Any:
            value = kwargs[arg]
            other = service.user(value) if arg == "handle" else value
            return getattr(service, name)(actor, other)

        _act(db, write, as_handle, as_json, run)


_action("like", "Like a video as --as (who can see the like is printed).", "video_id", SQL_INT)
_action("unlike", "Remove --as's like of a video.", "video_id", SQL_INT)
for _name, _doc in [
    ("follow", "Follow HANDLE (a request stays pending until a private account approves)."),
    ("unfollow", "Stop following HANDLE, or withdraw a pending request."),
    ("approve", "Approve HANDLE's pending follow request (reveals your likes to them)."),
    ("deny", "Decline HANDLE's pending follow request."),
    ("block", "Block HANDLE (removes follows both ways; hides videos and likes)."),
    ("unblock", "Lift your block of HANDLE."),
]:
    _action(_name, _doc, "handle", str)


@cli.command("set-private")
@click.argument("state", type=click.Choice(["on", "off"]))
@_as_option(required=True)
@_db_option
@_write_option
@_json_option
def set_private(state: str, as_handle: str, db: Path | None, write: bool, as_json: bool) -> None:
    """Make --as's account private (on) or public (off).

    Going public approves every pending follow request, as on the platform.
    """
    _act(db, write, as_handle, as_json, lambda s, u: s.set_private(u, state == "on"))


DRIFT_EXIT = 4
"""Exit code of `wholiked index --check` when the counters need rebuilding."""


@cli.command()
@click.argument("db", type=click.Path(path_type=Path))
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help=f"Compare every counter with a fresh count and change nothing; exit {DRIFT_EXIT}"
    " when one differs or the counters cannot be used.",
)
def index(db: Path, check_only: bool) -> None:
    """Add wholiked's indexes and exact per-video counters to a database file.

    Only wholiked's own objects are added (named wholiked_*); no user row is
    changed. Without them every answer is the same, only slower. With --check,
    report whether the counters agree with a fresh count of the likes.

    Example: wholiked index mine.db --check
    """
    from wholiked.core.store.database import open_database

    if check_only:
        _check_counters(db)
        return
    database = open_database(db, writable=True, derived=False)
    try:
        database.add_derived(rebuild=True)
    finally:
        database.close()
    _say(f"{db}: indexes and counters in place (counted afresh)")


def _check_counters(db: Path) -> None:
    from wholiked.core.store.database import open_database
    from wholiked.core.store.drift import drift

    database = open_database(db, rows="none", derived=False)
    try:
        with database.snapshot() as conn:
            report = drift(conn)
    finally:
        database.close()
    if not report.present:
        _say(f"{db}: no counters (answers count likes live; `wholiked index {db}` adds them)")
        return
    for video, said, fresh in report.differences[:20]:
        _say(
            f"  video {video}: counters {said[0]:,} likes ({said[1]:,} private),"
            f" fresh count {fresh[0]:,} likes ({fresh[1]:,} private)"
        )
    if len(report.differences) > 20:
        _say(f"  ... and {len(report.differences) - 20:,} more videos")
    if report.unusable:
        _say(
            f"{db}: counters not in use ({report.unusable}); answers count likes live,"
            f" {len(report.differences):,} of {report.videos:,} stored counters differ;"
            f" `wholiked index {db}` rebuilds them"
        )
        sys.exit(DRIFT_EXIT)
    if not report.exact:
        copy = (
            f"; the privacy copy differs for {report.copy_differences:,} users"
            if report.copy_differences
            else ""
        )
        _say(
            f"{db}: counters drifted: {len(report.differences):,} of {report.videos:,} videos"
            f" differ from a fresh count{copy}; `wholiked index {db}` rebuilds them"
        )
        sys.exit(DRIFT_EXIT)
    pending = ""
    if report.pending_videos or report.pending_users:
        pending = (
            f"; {_n(report.pending_videos, 'video')} and {_n(report.pending_users, 'user')}"
            " marked for repair after other programs' writes, corrected on the fly"
        )
    _say(f"{db}: counters exact ({report.videos:,} videos match a fresh count{pending})")


@cli.command()
@click.argument("db", type=click.Path(path_type=Path))
def unindex(db: Path) -> None:
    """Remove everything wholiked added to a file: its indexes, tables and triggers.

    Drops every object named wholiked_* in one transaction; no row of the
    format's tables (or any table of yours) changes.

    Example: wholiked unindex mine.db
    """
    from wholiked.core.store.database import open_database, remove_derived

    database = open_database(db, writable=True, rows="none", derived=False)
    try:
        with database.transaction() as conn:
            dropped = remove_derived(conn)
    finally:
        database.close()
    kinds = sorted({kind for kind, _ in dropped})
    what = f"{len(dropped)} objects ({', '.join(kinds)})" if dropped else "nothing to remove"
    _say(f"{db}: removed {what}; no row of yours changed")


@cli.command()
@_db_option
def check(db: Path | None) -> None:
    """Check every row of a database against the format: valid, or the first problem.

    One line: that the file is valid, or (exit 2) the table, row and field of
    the first row that breaks the format. A valid result is remembered, so
    opening the unchanged file again costs nothing.

    Example: wholiked check --db mine.db
    """
    from wholiked.core.store.database import open_database

    path = db if db is not None else ensure_demo_copy()
    label = str(db) if db is not None else "the demo world"
    database = open_database(path, label=label, rows="deferred")
    try:
        if not database.rows_checked:
            database.check_all()
    finally:
        database.close()
    _say(f"{label}: valid (every row follows the format)")


@cli.command("analytics")
@_as_option(required=True)
@_db_option
@_json_option
@click.option("--video", "video_id", type=SQL_INT, help="One of your videos (default: all).")
@click.option(
    "--window",
    type=click.Choice(["7d", "28d", "60d", "all"]),
    default="28d",
    show_default=True,
    help="Likes in the last N days before the reference time, or all time.",
)
@click.option(
    "--k",
    type=COUNT,
    default=5,
    show_default=True,
    help='Display threshold: blurred values below it show as "<K" (5 or more).',
)
@_rules_option
def analytics_command(
    as_handle: str,
    db: Path | None,
    as_json: bool,
    video_id: int | None,
    window: str,
    k: int,
    rules: str,
) -> None:
    """Analytics of a creator's own videos: exact public totals, and the day's
    differentially private release of liker counts (blurred on purpose).

    Released values are "value" with a 90% "margin90"; below K they show as
    "<K". Exit 3 for a personal account, someone else's video, or a video you
    cannot view.

    Example: wholiked analytics --as luna.loops --window 7d --json
    """

    service = make_service(db, rules=rules)
    report = service.analytics(service.user(as_handle), video_id=video_id, window=window, k=k)
    if as_json:
        _emit_json(report)
        return
    scope = "all videos" if report["scope"] == "all" else f"video {report['scope']['video_id']}"
    privacy = report["privacy"]
    _say(
        f"Analytics of @{as_handle.lstrip('@').lower()}, {scope}, window {window}; release of"
        f" {report['release_day']} (epsilon {privacy['epsilon']:g}, threshold"
        f" {privacy['threshold']})"
    )
    _say(BLURRED_WHY)
    totals = report["totals"]
    _table(
        ("total", "value"),
        [(name, released(v) if isinstance(v, dict) else v) for name, v in totals.items()],
    )
    for dimension, buckets in report["breakdowns"].items():
        _say(f"\nby {dimension} (liker accounts):")
        _table((dimension, "likers"), [(b, released(v)) for b, v in buckets.items()])


@cli.command("tips")
@_as_option(required=True)
@_db_option
@_json_option
@_rules_option
def tips_command(as_handle: str, db: Path | None, as_json: bool, rules: str) -> None:
    """Engagement tips for the acting user, each with the numbers it rests on.

    What counts as visible to them follows --rules.

    Example: wholiked tips --as sam.quiet --rules instagram --json
    """

    service = make_service(db, rules=rules)
    found = service.tips(service.user(as_handle))
    if as_json:
        _emit_json(found)
        return
    for tip in found:
        _say(f"[{tip['perspective']}] {tip['title']}")
        _say(f"    {tip['detail']}")


@cli.command()
def reset() -> None:
    """Rebuild the demo world's working copy from the pristine fixture."""
    path = ensure_demo_copy(fresh=True)
    _say(f"demo world reset: {path}")


@cli.group()
def fixtures() -> None:
    """Build the demo world or a synthetic world."""


def _check_out(out: Path, force: bool) -> None:
    if out.is_dir():
        raise BadInput(f"{out}: is a directory")
    if out.exists():
        if not force:
            raise BadInput(f"{out}: already exists (use --force to replace it)")
        out.unlink()


@fixtures.command("demo")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="File to create.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def fixtures_demo(out: Path, force: bool) -> None:
    """Build the curated demo world."""
    from wholiked.fixtures.demo import build_demo

    _check_out(out, force)
    build_demo(out)
    _say(f"demo world written to {out}")


@fixtures.command("synth")
@click.option("--users", type=click.IntRange(min=2), default=10_000, show_default=True)
@click.option("--videos", type=click.IntRange(min=1), default=500, show_default=True)
@click.option("--likes", type=click.IntRange(min=0), default=100_000, show_default=True)
@click.option("--follows", type=click.IntRange(min=0), default=50_000, show_default=True)
@click.option("--viral", type=click.IntRange(min=0), default=0, help="Likes on video 1.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="File to create.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def fixtures_synth(
    users: int,
    videos: int,
    likes: int,
    follows: int,
    viral: int,
    seed: int,
    out: Path,
    force: bool,
) -> None:
    """Build a synthetic world, deterministic for a seed, with a progress bar."""
    from wholiked.fixtures.synth import build_synth

    _check_out(out, force)
    if viral > users:
        raise BadInput(f"--viral {viral} is more than --users {users}")
    bars: dict[str, Any] = {}

    def progress(step: str, done: int, total: int) -> None:
        bar = bars.get(step)
        if bar is None:
            for other in bars.values():
                other.render_finish()
            bar = bars[step] = click.progressbar(length=max(total, 1), label=step.ljust(10))
            bar.file = sys.stderr
        bar.update(done - bar.pos)

    stats = build_synth(
        out,
        users=users,
        videos=videos,
        likes=likes,
        follows=follows,
        seed=seed,
        viral_likes=viral,
        progress=progress,
    )
    for bar in bars.values():
        bar.render_finish()
    _say(
        f"{out}: {stats.users:,} users, {stats.videos:,} videos, {stats.likes:,} likes,"
        f" {stats.follows:,} follows in {stats.seconds:.1f} s ({stats.bytes / 2**20:.0f} MiB)"
    )


def _fail(message: str, code: int) -> None:
    """One line on stderr, made safe (an error may quote text from a hostile file)."""
    click.echo(printable(f"wholiked: error: {' '.join(message.split())}", limit=500), err=True)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: run the CLI, turning every failure into one line and an exit code."""
    try:
        code = cli.main(args=argv, prog_name="wholiked", standalone_mode=False)
    except WholikedError as exc:
        _fail(str(exc), exc.exit_code)
    except click.ClickException as exc:
        _fail(exc.format_message(), 2)
    except sqlite3.Error as exc:
        _fail(describe_sqlite_error("the database", exc), 2)
    except UnicodeDecodeError:
        _fail("the database is damaged or holds text that is not valid UTF-8", 2)
    except click.Abort:
        _fail("aborted", 130)
    except OSError as exc:
        _fail(f"{exc.filename or ''}: {exc.strerror or exc}", 2)
    except Exception as exc:  # a bug: still one line, never a traceback
        _fail(f"unexpected error ({type(exc).__name__}): {exc}", 1)
    sys.exit(code if isinstance(code, int) else 0)
