"""The file commands: `index`, `unindex` and `check` of a database, `reset` of the demo
world, and `fixtures` to build the demo or a synthetic world."""

import sys
from pathlib import Path
from typing import Any

import click

from wholiked.core.answers.wording import plural
from wholiked.core.errors import BadInput
from wholiked.core.service import RowCheck
from wholiked.tui.cli_help import Whole
from wholiked.tui.cli_options import COUNT, db_option
from wholiked.tui.cli_output import say
from wholiked.tui.factory import DEMO_LABEL, ensure_demo_copy, tell_terminal

DRIFT_EXIT = 4
"""Exit code of `wholiked index --check` when the counters need rebuilding."""


@click.command()
@click.argument("db", type=click.Path(path_type=Path))
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help=f"Compare every counter with a fresh count and change nothing; exit {DRIFT_EXIT}"
    " when one differs or the counters cannot be used.",
)
def index(db: Path, check_only: bool) -> None:
    """Add wholiked's indexes and exact derived data to a database file.

    The derived data: per-video like and comment counts, and the summed daily
    release of creators with 50,000 likes or more. Only wholiked's own objects
    are added (named wholiked_*); no user row is changed. Without them every
    answer is the same, only slower. With --check, report whether they agree
    with a fresh count.

    \b
    Example:
      wholiked index mine.db
      wholiked index mine.db --check
    """
    from wholiked.core.service import Wholiked

    if check_only:
        _check_counters(db)
        return
    with Wholiked.open(db, writable=True, derived=False, progress=tell_terminal) as service:
        service.add_derived()
    say(f"{db}: indexes, like and comment counts and the release rollup in place (counted afresh)")


def _check_counters(db: Path) -> None:
    from wholiked.core.service import Wholiked

    with Wholiked.open(db, rows=RowCheck.NONE, derived=False) as service:
        report = service.counter_drift()
    if not report.present:
        say(f"{db}: no counters (answers count likes live; `wholiked index {db}` adds them)")
        return
    for video, said, fresh in report.differences[:20]:
        say(
            f"  video {video}: counters {said[0]:,} likes ({said[1]:,} private),"
            f" fresh count {fresh[0]:,} likes ({fresh[1]:,} private)"
        )
    if len(report.differences) > 20:
        say(f"  ... and {len(report.differences) - 20:,} more videos")
    if report.unusable:
        say(
            f"{db}: counters not in use ({report.unusable}); answers count likes live,"
            f" {len(report.differences):,} of {report.videos:,} stored counters differ;"
            f" `wholiked index {db}` rebuilds them"
        )
        sys.exit(DRIFT_EXIT)
    if not report.exact:
        say(_drifted(db, report))
        sys.exit(DRIFT_EXIT)
    pending = ""
    if report.pending_videos or report.pending_users:
        pending = (
            f"; {plural(report.pending_videos, 'video')} and {plural(report.pending_users, 'user')}"
            " marked for repair after other programs' writes, corrected on the fly"
        )
    say(f"{db}: counters exact ({report.videos:,} videos match a fresh count{pending})")
    if not _other_derived_exact(db):
        sys.exit(DRIFT_EXIT)


def _drifted(db: Path, report: Any) -> str:
    """The line for counters that differ from a fresh count (and the privacy copy's)."""
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
    return (
        f"{db}: counters drifted: {len(report.differences):,} of {report.videos:,} videos"
        f" differ from a fresh count{copy}; `wholiked index {db}` rebuilds them"
    )


def _other_derived_exact(db: Path) -> bool:
    """The comment counts and the release rollup against fresh counts (one line each)."""
    from wholiked.core.service import Wholiked

    with Wholiked.open(db, rows=RowCheck.NONE, derived=False) as service:
        found = service.other_drift()
    day, comments_reason, comments = found.day, found.comments_reason, found.comments
    rollup_reason, creators, differ = found.rollup_reason, found.creators, found.differ
    exact = True
    if comments_reason:
        say(f"{db}: comment counts not in use ({comments_reason}); counted live")
        exact = False
    elif comments:
        listed = ", ".join(str(v) for v, _, _ in comments[:10])
        say(f"{db}: comment counts drifted on {plural(len(comments), 'video')} ({listed})")
        exact = False
    else:
        say(f"{db}: comment counts exact")
    if rollup_reason:
        say(f"{db}: release rollup not in use ({rollup_reason}); the release is counted live")
        exact = False
    elif differ:
        listed = ", ".join(str(c) for c in differ[:10])
        say(f"{db}: release rollup differs from a live count for creators {listed}")
        exact = False
    else:
        say(
            f"{db}: release rollup exact ({plural(len(creators), 'creator')} match a live count"
            f" for {day.isoformat()})"
        )
    if not exact:
        say(f"`wholiked index {db}` rebuilds them")
    return exact


