"""The curated demo world: valid, deterministic, and showing every case of the policy."""

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from wholiked.core.rules import policy, who_sees
from wholiked.core.store.database import open_database
from wholiked.fixtures import demo, hostile
from wholiked.fixtures.demo import build_demo


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo world, built once for this module."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return path


@pytest.fixture
def conn(demo_path: Path):
    """A read-only connection to the demo world."""
    connection = sqlite3.connect(demo_path.resolve().as_uri() + "?mode=ro", uri=True)
    yield connection
    connection.close()


def _id(conn: sqlite3.Connection, handle: str) -> int:
    return conn.execute("SELECT id FROM users WHERE handle = ?", (handle,)).fetchone()[0]


def _reasons(conn: sqlite3.Connection, video_id: int, viewer: str) -> dict[str, str]:
    rows = policy.audit_page(conn, video_id=video_id, viewer_id=_id(conn, viewer), limit=None)
    return {row.handle: row.reason for row in rows}


def test_open_database_accepts_the_demo(demo_path: Path, tmp_path: Path, monkeypatch):
    """Every row passes the format validation: open_database succeeds on the built file."""
    monkeypatch.setenv("WHOLIKED_HOME", str(tmp_path / "home"))
    db = open_database(demo_path)
    try:
        assert db.reference_time().strftime("%Y-%m-%dT%H:%M:%SZ") == demo.DEMO_NOW
    finally:
        db.close()


def test_a_demo_copy_left_by_another_version_opens(tmp_path: Path, monkeypatch) -> None:
    """The demo copy is wholiked's own file: a trigger of its namespace this version does not
    recognise (another version's derived data) is dropped, never run, and this version's
    added; the rows, a change made in the demo included, stay. A trigger of another name
    still refuses the writable open, as for any file, and every problem with the copy
    names `wholiked reset`."""
    from wholiked.core.errors import BadInput
    from wholiked.tui.factory import ensure_demo_copy, make_service

    monkeypatch.setenv("WHOLIKED_HOME", str(tmp_path / "home"))
    copy = ensure_demo_copy()
    make_service(None).close()
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("UPDATE users SET bio = 'changed in the demo' WHERE handle = 'mia.makes'")
        conn.execute("DROP TRIGGER wholiked_likes_insert")
        conn.execute(
            "CREATE TRIGGER wholiked_likes_insert AFTER INSERT ON likes BEGIN"
            " DELETE FROM users; END"
        )
    conn.close()
    service = make_service(None)
    try:
        mia = service.user(demo.DEMO_CREATOR)
        service.unlike(mia, demo.DEMO_TOP_VIDEO)
        service.like(mia, demo.DEMO_TOP_VIDEO)  # an insert into likes: no trigger of old
    finally:
        service.close()
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM users").fetchone()[0] > 0
    assert conn.execute("SELECT bio FROM users WHERE handle = 'mia.makes'").fetchone() == (
        "changed in the demo",
    )
    with conn:
        conn.execute("CREATE TRIGGER auto AFTER INSERT ON likes BEGIN DELETE FROM users; END")
    conn.close()
    with pytest.raises(BadInput, match=r"auto \(on likes\).*drop them.*`wholiked reset`"):
        make_service(None)
    copy.write_bytes(b"not a database")  # a broken copy says how to get a fresh one
    with pytest.raises(BadInput, match=r"the demo world: not a SQLite database.*wholiked reset"):
        make_service(None)


