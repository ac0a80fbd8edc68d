"""The database format (a public interface): tables, columns and the rule each value obeys.

One declaration serves three uses: the pydantic row models (the reference for
what a valid row is, and the source of the error message), the SQL predicates
that find the first invalid row of a large table quickly, and the schema that
`core.schema` creates.
"""

from typing import NamedTuple

USER_VERSION = 1

ACCOUNT_TYPES = ("personal", "creator")
AGE_BANDS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55+")
DEVICES = ("ios", "android", "web")
RELEASED_ATTRIBUTES = ("age_band", "region", "language", "device")
"""The columns of `users` the analytics release breaks likers down by (with the hour of
the like): the dimensions of core.release.domains, in this order."""
FOLLOW_STATUSES = ("pending", "approved")

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class Column(NamedTuple):
    """One column of the format: its value kind, nullability and allowed values."""

    name: str
    kind: str  # id, bool, enum, timestamp, text, handle, count, region, tag
    nullable: bool = False
    choices: tuple[str, ...] = ()
    sql_type: str = ""

    @property
    def declared_type(self) -> str:
        return self.sql_type or ("INTEGER" if self.kind in ("id", "bool", "count") else "TEXT")


class Reference(NamedTuple):
    """A column that must name an existing row of another table."""

    column: str
    table: str
    target: str = "id"


class Table(NamedTuple):
    name: str
    columns: tuple[Column, ...]
    pk: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


C = Column
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "users",
            (
                C("id", "id"),
                C("handle", "handle"),
                C("display_name", "text", nullable=True),
                C("bio", "text", nullable=True),
                C("is_private", "bool"),
                C("account_type", "enum", choices=ACCOUNT_TYPES),
                C("age_band", "enum", nullable=True, choices=AGE_BANDS),
                C("region", "region", nullable=True),
                C("language", "text", nullable=True),
                C("device", "enum", nullable=True, choices=DEVICES),
                C("created_at", "timestamp", nullable=True),
            ),
            pk=("id",),
            unique=(("handle",),),
        ),
        Table(
            "follows",
            (
                C("follower_id", "id"),
                C("followee_id", "id"),
                C("status", "enum", choices=FOLLOW_STATUSES),
                C("created_at", "timestamp", nullable=True),
            ),
            pk=("follower_id", "followee_id"),
            references=(Reference("follower_id", "users"), Reference("followee_id", "users")),
        ),
        Table(
            "blocks",
            (
                C("blocker_id", "id"),
                C("blocked_id", "id"),
                C("created_at", "timestamp", nullable=True),
            ),
            pk=("blocker_id", "blocked_id"),
            references=(Reference("blocker_id", "users"), Reference("blocked_id", "users")),
        ),
        Table(
            "videos",
            (
                C("id", "id"),
                C("creator_id", "id"),
                C("caption", "text", nullable=True),
                C("sound", "text", nullable=True),
                C("posted_at", "timestamp"),
                C("duration_s", "count", nullable=True),
                C("views", "count", nullable=True),
                C("shares", "count", nullable=True),
            ),
            pk=("id",),
            references=(Reference("creator_id", "users"),),
        ),
        Table(
            "video_hashtags",
            (C("video_id", "id"), C("tag", "tag")),
            pk=("video_id", "tag"),
            references=(Reference("video_id", "videos"),),
        ),
        Table(
            "likes",
            (C("video_id", "id"), C("user_id", "id"), C("liked_at", "timestamp")),
            pk=("video_id", "user_id"),
            references=(Reference("video_id", "videos"), Reference("user_id", "users")),
        ),
        Table(
            "comments",
            (
                C("id", "id"),
                C("video_id", "id"),
                C("user_id", "id"),
                C("text", "text", nullable=True),
                C("created_at", "timestamp"),
                C("parent_id", "id", nullable=True),
            ),
            pk=("id",),
            references=(
                Reference("video_id", "videos"),
                Reference("user_id", "users"),
                Reference("parent_id", "comments"),
            ),
        ),
        Table(
            "meta",
            (C("key", "text"), C("value", "text", nullable=True)),
            pk=("key",),
        ),
    )
}

REQUIRED_TABLES = tuple(name for name in TABLES if name != "meta")
"""`meta` is optional; every other table must exist."""
