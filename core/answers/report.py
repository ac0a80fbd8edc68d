"""The platform report: an omniscient audit of a whole world under several rule sets.

For every video X with creator C, the audit of X as C (rule 7: which likes C can identify;
rule 9: whether the anonymous ones can be named unseen), added up over the platform, by
creator size and by creator privacy, with the videos most exposed. It answers the
question a privacy team asks before shipping a rule: under this rule, how many likes can
creators see, and how many private likers become nameable without being seen?

Not what any user sees: the report is labelled as the audit it is. The counting is
set-wise (`rules.platform`): an engine builds the flag tables, then each rule set is
a few grouped queries over them, so a ten-million-like world costs seconds, not a loop
over its videos.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, fields
from typing import Any, Protocol

from wholiked.core.rules import platform, platform_sqlite
from wholiked.core.rules.platform import SIZE_BUCKETS, Progress
from wholiked.core.rules.presets import Preset
from wholiked.core.store.database import Database


def share_bar(share: float, width: int) -> str:
    """A share (0 to 1) as a bar of `width` cells, full ones then light ones: at least one
    full cell for any share above zero, all of them only for the whole."""
    full = 0 if share <= 0 else max(1, min(width, round(share * width)))
    if share < 1 and full == width:
        full -= 1
    return "█" * full + "░" * (width - full)


def share_percent(part: int, whole: int) -> str:
    """A share in words that never rounds a difference away: '<0.1%' and '>99.9%' for
    the shares one decimal would show as 0.0% or 100.0%, '—' of nothing."""
    if whole <= 0:
        return "—"
    if part in (0, whole):
        return f"{100 * part // whole}%"
    percent = 100 * part / whole
    if percent < 0.1:
        return "<0.1%"
    return ">99.9%" if percent > 99.9 else f"{percent:.1f}%"


TOP = 20
"""How many of the most exposed videos the report lists per rule set."""
PRIVACY = ("public", "private")

Row = tuple[Any, ...]
Query = Callable[[list[str]], list[list[Row]]]
"""Runs queries over the flag tables and returns each one's rows (an engine may run them
together: the values are read with int() and str(), whatever type the engine gives)."""


class Engine(Protocol):
    """Where the flag tables are built and queried (SQLite on the file, or Spark)."""

    name: str

    def prepared(
        self, rule_sets: list[Preset], progress: Progress | None
    ) -> AbstractContextManager[Query]: ...


@dataclass(frozen=True, slots=True)
class Sums:
    """The audit of a set of videos as their creators, added up."""

    videos: int = 0
    likes: int = 0
    identifiable: int = 0
    """Likes identifiable to their video's creator."""
    anonymous: int = 0
    effectively_identifiable_likes: int = 0
    """The anonymous likes of the videos whose rule-9 verdict for their creator is true."""
    effectively_identifiable_videos: int = 0
    """Those videos (each has at least one anonymous like)."""

    def __add__(self, other: "Sums") -> "Sums":
        return Sums(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Sums)))

    def as_json(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(Sums)}

    @property
    def identifiable_share(self) -> float:
        return self.identifiable / self.likes if self.likes else 0.0

    @property
    def exposed_share(self) -> float:
        """The share of the anonymous likes that are effectively identifiable."""
        return self.effectively_identifiable_likes / self.anonymous if self.anonymous else 0.0


@dataclass(frozen=True, slots=True)
class RuleSetReport:
    """One rule set's sums: the whole platform, by creator size, by creator privacy."""

    rules: Preset
    totals: Sums
    by_creator_size: dict[str, Sums]
    by_creator_privacy: dict[str, Sums]

    def as_json(self) -> dict[str, Any]:
        return {
            **self.totals.as_json(),
            "by_creator_size": {k: v.as_json() for k, v in self.by_creator_size.items()},
            "by_creator_privacy": {k: v.as_json() for k, v in self.by_creator_privacy.items()},
        }


@dataclass(frozen=True, slots=True)
class TopVideo:
    """A video whose anonymous likes its creator can name unseen (rule 9), under one rule set."""

    rules_key: str
    video_id: int
    creator: str
    likes: int
    identifiable: int
    anonymous: int
    candidates: int

    def as_json(self) -> dict[str, Any]:
        return {
            "preset": self.rules_key,
            "video_id": self.video_id,
            "creator": self.creator,
            "likes": self.likes,
            "identifiable": self.identifiable,
            "anonymous": self.anonymous,
            "candidates": self.candidates,
            "effectively_identifiable_likes": self.anonymous,
        }


CSV_FIELDS = ("preset", *(f.name for f in fields(Sums)))


@dataclass(frozen=True, slots=True)
class PlatformReport:
    """The report under every rule set asked for, keyed as `--rules` names them."""

    engine: str
    rule_sets: dict[str, RuleSetReport]
    top_videos: list[TopVideo]

    def as_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "omniscient": True,
            "presets": {k: r.as_json() for k, r in self.rule_sets.items()},
            "top_videos": [t.as_json() for t in self.top_videos],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One row per rule set (the CSV): its name and its platform-wide sums."""
        return [{"preset": k, **r.totals.as_json()} for k, r in self.rule_sets.items()]


class SqliteEngine:
    """The flag tables as temporary tables on the file's own connection, in one snapshot."""

    name = "sqlite"

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def prepared(self, rule_sets: list[Preset], progress: Progress | None) -> Iterator[Query]:
        with self.db.snapshot() as conn, platform_sqlite.scratch(conn):
            platform_sqlite.build_flags(conn, rule_sets, progress)

            def query(sqls: list[str]) -> list[list[Row]]:
                return [[tuple(row) for row in conn.execute(sql)] for sql in sqls]

            yield query


def report(
    engine: Engine,
    rule_sets: Mapping[str, Preset],
    *,
    progress: Progress | None = None,
    top: int = TOP,
) -> PlatformReport:
    """The platform report under each rule set (keyed as given), computed by the engine."""
    say = progress or (lambda step, done, total: None)
    keys, presets = list(rule_sets), list(rule_sets.values())
    with engine.prepared(presets, progress) as query:
        say("adding up every rule set", 0, 1)
        groups, exposed = query([platform.groups_sql(presets), platform.top_sql(presets, top)])
        say("done", 1, 1)
    grouped: dict[int, list[Row]] = {i: [] for i in range(len(keys))}
    for row in groups:
        for rs, rest in enumerate(platform.split_groups(row, len(presets))):
            grouped[rs].append(rest)
    # Each rule set's most exposed first, ties by video (as top_sql ranks them), whatever
    # order the engine returned the rows in.
    ranked = sorted(exposed, key=lambda r: (int(r[0]), -int(r[6]), int(r[1])))
    tops = [
        TopVideo(keys[int(rs)], int(video), str(handle), *(int(n) for n in numbers))
        for rs, video, _creator, handle, *numbers in ranked
    ]
    found = {key: _sums(presets[i], grouped[i]) for i, key in enumerate(keys)}
    return PlatformReport(engine.name, found, tops)


def _sums(rules: Preset, rows: list[Row]) -> RuleSetReport:
    by_size = {name: Sums() for name, _, _ in SIZE_BUCKETS}
    by_privacy = {name: Sums() for name in PRIVACY}
    total = Sums()
    for bucket, creator_private, *numbers in rows:
        sums = Sums(*(int(n or 0) for n in numbers))
        by_size[bucket] = by_size[bucket] + sums
        privacy = PRIVACY[1] if int(creator_private) else PRIVACY[0]
        by_privacy[privacy] = by_privacy[privacy] + sums
        total = total + sums
    return RuleSetReport(rules, total, by_size, by_privacy)
