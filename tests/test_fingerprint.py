"""A file's fingerprint changes with every write, in either journal mode, whatever the
timestamps say; what passed the full check is remembered by it."""

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.worlds import World
from wholiked.core.store import fingerprint


def _world(path: Path) -> Path:
    w = World()
    w.user("cara", creator=True)
    w.user("dan", private=True)
    w.like("dan", w.video("cara"))
    return w.write(path)


def _write(path: Path, *statements: str, keep_times: bool = True) -> None:
    before = os.stat(path)
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()
    if keep_times:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.fixture(params=["content", "metadata"])
def mode(request, monkeypatch) -> str:
    """Small files are hashed; larger ones (the limit is zero here) use file metadata."""
    if request.param == "metadata":
        monkeypatch.setattr(fingerprint, "HASHED_BYTES", 0)
    return request.param


def test_a_write_in_rollback_mode_changes_it(tmp_path: Path, mode: str) -> None:
    path = _world(tmp_path / "w.db")
    first = fingerprint.fingerprint(path)
    assert first is not None and first.startswith("content:" if mode == "content" else "file:")
    assert fingerprint.fingerprint(path) == first  # reading changes nothing
    _write(path, "UPDATE users SET is_private = 0 WHERE handle = 'dan'")
    assert fingerprint.fingerprint(path) != first


def test_wal_writes_change_it_before_and_after_the_checkpoint(tmp_path: Path, mode: str) -> None:
    """WAL commits do not bump the header's change counter: the WAL's frames (while it is
    there) and the main file's bytes or ctime (after the checkpoint) still tell."""
    path = _world(tmp_path / "w.db")
    _write(path, "PRAGMA journal_mode = WAL")
    first = fingerprint.fingerprint(path)
    holder = sqlite3.connect(path)  # keeps the WAL from being checkpointed away on close
    holder.execute("SELECT count(*) FROM users").fetchone()
    _write(path, "UPDATE users SET is_private = 0 WHERE handle = 'dan'")
    assert Path(f"{path}-wal").exists()
    in_wal = fingerprint.fingerprint(path)
    assert in_wal != first
    _write(path, "UPDATE users SET handle = 'dam' WHERE handle = 'dan'")  # same size again
    assert fingerprint.fingerprint(path) not in (first, in_wal)
    holder.close()
    _write(path, "PRAGMA wal_checkpoint(TRUNCATE)")
    assert fingerprint.fingerprint(path) not in (first, in_wal)


def test_remembered_by_fingerprint_not_by_path(tmp_path: Path) -> None:
    path = _world(tmp_path / "w.db")
    fingerprint.remember(fingerprint.fingerprint(path))
    assert fingerprint.is_remembered(fingerprint.fingerprint(path))
    _write(path, "UPDATE users SET handle = 'dana' WHERE handle = 'dan'")
    assert not fingerprint.is_remembered(fingerprint.fingerprint(path))
    assert not fingerprint.is_remembered(None)


def test_an_old_cache_keyed_by_size_and_mtime_is_forgotten(tmp_path: Path) -> None:
    path = _world(tmp_path / "w.db")
    st = os.stat(path)
    old = {str(path.resolve()): [st.st_size, st.st_mtime_ns, 0, 0]}
    (Path(os.environ["WHOLIKED_HOME"]) / "validated.json").write_text(json.dumps(old))
    assert not fingerprint.is_remembered(fingerprint.fingerprint(path))