def test_a_demo_copy_being_written_is_waited_for_not_reset(tmp_path: Path, monkeypatch) -> None:
    """Another program holds the write lock while the copy needs this version's derived
    data: one line says it is locked (after the busy timeout), with no reset advice, and
    nothing of the copy changed."""
    from wholiked.core.errors import BadInput
    from wholiked.core.store import connections
    from wholiked.core.store.checks import LOCKED
    from wholiked.tui import factory

    monkeypatch.setenv("WHOLIKED_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(connections, "BUSY_MS", 200)
    copy = factory.ensure_demo_copy()
    factory.make_service(None).close()
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("DROP TRIGGER wholiked_likes_insert")
        conn.execute(
            "CREATE TRIGGER wholiked_likes_insert AFTER INSERT ON likes BEGIN SELECT 1; END"
        )
    before = copy.read_bytes()
    holder = sqlite3.connect(copy, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BadInput) as raised:
            factory.make_service(None)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(raised.value) == LOCKED.format(label="the demo world")
    assert copy.read_bytes() == before


def test_build_refuses_an_existing_file(tmp_path: Path):
    """build_demo never overwrites: an existing path raises FileExistsError, untouched."""
    path = tmp_path / "taken.db"
    path.write_bytes(b"keep me")
    with pytest.raises(FileExistsError):
        build_demo(path)
    assert path.read_bytes() == b"keep me"


def test_build_is_deterministic(tmp_path: Path):
    """Two builds produce the same rows, dump for dump."""
    dumps = []
    for name in ("a.db", "b.db"):
        build_demo(tmp_path / name)
        connection = sqlite3.connect(tmp_path / name)
        dumps.append(list(connection.iterdump()))
        connection.close()
    assert dumps[0] == dumps[1]


def test_counts_are_in_range(conn):
    """The story: 40-80 users, 15+ videos, 300-600 likes, comments with creator replies;
    then @luna.loops and her crowd (a few thousand likers, for the blurred release)."""
    story = "user_id NOT IN (SELECT id FROM users WHERE handle LIKE 'zz.crowd.%')"
    count = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("users", "videos", "likes", "comments", "video_hashtags")
    }
    crowd = conn.execute("SELECT count(*) FROM users WHERE handle LIKE 'zz.crowd.%'").fetchone()
    assert crowd[0] == demo.CROWD_SIZE
    assert 40 <= count["users"] - demo.CROWD_SIZE - 1 <= 80
    assert count["videos"] >= 15
    story_likes = conn.execute(f"SELECT count(*) FROM likes WHERE {story}").fetchone()[0]
    assert 300 <= story_likes <= 600
    luna = conn.execute(
        "SELECT count(DISTINCT l.user_id) FROM likes l JOIN videos x ON x.id = l.video_id"
        " JOIN users c ON c.id = x.creator_id WHERE c.handle = ?",
        (demo.DEMO_BIG_CREATOR,),
    ).fetchone()[0]
    assert luna >= 3000
    assert count["comments"] >= 10
    assert count["video_hashtags"] >= count["videos"]
    assert conn.execute("SELECT value FROM meta WHERE key = 'now'").fetchone()[0] == demo.DEMO_NOW


def test_story_accounts(conn):
    """The named accounts have the privacy and account type the story gives them."""
    query = "SELECT is_private, account_type FROM users WHERE handle = ?"
    expected = {
        demo.DEMO_CREATOR: (0, "creator"),
        demo.DEMO_PERSONAL: (0, "personal"),
        demo.DEMO_PRIVATE_CREATOR: (1, "creator"),
        demo.DEMO_PRIVATE_VIEWER: (1, "personal"),
        demo.DEMO_PUBLIC_VIEWER: (0, "personal"),
    }
    for handle, kind in expected.items():
        assert conn.execute(query, (handle,)).fetchone() == kind, handle
    posting = "SELECT count(*) FROM videos x JOIN users u ON u.id = x.creator_id WHERE u.handle = ?"
    for handle in (demo.DEMO_CREATOR, demo.DEMO_PERSONAL, demo.DEMO_PRIVATE_CREATOR):
        assert conn.execute(posting, (handle,)).fetchone()[0] >= 3, handle


