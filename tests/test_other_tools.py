"""Other tools write the same file: wholiked's answers stay exact, and its additions never
make their commands fail (README, "Derived data and other tools").

Each case takes a fresh copy of the demo world, runs `wholiked index` (indexes, counters,
triggers), then one write as another tool makes it: the real sqlite-utils command line
(which turns recursive triggers on), or the `sqlite3` module running the SQL the sqlite3
shell would (recursive triggers off). Then, read-only: every like total, identifiable and
anonymous count, audit verdict and list total equals a fresh count of the rows; `wholiked
index --check` says the counters are exact (or, after a table rebuild dropped a trigger,
not in use, exit 4); and after a writable open they are exact and in use again.
"""

import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.truth import answers_match_rows
from tests.worlds import DEMO_TEST_KEY
from wholiked.core.store import comment_counts, counters, rollup
from wholiked.core.store.database import open_database
from wholiked.fixtures.demo import DEMO_PRIVATE_VIEWER, DEMO_TOP_VIDEO, build_demo
from wholiked.tui.cli import main

SQLITE_UTILS = str(Path(sys.executable).parent / "sqlite-utils")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run wholiked in-process; return (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "demo.db"
    # the story: every answer is recounted by brute force; a file as another tool writes it
    build_demo(path, crowd=False, noise_key=DEMO_TEST_KEY, derived=False)
    return path


@pytest.fixture
def indexed(tmp_path: Path, pristine: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo world after `wholiked index` (counters and triggers in place, and
    a release rollup for every creator with a like)."""
    monkeypatch.setattr(rollup, "MIN_LIKES", 1)
    path = tmp_path / "world.db"
    shutil.copyfile(pristine, path)
    code, _, err = cli(capsys, "index", str(path))
    assert (code, err) == (0, "")
    conn = sqlite3.connect(path)
    assert counters.has_counters(conn) and comment_counts.usable(conn)
    assert len(rollup.built(conn)) >= 5
    conn.close()
    return path


def sqlite_utils(*args: str) -> None:
    """Run the sqlite-utils command line; it must succeed."""
    done = subprocess.run([SQLITE_UTILS, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (args, done.stdout, done.stderr)


def shell(path: Path, *statements: str) -> None:
    """The sqlite3 module running SQL as the sqlite3 shell would (autocommit, defaults)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def _row(path: Path, sql: str, *params: object) -> dict:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    row = conn.execute(sql, params).fetchone()
    conn.close()
    return dict(row)


def _sam(path: Path) -> dict:
    return _row(path, "SELECT * FROM users WHERE handle = ?", DEMO_PRIVATE_VIEWER)


def _a_like(path: Path) -> dict:
    """A like of Sam's on the top video (Sam is private: the private count is at stake)."""
    sam = _sam(path)
    return _row(
        path, "SELECT * FROM likes WHERE video_id = ? AND user_id = ?", DEMO_TOP_VIDEO, sam["id"]
    )


def _json_file(path: Path, rows: list[dict]) -> str:
    target = path.with_suffix(".json")
    target.write_text(json.dumps(rows))
    return str(target)


# --- the writes ---------------------------------------------------------------------------


def su_insert_replace_user_flips_privacy(path: Path) -> None:
    sam = {**_sam(path), "is_private": 0}
    sqlite_utils("insert", str(path), "users", _json_file(path, [sam]), "--replace")


def su_insert_replace_existing_like(path: Path) -> None:
    sqlite_utils("insert", str(path), "likes", _json_file(path, [_a_like(path)]), "--replace")


def su_upsert_existing_like(path: Path) -> None:
    like = {**_a_like(path), "liked_at": "2026-11-19T00:00:00Z"}
    sqlite_utils(
        "upsert",
        str(path),
        "likes",
        _json_file(path, [like]),
        "--pk",
        "video_id",
        "--pk",
        "user_id",
    )


def su_transform_likes(path: Path) -> None:
    sqlite_utils("transform", str(path), "likes", "--column-order", "user_id")


def su_transform_users(path: Path) -> None:
    sqlite_utils("transform", str(path), "users", "--column-order", "handle")


def su_add_foreign_key(path: Path) -> None:
    sqlite_utils("add-foreign-key", str(path), "likes", "user_id", "users", "id")


def su_enable_fts_with_triggers(path: Path) -> None:
    sqlite_utils("enable-fts", str(path), "users", "handle", "display_name", "--create-triggers")
    shell(path, f"UPDATE users SET is_private = 0 WHERE handle = '{DEMO_PRIVATE_VIEWER}'")


def su_enable_fts(path: Path) -> None:
    sqlite_utils("enable-fts", str(path), "videos", "caption")


def su_create_view(path: Path) -> None:
    sqlite_utils("create-view", str(path), "likes_of_private", "SELECT * FROM likes")


def shell_insert_or_replace_like(path: Path) -> None:
    like = _a_like(path)
    shell(
        path,
        f"INSERT OR REPLACE INTO likes VALUES ({like['video_id']}, {like['user_id']},"
        f" '{like['liked_at']}')",
    )


def shell_insert_or_replace_user(path: Path) -> None:
    sam = _sam(path)
    cols = ", ".join(sam)
    values = ", ".join("0" if c == "is_private" else c for c in sam)
    shell(
        path,
        f"INSERT OR REPLACE INTO users ({cols}) SELECT {values} FROM users WHERE id = {sam['id']}",
    )


def shell_update_or_replace_like_key(path: Path) -> None:
    """Move a like onto a video where the same user's like exists: REPLACE deletes it."""
    conn = sqlite3.connect(path)
    user, a, b = conn.execute(
        "SELECT a.user_id, a.video_id, b.video_id FROM likes a JOIN likes b"
        " ON b.user_id = a.user_id AND b.video_id <> a.video_id LIMIT 1"
    ).fetchone()
    conn.close()
    shell(
        path,
        f"UPDATE OR REPLACE likes SET video_id = {b} WHERE video_id = {a} AND user_id = {user}",
    )


def shell_insert_or_ignore_existing_like(path: Path) -> None:
    like = _a_like(path)
    shell(path, f"INSERT OR IGNORE INTO likes VALUES ({like['video_id']}, {like['user_id']}, 'x')")


def shell_update_privacy_of_many(path: Path) -> None:
    shell(path, "UPDATE users SET is_private = 1 - is_private WHERE id % 3 = 0")


def _sams_rows(sam: dict) -> tuple[str, ...]:
    """SQL deleting every row that names Sam but Sam's own (the file stays valid without her)."""
    return (
        f"DELETE FROM likes WHERE user_id = {sam['id']}",
        f"DELETE FROM follows WHERE follower_id = {sam['id']} OR followee_id = {sam['id']}",
        f"DELETE FROM blocks WHERE blocker_id = {sam['id']} OR blocked_id = {sam['id']}",
        "DELETE FROM comments WHERE parent_id IN"
        f" (SELECT id FROM comments WHERE user_id = {sam['id']})",
        f"DELETE FROM comments WHERE user_id = {sam['id']}",
        f"DELETE FROM videos WHERE creator_id = {sam['id']}",
    )


def shell_delete_likes_and_a_user(path: Path) -> None:
    sam = _sam(path)
    shell(
        path,
        f"DELETE FROM likes WHERE video_id = {DEMO_TOP_VIDEO} AND user_id % 2 = 0",
        *_sams_rows(sam),
        f"DELETE FROM users WHERE id = {sam['id']}",
    )


def _a_comment(path: Path) -> dict:
    """A reply-less comment and another video."""
    return _row(
        path,
        "SELECT m.id, m.video_id, (SELECT max(id) FROM videos WHERE id <> m.video_id) AS other"
        " FROM comments m WHERE m.parent_id IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = m.id) ORDER BY m.id",
    )


def shell_insert_or_replace_comment_elsewhere(path: Path) -> None:
    """REPLACE an existing comment id with a comment on another video."""
    c = _a_comment(path)
    shell(
        path,
        "INSERT OR REPLACE INTO comments (id, video_id, user_id, text, created_at)"
        f" SELECT id, {c['other']}, user_id, 'moved', created_at FROM comments"
        f" WHERE id = {c['id']}",
    )


def shell_update_or_replace_comment_id(path: Path) -> None:
    """Renumber a comment onto another's id: REPLACE deletes that one."""
    c = _a_comment(path)
    taken = _row(
        path,
        "SELECT id FROM comments WHERE id <> ? AND video_id <> ? AND parent_id IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = comments.id)",
        c["id"],
        c["video_id"],
    )
    shell(path, f"UPDATE OR REPLACE comments SET id = {taken['id']} WHERE id = {c['id']}")


def su_insert_replace_comment(path: Path) -> None:
    c = _a_comment(path)
    rows = [_row(path, "SELECT * FROM comments WHERE id = ?", c["id"]) | {"video_id": c["other"]}]
    sqlite_utils("insert", str(path), "comments", _json_file(path, rows), "--pk", "id", "--replace")


def shell_insert_users(path: Path) -> None:
    shell(
        path,
        "INSERT INTO users (handle, is_private, account_type) VALUES"
        " ('new.public', 0, 'personal'), ('new.private', 1, 'personal')",
    )


def shell_replace_under_a_new_id(path: Path) -> None:
    """A REPLACE that conflicts on the handle only: private Sam's row goes, unseen by any
    delete trigger, and a public account under a new id takes her handle."""
    sam = _sam(path)
    shell(
        path,
        *_sams_rows(sam),
        "INSERT OR REPLACE INTO users (id, handle, is_private, account_type)"
        f" SELECT max(id) + 1, '{sam['handle']}', 0, 'personal' FROM users",
    )


def shell_update_or_replace_handle(path: Path) -> None:
    """A rename onto private Sam's handle: REPLACE deletes her row without a delete trigger."""
    sam = _sam(path)
    shell(
        path,
        *_sams_rows(sam),
        f"UPDATE OR REPLACE users SET handle = '{sam['handle']}'"
        f" WHERE id = (SELECT max(id) FROM users WHERE is_private = 0)",
    )


def su_insert_replace_user_under_a_new_id(path: Path) -> None:
    sam = _sam(path)
    shell(path, *_sams_rows(sam))
    last = _row(path, "SELECT max(id) AS id FROM users")["id"]
    row = {**sam, "id": last + 1, "is_private": 0}
    sqlite_utils("insert", str(path), "users", _json_file(path, [row]), "--replace")


def shell_insert_new_likes_then_privacy(path: Path) -> None:
    shell(
        path,
        "INSERT INTO likes SELECT x.id, u.id, '2026-11-19T00:00:00Z' FROM videos x, users u"
        " WHERE u.id % 5 = 0 AND NOT EXISTS (SELECT 1 FROM likes WHERE video_id = x.id"
        " AND user_id = u.id)",
        "UPDATE users SET is_private = 1 WHERE id % 5 = 0",
    )


WRITES: dict[str, Callable[[Path], None]] = {
    f.__name__: f
    for f in (
        su_insert_replace_user_flips_privacy,
        su_insert_replace_existing_like,
        su_upsert_existing_like,
        su_transform_likes,
        su_transform_users,
        su_add_foreign_key,
        su_enable_fts_with_triggers,
        su_enable_fts,
        su_create_view,
        shell_insert_or_replace_like,
        shell_insert_or_replace_user,
        shell_update_or_replace_like_key,
        shell_insert_or_ignore_existing_like,
        shell_update_privacy_of_many,
        shell_delete_likes_and_a_user,
        shell_insert_new_likes_then_privacy,
        shell_insert_or_replace_comment_elsewhere,
        shell_update_or_replace_comment_id,
        su_insert_replace_comment,
        shell_insert_users,
        shell_replace_under_a_new_id,
        shell_update_or_replace_handle,
        su_insert_replace_user_under_a_new_id,
    )
}
REBUILDS = {"su_transform_likes", "su_transform_users", "su_add_foreign_key"}
"""Table rebuilds: they drop the rebuilt table's triggers (and so the counters' use)."""
FOREIGN_TRIGGERS = {"su_enable_fts_with_triggers"}
"""Leaves another program's triggers on users: a writable open is refused."""


@pytest.mark.parametrize("name", list(WRITES))
def test_answers_stay_exact_after_another_tools_write(capsys, indexed: Path, name: str) -> None:
    WRITES[name](indexed)
    assert answers_match_rows(indexed) > 50

    code, out, _ = cli(capsys, "index", "--check", str(indexed))
    if name in REBUILDS:
        assert code == 4 and "not in use" in out and "is missing" in out, out
    else:
        assert code == 0 and "counters exact" in out, out
        conn = sqlite3.connect(indexed)
        assert counters.has_counters(conn)
        conn.close()

    if name in FOREIGN_TRIGGERS:
        code, _, err = cli(capsys, "like", "1", "--as", "theo.k", "--db", str(indexed), "--write")
        assert code == 2 and "users_ai (on users)" in err, err
        return
    open_database(indexed, writable=True).close()  # repairs, or rebuilds the counters
    conn = sqlite3.connect(indexed)
    assert counters.has_counters(conn) and not counters.is_dirty(conn)
    conn.close()
    code, out, _ = cli(capsys, "index", "--check", str(indexed))
    assert code == 0 and "counters exact" in out, out
    assert answers_match_rows(indexed) > 50


def test_the_issues_example_insert_or_replace_keeps_likers_exact(capsys, indexed: Path) -> None:
    """One INSERT OR REPLACE of an existing like of video 1 once made `likers` say 49 likes
    for a video with 48."""
    before = json.loads(
        cli(capsys, "likers", "1", "--as", "mia.makes", "--db", str(indexed), "--json")[1]
    )
    shell_insert_or_replace_like(indexed)
    after = json.loads(
        cli(capsys, "likers", "1", "--as", "mia.makes", "--db", str(indexed), "--json")[1]
    )
    assert (after["total"], after["anonymous"]) == (before["total"], before["anonymous"]) == (48, 8)
    assert after["identifiable"] == before["identifiable"]


def test_our_own_actions_leave_nothing_dirty(indexed: Path) -> None:
    """wholiked's actions repair what their triggers marked before they commit: the fast
    path (a few probes) stays the path."""
    from wholiked.core.service import Wholiked

    service = Wholiked(open_database(indexed, writable=True))
    sam = service.user(DEMO_PRIVATE_VIEWER)
    service.set_private(sam, False)
    service.like(service.user("theo.k"), 2)
    service.set_private(service.user("theo.k"), True)
    assert not counters.is_dirty(service.db.conn)
    service.close()
    assert answers_match_rows(indexed) > 50


def test_a_stale_counter_is_drift(capsys, indexed: Path) -> None:
    """index --check compares with a fresh count: a counter edited by hand is reported, exit 4,
    naming the video and both counts; `wholiked index` counts afresh."""
    shell(indexed, "UPDATE wholiked_video_counts SET likes = likes + 1 WHERE video_id = 3")
    code, out, _ = cli(capsys, "index", "--check", str(indexed))
    assert code == 4
    assert "video 3: counters" in out and "fresh count" in out and "drifted" in out
    assert cli(capsys, "index", str(indexed))[0] == 0
    assert cli(capsys, "index", "--check", str(indexed))[0] == 0


def test_a_wrong_privacy_copy_is_drift(capsys, indexed: Path) -> None:
    shell(indexed, "DELETE FROM wholiked_private_users")
    code, out, _ = cli(capsys, "index", "--check", str(indexed))
    assert code == 4 and "privacy copy differs" in out, out


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (
            "UPDATE wholiked_comment_counts SET comments = comments + 1 WHERE video_id = 1",
            "comment counts drifted on 1 video (1)",
        ),
        (
            "UPDATE wholiked_release_cells SET n = n + 1 WHERE rowid = (SELECT min(rowid)"
            " FROM wholiked_release_cells WHERE histogram = 'likers' AND day < '2026-11-20')",
            "release rollup differs from a live count for creators",
        ),
    ],
)
def test_stale_comment_counts_and_rollup_are_drift(
    capsys, indexed: Path, edit: str, said: str
) -> None:
    """index --check also compares the comment counts and every creator's release rollup
    with a live count: an edit by hand is reported, exit 4; `wholiked index` counts afresh."""
    code, out, _ = cli(capsys, "index", "--check", str(indexed))
    assert code == 0 and "comment counts exact" in out and "release rollup exact" in out, out
    shell(indexed, edit)
    code, out, _ = cli(capsys, "index", "--check", str(indexed))
    assert code == 4 and said in out, out
    assert cli(capsys, "index", str(indexed))[0] == 0
    assert cli(capsys, "index", "--check", str(indexed))[0] == 0


