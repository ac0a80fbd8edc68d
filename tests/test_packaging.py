"""`make run` installs only what running needs; `make test` the test extras; one .venv."""

import shutil
import subprocess
import sys
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
    assert "pip install --quiet -e '.[test,spark]'" in test
    assert ".venv/bin/python -m pytest" in test


def test_python_m_wholiked_runs_in_a_checkout_after_a_plain_install(tmp_path: Path) -> None:
    """Slow (a fresh venv and `pip install .`, about 10 s): the checkout's own `wholiked/`
    folder comes first on sys.path at its root and holds no `tui`, yet `python -m wholiked`
    works there, as `make run`'s plain install leaves it."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    archive = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, archive):
        relative = Path(name.decode())
        if (ROOT / relative).is_file():
            (checkout / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / relative, checkout / relative)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "."],
        cwd=checkout,
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [str(python), "-m", "wholiked", "--version"], cwd=checkout, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wholiked, version 0.1.0"
