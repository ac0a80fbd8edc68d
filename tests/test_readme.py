"""The README's database example builds a file wholiked accepts, with the stated answer."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_sqlite_utils_example(tmp_path, capsys):
    text = README.read_text()
    block = text.split("A minimal world with sqlite-utils")[1]
    code = re.search(r"```python\n(.*?)```", block, re.S).group(1)
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, env=os.environ)
    from tests.cli_helpers import run

    status, out, _ = run(
        capsys, "likers", "1", "--as", "cara", "--db", str(tmp_path / "mine.db"), "--json"
    )
    assert status == 0
    data = json.loads(out)
    assert (data["total"], data["identifiable"], data["anonymous"]) == (1, [], 1)


def test_readme_python_api_example(tmp_path):
    """The README's Python API example runs on the demo world and prints what the CLI says."""
    from wholiked.fixtures.demo import build_demo

    build_demo(tmp_path / "demo.db")
    block = README.read_text().split("### The Python API")[1]
    code = re.search(r"```python\n(.*?)```", block, re.S).group(1)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    total, anonymous, _ = result.stdout.split(" ", 2)
    lines = result.stdout.splitlines()
    assert (int(total), int(anonymous), lines[1]) == (48, 8, "8")