@click.command()
@click.argument("db", type=click.Path(path_type=Path))
def unindex(db: Path) -> None:
    """Remove everything wholiked added to a file: its indexes, tables and triggers.

    Drops every object named wholiked_* in one transaction; no row of the
    format's tables (or any table of yours) changes.

    Example: wholiked unindex mine.db
    """
    from wholiked.core.service import Wholiked

    with Wholiked.open(db, writable=True, rows=RowCheck.NONE, derived=False) as service:
        dropped = service.remove_derived()
    kinds = sorted({kind for kind, _ in dropped})
    what = f"{len(dropped)} objects ({', '.join(kinds)})" if dropped else "nothing to remove"
    say(f"{db}: removed {what}; no row of yours changed")


@click.command()
@db_option
@click.option(
    "--limit",
    type=Whole(1),
    default=100,
    show_default=True,
    help="List at most N problems (N: 1 or more).",
)
def check(db: Path | None, limit: int) -> None:
    """Check every row of a database against the format: valid, or every problem.

    One line when the file is valid (remembered, so opening the unchanged file
    again costs nothing). Otherwise, exit 2: one line per problem, up to --limit,
    each naming table, row and field, then the count.

    Example: wholiked check --db mine.db --limit 20
    """
    from wholiked.core.service import Wholiked
    from wholiked.core.text import printable

    path = db if db is not None else ensure_demo_copy()
    label = str(db) if db is not None else DEMO_LABEL
    with Wholiked.open(path, label=label, rows=RowCheck.NONE, progress=tell_terminal) as service:
        problems = [] if service.rows_checked else service.check_every_row(limit=limit)
    if problems:
        for line in problems:
            click.echo(printable(" ".join(line.split()), limit=500), err=True)
        more = " (there may be more: --limit N lists more)" if len(problems) == limit else ""
        raise BadInput(f"{label}: {plural(len(problems), 'problem')} listed{more}")
    say(f"{label}: valid (every row follows the format)")


@click.command()
def reset() -> None:
    """Rebuild the demo world's working copy from the pristine fixture.

    Every change made to the demo (in the app or with the action commands) is lost.

    \b
    Example:
      wholiked reset
    """
    path = ensure_demo_copy(fresh=True)
    say(f"demo world reset: {path}")


@click.group()
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
    say(f"demo world written to {out}")


def _built(out: Path, stats: Any) -> str:
    """What a build made, and how long it took."""
    counts = ", ".join(
        plural(n, word)
        for n, word in (
            (stats.users, "user"),
            (stats.videos, "video"),
            (stats.likes, "like"),
            (stats.follows, "follow"),
        )
    )
    return f"{out}: {counts} in {stats.seconds:.1f} s ({stats.bytes / 2**20:.0f} MiB)"


class _Bars:
    """One progress bar per step of the build on stderr, each finished as the next starts."""

    def __init__(self) -> None:
        self.bars: dict[str, Any] = {}

    def show(self, step: str, done: int, total: int) -> None:
        bar = self.bars.get(step)
        if bar is None:
            self.finish()
            bar = self.bars[step] = click.progressbar(length=max(total, 1), label=step.ljust(10))
            bar.file = sys.stderr
        bar.update(done - bar.pos)

    def finish(self) -> None:
        for bar in self.bars.values():
            bar.render_finish()


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
    """Build a synthetic world, deterministic for a seed (a progress bar on a terminal).

    Sizes no world can have are refused before anything is written (one line, exit 2).

    \b
    Example:
      wholiked fixtures synth --users 10000 --videos 500 --likes 100000 \\
          --follows 50000 --seed 1 --out /tmp/world.db
      wholiked likers 1 --as amara.wright4157 --db /tmp/world.db --json
    """
    from wholiked.fixtures.synth import build_synth, check_counts

    try:
        check_counts(users=users, videos=videos, likes=likes, follows=follows, viral=viral)
    except ValueError as exc:
        raise BadInput(f"impossible sizes: {exc}") from None
    _check_out(out, force)
    bars = _Bars()
    stats = build_synth(
        out,
        users=users,
        videos=videos,
        likes=likes,
        follows=follows,
        seed=seed,
        viral_likes=viral,
        progress=bars.show if sys.stderr.isatty() else None,
    )
    bars.finish()
    say(_built(out, stats))


COMMANDS = {c.name: c for c in (index, unindex, check, reset, fixtures)}
