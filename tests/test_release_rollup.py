"""The release rollup (core.store.rollup) gives exactly the counts of the live count
(core.release.counting.all_videos and one_video), whatever other programs write to the
file, read-only or writable, on any release day; and it is not used when it cannot be
trusted."""

import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.worlds import World, worlds
from wholiked.core.release import counting
from wholiked.core.store import rollup
from wholiked.core.store.database import open_database

TODAY = date(2026, 11, 20)  # tests.worlds.NOW's day
DAYS = [TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=9), TODAY + timedelta(days=1)]
"""Release days checked: today; yesterday and nine days ago (the reference time moved back:
rows whose latest like is later than the day have no `prev` for it); tomorrow."""

TIMES = [
    "2026-10-02T08:00:00Z",
    "2026-11-10T03:15:00Z",
    "2026-11-11T23:59:59Z",
    "2026-11-19T07:00:00Z",
    "2026-11-19T22:00:00Z",
    "2026-11-20T00:00:00Z",  # the release day's 00:00Z: not counted today
    "2026-11-20T09:30:00Z",
    "2026-11-21T01:00:00Z",  # after the reference time
]
ATTRIBUTE_VALUES = {
    "age_band": ["18-24", "35-44", None],
    "region": ["FR", "KE", None],
    "language": ["fr", "sw", None],
    "device": ["ios", "android", None],
}


NEW_LIKE = """SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM videos WHERE id = ?1)
    AND EXISTS (SELECT 1 FROM users WHERE id = ?2)"""


def _attributes(draw: st.DrawFn) -> dict:
    return {a: draw(st.sampled_from(v)) for a, v in ATTRIBUTE_VALUES.items()}


@st.composite
def attributed_worlds(draw: st.DrawFn) -> World:
    w = draw(worlds(max_videos=3, like_times=TIMES))
    for user in w.users.values():
        user.update(_attributes(draw))
    handles = sorted(w.users)
    prolific = draw(st.sampled_from(handles))  # enough videos for the per-video bound to bite
    for _ in range(draw(st.integers(0, 5))):
        x = w.video(prolific)
        for h in draw(st.lists(st.sampled_from(handles), unique=True, min_size=1)):
            w.like(h, x, draw(st.sampled_from(TIMES)))
    return w


def _foreign_writes(draw: st.DrawFn, w: World) -> list[list[tuple[str, tuple]]]:
    """What another program might do, each step a few statements that keep the file valid:
    likes added (IGNORE, REPLACE), removed, moved in time or to another video; users'
    attributes changed, a user replaced by id, or by handle under a new id or by another
    user taking their handle (their rows moved to the handle's owner), or deleted with
    their likes; a video deleted with its likes, given to
    another creator, or a new one liked."""
    users = sorted(u["id"] for u in w.users.values())
    handles = sorted(w.users)
    videos = sorted(w.videos)
    likes = sorted(w.likes)
    time = st.sampled_from(TIMES)
    user = st.sampled_from(users)
    video = st.sampled_from(videos)

    def one(sql: str, params: st.SearchStrategy) -> st.SearchStrategy:
        return params.map(lambda p: [(sql, p)])

    def moved(h: str) -> list[tuple[str, tuple]]:
        """Every row naming the deleted account now names the handle's owner (rows that
        would collide with the owner's are dropped)."""
        steps: list[tuple[str, tuple]] = []
        for table, column in (
            ("likes", "user_id"),
            ("videos", "creator_id"),
            ("follows", "follower_id"),
            ("follows", "followee_id"),
            ("blocks", "blocker_id"),
            ("blocks", "blocked_id"),
        ):
            orphan = f"{column} NOT IN (SELECT id FROM users)"
            steps.append(
                (
                    f"UPDATE OR IGNORE {table} SET {column} ="
                    f" (SELECT id FROM users WHERE handle = ?) WHERE {orphan}",
                    (h,),
                )
            )
            steps.append((f"DELETE FROM {table} WHERE {orphan}", ()))
        steps.append(("DELETE FROM blocks WHERE blocker_id = blocked_id", ()))
        return steps

    def replaced_by_handle(h: str) -> list[tuple[str, tuple]]:
        insert = (
            "INSERT OR REPLACE INTO users (id, handle, is_private, account_type, region)"
            " VALUES ((SELECT max(id) + 1 FROM users), ?, 0, 'personal', 'KE')"
        )
        return [(insert, (h,)), *moved(h)]

    def deleted(u: int) -> list[tuple[str, tuple]]:
        return [
            ("DELETE FROM likes WHERE user_id = ?", (u,)),
            ("DELETE FROM follows WHERE follower_id = ?1 OR followee_id = ?1", (u,)),
            ("DELETE FROM blocks WHERE blocker_id = ?1 OR blocked_id = ?1", (u,)),
            (
                "DELETE FROM users WHERE id = ?1"
                " AND NOT EXISTS (SELECT 1 FROM videos WHERE creator_id = ?1)",
                (u,),
            ),
        ]

    steps: list[st.SearchStrategy] = [
        one(f"INSERT OR IGNORE INTO likes {NEW_LIKE}", st.tuples(video, user, time)),
        one(f"INSERT OR REPLACE INTO likes {NEW_LIKE}", st.tuples(video, user, time)),
        one("UPDATE users SET age_band = '55+' WHERE id = ?", st.tuples(user)),
        one("UPDATE users SET region = NULL, device = 'android' WHERE id = ?", st.tuples(user)),
        one("DELETE FROM likes WHERE user_id = ?", st.tuples(user)),
        one(
            "INSERT OR REPLACE INTO users (id, handle, is_private, account_type, age_band)"
            " SELECT id, handle, 0, 'personal', '25-34' FROM users WHERE id = ?",
            st.tuples(user),
        ),
        st.sampled_from(handles).map(replaced_by_handle),
        st.tuples(st.sampled_from(handles), user).map(
            lambda t: [
                ("UPDATE OR REPLACE users SET handle = ? WHERE id = ?", t),
                *moved(t[0]),
            ]
        ),
        user.map(deleted),
        video.map(
            lambda x: [
                ("DELETE FROM likes WHERE video_id = ?", (x,)),
                ("DELETE FROM videos WHERE id = ?", (x,)),
            ]
        ),
        one(
            "UPDATE videos SET creator_id = ?1 WHERE id = ?2"
            " AND EXISTS (SELECT 1 FROM users WHERE id = ?1)",
            st.tuples(user, video),
        ),
        st.tuples(user, user, time).map(
            lambda t: [
                (
                    "INSERT OR IGNORE INTO videos (id, creator_id, posted_at)"
                    " SELECT 50, id, '2026-10-01T00:00:00Z' FROM users WHERE id = ?",
                    (t[0],),
                ),
                (
                    "INSERT OR IGNORE INTO likes SELECT 50, id, ? FROM users WHERE id = ?"
                    " AND EXISTS (SELECT 1 FROM videos WHERE id = 50)",
                    (t[2], t[1]),
                ),
            ]
        ),
    ]
    if likes:
        like = st.sampled_from(likes)
        steps.append(
            one(
                "UPDATE likes SET liked_at = ? WHERE video_id = ? AND user_id = ?",
                st.tuples(time, like).map(lambda t: (t[0], *t[1])),
            )
        )
        steps.append(
            one(
                "UPDATE OR IGNORE likes SET video_id = ?1 WHERE video_id = ?2 AND user_id = ?3"
                " AND EXISTS (SELECT 1 FROM videos WHERE id = ?1)",
                st.tuples(video, like).map(lambda t: (t[0], *t[1])),
            )
        )
    return draw(st.lists(st.one_of(steps), max_size=6))


