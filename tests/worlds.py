"""Small hand-built worlds for tests, written in the documented format; `worlds()`
draws random ones (hypothesis), `alter` spoils a written file with raw SQL."""

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from wholiked.core.store.schema import create_schema

NOW = "2026-11-20T12:00:00Z"
DEMO_TEST_KEY = "wholiked-demo-2026"
"""The noise key tests pin in their demo worlds (`build_demo(..., noise_key=...)`), so the
release and the snapshots are the same in every run; a user's copy never has one."""
FEW_TIMES = [f"2026-11-0{d}T00:00:00Z" for d in range(1, 5)]  # few values: ties are common


@dataclass
class World:
    """A world described in memory; `write(path)` creates the SQLite file."""

    users: dict[str, dict] = field(default_factory=dict)
    follows: dict[tuple[int, int], str] = field(default_factory=dict)
    blocks: set[tuple[int, int]] = field(default_factory=set)
    videos: dict[int, int] = field(default_factory=dict)  # video id -> creator id
    likes: dict[tuple[int, int], str] = field(default_factory=dict)  # (video, user) -> liked_at

    def user(self, handle: str, *, private: bool = False, creator: bool = False, **extra) -> int:
        uid = len(self.users) + 1
        self.users[handle] = {
            "id": uid,
            "handle": handle,
            "display_name": extra.pop("display_name", handle.title()),
            "bio": None,
            "is_private": int(private),
            "account_type": "creator" if creator else "personal",
            "age_band": extra.pop("age_band", None),
            "region": extra.pop("region", None),
            "language": extra.pop("language", None),
            "device": extra.pop("device", None),
            "created_at": "2026-01-01T00:00:00Z",
        }
        return uid

    def id(self, handle: str) -> int:
        return self.users[handle]["id"]

    def follow(self, follower: str, followee: str, status: str = "approved") -> None:
        self.follows[(self.id(follower), self.id(followee))] = status

    def block(self, blocker: str, blocked: str) -> None:
        self.blocks.add((self.id(blocker), self.id(blocked)))

    def video(self, creator: str) -> int:
        vid = len(self.videos) + 1
        self.videos[vid] = self.id(creator)
        return vid

    def like(self, handle: str, video: int, at: str = "2026-11-01T00:00:00Z") -> None:
        self.likes[(video, self.id(handle))] = at

    def write(self, path: Path, *, indexes: bool = True) -> Path:
        conn = sqlite3.connect(path)
        create_schema(conn, indexes=indexes)
        with conn:
            conn.executemany(
                "INSERT INTO users VALUES (:id, :handle, :display_name, :bio, :is_private,"
                " :account_type, :age_band, :region, :language, :device, :created_at)",
                self.users.values(),
            )
            conn.executemany(
                "INSERT INTO follows VALUES (?, ?, ?, '2026-01-02T00:00:00Z')",
                [(a, b, s) for (a, b), s in self.follows.items()],
            )
            conn.executemany(
                "INSERT INTO blocks VALUES (?, ?, '2026-01-03T00:00:00Z')", sorted(self.blocks)
            )
            conn.executemany(
                "INSERT INTO videos VALUES (?, ?, 'caption', NULL, '2026-10-01T00:00:00Z',"
                " 15, 1000, 3)",
                list(self.videos.items()),
            )
            conn.executemany(
                "INSERT INTO likes VALUES (?, ?, ?)",
                [(v, u, at) for (v, u), at in self.likes.items()],
            )
            conn.execute("INSERT INTO meta VALUES ('now', ?)", (NOW,))
        conn.close()
        return path


def alter(path: Path, *sql: str) -> Path:
    """Run raw SQL on a written file (to break it in one way) and return its path."""
    conn = sqlite3.connect(path)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


@st.composite
def worlds(
    draw: st.DrawFn,
    *,
    max_follows: int = 12,
    statuses: Sequence[str] = ("approved", "pending"),
    max_videos: int = 3,
    like_times: Sequence[str] = FEW_TIMES,
    self_follows: int = 0,
) -> World:
    """2-7 users u0, u1... (each private or not, creator or not) with up to `max_follows`
    follows among them (status drawn from `statuses`), up to 3 blocks, and 1 to
    `max_videos` videos by any of them, each liked by any of them at one of `like_times`;
    up to `self_follows` users follow themselves (the format does not forbid it)."""
    w = World()
    n = draw(st.integers(2, 7))
    for i in range(n):
        w.user(f"u{i}", private=draw(st.booleans()), creator=draw(st.booleans()))
    handles = list(w.users)
    pairs = [(a, b) for a in handles for b in handles if a != b]
    for a, b in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=max_follows)):
        w.follow(a, b, draw(st.sampled_from(statuses)))
    if self_follows:
        for h in draw(st.lists(st.sampled_from(handles), unique=True, max_size=self_follows)):
            w.follow(h, h, draw(st.sampled_from(statuses)))
    for a, b in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3)):
        w.block(a, b)
    for _ in range(draw(st.integers(1, max_videos))):
        x = w.video(draw(st.sampled_from(handles)))
        for h in draw(st.lists(st.sampled_from(handles), unique=True)):
            w.like(h, x, draw(st.sampled_from(like_times)))
    return w
