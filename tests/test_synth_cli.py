"""`wholiked fixtures synth` from the command line: impossible sizes refused up front,
progress only on a terminal."""

import pytest

from tests.cli_helpers import run


@pytest.mark.parametrize(
    ("sizes", "said"),
    [
        (
            ("--users", "2", "--videos", "1", "--likes", "1000", "--follows", "0"),
            "1,000 likes do not fit: at most 2 (one like per user and video)",
        ),
        (("--users", "3", "--videos", "1", "--likes", "0", "--follows", "7"), "7 follows do not"),
        (("--users", "5", "--likes", "2", "--viral", "3"), "3 viral likes are more than the 2"),
        (("--users", "2", "--viral", "3"), "3 viral likes are more than the 2 users"),
    ],
)
def test_impossible_sizes_are_refused_up_front(tmp_path, capsys, sizes, said) -> None:
    """One line, exit 2, nothing written (not even the --out check runs first)."""
    out = tmp_path / "w.db"
    code, stdout, err = run(capsys, "fixtures", "synth", *sizes, "--out", str(out))
    assert (code, stdout) == (2, "") and err.count("\n") == 1
    assert said in err and "unexpected" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_synth_shows_progress_only_on_a_terminal(tmp_path, capsys) -> None:
    """Piped stderr (as here) gets no progress bar: stdout says what was built, stderr
    nothing."""
    out = tmp_path / "w.db"
    sizes = ("--users", "50", "--videos", "5", "--likes", "100", "--follows", "60")
    code, stdout, err = run(capsys, "fixtures", "synth", *sizes, "--out", str(out))
    assert (code, err) == (0, "") and stdout.startswith(f"{out}: 50 users, 5 videos")