def test_a_wrong_user_count_is_drift(capsys, indexed: Path) -> None:
    """The stored number of private users (rule 9 reads it) is compared with a fresh count."""
    shell(indexed, "UPDATE wholiked_user_counts SET copied_private = copied_private + 1")
    code, out, _ = cli(capsys, "index", "--check", str(indexed))
    assert code == 4 and "a fresh count" in out and "private)" in out, out
    assert cli(capsys, "index", str(indexed))[0] == 0
    assert cli(capsys, "index", "--check", str(indexed))[0] == 0


def test_another_unique_index_on_users_bypasses_the_counters(capsys, indexed: Path) -> None:
    """A REPLACE resolved on another unique index deletes users no trigger sees: the
    counters are not used (answers count live, and stay exact)."""
    shell(indexed, "CREATE UNIQUE INDEX users_name ON users (display_name)")
    conn = sqlite3.connect(indexed)
    assert "users has the unique index users_name" in (counters.unusable_reason(conn) or "")
    conn.close()
    sam = _sam(indexed)
    shell(
        indexed,
        *_sams_rows(sam),
        "INSERT OR REPLACE INTO users (id, handle, display_name, is_private, account_type)"
        f" SELECT max(id) + 1, 'someone.new', '{sam['display_name']}', 0, 'personal' FROM users",
    )
    assert answers_match_rows(indexed) > 50
    assert cli(capsys, "index", "--check", str(indexed))[0] == 4