def test_video_1_is_mias_most_liked(conn):
    """Video 1 is Mia's, with 30+ distinct likers, more than any other of her videos."""
    mia = _id(conn, demo.DEMO_CREATOR)
    rows = conn.execute(
        "SELECT x.id, count(l.user_id) FROM videos x LEFT JOIN likes l ON l.video_id = x.id"
        " WHERE x.creator_id = ? GROUP BY x.id ORDER BY count(l.user_id) DESC, x.id",
        (mia,),
    ).fetchall()
    assert rows[0][0] == demo.DEMO_TOP_VIDEO == 1
    assert rows[0][1] >= 30
    assert len(rows) >= 5


def test_every_reason_on_video_1_for_mia(conn):
    """Audit as Mia: self, public, approved_follower and every hidden reason appear."""
    reasons = _reasons(conn, 1, demo.DEMO_CREATOR)
    assert set(reasons.values()) == set(policy.VISIBLE_REASONS + policy.HIDDEN_REASONS)
    assert reasons[demo.DEMO_CREATOR] == "self"
    assert reasons[demo.DEMO_PUBLIC_VIEWER] == "public"
    assert reasons[demo.DEMO_APPROVED_PRIVATE_LIKER] == "approved_follower"
    assert reasons[demo.DEMO_PRIVATE_CREATOR] == "approved_follower"
    assert reasons[demo.DEMO_PENDING_LIKER] == "private_follow_pending"
    assert reasons[demo.DEMO_PRIVATE_VIEWER] == "private_not_following"
    assert reasons[demo.DEMO_BLOCKED_BY_CREATOR] == "blocked"
    assert reasons[demo.DEMO_BLOCKER_OF_CREATOR] == "blocked"


def test_blocks_go_both_ways(conn):
    """Mia blocked troll.king, ex.fan blocked Mia, ivy.green blocked a viewer (rex.loud)."""
    pairs = {
        (a, b)
        for a, b in conn.execute(
            "SELECT a.handle, b.handle FROM blocks JOIN users a ON a.id = blocker_id"
            " JOIN users b ON b.id = blocked_id"
        )
    }
    assert (demo.DEMO_CREATOR, demo.DEMO_BLOCKED_BY_CREATOR) in pairs
    assert (demo.DEMO_BLOCKER_OF_CREATOR, demo.DEMO_CREATOR) in pairs
    assert (demo.DEMO_BLOCKER_OF_VIEWER, demo.DEMO_PENDING_REQUESTER) in pairs
    rex, ivy = _id(conn, demo.DEMO_PENDING_REQUESTER), _id(conn, demo.DEMO_BLOCKER_OF_VIEWER)
    assert policy.can_view(conn, viewer_id=rex, video_id=1)
    assert policy.pair_reason(conn, viewer_id=rex, liker_id=ivy) == "blocked"
    assert _reasons(conn, 1, demo.DEMO_PENDING_REQUESTER)[demo.DEMO_BLOCKER_OF_VIEWER] == "blocked"


def test_users_across_a_block_cannot_view_mias_video(conn):
    """Rule 1: neither side of a block with Mia can view her video 1."""
    for handle in (demo.DEMO_BLOCKED_BY_CREATOR, demo.DEMO_BLOCKER_OF_CREATOR):
        assert not policy.can_view(conn, viewer_id=_id(conn, handle), video_id=1), handle


def test_anonymous_plus_identifiable_is_the_total(conn):
    """Rule 4 on video 1 for Mia: 40 identifiable, 8 anonymous, 48 in all."""
    mia = _id(conn, demo.DEMO_CREATOR)
    identifiable = policy.identifiable_page(conn, viewer_id=mia, video_id=1, limit=None)
    anonymous = policy.anonymous_count(conn, viewer_id=mia, video_id=1)
    assert len(identifiable) + anonymous == policy.like_total(conn, 1)
    assert (len(identifiable), anonymous) == (40, 8)


