"""The rows the answers talk about (users, videos) and how they are looked up.

Lookups take an open `Database` and raise BadInput naming the file when a user or
video does not exist, so every caller words "not found" the same way.
"""

import sqlite3
from dataclasses import dataclass
from typing import Any

from wholiked.core.errors import BadInput
from wholiked.core.store.database import Database, describe_sqlite_error
from wholiked.core.store.format import RELEASED_ATTRIBUTES
from wholiked.core.store.models import HANDLE_RE

USER_FIELDS = (
    "id",
    "handle",
    "display_name",
    "bio",
    "is_private",
    "account_type",
    *RELEASED_ATTRIBUTES,
    "created_at",
)
USER_COLUMNS = ", ".join(USER_FIELDS)
VIDEO_COLUMNS = (
    "x.id, x.creator_id, c.handle, x.caption, x.sound, x.posted_at, x.duration_s, x.views, x.shares"
)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    handle: str
    display_name: str | None
    bio: str | None
    is_private: bool
    account_type: str
    age_band: str | None
    region: str | None
    language: str | None
    device: str | None
    created_at: str | None

    @property
    def is_creator(self) -> bool:
        return self.account_type == "creator"


@dataclass(frozen=True, slots=True)
class Video:
    id: int
    creator_id: int
    creator_handle: str
    caption: str | None
    sound: str | None
    posted_at: str
    duration_s: int | None
    views: int | None
    shares: int | None


def user_from_row(row: sqlite3.Row | tuple[Any, ...]) -> User:
    values = tuple(row)
    return User(*values[:4], bool(values[4]), *values[5:])  # type: ignore[call-arg]


def first_row(db: Database, query: str, params: tuple[Any, ...]) -> sqlite3.Row | None:
    """One row of a lookup query; an SQLite failure is BadInput naming the file."""
    try:
        row: sqlite3.Row | None = db.conn.execute(query, params).fetchone()
        return row
    except sqlite3.Error as exc:
        raise BadInput(describe_sqlite_error(db.label, exc)) from None


def user_by_handle(db: Database, handle: str) -> User:
    """The user with this handle (a leading @ and any case allowed); BadInput when unknown."""
    handle = handle.strip().removeprefix("@").lower()
    if not HANDLE_RE.fullmatch(handle):
        shown = repr(handle if len(handle) <= 40 else handle[:37] + "...")
        raise BadInput(f"{shown} is not a valid handle (2-24 characters of a-z 0-9 . _)")
    row = first_row(db, f"SELECT {USER_COLUMNS} FROM users WHERE handle = ?", (handle,))
    if row is None:
        raise BadInput(f"no user @{handle} in {db.label}")
    return user_from_row(row)


def user_by_id(db: Database, user_id: int) -> User:
    row = first_row(db, f"SELECT {USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
    if row is None:
        raise BadInput(f"no user with id {user_id} in {db.label}")
    return user_from_row(row)


def video_by_id(db: Database, video_id: int) -> Video:
    """The video with this id; BadInput when unknown."""
    row = first_row(
        db,
        f"SELECT {VIDEO_COLUMNS} FROM videos x JOIN users c ON c.id = x.creator_id WHERE x.id = ?",
        (video_id,),
    )
    if row is None:
        raise BadInput(f"no video {video_id} in {db.label}")
    return Video(*row)
