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