def test_private_creator_videos_need_an_approved_follow(conn):
    """Noor's videos: her approved followers view them; a pending requester does not."""
    for video in demo.DEMO_PRIVATE_VIDEOS:
        creator = conn.execute("SELECT creator_id FROM videos WHERE id = ?", (video,)).fetchone()
        assert creator[0] == _id(conn, demo.DEMO_PRIVATE_CREATOR)
        assert policy.can_view(conn, viewer_id=_id(conn, demo.DEMO_PUBLIC_VIEWER), video_id=video)
        assert policy.can_view(conn, viewer_id=_id(conn, demo.DEMO_CREATOR), video_id=video)
        assert not policy.can_view(
            conn, viewer_id=_id(conn, demo.DEMO_PENDING_REQUESTER), video_id=video
        )
    status = conn.execute(
        "SELECT status FROM follows WHERE follower_id = ? AND followee_id = ?",
        (_id(conn, demo.DEMO_PENDING_REQUESTER), _id(conn, demo.DEMO_PRIVATE_CREATOR)),
    ).fetchone()
    assert status == ("pending",)


def test_likers_of_private_videos_could_view_them(conn):
    """Every like on Noor's videos comes from someone who can view them."""
    for video in demo.DEMO_PRIVATE_VIDEOS:
        for row in policy.audit_page(conn, video_id=video, viewer_id=None, limit=None):
            assert policy.can_view(conn, viewer_id=row.user_id, video_id=video), (video, row.handle)


def test_private_viewer_has_approved_and_pending_followers(conn):
    """sam.quiet: approved followers see Sam's like, Mia does not; rex.loud's request waits."""
    sam = _id(conn, demo.DEMO_PRIVATE_VIEWER)
    statuses = Counter(
        s for (s,) in conn.execute("SELECT status FROM follows WHERE followee_id = ?", (sam,))
    )
    assert statuses["approved"] >= 2 and statuses["pending"] >= 1
    jules = _id(conn, demo.DEMO_PUBLIC_VIEWER)
    assert policy.pair_reason(conn, viewer_id=jules, liker_id=sam) == "approved_follower"
    assert (
        policy.pair_reason(conn, viewer_id=_id(conn, demo.DEMO_CREATOR), liker_id=sam)
        == "private_not_following"
    )
    assert policy.pair_reason(
        conn, viewer_id=_id(conn, demo.DEMO_PENDING_REQUESTER), liker_id=sam
    ) == ("private_follow_pending")
    assert who_sees.audience_count(conn, liker_id=sam, video_id=1) == statuses["approved"]


def test_withheld_video_has_one_anonymous_liker(conn):
    """Video 5 has 5+ likers but a single anonymous one to Mia (breakdowns withheld)."""
    mia = _id(conn, demo.DEMO_CREATOR)
    assert policy.like_total(conn, demo.DEMO_WITHHELD_VIDEO) >= 5
    assert policy.anonymous_count(conn, viewer_id=mia, video_id=demo.DEMO_WITHHELD_VIDEO) == 1


def test_enough_anonymous_likers_in_the_last_week(conn):
    """Five anonymous likers of video 1 liked in the last 7 days: no window is withheld."""
    mia = _id(conn, demo.DEMO_CREATOR)
    hidden = {
        row.user_id
        for row in policy.audit_page(conn, video_id=1, viewer_id=mia, limit=None)
        if row.reason in policy.HIDDEN_REASONS and row.liked_at > "2026-11-13T12:00:00Z"
    }
    assert len(hidden) >= 5


TEXTS = (
    "SELECT display_name FROM users UNION ALL SELECT bio FROM users UNION ALL"
    " SELECT caption FROM videos UNION ALL SELECT text FROM comments"
)


def _texts(connection: sqlite3.Connection) -> str:
    return "\n".join(t for (t,) in connection.execute(TEXTS) if t)


