"""The first answer on a large file nobody has checked: only the rows it reads are checked.

The size limit below which the full check runs at open (`FULL_CHECK_MAX_BYTES`) is set to
zero here, so these small worlds behave as a ten-million-like file does: `likers`,
`audience` and `audit` check the rows they read (and refuse a bad one, naming table, row
and field), leave the rest to `wholiked check`, and remember nothing until it has run.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.worlds import DEMO_TEST_KEY, alter
from wholiked.core.store import database, fingerprint, rollup, schema
from wholiked.fixtures.demo import DEMO_CREATOR, DEMO_PRIVATE_VIEWER, DEMO_TOP_VIDEO, build_demo
from wholiked.tui.cli import main
from wholiked.tui.factory import tell_terminal


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "demo.db"
    build_demo(path, noise_key=DEMO_TEST_KEY)
    return path


@pytest.fixture
def large(tmp_path: Path, pristine: Path, monkeypatch) -> Path:
    """A copy of the demo world treated as a file too large for the full check at open."""
    monkeypatch.setattr(database, "FULL_CHECK_MAX_BYTES", 0)
    path = tmp_path / "world.db"
    shutil.copyfile(pristine, path)
    return path


def _id(path: Path, handle: str) -> int:
    conn = sqlite3.connect(path)
    uid = conn.execute("SELECT id FROM users WHERE handle = ?", (handle,)).fetchone()[0]
    conn.close()
    return uid


LIKERS = ("likers", str(DEMO_TOP_VIDEO), "--as", DEMO_CREATOR, "--json")


def test_a_bad_row_the_answer_does_not_read_waits_for_the_full_check(capsys, large: Path):
    """A bad row elsewhere: likers answers (correctly) and the file is not remembered as
    valid; `wholiked check` then finds the row, table, row and field, exit 2."""
    alter(large, "UPDATE videos SET views = -5 WHERE id = 20")
    code, out, err = cli(capsys, *LIKERS, "--db", str(large))
    assert (code, err) == (0, "")
    assert json.loads(out)["total"] == 48
    assert not fingerprint.is_remembered(fingerprint.fingerprint(large))
    code, out, err = cli(capsys, "check", "--db", str(large))
    assert (code, out) == (2, "")
    assert "table videos, row id 20: field views" in err and err.count("\n") == 2
    assert err.endswith(": 1 problem listed\n")


def test_check_remembers_a_valid_file(capsys, large: Path):
    code, out, err = cli(capsys, "check", "--db", str(large))
    assert (code, err) == (0, "") and out == f"{large}: valid (every row follows the format)\n"
    assert fingerprint.is_remembered(fingerprint.fingerprint(large))
    db = database.open_database(large, rows="deferred")
    assert db.rows_checked
    db.close()


def _liker_of_top_video(path: Path, *, listed: bool = True) -> int:
    """A liker of the top video the creator can identify (listed by `likers`), or not."""
    creator = _id(path, DEMO_CREATOR)
    conn = sqlite3.connect(path)
    uid = conn.execute(
        f"""SELECT l.user_id FROM likes l JOIN users u ON u.id = l.user_id
        WHERE l.video_id = ? AND (u.is_private = 0) = ? AND l.user_id NOT IN (
            SELECT blocked_id FROM blocks WHERE blocker_id = {creator}
            UNION SELECT blocker_id FROM blocks WHERE blocked_id = {creator})
        ORDER BY l.user_id DESC LIMIT 1""",
        (DEMO_TOP_VIDEO, listed),
    ).fetchone()[0]
    conn.close()
    return uid


def test_an_unlisted_likers_handle_is_not_read_by_the_answer(capsys, large: Path):
    """The counts read a liker's privacy, not their handle: an anonymous liker's bad handle
    waits for the full check (the handles checked are those of the rows shown)."""
    hidden = _liker_of_top_video(large, listed=False)
    alter(large, f"UPDATE users SET handle = 'A B' WHERE id = {hidden}")
    code, out, err = cli(capsys, *LIKERS, "--db", str(large))
    assert (code, err) == (0, "") and json.loads(out)["total"] == 48
    code, _, err = cli(capsys, "check", "--db", str(large))
    assert code == 2 and f"table users, row id {hidden}: field handle" in err


@pytest.mark.parametrize(
    ("edit", "fragments"),
    [
        (
            lambda p: f"UPDATE users SET is_private = 2 WHERE id = {_liker_of_top_video(p)}",
            ("table users", "field is_private"),
        ),
        (
            lambda p: f"UPDATE users SET handle = 'A B' WHERE id = {_liker_of_top_video(p)}",
            ("table users", "field handle"),
        ),
        (
            lambda p: (
                f"UPDATE likes SET liked_at = 'soon' WHERE video_id = {DEMO_TOP_VIDEO}"
                f" AND user_id = {_liker_of_top_video(p)}"
            ),
            ("table likes", "field liked_at"),
        ),
        (
            lambda p: (
                f"UPDATE likes SET user_id = 99999 WHERE video_id = {DEMO_TOP_VIDEO}"
                f" AND user_id = {_liker_of_top_video(p)}"
            ),
            ("user_id 99999 names no row of users",),
        ),
        (
            lambda p: f"UPDATE videos SET posted_at = 'x' WHERE id = {DEMO_TOP_VIDEO}",
            ("table videos", f"row id {DEMO_TOP_VIDEO}", "field posted_at"),
        ),
        (
            lambda p: f"UPDATE users SET account_type = 'robot' WHERE handle = '{DEMO_CREATOR}'",
            ("table users", "field account_type"),
        ),
        (
            lambda p: (
                f"UPDATE follows SET status = 'maybe' WHERE follower_id = {_id(p, DEMO_CREATOR)}"
            ),
            ("table follows", "field status"),
        ),
        (
            lambda p: "UPDATE meta SET value = 'later' WHERE key = 'now'",
            ("table meta", "now"),
        ),
    ],
    ids=[
        "liker privacy",
        "liker handle",
        "like time",
        "missing liker",
        "the video",
        "the creator",
        "the viewer's follows",
        "meta",
    ],
)
def test_a_bad_row_the_answer_reads_is_refused(capsys, large: Path, edit, fragments):
    """Refused in one line that names `wholiked check`, never the row (which rows an answer
    reads is what the rules hide); the full check names table, row and field."""
    alter(large, edit(large))
    code, out, err = cli(capsys, *LIKERS, "--db", str(large))
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1
    if fragments[0] != "table meta":  # meta is checked as the file opens
        assert err == (
            f"wholiked: error: {large}: the file has rows that break the format;"
            " `wholiked check` names them (table, row and field)\n"
        )
        code, out, err = cli(capsys, "check", "--db", str(large))
        assert (code, out) == (2, "")
    for fragment in fragments:
        assert fragment in err, err


def test_audience_checks_the_liker_and_their_followers(capsys, large: Path):
    sam = _id(large, DEMO_PRIVATE_VIEWER)
    alter(large, f"UPDATE follows SET status = 'soon' WHERE followee_id = {sam}")
    command = ("audience", str(DEMO_TOP_VIDEO), "--as", DEMO_PRIVATE_VIEWER, "--json")
    code, _, err = cli(capsys, *command, "--db", str(large))
    assert code == 2 and "the file has rows that break the format" in err
    assert "table follows" not in err


def test_audit_checks_the_likers(capsys, large: Path):
    alter(large, f"UPDATE users SET is_private = 9 WHERE id = {_liker_of_top_video(large)}")
    code, _, err = cli(capsys, "audit", str(DEMO_TOP_VIDEO), "--json", "--db", str(large))
    assert code == 2 and "the file has rows that break the format" in err


def test_other_commands_still_check_the_whole_file(capsys, large: Path):
    alter(large, "UPDATE videos SET views = -5 WHERE id = 20")
    code, _, err = cli(capsys, "tips", "--as", DEMO_CREATOR, "--db", str(large))
    assert code == 2 and "table videos, row id 20: field views" in err


def test_a_valid_first_answer_never_imports_pydantic(large: Path, tmp_path: Path):
    """pydantic (about 85 ms) is imported only to word a bad row."""
    script = f"""
