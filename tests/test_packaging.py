"""`make run` installs only what running needs; `make test` the test extras; one .venv."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _dry_run(target: str) -> str:
    result = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_installs_no_test_extras_and_no_editable_install() -> None:
    run = _dry_run("run")
    assert "pip install --quiet ." in run
    assert "[test]" not in run and "install --quiet -e" not in run
    assert "python3 -m venv .venv" in run or "-m venv .venv" in run


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_test_installs_the_test_extras_in_the_same_venv() -> None:
    test = _dry_run("test")
    assert "pip install --quiet -e '.[test]'" in test
    assert ".venv/bin/python -m pytest" in test