def _videos(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM videos ORDER BY id")]


def _creators(conn: sqlite3.Connection, *, liked: bool = False) -> list[int]:
    """Creators of videos (of liked videos, when liked)."""
    join = " JOIN likes l ON l.video_id = x.id" if liked else ""
    return [r[0] for r in conn.execute(f"SELECT DISTINCT x.creator_id FROM videos x{join}")]


def _assert_same(path: Path, *, writable: bool) -> None:
    db = open_database(path, writable=writable)
    try:
        conn = db.conn
        built = rollup.built(conn)
        if writable:  # every creator with a like has one now
            assert set(built) >= set(_creators(conn, liked=True))
        for creator in sorted(set(_creators(conn)) | set(built)):
            for day in DAYS:
                live = counting.all_videos(conn, creator, day)
                fast = counting.from_rollup(conn, creator, day)
                assert (fast is not None) == (creator in built)
                if fast is not None:
                    assert fast == live, (creator, day)
                assert counting.all_videos_counts(db, creator, day) == live
                for video in _videos(conn):
                    live = counting.one_video(conn, creator_id=creator, video_id=video, day=day)
                    fast = counting.video_from_rollup(
                        conn, creator_id=creator, video_id=video, day=day
                    )
                    assert (fast is not None) == (creator in built)
                    if fast is not None:
                        assert fast == live, (creator, video, day)
                    assert (
                        counting.video_counts(db, creator_id=creator, video_id=video, day=day)
                        == live
                    )
    finally:
        db.close()


def _rows(path: Path) -> tuple[list, list]:
    conn = sqlite3.connect(path)
    try:
        likers = conn.execute(
            f"SELECT creator_id, user_id, first, latest, present, age_band, region, language,"
            f" device, prev FROM {rollup.LIKERS} ORDER BY 1, 2"
        ).fetchall()
        cells = conn.execute(
            f"SELECT creator_id, histogram, day, quote(value), n FROM {rollup.CELLS}"
            " WHERE n <> 0 ORDER BY 1, 2, 3, 4"
        ).fetchall()
    finally:
        conn.close()
    return likers, cells


@pytest.fixture
def every_creator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every creator with a like gets a rollup (the bench's threshold keeps small ones live)."""
    monkeypatch.setattr(rollup, "MIN_LIKES", 1)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_rollup_counts_equal_live_counts_after_foreign_writes(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory, every_creator: None
) -> None:
    """Random worlds (attributes, ties, likes today and after the reference time), built
    once writable, then written by "another program" through plain sqlite3 (REPLACE,
    deletes, attribute and creator changes, orphan likes): a read-only open corrects the
    journal on the fly, and a writable open folds it in; on every creator and release day
    checked the rollup's counts are the live counts, and after the fold the rows and cells
    are what a fresh build gives."""
    w = data.draw(attributed_worlds())
    path = w.write(tmp_path_factory.mktemp("rollup") / "w.db")
    open_database(path, writable=True).close()  # builds the rollups
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    statements = _foreign_writes(data.draw, w)
    with conn:
        for step in statements:
            for sql, params in step:
                conn.execute(sql, params)
    conn.close()
    _assert_same(path, writable=False)
    _assert_same(path, writable=True)
    folded = _rows(path)
    db = open_database(path, writable=True)
    db.add_derived(rebuild=True)
    db.close()
    rebuilt = _rows(path)
    assert [r[:9] for r in folded[0]] == [r[:9] for r in rebuilt[0]]
    assert folded[1] == rebuilt[1]


def _demo_like_world(path: Path) -> Path:
    w = World()
    w.user("cara", creator=True, age_band="18-24")
    for i in range(6):
        w.user(f"fan{i}", age_band="35-44", region="FR")
    x = w.video("cara")
    for i in range(6):
        w.like(f"fan{i}", x, TIMES[i % len(TIMES)])
    return w.write(path)


def test_rollup_serves_only_when_it_can_be_trusted(tmp_path: Path, every_creator: None) -> None:
    """Built at a writable open; a table rebuild by another tool drops its triggers, so
    from then on the release is counted live (same counts), and the next writable open
    recreates it."""
    path = _demo_like_world(tmp_path / "t.db")
    db = open_database(path, writable=True)
    assert rollup.built(db.conn) == [1]
    assert counting.from_rollup(db.conn, 1, TODAY) == counting.all_videos(db.conn, 1, TODAY)
    db.close()
    subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "transform", str(path), "likes"],
        check=True,
        capture_output=True,
    )
    db = open_database(path)
    assert not rollup.usable(db.conn)
    assert counting.from_rollup(db.conn, 1, TODAY) is None
    live = counting.all_videos(db.conn, 1, TODAY)
    assert counting.all_videos_counts(db, 1, TODAY) == live
    db.close()
    db = open_database(path, writable=True)
    assert rollup.usable(db.conn) and rollup.built(db.conn) == [1]
    assert counting.from_rollup(db.conn, 1, TODAY) == live
    db.close()


