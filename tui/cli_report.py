"""`report`: the omniscient platform audit under every preset and each rule file given, on
the SQLite file or on Spark over Parquet; `export --parquet`: a world's tables as Parquet."""

from pathlib import Path

import click

from wholiked.core.answers.wording import plural
from wholiked.core.errors import BadInput
from wholiked.core.service import (
    PlatformReport,
    Wholiked,
    load_rule_file,
    share_bar,
    share_percent,
)
from wholiked.tui import cli_output
from wholiked.tui.cli_options import db_option, json_option
from wholiked.tui.cli_output import emit, say, table
from wholiked.tui.factory import make_service, tell_terminal

REPORT_LABEL = (
    "PLATFORM AUDIT — omniscient, not what any user sees: every video's audit as its creator"
    " (rules 7 and 9), added up"
)
BAR = 20
TEXT_TOP = 5
"""Most exposed videos shown per rule set in the text (--json lists 20)."""
HEADERS = (
    "rules",
    "identifiable to the creator",
    "identifiable",
    "anonymous",
    "anonymous but nameable unseen (rule 9)",
    "nameable",
    "on videos",
)


def _bar(part: int, whole: int) -> str:
    share = part / whole if whole else 0.0
    return f"{share_bar(share, BAR)} {share_percent(part, whole).rjust(6)}"


def _totals_text(found: PlatformReport) -> None:
    """One row per rule set: a bar of the likes creators identify, one of the anonymous
    likes they can name unseen."""
    rows = []
    for key, r in found.rule_sets.items():
        t = r.totals
        rows.append(
            (
                key,
                _bar(t.identifiable, t.likes),
                f"{t.identifiable:,}",
                f"{t.anonymous:,}",
                _bar(t.effectively_identifiable_likes, t.anonymous),
                f"{t.effectively_identifiable_likes:,}",
                f"{t.effectively_identifiable_videos:,}",
            )
        )
    table(HEADERS, rows)


def _groups_text(found: PlatformReport, title: str, size: bool) -> None:
    say("")
    say(f"Nameable anonymous likes {title}:")
    rows = []
    for key, r in found.rule_sets.items():
        groups = r.by_creator_size if size else r.by_creator_privacy
        cells = [
            f"{g.effectively_identifiable_likes:,} of {g.anonymous:,}" for g in groups.values()
        ]
        rows.append((key, *cells))
    first = next(iter(found.rule_sets.values()))
    table(("rules", *(first.by_creator_size if size else first.by_creator_privacy)), rows)


def _top_text(found: PlatformReport) -> None:
    say("")
    say(f"Most exposed videos (anonymous likes the creator can name unseen; {TEXT_TOP} per rules):")
    shown = []
    for key in found.rule_sets:
        shown += [t for t in found.top_videos if t.rules_key == key][:TEXT_TOP]
    table(
        ("rules", "video", "creator", "likes", "anonymous", "candidates"),
        (
            (
                t.rules_key,
                t.video_id,
                "@" + t.creator,
                f"{t.likes:,}",
                f"{t.anonymous:,}",
                t.candidates,
            )
            for t in shown
        ),
    )


def report_text(found: PlatformReport) -> None:
    """The report for people, labelled as the omniscient audit it is."""
    say(REPORT_LABEL)
    first = next(iter(found.rule_sets.values()))
    world = first.totals
    say(f"{plural(world.videos, 'video')}, {plural(world.likes, 'like')} (engine: {found.engine})")
    say("")
    _totals_text(found)
    _groups_text(found, "by creator size (likes)", size=True)
    _groups_text(found, "by creator privacy", size=False)
    _top_text(found)


def progress(step: str, done: int, total: int) -> None:
    """A long report's steps, on stderr and only to a terminal."""
    tell_terminal(f"report: {step} ({done}/{total})")


@click.command("report")
@db_option
@click.option(
    "--rules",
    "files",
    multiple=True,
    metavar="FILE.toml",
    help="Report a rule file's rules too, after the presets (repeat for more files).",
)
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per rule set.")
@click.option(
    "--engine",
    type=click.Choice(["sqlite", "spark"]),
    default="sqlite",
    show_default=True,
    help="Count in SQLite on --db, or in Spark over --parquet (pip install 'wholiked[spark]').",
)
@click.option(
    "--parquet",
    metavar="DIR",
    help="With --engine spark: the folder (or any URI Spark reads) of `export --parquet`.",
)
@click.option(
    "--master",
    default="local[*]",
    show_default=True,
    metavar="URL",
    help="With --engine spark: the Spark master (local mode, or a cluster's URL).",
)
def report_command(
    db: Path | None,
    files: tuple[str, ...],
    as_json: bool,
    as_csv: bool,
    engine: str,
    parquet: str | None,
    master: str,
) -> None:
    """The platform audit (omniscient): every video's audit as its creator, added up.

    Under every preset and each --rules FILE.toml: videos, likes, the likes identifiable
    to their creator, the anonymous ones, and how many of those the creator can name
    without seeing them (rule 9), by creator size and privacy, with the most exposed
    videos. Not what any user sees.

    \b
    Example:
      wholiked report --db big.db --rules mine.toml --json
      wholiked report --csv > rules.csv
      wholiked report --engine spark --parquet big-parquet/ --json
      wholiked report --engine spark --parquet s3a://bucket/world --master spark://host:7077
    """
    fmt = cli_output.chosen_format(json_=as_json, csv_=as_csv)
    loaded = tuple(load_rule_file(Path(f)) for f in files)
    if (engine == "spark") != (parquet is not None) or (parquet and db):
        raise BadInput("--engine spark reads --parquet DIR (not --db); --engine sqlite reads --db")
    if parquet is not None:
        found = Wholiked.report_on_spark(parquet, files=loaded, master=master, progress=progress)
    else:
        found = make_service(db).with_files(loaded).report(progress=progress)
    emit(found, fmt, report_text)


@click.command("export")
@db_option
@click.option("--parquet", metavar="DIR", required=True, help="Write the tables here.")
def export_command(db: Path | None, parquet: Path) -> None:
    """Write a world's tables as Parquet, one DIR/TABLE.parquet each, for the Spark engine.

    Needs pyarrow (pip install 'wholiked[spark]'); reads the file in batches.

    \b
    Example:
      wholiked export --parquet demo-parquet/
      wholiked export --db big.db --parquet big-parquet/
    """
    written = make_service(db).export_parquet(Path(parquet), progress=progress)
    for name, rows in written.items():
        say(f"{name}: {rows:,} rows -> {Path(parquet) / (name + '.parquet')}")


COMMANDS = {"report": report_command, "export": export_command}