def test_index_check_on_a_file_without_counters(capsys, pristine: Path, tmp_path: Path) -> None:
    path = tmp_path / "bare.db"
    shutil.copyfile(pristine, path)
    code, out, _ = cli(capsys, "index", "--check", str(path))
    assert code == 0 and "no counters" in out


# --- wholiked's additions never make another tool's command fail ----------------------------


@pytest.mark.parametrize(
    "statement",
    [
        # a conflict clause of the outer statement applies to the triggers' statements too,
        # and users 9001 and 9002 are already marked dirty
        "INSERT OR FAIL INTO users (id, handle, is_private, account_type)"
        " VALUES (9001, 'new.one', 1, 'personal')",
        "UPDATE OR ROLLBACK users SET is_private = 0 WHERE id = 9002",
        "INSERT OR ROLLBACK INTO likes VALUES (2, 9002, '2026-11-19T00:00:00Z')",
        "INSERT OR ABORT INTO likes VALUES (3, 9002, '2026-11-19T00:00:00Z')",
        # values that break the format are for wholiked to refuse, not for its triggers
        "INSERT INTO likes VALUES ('abc', 1, '2026-11-19T00:00:00Z')",
        "INSERT INTO likes VALUES (NULL, 2, '2026-11-19T00:00:00Z')",  # NOT NULL: fails alike
        "UPDATE likes SET video_id = 'abc' WHERE video_id = 2",
        "UPDATE users SET is_private = 7 WHERE id = 2",
        "DELETE FROM users WHERE id = 9002",
    ],
)
def test_odd_writes_fare_as_without_wholiked(
    indexed: Path, pristine: Path, tmp_path: Path, statement: str
) -> None:
    """Each statement succeeds after `wholiked index` exactly when it succeeds on the same
    file without wholiked's additions (and fails, if at all, with SQLite's own error)."""

    def outcome(path: Path) -> str | None:
        shell(
            path,
            "INSERT INTO users (id, handle, is_private, account_type)"
            " VALUES (9002, 'x9002', 1, 'personal')",
        )
        try:
            shell(path, statement)
        except sqlite3.Error as exc:
            return str(exc)
        return None

    bare = tmp_path / "bare.db"
    shutil.copyfile(pristine, bare)
    shell(
        indexed,
        "INSERT INTO wholiked_dirty_users VALUES (9001), (9002)",
        "INSERT INTO wholiked_private_users VALUES (9002)",
    )
    assert outcome(indexed) == outcome(bare)


