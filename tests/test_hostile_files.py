"""Hostile files: every one is refused in one line with exit 2, quickly, and nothing from
the file reaches the terminal raw.

FIFOs and devices run the real `wholiked` in a subprocess with a timeout, so a hang is a
failure, not a stuck test run.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.worlds import DEMO_TEST_KEY
from wholiked.core.store import fingerprint
from wholiked.fixtures.demo import DEMO_CREATOR, DEMO_PRIVATE_VIEWER, build_demo
from wholiked.fixtures.hostile import OSC52
from wholiked.tui.cli import main

WHOLIKED = str(Path(sys.executable).parent / "wholiked")
RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
"""Control characters (ESC, BEL, C1...) other than the newline ending each line."""


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def process(*args: str, home: Path) -> subprocess.CompletedProcess[bytes]:
    """The real command line in its own process; a hang fails after 30 s."""
    env = {**os.environ, "WHOLIKED_HOME": str(home)}
    return subprocess.run([WHOLIKED, *args], capture_output=True, timeout=30, env=env)


def one_line_error(done: subprocess.CompletedProcess[bytes], *fragments: str) -> str:
    err = done.stderr.decode()
    assert done.returncode == 2, (done.returncode, err)
    assert done.stdout == b""
    assert err.startswith("wholiked: error: ") and err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err, err
    return err


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "demo.db"
    build_demo(path, noise_key=DEMO_TEST_KEY)
    return path


@pytest.fixture
def copy(tmp_path: Path, pristine: Path) -> Path:
    path = tmp_path / "world.db"
    shutil.copyfile(pristine, path)
    return path


# --- not a regular file -------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("likers", "1", "--as", DEMO_CREATOR, "--json"),
        ("check",),
        ("tui",),
        ("like", "1", "--as", DEMO_CREATOR, "--write"),
    ],
    ids=lambda c: c[0],
)
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, command: tuple[str, ...]) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    done = process(*command, "--db", str(fifo), home=tmp_path / "home")
    one_line_error(done, "named pipe (FIFO)")


def test_index_and_unindex_refuse_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    for command in ("index", "unindex"):
        one_line_error(process(command, str(fifo), home=tmp_path / "home"), "named pipe")
    one_line_error(process("index", "--check", str(fifo), home=tmp_path / "home"), "named pipe")


def test_a_fifo_beside_a_good_file_is_refused_without_blocking(tmp_path: Path, copy: Path) -> None:
    os.mkfifo(f"{copy}-journal")
    done = process("likers", "1", "--as", DEMO_CREATOR, "--db", str(copy), home=tmp_path / "h")
    one_line_error(done, "world.db-journal: is a named pipe")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused(tmp_path: Path, device: str) -> None:
    done = process("likers", "1", "--as", DEMO_CREATOR, "--db", device, home=tmp_path / "home")
    one_line_error(done, f"{device}: is a device")


def test_a_directory_is_refused(capsys, tmp_path: Path) -> None:
    code, out, err = cli(capsys, "check", "--db", str(tmp_path))
    assert (code, out) == (2, "") and "is a directory" in err and err.count("\n") == 1


# --- text that is not UTF-8, escape sequences -----------------------------------------------


def _caption(path: Path, raw: bytes) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE videos SET caption = CAST(? AS TEXT) WHERE id = 1", (raw,))
    conn.commit()
    conn.close()


COMMANDS = [
    ("likers", "1", "--as", DEMO_CREATOR),
    ("audit", "1", "--as", DEMO_CREATOR),
    ("audience", "1", "--as", DEMO_PRIVATE_VIEWER),
    ("tips", "--as", DEMO_CREATOR),
    ("analytics", "--as", DEMO_CREATOR),
    ("check",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_invalid_utf8_with_osc52_never_reaches_the_terminal(
    tmp_path: Path, copy: Path, command: tuple[str, ...]
) -> None:
    """An OSC 52 clipboard write in a caption that is not valid UTF-8: exit 2 in one line
    naming the table, row and field, and no control byte on stdout or stderr."""
    _caption(copy, OSC52.encode() + b"\xff\xfe")
    done = process(*command, "--db", str(copy), home=tmp_path / "home")
    assert not RAW.search(done.stdout.decode(errors="replace"))
    assert not RAW.search(done.stderr.decode(errors="replace"))
    fragments = ("table videos, row id 1: field caption", "not valid UTF-8")
    if command[0] == "check":  # one line per problem, then the count
        lines = done.stderr.decode().splitlines()
        assert done.returncode == 2 and done.stdout == b"" and len(lines) == 2
        assert all(f in lines[0] for f in fragments) and lines[1].endswith("1 problem listed")
        return
    one_line_error(done, *fragments)


def test_a_bad_caption_read_by_a_command_that_skips_the_full_check(
    capsys, copy: Path, monkeypatch
) -> None:
    """With the full check deferred, the undecodable caption is met when read: still one
    clean line, exit 2 (SQLite's own message would quote the raw bytes)."""
    from wholiked.core.store import database

    monkeypatch.setattr(database, "FULL_CHECK_MAX_BYTES", 0)
    _caption(copy, OSC52.encode() + b"\xff")
    code, out, err = cli(capsys, "likers", "1", "--as", DEMO_CREATOR, "--db", str(copy))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "column caption holds text that is not valid UTF-8" in err
    assert not RAW.search(err.rstrip("\n"))


def _flip(path: Path, target: bytes, offset: int) -> Path:
    data = bytearray(path.read_bytes())
    at = data.index(target) + offset
    data[at], data[at + 1] = 0xFF, 0xFE
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("target", "offset"),
    [(b"CREATE TABLE", 14), (b"users_handle", 2), (b"wholiked_likes_video_time", 9)],
    ids=["table sql", "index name", "our index name"],
)
def test_flipped_bytes_in_the_schema_exit_2(capsys, copy: Path, target: bytes, offset: int):
    _flip(copy, target, offset)
    for command in (("likers", "1", "--as", DEMO_CREATOR), ("check",)):
        code, out, err = cli(capsys, *command, "--db", str(copy))
        assert code == 2 and out == "", (command, code, err)
        assert err.startswith("wholiked: error: ") and err.count("\n") == 1
        assert "damaged" in err
        assert not RAW.search(err.rstrip("\n"))


