"""The options every command shares (--db, --as, --json, --rules, --csv/--nl, --write) and
the argument types of ids and counts, so each command module declares them alike."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from wholiked.core.rules.presets import DEFAULT, PRESETS, Preset
from wholiked.tui.cli_help import SqlInteger, Whole

SQL_INT = SqlInteger()
"""An integer SQLite can hold (ids outside it are refused as bad input, exit 2)."""
COUNT = Whole(0)

DB_HELP = "SQLite file in the wholiked format (default: the demo world's working copy)."


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        type=click.Path(path_type=Path, dir_okay=True),
        default=None,
        help=DB_HELP,
    )(f)


def as_option(required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--as",
        "as_handle",
        required=required,
        metavar="HANDLE",
        help="Act as this user (handle, with or without @).",
    )


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON on stdout (the stable contract)."
)


def _rule_set(ctx: click.Context, param: click.Parameter, value: str | None) -> Preset | None:
    """A preset's name or a rule file, read and checked before the database is opened."""
    from wholiked.core.rules.files import rule_set

    return None if value is None else rule_set(value)


rules_option = click.option(
    "--rules",
    metavar="NAME|FILE.toml",
    default=DEFAULT,
    show_default=True,
    callback=_rule_set,
    help=(
        f"Answer under this platform's rules ({', '.join(PRESETS)}; seed: the article's"
        " model) or a rule file's (see `wholiked rules` and the README)."
    ),
)

write_option = click.option(
    "--write", is_flag=True, help="Allow changing a --db file (the demo world is always writable)."
)

_list_options = [
    click.option("--csv", "as_csv", is_flag=True, help="Print the list as CSV, with a header row."),
    click.option("--nl", "as_nl", is_flag=True, help="Print the list as one JSON object per line."),
]


def list_output(f: Callable[..., Any]) -> Callable[..., Any]:
    """--csv and --nl: the list part of the answer for spreadsheets and sqlite-utils."""
    for option in reversed(_list_options):
        f = option(f)
    return f