def test_unindex_removes_everything_wholiked_added_and_no_user_row(capsys, indexed: Path) -> None:
    def dump(path: Path) -> list[str]:
        conn = sqlite3.connect(path)
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'wholiked%'"
                " AND name NOT LIKE 'sqlite%' ORDER BY name"
            )
        ]
        rows = [
            f"{t}: {r!r}"
            for t in tables
            for r in conn.execute(f'SELECT rowid, * FROM "{t}" ORDER BY rowid')
        ]
        conn.close()
        return rows

    su_create_view(indexed)
    before = dump(indexed)
    code, out, _ = cli(capsys, "unindex", str(indexed))
    assert code == 0 and "removed" in out
    conn = sqlite3.connect(indexed)
    left = conn.execute("SELECT name FROM sqlite_schema WHERE name LIKE 'wholiked%'").fetchall()
    views = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'view'").fetchall()
    conn.close()
    assert left == []
    assert views == [("likes_of_private",)]  # not ours: kept
    assert dump(indexed) == before
    assert answers_match_rows(indexed) > 50
    assert cli(capsys, "unindex", str(indexed))[1].endswith(
        "nothing to remove; no row of yours changed\n"
    )


def test_unindex_and_index_check_work_on_a_file_with_a_bad_row(capsys, indexed: Path) -> None:
    """They read no row of yours: a row that breaks the format does not stop them."""
    shell(indexed, "UPDATE videos SET views = -5 WHERE id = 2")
    assert cli(capsys, "likers", "1", "--as", "mia.makes", "--db", str(indexed))[0] == 2
    code, out, _ = cli(capsys, "index", "--check", str(indexed))
    assert code == 0 and "counters exact" in out
    code, out, _ = cli(capsys, "unindex", str(indexed))
    assert code == 0 and "removed" in out


def test_a_file_indexed_by_wholiked_0_1_is_upgraded(capsys, pristine: Path, tmp_path: Path):
    """0.1's triggers (whose users trigger named `likes` and broke table rebuilds) are
    recognised as wholiked's: never used, and replaced by the next writable open."""
    path = tmp_path / "old.db"
    shutil.copyfile(pristine, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(counters.TABLE_SQL[counters.COUNTS_TABLE])
    for sql in counters.LEGACY_TRIGGER_SQL.values():
        conn.execute(sql)
    conn.execute("INSERT OR REPLACE INTO likes SELECT * FROM likes LIMIT 1")
    assert not counters.has_counters(conn)
    conn.close()
    assert answers_match_rows(path) > 50  # read-only: counted live
    open_database(path, writable=True).close()  # not refused as another program's triggers
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")}
    assert counters.has_counters(conn)
    conn.close()
    assert names == {*counters.OWN_TRIGGER_SQL, *rollup.TRIGGER_SQL, *comment_counts.TRIGGER_SQL}
    sqlite_utils("transform", str(path), "likes", "--column-order", "user_id")
    assert answers_match_rows(path) > 50
