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
from wholiked.tui import cli_output
from wholiked.tui.cli_help import HelpGroup, SqlInteger, Whole
from wholiked.tui.factory import ensure_demo_copy, make_service
from wholiked.tui.serve import serve_command

SQL_INT = SqlInteger()
"""An integer SQLite can hold (ids outside it are refused as bad input, exit 2)."""
COUNT = Whole(0)

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


_json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON on stdout (the stable contract)."
)

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
    """Print rows as aligned columns (Rich, imported on this text path only)."""
    cli_output.table(headers, rows)


_list_options = [
    click.option("--csv", "as_csv", is_flag=True, help="Print the list as CSV, with a header row."),
    click.option("--nl", "as_nl", is_flag=True, help="Print the list as one JSON object per line."),
]


def _list_output(f: Callable) -> Callable:
    """--csv and --nl: the list part of the answer for spreadsheets and sqlite-utils."""
    for option in reversed(_list_options):
        f = option(f)
    return f


def _liker_json(row: LikerRow) -> dict[str, Any]:
    return {"handle": row.handle, "liked_at": row.liked_at, "reason": row.reason}


@click.group(
    cls=HelpGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="wholiked")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Can you see who liked your video? Act as any user and see what they can see.

    Without a command, opens the terminal app on the demo world (a working copy:
    your changes stay there until `wholiked reset`). A --db file opens read-only
    unless --write is given. Text output is for people; --json is the contract.

    \b
    Exit codes:
      0  ok
      2  bad input: unknown user or video, bad arguments, unreadable or invalid database
      3  not permitted: the acting user may not see this video, or asks for
         analytics they are not entitled to
      4  `index --check` found derived data that disagrees with the rows

    \b
    Environment:
      WHOLIKED_HOME    folder for wholiked's own files (demo world, settings, keys)
      XDG_DATA_HOME    without WHOLIKED_HOME: data in $XDG_DATA_HOME/wholiked
      XDG_CONFIG_HOME  without WHOLIKED_HOME: settings in $XDG_CONFIG_HOME/wholiked
      otherwise the platform's folders (~/.local/share/wholiked on Linux)

    \b
    Example:
      wholiked                                  # the terminal app on the demo world
      wholiked likers 1 --as mia.makes          # whom Mia can identify on video 1
      wholiked likers 1 --as mia.makes --json   # the same, for scripts
      wholiked likers --help                    # one command's options
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui_command)


@cli.command("tui")
@_db_option
@_as_option(required=False)
@click.option("--write", is_flag=True, help="Allow changes to a --db file (the demo is writable).")
@click.option(
    "--session-copy",
    is_flag=True,
    help="Open a fresh copy of the demo world, removed on exit (what `serve` runs).",
)
@_rules_option
def tui_command(
    db: Path | None, as_handle: str | None, write: bool, session_copy: bool, rules: str
) -> None:
    """Open the terminal app (the same as `wholiked` alone; R picks another preset).

    \b
    Example:
      wholiked tui --as sam.quiet
      wholiked tui --db mine.db --write
      wholiked tui --session-copy
    """
    if session_copy:
        if db is not None:
            raise BadInput("--session-copy opens a copy of the demo world: leave out --db")
        import signal

        from wholiked.tui.factory import session_demo

        # A stopped server (SIGTERM) still removes this session's copy on the way out.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        with session_demo(rules) as service:
            _run_tui(service, as_handle)
        return
    # The app checks a large file's rows in the background.
    _run_tui(make_service(db, write=write, rules=rules, rows="deferred"), as_handle)


def _run_tui(service: Any, as_handle: str | None) -> None:
    acting = service.user(as_handle) if as_handle else None
    from wholiked.tui.app import run_app  # Textual is imported only here

    run_app(service, acting)


