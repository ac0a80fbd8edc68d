"""The README's examples: the database example builds a file wholiked accepts, with the stated
answer; the Python API example runs; every `wholiked` line of its shell blocks runs in order."""

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
    """The README's Python API examples run on the demo world: the first prints what the CLI
    says, the lists' example pages by handle and finds."""
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
    lists = re.findall(r"```python\n(.*?)```", block.split("###")[0], re.S)[1]
    result = subprocess.run(
        [sys.executable, "-c", lists], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    pages, hidden = result.stdout.splitlines()
    first, second, first_handle, next_handle = pages.split()
    assert (first, second) == ("200", "200") and first_handle < next_handle  # by handle
    assert hidden.split()[0] == "8" and int(hidden.split()[1]) > 0  # Mia's 8 anonymous


# --- every wholiked line of the README's shell examples, run in order --------------------

SKIPPED = ("wholiked serve", "wholiked tui")
"""Commands that open the app or a server: not run (the app has its own tests)."""
BAD_RULES = (
    'name = "bad"\nsummary = "x"\notherwise = "hidden"\n\n'
    '[[identifies]]\nwhen = "liker_is_famous"\nreason = "famous"\n'
)
"""The bad.toml the README's error example reads (a condition that does not exist)."""


def _shell_examples(text: str) -> list[tuple[str, list[str] | None]]:
    """(command, shown output or None) for every `wholiked` line of the README's ```sh
    blocks, in order; a line continued with a backslash is joined to the next."""
    found: list[tuple[str, list[str] | None]] = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        lines = block.replace("\\\n", " ").splitlines()
        for n, line in enumerate(lines):
            shown: list[str] | None = None
            if line.startswith("$ "):
                line = line[2:]
                rest = lines[n + 1 :]
                until = next((i for i, r in enumerate(rest) if r.startswith("$ ")), len(rest))
                shown = rest[:until] or None
            if line.split("#")[0].strip() == "wholiked" or not line.startswith("wholiked "):
                continue
            if not line.startswith(SKIPPED):
                found.append((line, shown))
    return found


def test_every_readme_command_runs_in_order(tmp_path):
    """Each `wholiked` line of the README's shell blocks runs, in order, on a fresh data
    folder (the demo's working copy made there), from a folder where the README's
    /tmp paths and bad.toml are; a shown output must be what the command prints, a
    `; echo $?` must print the code its comment gives, any other line exits 0."""
    examples = _shell_examples(README.read_text())
    assert len(examples) >= 20
    (tmp_path / "bad.toml").write_text(BAD_RULES)
    bin_dir = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env |= {"WHOLIKED_HOME": str(tmp_path / "home"), "PATH": bin_dir + os.pathsep + env["PATH"]}
    for command, shown in examples:
        line = command.replace("/tmp/", f"{tmp_path}/")
        done = subprocess.run(
            ["bash", "-c", line],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
        )
        said = done.stdout.splitlines()
        if shown is not None:
            assert said == shown, command
        if "echo $?" in command:
            assert said[-1] == re.findall(r"\d+", command.split("#")[1])[0], command
        elif not (shown and shown[0].startswith("wholiked: error:")):
            assert done.returncode == 0, (command, done.stdout[-500:])
