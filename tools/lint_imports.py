"""Check pyproject.toml's import-linter contracts against the packages as they install.

`[tool.setuptools.package-dir]` maps the folders core/, tui/ and fixtures/ to
wholiked.core, wholiked.tui and wholiked.fixtures. The editable install serves that
mapping through an import hook, but import-linter finds a package's modules by walking
the folder of its top-level package, and wholiked/ holds only its own two files: run
bare, `lint-imports` says "Module 'wholiked.core' does not exist". So this script lays
the installed shape out as symbolic links in build/import-tree/ (wholiked/core -> core/,
...), read from package-dir so the two cannot drift, and runs lint-imports there.

Usage: python tools/lint_imports.py [lint-imports options]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / "build" / "import-tree"


def lay_out(root: Path, tree: Path) -> None:
    """Mirror the package-dir mapping of root's pyproject.toml as links under tree."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    shutil.rmtree(tree, ignore_errors=True)
    # Parents first: a package with mapped subpackages becomes a real folder of links.
    for package in sorted(package_dir, key=lambda name: name.count(".")):
        source = root / package_dir[package]
        target = tree.joinpath(*package.split("."))
        mapped_children = {
            other.rsplit(".", 1)[1] for other in package_dir if other.rpartition(".")[0] == package
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        if not mapped_children:
            target.symlink_to(source, target_is_directory=True)
            continue
        target.mkdir()
        for entry in source.iterdir():
            if entry.name not in mapped_children and entry.name != "__pycache__":
                (target / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())


def main() -> int:
    lay_out(ROOT, TREE)
    lint_imports = Path(sys.executable).with_name("lint-imports")
    command = [str(lint_imports), "--no-logo", "--no-cache", str(ROOT / "pyproject.toml")]
    # lint-imports puts its working folder first on sys.path: there, `wholiked` is the tree.
    return subprocess.call([*command, *sys.argv[1:]], cwd=TREE)


if __name__ == "__main__":
    sys.exit(main())