@cli.command()
@click.argument("video_id", type=SQL_INT)
@_as_option(required=True)
@_db_option
@_json_option
@_list_output
@_rules_option
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
    rules: str,
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
    service.db.check_scope(videos=(video_id,), likers_of=(video_id,), users=(viewer.id,))
    result = service.likers(video_id, viewer, limit=limit)
    service.db.check_listed(video_id, result.identifiable)
    if fmt in ("csv", "nl"):
        rows = (_liker_json(r) for r in result.identifiable)
        cli_output.emit_rows(fmt, ("handle", "liked_at", "reason"), rows)
        return
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
    more = cli_output.more_line(
        len(result.identifiable), result.identifiable_count, "identifiable liker"
    )
    if more:
        click.echo(more)
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

    \b
    Example:
      wholiked audience 1 --as sam.quiet
      wholiked audience 1 --as sam.quiet --json
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
@_list_output
@click.option("--limit", type=COUNT, help="At most N likers (N: 0 or more).")
@_rules_option
def audit(
    video_id: int,
    as_handle: str | None,
    db: Path | None,
    as_json: bool,
    as_csv: bool,
    as_nl: bool,
    limit: int | None,
    rules: str,
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
    people = (viewer.id,) if viewer else ()
    service.db.check_scope(videos=(video_id,), likers_of=(video_id,), users=people)
    result = service.audit(video_id, viewer, limit=limit)
    service.db.check_listed(video_id, result.likers)
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
        _emit_json(report)
        return
    _say(
        f"AUDIT (omniscient, not what any user sees): video {result.video.id}"
        f" by @{result.video.creator_handle}, {plural(result.total, 'like')}"
        + (f", verdicts for @{viewer.handle}" if viewer else "")
    )
    headers = ("liked_at", "handle", "display name")
    more = cli_output.more_line(len(result.likers), result.total, "liker")
    if viewer is None:
        _table(headers, ((r.liked_at, "@" + r.handle, r.display_name or "") for r in result.likers))
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


def _action(name: str, doc: str, arg: str, arg_type: Any, example: str) -> None:
    """Register `wholiked NAME ARG --as H [--db] [--write] [--json]` for the action NAME."""
    doc += (
        "\n\nThe demo world is always writable; a --db file needs --write."
        f"\n\n\b\nExample:\n  wholiked {name} {example}"
    )

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


_action(
    "like",
    "Like a video as --as (who can see the like is printed).",
    "video_id",
    SQL_INT,
    "1 --as sam.quiet",
)
_action("unlike", "Remove --as's like of a video.", "video_id", SQL_INT, "1 --as sam.quiet")
for _name, _doc, _example in [
    (
        "follow",
        "Follow HANDLE (a request stays pending until a private account approves).",
        "sam.quiet --as jules.b",
    ),
    (
        "unfollow",
        "Stop following HANDLE, or withdraw a pending request.",
        "kai.locked --as mia.makes",
    ),
    (
        "approve",
        "Approve HANDLE's pending follow request (reveals your likes to them).",
        "rex.loud --as sam.quiet",
    ),
    ("deny", "Decline HANDLE's pending follow request.", "rex.loud --as sam.quiet"),
    (
        "block",
        "Block HANDLE: removes follows both ways (unblocking does not restore them) and hides"
        " each one's videos and likes from the other.",
        "troll.king --as jules.b",
    ),
    (
        "unblock",
        "Lift your block of HANDLE (follows the block removed stay removed).",
        "troll.king --as mia.makes",
    ),
]:
    _action(_name, _doc, "handle", str, _example)


@cli.command("set-private")
@click.argument("state", type=click.Choice(["on", "off"]))
@_as_option(required=True)
@_db_option
@_write_option
@_json_option
def set_private(state: str, as_handle: str, db: Path | None, write: bool, as_json: bool) -> None:
    """Make --as's account private (on) or public (off).

    Going public approves every pending follow request, as on the platform.

    \b
    Example:
      wholiked set-private off --as sam.quiet
      wholiked set-private on --as sam.quiet --db mine.db --write
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

    \b
    Example:
      wholiked index mine.db
      wholiked index mine.db --check
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
        if report.population is not None:
            (users, private), (fresh_users, fresh_private) = report.population
            copy += (
                f"; the counters say {users:,} users ({private:,} private),"
                f" a fresh count {fresh_users:,} ({fresh_private:,} private)"
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

    \b
    Example:
      wholiked analytics --as mia.makes
      wholiked analytics --as luna.loops --window 7d --json
      wholiked analytics --as mia.makes --video 1 --window all
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


cli.add_command(serve_command)


@cli.command()
def reset() -> None:
    """Rebuild the demo world's working copy from the pristine fixture.

    Every change made to the demo (in the app or with the action commands) is lost.

    \b
    Example:
      wholiked reset
    """
    path = ensure_demo_copy(fresh=True)
    _say(f"demo world reset: {path}")


@cli.group()
def fixtures() -> None:
    """Build the demo world or a synthetic world.

    \b
    Example:
      wholiked fixtures demo --out demo.db
      wholiked fixtures synth --users 1000 --videos 50 --likes 20000 --follows 5000 --out w.db
    """


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
    """Build the curated demo world (the one the app opens on) into a new file.

    \b
    Example:
      wholiked fixtures demo --out demo.db
      wholiked likers 1 --as mia.makes --db demo.db
    """
    from wholiked.fixtures.demo import build_demo

    _check_out(out, force)
    build_demo(out)
    _say(f"demo world written to {out}")


@fixtures.command("synth")
@click.option(
    "--users", type=Whole(2), default=10_000, show_default=True, help="Accounts (N: 2 or more)."
)
@click.option(
    "--videos", type=Whole(1), default=500, show_default=True, help="Videos (N: 1 or more)."
)
@click.option(
    "--likes",
    type=COUNT,
    default=100_000,
    show_default=True,
    help="Likes, spread over the videos (N: 0 or more).",
)
@click.option(
    "--follows",
    type=COUNT,
    default=50_000,
    show_default=True,
    help="Follows between accounts, some pending (N: 0 or more).",
)
@click.option(
    "--viral",
    type=COUNT,
    default=0,
    show_default=True,
    help="How many of the likes go to video 1, each from another account (N: 0 to --users).",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    metavar="S",
    help="Random seed: the same seed builds the same world.",
)
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
    """Build a synthetic world, deterministic for a seed, with a progress bar.

    \b
    Example:
      wholiked fixtures synth --users 10000 --videos 500 --likes 100000 \\
          --follows 50000 --seed 1 --out /tmp/world.db
      wholiked likers 1 --as u2s --db /tmp/world.db --json
    """
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
    counts = ", ".join(
        plural(n, word)
        for n, word in (
            (stats.users, "user"),
            (stats.videos, "video"),
            (stats.likes, "like"),
            (stats.follows, "follow"),
        )
    )
    _say(f"{out}: {counts} in {stats.seconds:.1f} s ({stats.bytes / 2**20:.0f} MiB)")


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
