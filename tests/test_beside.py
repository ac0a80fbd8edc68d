"""Derived data beside a read-only file (core.store.beside): built once in the data folder,
used on the fast paths with the same answers, never a byte of the file changed, dropped
and built again after another program's write; and a scoped row check remembered until
the file changes."""

import hashlib
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from wholiked.core.release import counting
from wholiked.core.rules import policy
from wholiked.core.store import beside, comment_counts, counters, database, rollup, validation
from wholiked.core.store.database import RowCheck, open_database
from wholiked.core.store.schema import create_indexes, remove_derived
from wholiked.fixtures.synth import build_synth

WORLD = dict(users=400, videos=12, likes=3000, follows=800, seed=5, viral_likes=300)
DAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world of another tool: the format's tables and wholiked's indexes, nothing else."""
    path = tmp_path_factory.mktemp("beside") / "world.db"
    build_synth(path, **WORLD)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        remove_derived(conn)
        create_indexes(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return path


@pytest.fixture
def world(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy, treated as large (derived data beside it, rows checked where read),
    with creators over a lowered rollup threshold."""
    monkeypatch.setattr(database, "FULL_CHECK_MAX_BYTES", 0)
    monkeypatch.setattr(rollup, "MIN_LIKES", 400)
    path = tmp_path / "world.db"
    shutil.copyfile(built, path)
    return path


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fast(db: database.Database) -> tuple[bool, bool, bool]:
    with db.snapshot() as conn:
        return counters.has_counters(conn), comment_counts.usable(conn), rollup.usable(conn)


def _answers(db: database.Database) -> dict:
    found: dict = {}
    with db.snapshot() as conn:
        videos = [tuple(r) for r in conn.execute("SELECT id, creator_id FROM videos")]
        found["population"] = (policy.user_count(conn), policy.private_user_count(conn))
        for video, _ in videos:
            found[video] = (policy.like_total(conn, video), policy.private_like_count(conn, video))
        query = f"SELECT x.id, {comment_counts.total_sql(conn)} FROM videos x ORDER BY x.id"
        found["comments"] = [tuple(r) for r in conn.execute(query)]
    for creator in sorted({c for _, c in videos}):
        found[("release", creator)] = counting.all_videos_counts(db, creator, DAY)
    for video, creator in videos:
        found[("video", video)] = counting.video_counts(
            db, creator_id=creator, video_id=video, day=DAY
        )
    return found


def _live(path: Path) -> dict:
    db = open_database(path, rows=RowCheck.NONE, derived=False)
    try:
        assert _fast(db) == (False, False, False)
        return _answers(db)
    finally:
        db.close()


def test_built_once_beside_the_file_and_used_with_the_same_answers(world: Path) -> None:
    before = _hash(world)
    lines: list[str] = []
    db = open_database(world, rows=RowCheck.DEFERRED, beside=True, progress=lines.append)
    try:
        assert _fast(db) == (True, True, True)
        assert rollup.built(db.conn)  # creators over the threshold have their rollup
        fast = _answers(db)
    finally:
        db.close()
    assert any("kept beside the file" in line for line in lines)
    assert beside.path_for(world).exists()
    assert fast == _live(world)
    again: list[str] = []
    db = open_database(world, rows=RowCheck.DEFERRED, beside=True, progress=again.append)
    try:
        assert _fast(db) == (True, True, True)
    finally:
        db.close()
    assert again == []  # built once: the second open finds it
    assert _hash(world) == before  # never a byte of the user's file
    assert not any(n.startswith("wholiked_release") for n in _names(world))


def _names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_schema")}
    finally:
        conn.close()


def _foreign_write(path: Path) -> None:
    """Another program likes a video (by the first user who has not liked it)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(
            "INSERT INTO likes (video_id, user_id, liked_at) SELECT 2, id, '2026-11-19T10:00:00Z'"
            " FROM users WHERE id NOT IN (SELECT user_id FROM likes WHERE video_id = 2) LIMIT 1"
        )
    finally:
        conn.close()


def test_another_programs_write_is_seen_at_once_and_the_data_rebuilt(world: Path) -> None:
    db = open_database(world, rows=RowCheck.DEFERRED, beside=True)
    try:
        assert _fast(db) == (True, True, True)
        with db.snapshot() as conn:
            total = policy.like_total(conn, 2)
        _foreign_write(world)
        # The open connection sees the write: the data beside is no longer used.
        assert _fast(db) == (False, False, False)
        with db.snapshot() as conn:
            assert policy.like_total(conn, 2) == total + 1
        assert _answers(db) == _live(world)
    finally:
        db.close()
    written = _hash(world)
    lines: list[str] = []
    db = open_database(world, rows=RowCheck.DEFERRED, beside=True, progress=lines.append)
    try:  # the next open drops the old data and counts it again, from the file as it is
        assert lines and _fast(db) == (True, True, True)
        with db.snapshot() as conn:
            assert policy.like_total(conn, 2) == total + 1
        assert _answers(db) == _live(world)
    finally:
        db.close()
    assert _hash(world) == written


def test_other_commands_use_it_but_never_wait_for_it(world: Path) -> None:
    db = open_database(world, rows=RowCheck.DEFERRED)  # likers, audience, the app: no build
    try:
        assert _fast(db) == (False, False, False)
    finally:
        db.close()
    assert not beside.path_for(world).exists()
    open_database(world, rows=RowCheck.DEFERRED, beside=True).close()
    db = open_database(world, rows=RowCheck.DEFERRED)
    try:
        assert _fast(db) == (True, True, True)
    finally:
        db.close()


def test_a_file_that_holds_its_own_derived_data_takes_none_from_beside(
    world: Path,
) -> None:
    writable = open_database(world, writable=True)
    writable.close()
    db = open_database(world, rows=RowCheck.DEFERRED, beside=True)
    try:
        assert _fast(db) == (True, True, True)
        assert getattr(db.conn, "wholiked_beside", None) is None
    finally:
        db.close()
    assert not beside.path_for(world).exists()


def test_a_scoped_check_is_remembered_until_the_file_changes(
    world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[validation.Scope] = []
    real = validation.check_scope

    def counted(conn: sqlite3.Connection, label: str, scope: validation.Scope) -> None:
        calls.append(scope)
        real(conn, label, scope)

    monkeypatch.setattr(validation, "check_scope", counted)
    for _ in range(2):
        db = open_database(world, rows=RowCheck.DEFERRED)
        try:
            calls.clear()
            db.check_scope(videos=(1,), likers_of=(1,), released_for=(1,))
            first = list(calls)
        finally:
            db.close()
    assert first == []  # the second process skipped it: remembered by the fingerprint
    _foreign_write(world)
    db = open_database(world, rows=RowCheck.DEFERRED)
    try:
        calls.clear()
        db.check_scope(videos=(1,), likers_of=(1,), released_for=(1,))
        assert len(calls) == 1  # the file changed: checked again
    finally:
        db.close()
