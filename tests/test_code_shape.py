"""The shape the code keeps: the CLI is thin (parse, one facade call, one emit), and the
app and the CLI reach the file only through the facade."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LONGEST_CLI_FUNCTION = 40


def test_every_cli_function_is_at_most_40_lines() -> None:
    long = []
    for path in sorted((ROOT / "tui").glob("cli*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if lines > LONGEST_CLI_FUNCTION:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []


REACHING = re.compile(
    r"\bservice\.db\b|\bDatabase\b|\bopen_database\(|sqlite3\.connect|\.conn\b"
    r"|\.snapshot\(|\.transaction\("
)
"""A Database, a connection or a transaction: the facade's own business."""


def test_the_app_and_the_cli_never_touch_a_database_or_a_connection() -> None:
    """tui/ asks the facade (`Wholiked`) for every answer, action and file check."""
    reaching = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "tui").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if REACHING.search(line) and not line.lstrip().startswith("#")
    ]
    assert reaching == []


LONGEST_FILE = 500
"""Lines a source file may have: past it, a module holds more than one responsibility."""


def test_no_source_file_is_over_500_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)} ({lines} lines)"
        for folder in ("core", "tui", "fixtures", "wholiked")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_FILE
    ]
    assert long == []


STRING_KEY_READS = 5
"""Answer fields the app's screens and widgets may read by string key (`x["field"]`,
`x.get("field")`): the answers are typed records, read by attribute."""


def test_screens_and_widgets_read_answers_by_attribute() -> None:
    reads = []
    for folder in ("screens", "widgets"):
        for path in sorted((ROOT / "tui" / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                key = None
                if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                    key = node.slice
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "get"
                    and node.args
                ):
                    key = node.args[0]
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    if key.value[:1].isupper():
                        continue  # a type named ahead (`list["FaqAnswer"]`), not a field
                    reads.append(f"{folder}/{path.name}:{node.lineno} {key.value}")
    assert len(reads) <= STRING_KEY_READS, reads
