"""The per-video counters stay exact whatever happens to likes and privacy.

Raw writes (any program's) may leave videos or users marked dirty: the counters
as answers read them (`counted`) are exact at once, and the stored table is
exact after a writable connection repairs it.
"""

import sqlite3
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.worlds import World
from wholiked.core.store import counters
from wholiked.core.store.counters import COUNTS_TABLE, USER_COUNTS, has_counters
from wholiked.core.store.database import open_database

USERS, VIDEOS = 6, 3

actions = st.lists(
    st.one_of(
        st.tuples(st.just("like"), st.integers(1, VIDEOS), st.integers(1, USERS)),
        st.tuples(st.just("unlike"), st.integers(1, VIDEOS), st.integers(1, USERS)),
        st.tuples(st.just("privacy"), st.integers(1, USERS), st.integers(0, 1)),
        st.tuples(st.just("move"), st.integers(1, VIDEOS), st.integers(1, USERS)),
    ),
    max_size=40,
)


def _fresh_counts(conn: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """Every like counts, private ones if their user is private (a like whose user is gone
    counts as not private, as in `wholiked index --check`)."""
    rows = conn.execute(
        "SELECT l.video_id, count(*), coalesce(sum(u.is_private = 1), 0) FROM likes l"
        " LEFT JOIN users u ON u.id = l.user_id GROUP BY l.video_id"
    )
    return {v: (n, p) for v, n, p in rows}


def _counters(conn: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """The stored counters table, as it is (exact when nothing is marked dirty)."""
    rows = conn.execute(f"SELECT video_id, likes, private_likes FROM {COUNTS_TABLE}")
    return {v: (n, p) for v, n, p in rows if n or p}


def _effective(conn: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """The counters as answers read them (dirty marks corrected on the fly)."""
    videos = [r[0] for r in conn.execute("SELECT id FROM videos")]
    found = {v: counters.counted(conn, v) for v in videos}
    return {v: c for v, c in found.items() if c != (0, 0)}


def _creators_are_exact(conn: sqlite3.Connection) -> bool:
    """Each creator's (likes, private likes) over all their videos, as the creator tips read
    them (one query, or video by video when anything is dirty), equals a count of the rows."""
    fresh = _fresh_counts(conn)
    for (creator,) in conn.execute("SELECT DISTINCT creator_id FROM videos").fetchall():
        mine = [
            v for (v,) in conn.execute("SELECT id FROM videos WHERE creator_id = ?", (creator,))
        ]
        expected = tuple(sum(fresh.get(v, (0, 0))[i] for v in mine) for i in (0, 1))
        if counters.creator_counted(conn, creator) != expected:
            return False
    return True


def _population_is_exact(conn: sqlite3.Connection) -> bool:
    """(users, private users) as answers read them equals a count of the rows."""
    fresh = conn.execute("SELECT count(*), coalesce(sum(is_private = 1), 0) FROM users")
    return counters.population(conn) == tuple(fresh.fetchone())


@settings(max_examples=60, deadline=None)
@given(actions)
def test_counters_equal_fresh_counts_after_random_actions(steps) -> None:
    """Random likes, unlikes, moves and privacy flips; then counters equal fresh counts."""
    w = World()
    for i in range(USERS):
        w.user(f"u{i}", private=i % 2 == 0)
    for _ in range(VIDEOS):
        w.video("u1")
    w.like("u2", 1)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(w.write(Path(folder) / "w.db"), writable=True)
        conn = db.conn
        assert has_counters(conn)
        for kind, a, b in steps:
            if kind == "like":
                conn.execute(
                    "INSERT OR IGNORE INTO likes VALUES (?, ?, '2026-11-01T00:00:00Z')", (a, b)
                )
            elif kind == "unlike":
                conn.execute("DELETE FROM likes WHERE video_id = ? AND user_id = ?", (a, b))
            elif kind == "privacy":
                conn.execute("UPDATE users SET is_private = ? WHERE id = ?", (b, a))
            else:
                conn.execute(
                    "UPDATE OR IGNORE likes SET video_id = ? WHERE user_id = ?"
                    " AND video_id = (SELECT min(video_id) FROM likes WHERE user_id = ?)",
                    (a, b, b),
                )
        assert _effective(conn) == _fresh_counts(conn)
        assert _population_is_exact(conn)
        db.repair_derived()
        assert not counters.is_dirty(conn)
        assert _counters(conn) == _fresh_counts(conn)
        stored = [tuple(r) for r in conn.execute(f"SELECT * FROM {USER_COUNTS}")]
        assert stored == [counters.fresh_population(conn)]
        db.close()


foreign = st.lists(
    st.one_of(
        st.tuples(st.just("replace_like"), st.integers(1, VIDEOS), st.integers(1, USERS)),
        st.tuples(st.just("ignore_like"), st.integers(1, VIDEOS), st.integers(1, USERS)),
        st.tuples(st.just("upsert_like"), st.integers(1, VIDEOS), st.integers(1, USERS)),
        st.tuples(st.just("rekey_replace"), st.integers(1, VIDEOS), st.integers(1, USERS)),
        st.tuples(st.just("replace_user"), st.integers(1, USERS), st.integers(0, 1)),
        st.tuples(st.just("privacy"), st.integers(1, USERS), st.integers(0, 1)),
        st.tuples(st.just("unlike"), st.integers(1, VIDEOS), st.integers(1, USERS)),
        st.tuples(st.just("add_user"), st.integers(1, USERS + 3), st.integers(0, 1)),
        st.tuples(st.just("ignore_user"), st.integers(1, USERS + 3), st.integers(0, 1)),
        st.tuples(st.just("replace_handle"), st.integers(1, USERS + 3), st.integers(1, USERS)),
        st.tuples(st.just("rename_onto"), st.integers(1, USERS + 3), st.integers(1, USERS)),
        st.tuples(st.just("move_user"), st.integers(1, USERS + 3), st.integers(1, USERS + 3)),
        st.tuples(st.just("delete_user"), st.integers(1, USERS + 3), st.just(0)),
        st.tuples(st.just("repair"), st.just(0), st.just(0)),
    ),
    max_size=30,
)
_NEW_USER = (
    "INSERT {} INTO users (id, handle, is_private, account_type) VALUES (?, ?, ?, 'personal')"
)


@settings(max_examples=80, deadline=None)
@given(foreign, st.booleans())
def test_counters_stay_exact_under_other_programs_writes(steps, recursive) -> None:
    """REPLACE, IGNORE, upserts, key moves onto an existing like, user rows added, deleted,
    replaced (on their id or, under a new id, on their handle), renamed or moved onto
    another's handle or id, with recursive triggers on (sqlite-utils) or off (the sqlite3
    shell), repairs in between: after every step the counters and the number of users and
    of private users, as answers read them, equal a fresh count."""
    w = World()
    for i in range(USERS):
        w.user(f"u{i}", private=i % 2 == 0)
    for _ in range(VIDEOS):
        w.video("u1")
    w.like("u2", 1)
    w.like("u3", 1)
    with tempfile.TemporaryDirectory() as folder:
        path = w.write(Path(folder) / "w.db")
        db = open_database(path, writable=True)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute(f"PRAGMA recursive_triggers = {int(recursive)}")
        at = "'2026-11-01T00:00:00Z'"
        for kind, a, b in steps:
            if kind == "replace_like":
                other.execute(f"INSERT OR REPLACE INTO likes VALUES (?, ?, {at})", (a, b))
            elif kind == "ignore_like":
                other.execute(f"INSERT OR IGNORE INTO likes VALUES (?, ?, {at})", (a, b))
            elif kind == "upsert_like":
                other.execute(
                    f"INSERT INTO likes VALUES (?, ?, {at}) ON CONFLICT (video_id, user_id)"
                    " DO UPDATE SET liked_at = excluded.liked_at",
                    (a, b),
                )
            elif kind == "rekey_replace":
                other.execute(
                    "UPDATE OR REPLACE likes SET video_id = ? WHERE user_id = ?"
                    " AND video_id = (SELECT min(video_id) FROM likes WHERE user_id = ?)",
                    (a, b, b),
                )
            elif kind == "replace_user":
                other.execute(
                    "INSERT OR REPLACE INTO users SELECT id, handle, display_name, bio, ?,"
                    " account_type, age_band, region, language, device, created_at"
                    " FROM users WHERE id = ?",
                    (b, a),
                )
            elif kind == "privacy":
                other.execute("UPDATE users SET is_private = ? WHERE id = ?", (b, a))
            elif kind == "unlike":
                other.execute("DELETE FROM likes WHERE video_id = ? AND user_id = ?", (a, b))
            elif kind == "add_user":  # a new row, or an error when the id is taken
                try:
                    other.execute(_NEW_USER.format(""), (a + 100, f"n{a}", b))
                except sqlite3.IntegrityError:
                    pass
            elif kind == "ignore_user":
                other.execute(_NEW_USER.format("OR IGNORE"), (a, f"i{a}", b))
            elif kind == "replace_handle":  # a new id under u{b}'s handle: u{b}'s row goes
                other.execute(_NEW_USER.format("OR REPLACE"), (a + 100, f"u{b - 1}", 0))
            elif kind == "rename_onto":  # user a takes u{b}'s handle: u{b}'s row goes
                other.execute(
                    "UPDATE OR REPLACE users SET handle = ? WHERE id = ?", (f"u{b - 1}", a)
                )
            elif kind == "move_user":  # user a takes id b: the row with id b goes
                other.execute("UPDATE OR REPLACE users SET id = ? WHERE id = ?", (b, a))
            elif kind == "delete_user":
                other.execute("DELETE FROM users WHERE id = ?", (a,))
            else:
                db.repair_derived()
            assert has_counters(db.conn)
            assert _effective(db.conn) == _fresh_counts(db.conn), kind
            assert _population_is_exact(db.conn), kind
            assert _creators_are_exact(db.conn), kind
        other.close()
        db.repair_derived()
        assert not counters.is_dirty(db.conn)
        assert _counters(db.conn) == _fresh_counts(db.conn)
        stored = [tuple(r) for r in db.conn.execute(f"SELECT * FROM {USER_COUNTS}")]
        assert stored == [counters.fresh_population(db.conn)]
        db.close()
