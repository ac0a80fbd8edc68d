"""Opening a database: every way a file can be wrong gives one clear message, file unchanged."""

import hashlib
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.worlds import World, alter
from wholiked.core.errors import BadInput
from wholiked.core.store.database import open_database
from wholiked.core.store.format import TABLES
from wholiked.core.store.models import validate_row, value_ok
from wholiked.core.store.validation import column_predicate


def _small(path: Path) -> Path:
    w = World()
    w.user("cara", creator=True)
    w.user("dan", private=True)
    x = w.video("cara")
    w.like("dan", x)
    return w.write(path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fails(path: Path, *fragments: str, writable: bool = False) -> str:
    before = _digest(path) if path.is_file() else None
    with pytest.raises(BadInput) as err:
        open_database(path, writable=writable)
    message = str(err.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    if before is not None:
        assert _digest(path) == before, "opening must not change the file"
    return message


def test_valid_file_opens_and_is_unchanged(tmp_path):
    path = _small(tmp_path / "ok.db")
    before = _digest(path)
    db = open_database(path)
    assert db.conn.execute("SELECT count(*) FROM likes").fetchone()[0] == 1
    db.close()
    assert _digest(path) == before


def test_missing_file(tmp_path):
    _fails(tmp_path / "nope.db", "nope.db", "no such file")


def test_directory(tmp_path):
    _fails(tmp_path, "is a directory")


def test_not_sqlite(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("hello, this is not a database\n" * 10)
    _fails(path, "notes.db", "not a SQLite database")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    _fails(path, "empty file")


def test_truncated_file(tmp_path):
    path = _small(tmp_path / "cut.db")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    _fails(path, "cut.db")


def test_corrupted_pages(tmp_path):
    path = _small(tmp_path / "bad.db")
    data = bytearray(path.read_bytes())
    for i in range(4096, len(data), 7):
        data[i] = 0xFF
    path.write_bytes(bytes(data))
    _fails(path, "bad.db")


def test_wrong_user_version(tmp_path):
    path = alter(_small(tmp_path / "v.db"), "PRAGMA user_version = 7")
    _fails(path, "version 7", "expected 1")


def test_missing_table(tmp_path):
    path = alter(_small(tmp_path / "t.db"), "DROP TABLE blocks")
    _fails(path, "missing table blocks")


def test_missing_column(tmp_path):
    path = alter(_small(tmp_path / "c.db"), "ALTER TABLE videos DROP COLUMN shares")
    _fails(path, "table videos has no column shares")


@pytest.mark.parametrize(
    ("sql", "fragments"),
    [
        ("UPDATE users SET is_private = 2 WHERE id = 2", ("table users", "row id 2", "is_private")),
        ("UPDATE users SET account_type = 'brand' WHERE id = 1", ("row id 1", "account_type")),
        ("UPDATE users SET handle = 'Bad Handle' WHERE id = 1", ("row id 1", "field handle")),
        ("UPDATE users SET age_band = '99+' WHERE id = 2", ("field age_band",)),
        ("UPDATE likes SET liked_at = 'yesterday'", ("table likes", "video_id=1", "liked_at")),
        ("UPDATE likes SET liked_at = '2026-02-30T00:00:00Z'", ("liked_at", "real date")),
        ("UPDATE likes SET user_id = 'two'", ("table likes", "user_id")),
        ("UPDATE videos SET views = -5", ("table videos", "views")),
        ("UPDATE videos SET views = 1.5", ("table videos", "views")),
        ("INSERT INTO follows VALUES (1, 2, 'maybe', NULL)", ("table follows", "status")),
        ("INSERT INTO likes VALUES (1, 99, '2026-01-01T00:00:00Z')", ("user_id 99", "users")),
        ("INSERT INTO video_hashtags VALUES (1, '#tag')", ("table video_hashtags", "tag")),
        ("UPDATE meta SET value = 'soon' WHERE key = 'now'", ("table meta", "now")),
    ],
)
def test_row_breaking_the_format_names_table_row_field(tmp_path, sql, fragments):
    path = alter(_small(tmp_path / "row.db"), sql)
    _fails(path, "row.db", *fragments)


def test_duplicate_rows_in_a_table_without_key(tmp_path):
    path = alter(
        _small(tmp_path / "dup.db"),
        "ALTER TABLE likes RENAME TO old_likes",
        "CREATE TABLE likes (video_id INTEGER, user_id INTEGER, liked_at TEXT)",
        "INSERT INTO likes SELECT * FROM old_likes",
        "INSERT INTO likes SELECT * FROM old_likes",
        "DROP TABLE old_likes",
    )
    _fails(path, "table likes", "duplicate")


def test_hostile_trigger_is_refused_when_writable(tmp_path):
    """Read-only, a trigger never fires (nothing is written): the file opens, unchanged.
    Writable, wholiked's own writes would run it: refused, naming it and its table."""
    path = alter(
        _small(tmp_path / "trig.db"),
        "CREATE TRIGGER auto_approve AFTER INSERT ON follows BEGIN"
        " UPDATE follows SET status = 'approved'; END",
    )
    before = _digest(path)
    open_database(path).close()
    assert _digest(path) == before
    _fails(path, "trigger", "auto_approve (on follows)", writable=True)


def test_trigger_with_our_prefix_is_still_refused_when_writable(tmp_path):
    """A wholiked_* name does not make a trigger ours: only the exact SQL wholiked writes."""
    path = alter(
        _small(tmp_path / "trig2.db"),
        "CREATE TRIGGER wholiked_x AFTER INSERT ON follows BEGIN SELECT 1; END",
    )
    _fails(path, "wholiked_x", "wholiked unindex", writable=True)


def test_trigger_on_a_table_wholiked_never_writes_is_accepted_when_writable(tmp_path):
    path = alter(
        _small(tmp_path / "trig3.db"),
        "CREATE TRIGGER touch_video AFTER UPDATE ON videos BEGIN SELECT 1; END",
    )
    open_database(path, writable=True).close()


def test_view_is_accepted(tmp_path):
    """Views (sqlite-utils create-view, Datasette) are accepted, read-only and writable."""
    path = alter(_small(tmp_path / "view.db"), "CREATE VIEW v AS SELECT * FROM users")
    before = _digest(path)
    open_database(path).close()
    assert _digest(path) == before
    open_database(path, writable=True).close()


def test_other_tools_additions_are_accepted(tmp_path):
    """Extra columns, indexes, tables, foreign keys, full-text search and views: the file
    opens read-only (unchanged) and writable."""
    path = alter(
        _small(tmp_path / "extras.db"),
        "ALTER TABLE users ADD COLUMN mood TEXT",
        "CREATE INDEX users_mood ON users (mood, handle)",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id))",
        "CREATE VIRTUAL TABLE captions_fts USING fts5(caption)",
        "CREATE VIEW private_users AS SELECT * FROM users WHERE is_private = 1",
    )
    before = _digest(path)
    db = open_database(path)
    assert db.conn.execute("SELECT count(*) FROM likes").fetchone()[0] == 1
    db.close()
    assert _digest(path) == before
    open_database(path, writable=True).close()


def test_a_format_table_that_is_virtual_is_refused(tmp_path):
    path = alter(
        _small(tmp_path / "virtual.db"),
        "DROP TABLE video_hashtags",
        "CREATE VIRTUAL TABLE video_hashtags USING fts5(video_id, tag)",
    )
    _fails(path, "video_hashtags is a virtual table")


def test_path_with_question_mark_and_hash_opens_that_file(tmp_path):
    """A naive file: URI would cut the path at ? or #; we open exactly the named file."""
    odd = tmp_path / "what?mode=rwc#x.db"
    _small(odd)
    db = open_database(odd)
    assert db.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 2
    db.close()
    assert not (tmp_path / "what").exists()


def test_read_only_open_refuses_writes(tmp_path):
    db = open_database(_small(tmp_path / "ro.db"))
    with pytest.raises(sqlite3.Error):
        db.conn.execute("DELETE FROM likes")
    db.close()


def test_validation_is_remembered_and_rechecked_after_change(tmp_path):
    path = _small(tmp_path / "cache.db")
    open_database(path).close()
    alter(path, "UPDATE users SET is_private = 5 WHERE id = 2")
    _fails(path, "is_private")


# --- the SQL predicates agree with the pydantic models --------------------------------

VALID = {
    "users": dict(
        id=1,
        handle="ab",
        display_name=None,
        bio=None,
        is_private=0,
        account_type="personal",
        age_band=None,
        region=None,
        language=None,
        device=None,
        created_at=None,
    ),
    "likes": dict(video_id=1, user_id=1, liked_at="2026-01-01T00:00:00Z"),
    "videos": dict(
        id=1,
        creator_id=1,
        caption=None,
        sound=None,
        posted_at="2026-01-01T00:00:00Z",
        duration_s=None,
        views=None,
        shares=None,
    ),
    "video_hashtags": dict(video_id=1, tag="x"),
}

values = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, width=32),
    st.sampled_from(
        [
            "2026-02-28T23:59:59Z",
            "2026-02-29T00:00:00Z",
            "2024-02-29T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01 00:00:00",
            "0000-01-01T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "ab",
            "a",
            "a.b_c9",
            "AB",
            "x" * 25,
            "US",
            "us",
            "#tag",
            "",
            "ios",
            "creator",
            "55+",
            "18-24",
            "pending",
            "\x00",
            "ab\x00!",
            "a\x00",
            "U\x00",
            "2026-01-01T00:00:00Z\x00x",
            "#\x00",
        ]
    ),
    st.text(max_size=6),
    st.binary(max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(VALID)), st.data(), values)
def test_sql_predicate_agrees_with_model(table, data, value):
    """For any value in any column, SQLite's check and pydantic's check agree."""
    column = data.draw(st.sampled_from(TABLES[table].columns))
    row = {**VALID[table], column.name: value}
    model_ok = validate_row(table, row) is None
    conn = sqlite3.connect(":memory:")
    sql, params = column_predicate(column)
    conn.execute(f'CREATE TABLE t ("{column.name}")')
    conn.execute("INSERT INTO t VALUES (?)", (value,))
    sql_ok = conn.execute(f"SELECT {sql} FROM t", params).fetchone()[0] == 1
    assert model_ok == sql_ok, (column.name, value)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(VALID)), st.data(), values)
def test_python_check_of_returned_rows_agrees_with_model(table, data, value):
    """value_ok (the check of the rows an answer returns, without pydantic) agrees too."""
    column = data.draw(st.sampled_from(TABLES[table].columns))
    row = {**VALID[table], column.name: value}
    assert value_ok(column, value) == (validate_row(table, row) is None), (column.name, value)
