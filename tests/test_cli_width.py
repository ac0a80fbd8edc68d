"""CLI text fits the width it is written to: at COLUMNS=80 nothing is cut to "…" (a table
that does not fit whole wraps inside its columns or becomes one record per block, a long
line wraps between words); a pipe without COLUMNS gets whole lines."""

import pytest
from rich.cells import cell_len

from tests.cli_helpers import run

COMMANDS = [
    ("compare", "1", "--as", "sam.quiet"),
    ("audit", "1", "--as", "sam.quiet"),
    ("audit", "1"),
    ("likers", "1", "--as", "mia.makes"),
    ("likers", "5", "--as", "sam.quiet"),
    ("audience", "1", "--as", "sam.quiet"),
    ("analytics", "--as", "mia.makes"),
    ("tips", "--as", "sam.quiet"),
]
WHOLE = {
    COMMANDS[0]: ["everyone_who_can_view", "author_sees_all", "differs from seed", "instagram"],
    COMMANDS[1]: ["private_not_following", "@moss.private", "🎉 Emoji Fan 🦄"],
    COMMANDS[3]: ["@emoji.fan", "🎉 Emoji Fan 🦄", "approved_follower"],
}


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_text_fits_80_columns_and_cuts_nothing(capsys, monkeypatch, demo_path, command):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(capsys, *command, "--db", str(demo_path))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, out
    assert "…" not in out
    for value in WHOLE.get(command, []):
        assert value in out, value


def test_a_pipe_without_columns_gets_whole_lines(capsys, demo_path):
    """No COLUMNS: one table row per liker and the long lines unbroken."""
    code, out, _ = run(capsys, "audit", "1", "--as", "sam.quiet", "--db", str(demo_path))
    lines = out.splitlines()
    assert lines[0].startswith("AUDIT (omniscient") and lines[0].endswith("verdicts for @sam.quiet")
    assert lines[2].split() == ["LIKED_AT", "HANDLE", "DISPLAY", "NAME", "VERDICT", "REASON"]
    assert len(lines) == 3 + 48
    assert any("🎉 Emoji Fan 🦄" in line for line in lines)


def test_a_table_that_fits_stays_a_table(capsys, monkeypatch, demo_path):
    """At 200 columns the compare table fits whole: a header row and one row per preset; at
    120 its long cells wrap inside their columns (no value cut)."""
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "compare", "1", "--as", "sam.quiet", "--db", str(demo_path))
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["PRESET", "CAN", "VIEW"]
    assert [line.split()[0] for line in lines[2:7]] == [
        "seed",
        "tiktok",
        "instagram",
        "x",
        "youtube",
    ]
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run(capsys, "compare", "1", "--as", "sam.quiet", "--db", str(demo_path))
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["PRESET", "CAN", "VIEW"]
    assert "…" not in out and max(cell_len(line) for line in lines) <= 120
    assert "everyone_who_can_view" in out and "approved_follower" in out
