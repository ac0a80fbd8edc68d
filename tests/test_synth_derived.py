"""Synthetic worlds carry wholiked's derived data from the build: exactly what a writable
open would add (counted from the rows), answers equal to the same world without it, and
`index --check` finds it exact."""

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wholiked.fixtures.synth.build as synth_build
from tests.cli_helpers import run
from wholiked.core.errors import NotPermitted
from wholiked.core.release import counting
from wholiked.core.rules import policy
from wholiked.core.service import Wholiked
from wholiked.core.store import comment_counts, counters, rollup
from wholiked.core.store.database import open_database
from wholiked.core.store.schema import remove_derived
from wholiked.fixtures.synth import build_synth

SMALL = dict(users=3000, videos=120, likes=30_000, follows=15_000, seed=11, viral_likes=2500)
RELEASE_DAY = "2026-11-20T00:00:00Z"  # meta.now's day: what a writable open builds with
DERIVED_TABLES = (*counters.TABLE_SQL, *comment_counts.TABLE_SQL, *rollup.TABLE_SQL)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world with three creators over a lowered rollup threshold (in one process)."""
    out = tmp_path_factory.mktemp("synth-derived") / "small.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rollup, "MIN_LIKES", 2000)
        build_synth(out, **SMALL)
    return out


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    return sorted((tuple(r) for r in conn.execute(f"SELECT * FROM {table}")), key=repr)


def _schema(conn: sqlite3.Connection) -> list[tuple]:
    query = "SELECT type, name, sql FROM sqlite_schema WHERE name LIKE 'wholiked%' ORDER BY 2"
    return [tuple(r) for r in conn.execute(query)]


def _counted_from_the_rows(path: Path, out: Path) -> Path:
    """A copy whose derived data is built afresh from its rows, as a writable open does."""
    shutil.copyfile(path, out)
    conn = sqlite3.connect(out, isolation_level=None)
    try:
        conn.execute("BEGIN")
        counters.create_counters(conn)
        comment_counts.create(conn)
        rollup.create(conn)
        for creator in rollup.wanted(conn):
            rollup.build(conn, creator, RELEASE_DAY)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return out


def test_every_derived_table_is_what_a_count_of_the_rows_writes(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rollup, "MIN_LIKES", 2000)
    counted = _counted_from_the_rows(small, tmp_path / "counted.db")
    built, fresh = sqlite3.connect(small), sqlite3.connect(counted)
    try:
        assert _schema(built) == _schema(fresh)  # tables, indexes and triggers, exact SQL
        assert len(rollup.built(built)) == 3
        for table in DERIVED_TABLES:
            assert _rows(built, table) == _rows(fresh, table), table
        assert counters.unusable_reason(built) is None
        assert comment_counts.unusable_reason(built) is None
        assert rollup.unusable_reason(built) is None
    finally:
        built.close()
        fresh.close()


def test_the_forked_build_writes_the_same_derived_data(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not synth_build._can_fork():
        pytest.skip("the likes are built in a second process only on Linux, without threads")
    monkeypatch.setattr(rollup, "MIN_LIKES", 2000)
    monkeypatch.setattr(synth_build, "PARALLEL_MIN_ROWS", 0)
    forked = tmp_path / "forked.db"
    build_synth(forked, **SMALL)
    assert forked.read_bytes() == small.read_bytes()


def test_index_check_finds_it_exact(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "index", "--check", str(small))
    assert code == 0, out
    assert "counters exact" in out
    assert "comment counts exact" in out
    assert "release rollup exact (3 creators match a live count" in out


def test_a_read_only_open_adds_nothing_and_uses_it(small: Path) -> None:
    before = small.read_bytes()
    db = open_database(small)
    try:
        assert not db.writable
        with db.snapshot() as conn:
            assert counters.has_counters(conn) and comment_counts.usable(conn)
            assert rollup.usable(conn) and not rollup.needs_work(conn)
            assert counting.from_rollup(conn, rollup.built(conn)[0], date(2026, 11, 20))
    finally:
        db.close()
    assert small.read_bytes() == before


def _strip(path: Path, out: Path) -> Path:
    """The same world without any of wholiked's derived data (indexes included)."""
    shutil.copyfile(path, out)
    conn = sqlite3.connect(out, isolation_level=None)
    try:
        conn.execute("BEGIN")
        remove_derived(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return out


def _answers(path: Path) -> dict:
    """What a read-only open answers: like totals and private counts, the population,
    video lists with their totals, likers pages, and every creator's release counts."""
    service = Wholiked(open_database(path))
    db = service.db
    found: dict = {}
    try:
        day = service.reference_time().date()
        with db.snapshot() as conn:
            found["population"] = (policy.user_count(conn), policy.private_user_count(conn))
            videos = [tuple(r) for r in conn.execute("SELECT id, creator_id FROM videos")]
            found["totals"] = {
                v: (policy.like_total(conn, v), policy.private_like_count(conn, v))
                for v, _ in videos
            }
            viewers = [r[0] for r in conn.execute("SELECT id FROM users ORDER BY id LIMIT 3")]
        for creator in sorted({c for _, c in videos}):
            user = service.user_by_id(creator)
            found[("videos", creator)] = service.creator_videos(user)
            found[("release", creator)] = counting.all_videos_counts(db, creator, day)
        for video, creator in videos:
            found[("video release", video)] = counting.video_counts(
                db, creator_id=creator, video_id=video, day=day
            )
            for viewer in viewers:
                try:
                    seen: object = service.likers(video, service.user_by_id(viewer))
                except NotPermitted as refused:
                    seen = str(refused)
                found[("likers", video, viewer)] = seen
    finally:
        service.close()
    return found


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    users=st.integers(4, 60),
    videos=st.integers(1, 8),
    share=st.floats(0, 1),
    follows=st.integers(0, 40),
    seed=st.integers(0, 10**6),
    threshold=st.sampled_from([1, 10, 40]),
)
def test_a_synth_world_answers_as_the_same_world_without_derived_data(
    tmp_path_factory: pytest.TempPathFactory,
    users: int,
    videos: int,
    share: float,
    follows: int,
    seed: int,
    threshold: int,
) -> None:
    folder = tmp_path_factory.mktemp("synth-answers")
    likes = int(share * users * videos * 0.8)
    follows = min(follows, users * (users - 1) - 2 * synth_build._block_count(users))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rollup, "MIN_LIKES", threshold)
        built = folder / "built.db"
        build_synth(built, users=users, videos=videos, likes=likes, follows=follows, seed=seed)
        bare = _strip(built, folder / "bare.db")
        with_derived, without = _answers(built), _answers(bare)
        conn = sqlite3.connect(built)
        try:  # the fast paths are in use on the built world, and the bare one has none
            assert counters.has_counters(conn) and comment_counts.usable(conn)
            assert rollup.usable(conn) and not rollup.needs_work(conn)
        finally:
            conn.close()
    assert with_derived == without
