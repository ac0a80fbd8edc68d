"""A function taking two or more ids takes them keyword-only, so a swap is a TypeError (and
a type error), never a wrong answer: `audit_page(conn, video_id=..., viewer_id=...)`."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ID_NAMES = {"viewer", "liker", "creator", "follower", "followee", "blocker", "blocked", "a", "b"}
"""Parameters that are ids by their name and an int annotation (the others end in _id)."""


def _is_id(arg: ast.arg) -> bool:
    annotation = ast.unparse(arg.annotation) if arg.annotation else ""
    return arg.arg.endswith("_id") or (arg.arg in ID_NAMES and annotation == "int")


def positional_ids() -> list[str]:
    found = []
    for folder in ("core", "tui", "fixtures"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    ids = [a.arg for a in node.args.posonlyargs + node.args.args if _is_id(a)]
                    if len(ids) >= 2:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}{ids}")
    return found


def test_two_ids_are_keyword_only() -> None:
    assert positional_ids() == []
