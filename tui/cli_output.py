"""How the CLI prints: JSON (the contract), text tables for people, CSV and newline-delimited
JSON for the list part of `likers`, `audit` and `compare`.

Every command prints an answer record through `emit`: its JSON form, its row form or its
text, from `core.answers.forms`, so every command writes each kind of value one way:
true/false, null (an empty CSV cell), a list or an object as JSON (in a CSV cell too).

Text tables are drawn by Rich's Table, which measures emoji and wide characters as a
terminal shows them, so the columns line up. Text fits the width it is written to (the
terminal's, or `COLUMNS` for a pipe; a pipe without it gets whole lines): a table that
does not fit whole becomes one record per block, and a long line wraps between words, so
no value is cut. Rich, csv and shutil are imported inside the
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

CELL_LIMIT = 500
"""Characters of one text-table cell: values are shown whole; only a hostile file's
absurdly long text is cut (with …)."""
PIPE_WIDTH = 1_000
"""Width of text written to a pipe or a file without `COLUMNS`: never squeezed."""

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


def width() -> int:
    """Columns of the text output: the terminal's, else `COLUMNS` (a pipe that asks for a
    width), else PIPE_WIDTH (whole lines)."""
    import os
    import shutil

    if sys.stdout.isatty():
        return max(shutil.get_terminal_size().columns, 20)
    columns = os.environ.get("COLUMNS", "")
    return max(int(columns), 20) if columns.isdigit() else PIPE_WIDTH


def say(text: str = "") -> None:
    """One line of text output, made safe for the terminal, wrapped between words to the
    output's width (a line of one long word stays whole)."""
    line = printable(text)
    room = width()
    if len(line) <= room:
        click.echo(line)
        return
    import textwrap

    indent = " " * (len(line) - len(line.lstrip(" ")))
    click.echo(
        textwrap.fill(
            line,
            room,
            subsequent_indent=indent + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    )


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
    """Print rows as aligned columns (Rich's Table), every value whole: on one line each
    when they fit the output's width, else with long cells wrapped between words inside
    their column, else (when even that is too wide) one record per block ("header: value"
    lines, a blank line between records). Every cell goes through printable()."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cells = [[printable(_cell(c), limit=CELL_LIMIT) for c in row] for row in rows]
    room = width()
    grid = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1))
    for header in headers:
        grid.add_column(Text(header.upper()), overflow="fold")
    for row in cells:
        grid.add_row(*(Text(c) for c in row))

    def console(columns: int) -> Console:
        return Console(
            width=columns,
            color_system=None,
            highlight=False,
            markup=False,
            emoji=False,
            force_jupyter=False,
        )

    wide = console(PIPE_WIDTH * 10)
    measured = wide.measure(grid)
    if measured.minimum > room:  # some word would not fit its column: a block per record
        _blocks(headers, cells, room)
        return
    out = wide if measured.maximum <= room else console(room)
    with out.capture() as captured:
        out.print(grid)
    for line in captured.get().splitlines():
        click.echo(line.rstrip())


def _blocks(headers: Sequence[str], cells: list[list[str]], room: int) -> None:
    """One record per block: each value after its header, wrapped between words to the
    width under a hanging indent (a value of one long word stays whole)."""
    import textwrap

    pad = max(len(h) for h in headers) + 2
    for n, row in enumerate(cells):
        if n:
            click.echo("")
        for header, value in zip(headers, row, strict=True):
            head = f"{header}:".ljust(pad)
            click.echo(
                textwrap.fill(
                    value or "-",
                    max(room, pad + 10),
                    initial_indent=head,
                    subsequent_indent=" " * pad,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def more_line(shown: int, total: int, what: str, whats: str | None = None) -> str | None:
    """'… and 12 more identifiable likers': what a --limit left out (None: nothing)."""
    left = total - shown
    if left <= 0:
        return None
    word = what if left == 1 else (whats or what + "s")
    return f"… and {left:,} more {word} (without --limit: all of them)"