def test_the_demo_world_has_no_hostile_strings(conn):
    """The demo world tells the story of the rules with ordinary names: no markup, no escape,
    no bidi or invisible character anywhere in its text (a teacher shows video 1)."""
    blob = _texts(conn)
    for needle in hostile.HOSTILE_STRINGS:
        if needle not in ("🦄", "\u200d"):  # emoji, and the joiner inside emoji, are ordinary
            assert needle not in blob, repr(needle)
    assert not any(ch in blob for ch in "[\x1b\x9b\u202e\u200b")


def test_hostile_strings_live_in_the_hostile_world_and_like_video_1(tmp_path):
    """The hostile world is the demo's, the same ids and rows, with every hostile string in a
    display name, bio, caption or comment; its hostile accounts like video 1."""
    path = tmp_path / "hostile.db"
    hostile.build_hostile(path, crowd=False)
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        blob = _texts(connection)
        for needle in hostile.HOSTILE_STRINGS:
            assert needle in blob, repr(needle)
        assert any(ord(ch) >= 0x1F300 for ch in blob)  # emoji
        likers = {
            row.handle
            for row in policy.audit_page(connection, video_id=1, viewer_id=None, limit=None)
        }
        assert set(hostile.HOSTILE_HANDLES) <= likers
        counts = "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM likes)"
        demo_path = tmp_path / "demo.db"
        build_demo(demo_path, crowd=False)
        plain = sqlite3.connect(demo_path)
        try:
            assert connection.execute(counts).fetchone() == plain.execute(counts).fetchone()
        finally:
            plain.close()
    finally:
        connection.close()


def test_handles_are_valid_and_demographics_mostly_filled(conn):
    """Handles follow the format; a few demographic NULLs feed the 'unknown' bucket."""
    import re

    rows = conn.execute("SELECT handle, age_band, region, language, device FROM users").fetchall()
    assert all(re.fullmatch(r"[a-z0-9._]{2,24}", r[0]) for r in rows)
    nulls = sum(1 for r in rows if None in r[1:])
    assert 1 <= nulls <= len(rows) // 5


def test_timestamps_are_spread_before_now(conn):
    """All activity is before meta.now, with likes in the last 7, 28, 60 days and older."""
    times = [t for (t,) in conn.execute("SELECT liked_at FROM likes")]
    assert max(times) < demo.DEMO_NOW
    edges = ("2026-11-13T12:00:00Z", "2026-10-23T12:00:00Z", "2026-09-21T12:00:00Z")
    assert any(t > edges[0] for t in times)
    assert any(edges[1] < t <= edges[0] for t in times)
    assert any(edges[2] < t <= edges[1] for t in times)
    assert any(t <= edges[2] for t in times)
    for table, column in (
        ("videos", "posted_at"),
        ("comments", "created_at"),
        ("follows", "created_at"),
        ("blocks", "created_at"),
        ("users", "created_at"),
    ):
        latest = conn.execute(f"SELECT max({column}) FROM {table}").fetchone()[0]
        assert latest < demo.DEMO_NOW, table


def test_trending_sound_and_comments_for_tips(conn):
    """A sound Mia never used trends in the last 7 days; Mia replied to some comments only."""
    mia = _id(conn, demo.DEMO_CREATOR)
    trending = conn.execute(
        "SELECT sound FROM videos WHERE posted_at > '2026-11-13T12:00:00Z' AND sound IS NOT NULL"
        " AND sound NOT IN (SELECT sound FROM videos WHERE creator_id = :m AND sound IS NOT NULL)"
        " GROUP BY sound HAVING count(*) >= 2",
        {"m": mia},
    ).fetchall()
    assert trending
    replies = conn.execute(
        "SELECT count(*) FROM comments WHERE user_id = ? AND parent_id IS NOT NULL", (mia,)
    ).fetchone()[0]
    unanswered = conn.execute(
        "SELECT count(*) FROM comments c JOIN videos x ON x.id = c.video_id"
        " WHERE x.creator_id = :m AND c.user_id <> :m AND c.parent_id IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id)",
        {"m": mia},
    ).fetchone()[0]
    assert replies >= 2 and unanswered >= 2
