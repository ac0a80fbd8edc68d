"""The facade: every answer and action the CLI and the TUI ask for, for one open database.

The top floor of `core`, and the project's Python API: it is built on `store`, `rules`,
`answers` and `actions`, which never import it. Methods take `User`s and ids and return
plain records. It is the only door: on a file whose rows are not all checked yet it
checks the rows each answer reads (the CLI and the app alike), and it holds what an app
needs of the file it keeps open (watch for outside changes, reopen, interrupt).

A facade answers under one rule set (a preset, `seed` by default): `Wholiked(db,
rules="x")`, or `service.with_rules("x")` for another facade on the same database.

Each room of answers and the actions are imported by the first method that needs them
(their records on first use of their names here), so a scripted `wholiked likers` does
not pay for analytics, tips or actions, nor `analytics` for the likers, it never runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from wholiked.core.rules.files import catalogue, load_rule_file, rule_set, to_toml
from wholiked.core.rules.listing import LIKER_SORTS, VIDEO_SORTS, ListView
from wholiked.core.rules.policy import LikerRow
from wholiked.core.rules.presets import DEFAULT, PRESETS, Preset
from wholiked.core.service.acting import Acting
from wholiked.core.service.file import FileDuties, OtherDrift
from wholiked.core.service.lists import Lists
from wholiked.core.service.numbers import Numbers
from wholiked.core.service.platform import Platform
from wholiked.core.service.seeing import Seeing
from wholiked.core.store.change_watch import OutsideChange
from wholiked.core.store.database import Database, Progress, RowCheck, open_database
from wholiked.core.store.records import User, Video

if TYPE_CHECKING:
    from pathlib import Path

    from wholiked.core.actions import Outcome
    from wholiked.core.answers.analytics_records import (
        Analytics,
        PublicTotals,
        Totals,
        VideoFigures,
    )
    from wholiked.core.answers.audit import Audience, Audit
    from wholiked.core.answers.browse import VideoSummary
    from wholiked.core.answers.compare import Comparison, PresetView
    from wholiked.core.answers.faq import FaqAnswer
    from wholiked.core.answers.likers import Likers
    from wholiked.core.answers.people import PeopleCounts, Person, Which
    from wholiked.core.answers.relations import BlockCost, PublicCost, Relation
    from wholiked.core.answers.report import PlatformReport, share_bar, share_percent
    from wholiked.core.answers.tips import Perspective
    from wholiked.core.answers.tips.common import Tip

__all__ = [
    "Analytics",
    "Audience",
    "Audit",
    "BlockCost",
    "Comparison",
    "FaqAnswer",
    "Likers",
    "LikerRow",
    "LIKER_SORTS",
    "ListView",
    "VIDEO_SORTS",
    "OtherDrift",
    "Outcome",
    "OutsideChange",
    "PeopleCounts",
    "Which",
    "Person",
    "PlatformReport",
    "PRESETS",
    "Perspective",
    "Preset",
    "PresetView",
    "RowCheck",
    "PublicCost",
    "PublicTotals",
    "Relation",
    "User",
    "Video",
    "VideoSummary",
    "Wholiked",
    "load_rule_file",
    "rule_set",
    "share_bar",
    "share_percent",
    "Tip",
    "Totals",
    "VideoFigures",
    "to_toml",
]

_LATER = {
    "Analytics": "wholiked.core.answers.analytics_records",
    "PublicTotals": "wholiked.core.answers.analytics_records",
    "Totals": "wholiked.core.answers.analytics_records",
    "VideoFigures": "wholiked.core.answers.analytics_records",
    "Audience": "wholiked.core.answers.audit",
    "Audit": "wholiked.core.answers.audit",
    "Likers": "wholiked.core.answers.likers",
    "Outcome": "wholiked.core.actions",
    "PeopleCounts": "wholiked.core.answers.people",
    "Which": "wholiked.core.answers.people",
    "Person": "wholiked.core.answers.people",
    "Perspective": "wholiked.core.answers.tips",
    "Tip": "wholiked.core.answers.tips.common",
    "VideoSummary": "wholiked.core.answers.browse",
    "Comparison": "wholiked.core.answers.compare",
    "PresetView": "wholiked.core.answers.compare",
    "FaqAnswer": "wholiked.core.answers.faq",
    "BlockCost": "wholiked.core.answers.relations",
    "PublicCost": "wholiked.core.answers.relations",
    "Relation": "wholiked.core.answers.relations",
    "PlatformReport": "wholiked.core.answers.report",
    "share_bar": "wholiked.core.answers.report",
    "share_percent": "wholiked.core.answers.report",
}
"""The records re-exported here whose rooms load on first use (PEP 562)."""


def __getattr__(name: str) -> Any:
    room = _LATER.get(name)
    if room is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(room), name)


class Wholiked(FileDuties, Seeing, Lists, Numbers, Acting, Platform):
    """Answers every question of the product for one open database, under one preset.

    Its duties sit in one mixin per room (`core/service/`: the file, what a user sees of a
    video, the lists, the numbers, the actions, the platform report), on `Door`'s state
    and lookups."""

    def __init__(
        self, db: Database, rules: str | Preset = DEFAULT, *, files: tuple[Preset, ...] = ()
    ) -> None:
        """`rules`: a built-in preset's name, a rule file's path or a Preset; `files`: the
        rule files loaded for the session (offered beside the presets; `rules`, when read
        from a file, is one of them)."""
        self.db = db
        self.rules = rule_set(rules)
        if self.rules.origin is not None and self.rules not in files:
            files = (*files, self.rules)
        self.files = files
        self.rule_sets = catalogue(list(files))
        self._release = []

    def _sibling(self, rules: Preset, files: tuple[Preset, ...]) -> Wholiked:
        """Another facade on the same database, sharing its release store."""
        other = Wholiked(self.db, rules, files=files)
        other._release = self._release
        return other

    def with_files(self, files: tuple[Preset, ...]) -> Wholiked:
        """The same database, offering these rule files beside the presets."""
        return self._sibling(self.rules, files)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        writable: bool = False,
        rules: str | Preset = DEFAULT,
        label: str | None = None,
        rows: RowCheck = RowCheck.FULL,
        derived: bool = True,
        progress: Progress | None = None,
        beside: bool = False,
    ) -> Wholiked:
        """Open and check a database (BadInput with one clear line if it breaks the
        format); read-only unless writable. Use it in a `with` block, or `close()` it.

        label names the file in messages; rows="deferred" leaves a large file's full check
        to later (each answer checks the rows it reads), "none" reads no row of the user's
        (the upkeep of wholiked's own objects); derived=False adds none of wholiked's
        derived data; progress hears, in words, a long step on a large file; beside=True
        builds the derived data a large read-only file lacks beside it, once (see
        `open_database`)."""
        database = open_database(
            path,
            writable=writable,
            label=label,
            rows=rows,
            derived=derived,
            progress=progress,
            beside=beside,
        )
        return cls(database, rules)

    def __enter__(self) -> Wholiked:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def with_rules(self, rules: str | Preset) -> Wholiked:
        """The same database answered under another rule set (a key of `rule_sets`, or a
        Preset); closing either closes both."""
        chosen = self.rule_sets.get(rules) if isinstance(rules, str) else rules
        if chosen is None:
            chosen = rule_set(rules)
        return self if chosen is self.rules else self._sibling(chosen, self.files)

    def rules_key(self, rules: Preset | None = None) -> str:
        """The key of a rule set in `rule_sets` (the one in use by default)."""
        rules = rules or self.rules
        return next((k for k, r in self.rule_sets.items() if r is rules), rules.name)