# --- edits that keep the size and restore the modification time --------------------------


def _edit_in_place(path: Path, *statements: str) -> None:
    """Change rows, then put the size and times back the way cp -p, rsync -t or tar do."""
    before = os.stat(path)
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


@pytest.mark.parametrize("hashed", [True, False], ids=["small file: content", "large: ctime"])
def test_an_edit_with_restored_mtime_is_detected(
    capsys, copy: Path, monkeypatch, hashed: bool
) -> None:
    if not hashed:  # as for a file too large to hash: inode, ctime, header and WAL state
        monkeypatch.setattr(fingerprint, "HASHED_BYTES", 0)
    code, _, _ = cli(capsys, "likers", "1", "--as", DEMO_CREATOR, "--db", str(copy))
    assert code == 0 and fingerprint.is_remembered(fingerprint.fingerprint(copy))
    _edit_in_place(copy, f"UPDATE users SET is_private = 2 WHERE handle = '{DEMO_PRIVATE_VIEWER}'")
    assert not fingerprint.is_remembered(fingerprint.fingerprint(copy))
    code, out, err = cli(capsys, "likers", "1", "--as", DEMO_CREATOR, "--db", str(copy))
    assert (code, out) == (2, "")
    assert "table users" in err and "field is_private: must be 0 or 1 (got 2)" in err


def test_an_escape_in_a_handle_never_reaches_the_header(capsys, copy: Path) -> None:
    """The handle in `likers`' text header comes from the file: a remembered-valid file
    edited in place to carry an escape sequence there is refused, and nothing raw is shown."""
    assert cli(capsys, "likers", "1", "--as", DEMO_CREATOR, "--db", str(copy))[0] == 0
    _edit_in_place(copy, "UPDATE users SET handle = char(27) || ']0;pwn' || char(7) WHERE id = 1")
    code, out, err = cli(capsys, "likers", "1", "--as", DEMO_PRIVATE_VIEWER, "--db", str(copy))
    assert (code, out) == (2, "")
    assert "field handle" in err and not RAW.search(err.rstrip("\n"))


def test_an_identical_copy_of_a_small_file_is_known_by_its_content(capsys, copy: Path) -> None:
    assert cli(capsys, "check", "--db", str(copy))[0] == 0
    twin = copy.with_name("twin.db")
    shutil.copyfile(copy, twin)
    assert fingerprint.is_remembered(fingerprint.fingerprint(twin))
