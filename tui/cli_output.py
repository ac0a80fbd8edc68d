"""How the CLI prints: JSON (the contract), text tables for people, CSV and newline-delimited
JSON for the list part of `likers`, `audit` and `compare`.

Every command prints an answer record through `emit`: its JSON form, its row form or its
text, from `core.answers.forms`, so every command writes each kind of value one way:
true/false, null (an empty CSV cell), a list or an object as JSON (in a CSV cell too).

Text tables are drawn by Rich's Table, which measures emoji and wide characters as a
terminal shows them, so the columns line up. Rich, csv and shutil are imported inside the
paths that print with them, so a `--json`, `--csv` or `--nl` call never imports Rich (nor
Textual) and a `--json` call loads nothing it does not use. Every cell goes through
`printable()` first, and is handed to Rich as `Text`, never as markup.
"""

import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import click

from wholiked.core.errors import BadInput
from wholiked.core.text import printable

CELL_LIMIT = 40
"""Characters of one text-table cell (a longer display name or caption is cut with …)."""
PIPE_WIDTH = 1_000
"""Width of a text table written to a pipe or a file: never squeezed."""

FORMATS = ("json", "csv", "nl")


def chosen_format(*, json_: bool = False, csv_: bool = False, nl: bool = False) -> str:
    """'text', or the one machine format asked for; two at once is bad input (exit 2)."""
    asked = [name for name, on in zip(FORMATS, (json_, csv_, nl), strict=True) if on]
    if len(asked) > 1:
        raise BadInput("--json, --csv and --nl are exclusive: choose one")
    return asked[0] if asked else "text"


Answer = TypeVar("Answer")


def emit(answer: Answer, fmt: str, text: Callable[[Answer], None]) -> None:
    """Print an answer record in the chosen format: `text` draws it for people."""
    from wholiked.core.answers.forms import json_form, row_form

    if fmt == "json":
        emit_json(json_form(answer))
    elif fmt in ("csv", "nl"):
        rows = row_form(answer)
        emit_rows(fmt, rows.fields, rows.rows)
    else:
        text(answer)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=True, indent=2))


def say(text: str = "") -> None:
    """One line of text output, made safe for the terminal."""
    click.echo(printable(text))


def emit_rows(fmt: str, fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """The list part of an answer: CSV with a header row, or one JSON object per line."""
    out = sys.stdout
    if fmt == "csv":
        import csv

        writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(row[k]) for k in fields})
        return
    for row in rows:
        out.write(json.dumps({k: row[k] for k in fields}, ensure_ascii=True) + "\n")


def _csv_value(value: Any) -> Any:
    """A CSV cell written as the JSON writes the value: true/false (not Python's True or
    0/1), a list or an object as its JSON; a missing value (null) is an empty cell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=True)
    return "" if value is None else value


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Print rows as aligned columns (Rich's Table); every cell goes through printable()."""
    import shutil

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    grid = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1))
    for header in headers:
        grid.add_column(Text(header.upper()), no_wrap=True, overflow="ellipsis")
    for row in rows:
        grid.add_row(*(Text(printable(_cell(c), limit=CELL_LIMIT)) for c in row))
    stream = sys.stdout
    width = shutil.get_terminal_size().columns if stream.isatty() else PIPE_WIDTH
    console = Console(
        width=width,
        color_system=None,
        highlight=False,
        markup=False,
        emoji=False,
        force_jupyter=False,
    )
    with console.capture() as captured:
        console.print(grid)
    for line in captured.get().splitlines():
        click.echo(line.rstrip())


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def more_line(shown: int, total: int, what: str, whats: str | None = None) -> str | None:
    """'… and 12 more identifiable likers': what a --limit left out (None: nothing)."""
    left = total - shown
    if left <= 0:
        return None
    word = what if left == 1 else (whats or what + "s")
    return f"… and {left:,} more {word} (without --limit: all of them)"
