"""`make test` runs mypy (strict everywhere) and a type error fails the build."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _typecheck_module():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        spec = importlib.util.spec_from_file_location("typecheck", ROOT / "tools" / "typecheck.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "tools"))


def test_make_test_runs_the_type_checker() -> None:
    dry = subprocess.run(
        ["make", "-n", "-B", "test"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert ".venv/bin/python tools/typecheck.py" in dry


def test_a_type_error_in_core_fails_the_check(tmp_path: Path, capsys) -> None:
    """A copy of the project's layout and settings with one swapped argument type: exit 1,
    and the report names the file as it is in the checkout (core/, not wholiked/core/)."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "wholiked", tmp_path / "wholiked")
    for folder in ("core", "tui", "fixtures"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    typecheck = _typecheck_module()
    assert typecheck.check(tmp_path, []) == 0
    capsys.readouterr()
    (tmp_path / "core" / "swapped.py").write_text(
        "def twice(n: int) -> int:\n    return 2 * n\n\n\nWRONG = twice('2')\n"
    )
    assert typecheck.check(tmp_path, []) == 1
    report = capsys.readouterr().out
    assert 'core/swapped.py:5: error: Argument 1 to "twice" has incompatible type "str"' in report
