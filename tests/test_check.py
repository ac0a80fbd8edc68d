"""`wholiked check`: every problem up to --limit, one line each (table, row and field), then
the count; exit 2. A valid file: one line, exit 0, remembered."""

from pathlib import Path

from tests.cli_helpers import run
from tests.worlds import World, alter


def _world(path: Path) -> Path:
    w = World()
    w.user("cara", creator=True)
    w.user("anna")
    w.user("bo", private=True)
    x = w.video("cara")
    w.video("cara")
    w.like("anna", x)
    w.like("bo", x)
    return w.write(path)


def test_check_lists_every_problem_then_the_count(tmp_path, capsys) -> None:
    path = alter(
        _world(tmp_path / "w.db"),
        "UPDATE users SET is_private = 2 WHERE handle = 'bo'",
        "UPDATE users SET handle = 'A B' WHERE handle = 'anna'",
        "UPDATE videos SET views = -5 WHERE id = 2",
        "UPDATE likes SET liked_at = 'soon' WHERE user_id = 3",
        "INSERT INTO follows VALUES (2, 99, 'approved', '2026-01-02T00:00:00Z')",
    )
    code, out, err = run(capsys, "check", "--db", str(path))
    lines = err.splitlines()
    assert (code, out) == (2, "")
    assert lines[:-1] == [
        f"{path}: table users, row id 2: field handle: must be 2-24 characters of a-z 0-9 . _"
        " (got 'A B')",
        f"{path}: table users, row id 3: field is_private: must be 0 or 1 (got 2)",
        f"{path}: table follows, row (follower_id=2, followee_id=99): followee_id 99 names"
        " no row of users",
        f"{path}: table videos, row id 2: field views: Input should be greater than or equal"
        " to 0 (got -5)",
        f"{path}: table likes, row (video_id=1, user_id=3): field liked_at: must be a UTC"
        " timestamp YYYY-MM-DDTHH:MM:SSZ (got 'soon')",
    ]
    assert lines[-1] == f"wholiked: error: {path}: 5 problems listed"
    code, out, err = run(capsys, "check", "--db", str(path), "--limit", "2")
    assert code == 2 and len(err.splitlines()) == 3
    assert err.splitlines()[-1] == (
        f"wholiked: error: {path}: 2 problems listed (there may be more: --limit N lists more)"
    )
    code, out, err = run(capsys, "check", "--db", str(path), "--limit", "0")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "--limit" in err


def test_check_says_valid_in_one_line(tmp_path, capsys) -> None:
    path = _world(tmp_path / "w.db")
    assert run(capsys, "check", "--db", str(path)) == (
        0,
        f"{path}: valid (every row follows the format)\n",
        "",
    )
