"""Run mypy over the packages as they install (settings in pyproject.toml's [tool.mypy]).

mypy, like import-linter, finds modules by walking folders and cannot see the
package-dir mapping (core/ is wholiked.core): so it runs over the same kind of tree of
links that tools/lint_imports.py lays out, in a folder of its own, and its report names
the files as they are in the checkout. Any error fails (exit 1): `make test` runs it.

Usage: python tools/typecheck.py [mypy options]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lint_imports import ROOT, lay_out


def check(root: Path, options: list[str]) -> int:
    """Type-check root's package as it installs; mypy's exit code."""
    tree = root / "build" / "type-tree"
    lay_out(root, tree)
    mypy = Path(sys.executable).with_name("mypy")
    command = [
        str(mypy),
        "--config-file",
        str(root / "pyproject.toml"),
        "--cache-dir",
        str(root / "build" / "mypy-cache"),  # outside the tree, which is laid out anew
        "-p",
        "wholiked",
        *options,
    ]
    result = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=False)
    for stream, text in ((sys.stdout, result.stdout), (sys.stderr, result.stderr)):
        stream.write(_checkout_paths(text))
    return result.returncode


def _checkout_paths(report: str) -> str:
    """wholiked/core/x.py -> core/x.py: each name as it is in the checkout."""
    for folder in ("core", "tui", "fixtures"):
        report = report.replace(f"wholiked/{folder}/", f"{folder}/")
    return report


if __name__ == "__main__":
    sys.exit(check(ROOT, sys.argv[1:]))