import sys
from wholiked.core.store import database
database.FULL_CHECK_MAX_BYTES = 0
from wholiked.tui.cli import main
try:
    main({list(LIKERS) + ["--db", str(large)]!r})
except SystemExit as exit_:
    assert exit_.code == 0, exit_.code
print("pydantic" in sys.modules)
"""
    env = {**os.environ, "WHOLIKED_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_a_long_first_open_says_each_step_once(large: Path, monkeypatch) -> None:
    """A large file opened writable for the first time: the person waiting is told each long
    step (the full check, the indexes, the counts, the release rollup); the next open has
    nothing left to do and says nothing. A small file never says anything."""
    monkeypatch.setattr(rollup, "MIN_LIKES", 1)
    conn = sqlite3.connect(large)
    with conn:
        schema.remove_derived(conn)
    creators = conn.execute(
        "SELECT count(DISTINCT creator_id) FROM videos JOIN likes ON likes.video_id = videos.id"
    ).fetchone()[0]
    conn.close()
    lines: list[str] = []
    database.open_database(large, writable=True, progress=lines.append).close()
    assert lines == [
        f"{large}: checking every row (once; a valid file is remembered)…",
        f"{large}: adding wholiked's indexes (once; they stay in the file)…",
        f"{large}: counting the likes of every video…",
        f"{large}: counting the comments of every video…",
        f"{large}: summing the daily release of {creators} creators with 1 likes or more…",
    ]
    lines.clear()
    database.open_database(large, writable=True, progress=lines.append).close()
    assert lines == []
    monkeypatch.setattr(database, "FULL_CHECK_MAX_BYTES", 16 * 2**20)
    small = large.with_name("small.db")
    build_demo(small, noise_key=DEMO_TEST_KEY)
    database.open_database(small, writable=True, progress=lines.append).close()
    assert lines == []


@pytest.mark.parametrize("tty", [True, False])
def test_the_steps_go_to_a_terminal_only(tty: bool, monkeypatch) -> None:
    """A script reading stderr sees only errors; a terminal sees the step, made printable."""

    class Stderr(io.StringIO):
        def isatty(self) -> bool:
            return tty

    monkeypatch.setattr(sys, "stderr", Stderr())
    tell_terminal("evil\x1b[2J.db: adding wholiked's indexes…")
    said = sys.stderr.getvalue()
    assert said == ("wholiked: evil\ufffd[2J.db: adding wholiked's indexes…\n" if tty else "")


ANALYTICS = ("analytics", "--as", DEMO_CREATOR, "--json")


def test_analytics_reads_only_the_creators_rows(capsys, large: Path):
    """analytics on a large unchecked file checks the rows the creator's release reads (her
    videos, the likes on them, her likers' attributes, the comments on them), not the
    whole file: a bad row elsewhere waits for the full check; a bad row it reads is
    refused, exit 2, in one line that names `wholiked check` and not the row (the row of
    an anonymous liker would tell the creator who liked)."""
    alter(large, "UPDATE videos SET views = -5 WHERE id = 20")  # not Mia's video
    code, out, err = cli(capsys, *ANALYTICS, "--db", str(large))
    assert (code, err) == (0, "") and json.loads(out)["totals"]["likes"] == 183
    assert not fingerprint.is_remembered(fingerprint.fingerprint(large))
    hidden = _liker_of_top_video(large, listed=False)  # an anonymous liker: still counted
    alter(large, f"UPDATE users SET age_band = 'old' WHERE id = {hidden}")
    code, out, err = cli(capsys, *ANALYTICS, "--db", str(large))
    assert (code, out) == (2, "")
    assert "the file has rows that break the format" in err and err.count("\n") == 1
    assert f"row id {hidden}" not in err
    alter(large, f"UPDATE users SET age_band = NULL WHERE id = {hidden}")
    alter(large, f"UPDATE likes SET liked_at = 'yesterday' WHERE video_id = {DEMO_TOP_VIDEO}")
    code, out, err = cli(capsys, *ANALYTICS, "--db", str(large))
    assert (code, out) == (2, "") and "the file has rows that break the format" in err


def test_analytics_refuses_a_caption_that_is_not_utf8(capsys, large: Path):
    """The per-video table shows captions: a caption of the creator's that is not UTF-8 is
    refused by the scoped check, naming the file (not some generic database) and
    `wholiked check`, which names the caption."""
    alter(large, f"UPDATE videos SET caption = CAST(X'ff80' AS TEXT) WHERE id = {DEMO_TOP_VIDEO}")
    code, out, err = cli(capsys, *ANALYTICS, "--db", str(large))
    assert (code, out) == (2, "")
    assert err.startswith(f"wholiked: error: {large}: the file has rows that break"), err
    code, out, err = cli(capsys, "check", "--db", str(large))
    assert (code, out) == (2, "") and "caption" in err, err
