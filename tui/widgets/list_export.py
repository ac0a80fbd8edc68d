"""Write a list as CSV: every row of it under its filter and sort, to a new file.

The rows are the table's own cells (already through the one sanitiser), so a file holds
what the list shows, never more. Handles are written without their @ (as the CLI's CSV
has them), numbers without thousands separators, and every other value through
`spreadsheet_safe` (a value a spreadsheet would run as a formula gets a leading ').
"""

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from rich.text import Text

from wholiked.core.store.paths import data_dir
from wholiked.core.text import spreadsheet_safe

EXPORT_FOLDER = "exports"
"""The folder under the data folder that exports go to."""

HANDLE_COLUMNS = frozenset({"handle", "creator"})
_NUMBER = re.compile(r"\d{1,3}(,\d{3})+")


def export_folder() -> Path:
    return data_dir() / EXPORT_FOLDER


def csv_value(column: str, cell: object) -> str:
    """One cell as a CSV value (see the module docstring)."""
    plain = cell.plain if isinstance(cell, Text) else str(cell)
    if column in HANDLE_COLUMNS and plain.startswith("@"):
        plain = plain[1:]
    if _NUMBER.fullmatch(plain):
        plain = plain.replace(",", "")
    return spreadsheet_safe(plain)


def free_path(folder: Path, name: str) -> Path:
    """folder/name.csv, or name-2.csv, name-3.csv... when that is taken: never overwrite."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "list"
    path, n = folder / f"{stem}.csv", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.csv"
    return path


def write_csv(
    name: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Sequence[object]],
    folder: Path | None = None,
) -> tuple[Path, int]:
    """Write the rows (cells in the columns' order) under a header of the columns' labels;
    the file written and the number of rows."""
    folder = folder or export_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = free_path(folder, name)
    count = 0
    with path.open("x", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([spreadsheet_safe(label) for _, label in columns])
        for cells in rows:
            writer.writerow(
                [csv_value(key, c) for (key, _), c in zip(columns, cells, strict=False)]
            )
            count += 1
    return path, count