def test_own_like_is_folded_before_the_commit(tmp_path: Path, every_creator: None) -> None:
    """wholiked's own writes leave nothing pending in the journal."""
    from wholiked.core.service import Wholiked

    path = _demo_like_world(tmp_path / "t.db")
    service = Wholiked(open_database(path, writable=True))
    try:
        service.unlike(service.user("fan0"), 1)
        service.like(service.user("cara"), 1)
        service.block(service.user("cara"), service.user("fan1"))  # removes fan1's like
        conn = service.db.conn
        assert not rollup.is_pending(conn)
        assert counting.from_rollup(conn, 1, TODAY) == counting.all_videos(conn, 1, TODAY)
    finally:
        service.close()


@pytest.mark.parametrize(
    ("statement", "also"),
    [
        (
            "INSERT OR REPLACE INTO users (id, handle, is_private, account_type)"
            " VALUES (99, 'fan2', 0, 'personal')",
            {99},
        ),
        # fan3's own row keeps its id and attributes: only the row it deletes matters
        ("UPDATE OR REPLACE users SET handle = 'fan2' WHERE handle = 'fan3'", set()),
    ],
)
def test_a_replace_by_handle_journals_the_row_it_deletes(
    tmp_path: Path, statement: str, also: set[int]
) -> None:
    """INSERT OR REPLACE (or UPDATE OR REPLACE) resolved on users' unique handle deletes
    the old row without a delete trigger; a BEFORE trigger journals it."""
    path = _demo_like_world(tmp_path / "t.db")
    open_database(path, writable=True).close()
    conn = sqlite3.connect(path)
    with conn:
        ids = dict(conn.execute("SELECT handle, id FROM users"))
        conn.execute(statement)
    pending = {r[0] for r in conn.execute(f"SELECT user_id FROM {rollup.PENDING_USERS}")}
    conn.close()
    assert pending == {ids["fan2"], *also}


def test_a_case_blind_unique_handle_bypasses_the_rollup(tmp_path: Path) -> None:
    """A unique index of another tool's on handle COLLATE NOCASE lets a REPLACE delete a
    row the (case-sensitive) BEFORE trigger does not see: the rollup is not used."""
    path = _demo_like_world(tmp_path / "t.db")
    open_database(path, writable=True).close()
    conn = sqlite3.connect(path)
    assert rollup.unusable_reason(conn) is None
    conn.execute("CREATE UNIQUE INDEX users_handle_nocase ON users (handle COLLATE NOCASE)")
    assert "users_handle_nocase" in (rollup.unusable_reason(conn) or "")
    conn.close()
