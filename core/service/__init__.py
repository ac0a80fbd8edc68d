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
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from wholiked.core.answers.analytics_records import (
    DEFAULT_K,
    DEFAULT_WINDOW,
    Analytics,
    PublicTotals,
    Totals,
    VideoFigures,
)
from wholiked.core.errors import BadInput
from wholiked.core.rules.files import catalogue, load_rule_file, rule_set, to_toml
from wholiked.core.rules.listing import AS_LISTED, LIKER_SORTS, VIDEO_SORTS, ListView
from wholiked.core.rules.policy import Cursor, LikerRow
from wholiked.core.rules.presets import DEFAULT, PRESETS, Preset
from wholiked.core.store import records
from wholiked.core.store.change_watch import OutsideChange
from wholiked.core.store.database import (
    Database,
    Progress,
    RowCheck,
    open_database,
)
from wholiked.core.store.records import User, Video
from wholiked.core.store.schema import remove_derived

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from wholiked.core.actions import Outcome
    from wholiked.core.answers.browse import VideoSummary
    from wholiked.core.answers.compare import Comparison, PresetView
    from wholiked.core.answers.faq import FaqAnswer
    from wholiked.core.answers.likers import Audience, Audit, Likers
    from wholiked.core.answers.people import PeopleCounts, Person, Which
    from wholiked.core.answers.relations import BlockCost, PublicCost, Relation
    from wholiked.core.answers.report import PlatformReport, share_bar, share_percent
    from wholiked.core.answers.tips import Perspective
    from wholiked.core.answers.tips.common import Tip
    from wholiked.core.rules.platform import Progress as StepProgress
    from wholiked.core.store.drift import Drift

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
    "Audience": "wholiked.core.answers.likers",
    "Audit": "wholiked.core.answers.likers",
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


@dataclass(frozen=True)
class OtherDrift:
    """The release day; why the comment counts are not in use ('' when they are) or the
    videos whose counts drifted; why the rollup is not, or its creators and those that
    differ from a live count."""

    day: date
    comments_reason: str
    comments: list[Any]
    rollup_reason: str
    creators: list[Any]
    differ: list[Any]


class Wholiked:
    """Answers every question of the product for one open database, under one preset."""

    def __init__(
        self, db: Database, rules: str | Preset = DEFAULT, *, files: tuple[Preset, ...] = ()
    ) -> None:
        """`rules`: a built-in preset's name, a rule file's path or a Preset; `files`: the
        rule files loaded for the session (offered beside the presets; `rules`, when read
        from a file, is one of them)."""
        self.db = db
        self.rules: Preset = rule_set(rules)
        if self.rules.origin is not None and self.rules not in files:
            files = (*files, self.rules)
        self.files = files
        self.rule_sets: dict[str, Preset] = catalogue(list(files))
        """Every rule set the session offers: the presets, then the rule files, by key."""

    def with_files(self, files: tuple[Preset, ...]) -> Wholiked:
        """The same database, offering these rule files beside the presets."""
        return Wholiked(self.db, self.rules, files=files)

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
        return self if chosen is self.rules else Wholiked(self.db, chosen, files=self.files)

    def rules_key(self, rules: Preset | None = None) -> str:
        """The key of a rule set in `rule_sets` (the one in use by default)."""
        rules = rules or self.rules
        return next((k for k, r in self.rule_sets.items() if r is rules), rules.name)

    @property
    def label(self) -> str:
        return self.db.label

    @property
    def writable(self) -> bool:
        """Changes can be saved (the demo copy, or a --db opened with --write)."""
        return self.db.writable

    @property
    def file_name(self) -> str:
        """How the app names the open file: the name it was opened under ("the demo world"),
        else the file's own name."""
        label, path = self.db.label, self.db.path
        return path.name if label == str(path) else label

    def reopen_writable(self) -> None:
        """Open the same file again, writable (what `--write` would have done); nothing when
        it already is. BadInput, with the file still open read-only, when it cannot be."""
        self.db.reopen_writable()

    def reference_time(self) -> datetime:
        return self.db.reference_time()

    def close(self) -> None:
        self.db.close()

    # --- the file's lifecycle (what the app needs while it keeps a file open) -------------

    def outside_change(self) -> OutsideChange | None:
        """REPLACED when another file now sits at the path, CHANGED when another program
        committed a change since the last call, else None. Cheap; never waits for a lock."""
        return self.db.outside_change()

    def reopen(self) -> None:
        """Open the file now at the path (after `outside_change` said 'replaced')."""
        self.db.reopen()

    def catch_up(self) -> None:
        """After another program's write: fold the pending corrections into wholiked's
        derived data now, when the file is writable and nobody holds the lock."""
        self.db.repair_derived()

    @property
    def rows_checked(self) -> bool:
        """Every row of the file as it is passed the full check (else each answer checks
        the rows it reads)."""
        return self.db.rows_checked

    def check_every_row(self, *, limit: int | None = None) -> list[str]:
        """The full check of every row; remembered when valid. Without a limit, BadInput
        naming table, row and field of the first problem; with one, every problem up to
        the limit, one line each (none: the file is valid)."""
        return self.db.check_all(limit=limit)

    def interrupt(self) -> None:
        """Stop every query under way (they fail with 'interrupted'): for a quick exit."""
        self.db.interrupt()

    # --- upkeep of wholiked's own objects in the file -------------------------------------

    def add_derived(self) -> None:
        """Add wholiked's indexes and derived data, every count made afresh."""
        self.db.add_derived(rebuild=True)

    def remove_derived(self) -> list[tuple[str, str]]:
        """Drop every object wholiked added (named wholiked_*) in one transaction; the
        (kind, name) of each."""
        with self.db.transaction() as conn:
            return remove_derived(conn)

    def counter_drift(self) -> Drift:
        """The like counters against a fresh count of the likes (nothing changes)."""
        from wholiked.core.store.drift import drift

        with self.db.snapshot() as conn:
            return drift(conn)

    def other_drift(self) -> OtherDrift:
        """The comment counts and the release rollup against fresh counts."""
        from wholiked.core.release.counting import rollup_drift
        from wholiked.core.store import comment_counts, rollup

        day = self.db.reference_time().date()
        with self.db.snapshot() as conn:
            comments_reason = comment_counts.unusable_reason(conn)
            comments = [] if comments_reason else comment_counts.drift(conn)
            rollup_reason = rollup.unusable_reason(conn)
            creators = [] if rollup_reason else rollup.built(conn)
            differ = [] if rollup_reason else rollup_drift(conn, day)
        return OtherDrift(
            day, comments_reason or "", comments, rollup_reason or "", creators, differ
        )

    def stop_progress(self) -> None:
        """Say nothing more on the terminal about long steps (a full-screen app owns it)."""
        self.db.progress = None

    # --- lookups ------------------------------------------------------------------

    def user(self, handle: str) -> User:
        """The user with this handle (a leading @ and any case allowed); BadInput when unknown."""
        return records.user_by_handle(self.db, handle)

    def user_by_id(self, user_id: int) -> User:
        return records.user_by_id(self.db, user_id)

    def video(self, video_id: int) -> Video:
        return records.video_by_id(self.db, video_id)

    def default_user(self) -> User:
        """Who the app acts as first: the creator account with the most videos, else anyone."""
        row = records.first_row(
            self.db,
            "SELECT x.creator_id FROM videos x JOIN users c ON c.id = x.creator_id"
            " GROUP BY x.creator_id ORDER BY c.account_type = 'creator' DESC, count(*) DESC,"
            " x.creator_id LIMIT 1",
            (),
        ) or records.first_row(self.db, "SELECT id FROM users ORDER BY id LIMIT 1", ())
        if row is None:
            raise BadInput(f"{self.label}: there are no users")
        return self.user_by_id(row[0])

    # --- what a user sees of a video ----------------------------------------------------

    def likers(
        self,
        video_id: int,
        viewer: User,
        *,
        limit: int | None = None,
        after: Cursor | None = None,
        view: ListView = AS_LISTED,
    ) -> Likers:
        from wholiked.core.answers import likers

        self.db.check_scope(videos=(video_id,), likers_of=(video_id,), users=(viewer.id,))
        result = likers.likers(
            self.db, video_id, viewer, limit=limit, after=after, rules=self.rules, view=view
        )
        self.db.check_listed(video_id, result.identifiable)
        return result

    def likers_page(
        self,
        video_id: int,
        viewer: User,
        *,
        limit: int,
        after: Cursor | None,
        view: ListView = AS_LISTED,
    ) -> list[LikerRow]:
        from wholiked.core.answers import likers

        return likers.likers_page(
            self.db, video_id, viewer, limit=limit, after=after, rules=self.rules, view=view
        )

    def likers_page_from_end(
        self,
        video_id: int,
        viewer: User,
        *,
        limit: int,
        before: Cursor | None,
        view: ListView = AS_LISTED,
    ) -> list[LikerRow]:
        from wholiked.core.answers import likers

        return likers.likers_page_from_end(
            self.db, video_id, viewer, limit=limit, before=before, rules=self.rules, view=view
        )

    def find_likers(
        self,
        video_id: int,
        viewer: User | None,
        text: str,
        *,
        audit: bool = False,
        view: ListView = AS_LISTED,
    ) -> list[int]:
        """The ids of the likers (identifiable to the viewer, or with `audit` every liker)
        whose handle or display name holds the text, in the list's order: a find in a
        paged list, run in SQL, so the table loads only the pages up to a match."""
        from wholiked.core.answers import likers

        return likers.find_likers(
            self.db, video_id, viewer, text, audit=audit, rules=self.rules, view=view
        )

    def audience(self, video_id: int, liker: User) -> Audience:
        from wholiked.core.answers import likers

        people = (liker.id, self.video(video_id).creator_id)
        self.db.check_scope(videos=(video_id,), users=people, followers_of=people)
        return likers.audience(self.db, video_id, liker, rules=self.rules)

    def audit(
        self,
        video_id: int,
        viewer: User | None = None,
        *,
        limit: int | None = None,
        after: Cursor | None = None,
        view: ListView = AS_LISTED,
    ) -> Audit:
        from wholiked.core.answers import likers

        people = (viewer.id,) if viewer else ()
        self.db.check_scope(videos=(video_id,), likers_of=(video_id,), users=people)
        result = likers.audit(
            self.db, video_id, viewer, limit=limit, after=after, rules=self.rules, view=view
        )
        self.db.check_listed(video_id, result.likers)
        return result

    def compare(self, video_id: int, asker: User) -> Comparison:
        """The video and asker under every preset and every rule file of the session
        (whatever this facade's own rule set)."""
        from wholiked.core.answers import compare

        return compare.compare(self.db, video_id, asker, self.rule_sets)

    def audit_page_from_end(
        self,
        video_id: int,
        viewer: User | None,
        *,
        limit: int,
        before: Cursor | None,
        view: ListView = AS_LISTED,
    ) -> list[LikerRow]:
        from wholiked.core.answers import likers

        return likers.audit_page_from_end(
            self.db, video_id, viewer, limit=limit, before=before, rules=self.rules, view=view
        )

    @staticmethod
    def report_on_spark(
        source: str,
        *,
        files: tuple[Preset, ...] = (),
        master: str = "local[*]",
        progress: StepProgress | None = None,
    ) -> PlatformReport:
        """The platform report computed by Spark over the format's tables as Parquet under
        `source` (`export_parquet`'s folder, or any URI Spark reads), under every preset and
        these rule files: the same SQL as on a file, the same JSON apart from `engine`."""
        from wholiked.core.answers import report
        from wholiked.core.answers.report_spark import SparkEngine

        rule_sets = catalogue(list(files))
        return report.report(SparkEngine(source, master=master), rule_sets, progress=progress)

    def export_parquet(
        self, folder: Path, *, progress: StepProgress | None = None
    ) -> dict[str, int]:
        """Write the world's tables as Parquet under `folder` (one TABLE.parquet each), for
        the Spark engine; the rows written per table."""
        from wholiked.core.store.parquet import export_parquet

        return export_parquet(self.db, folder, progress)

    def report(self, *, progress: StepProgress | None = None) -> PlatformReport:
        """The platform report (omniscient): every video's audit as its creator, added up,
        under every preset and every rule file of the session."""
        from wholiked.core.answers import report

        return report.report(report.SqliteEngine(self.db), self.rule_sets, progress=progress)

    # --- lists ------------------------------------------------------------------------

    def creator_videos(
        self, creator: User, *, limit: int = 500, view: ListView = AS_LISTED
    ) -> list[VideoSummary]:
        from wholiked.core.answers import browse

        return browse.creator_videos(self.db, creator, limit=limit, view=view)

    def feed(
        self,
        viewer: User,
        *,
        limit: int = 100,
        after: tuple[Any, int] | None = None,
        view: ListView = AS_LISTED,
    ) -> list[VideoSummary]:
        """Videos the viewer can view, a page after a keyset cursor (`video_cursor`)."""
        from wholiked.core.answers import browse

        return browse.feed(self.db, viewer, limit=limit, after=after, view=view)

    def find_videos(
        self, viewer: User, text: str, *, own: bool, view: ListView = AS_LISTED
    ) -> list[int]:
        """The ids of the videos of the viewer's own list (`own`) or feed whose caption or
        creator's handle or display name holds the text, in the list's order (in SQL)."""
        from wholiked.core.answers import browse

        return browse.find_videos(self.db, viewer, text, own=own, view=view)

    @staticmethod
    def video_cursor(summary: VideoSummary, view: ListView = AS_LISTED) -> tuple[Any, int]:
        """A video row's keyset position in a list shown this way (for `feed(after=...)`)."""
        from wholiked.core.answers.browse import video_cursor

        return video_cursor(summary, view)

    @staticmethod
    def liker_cursor(row: LikerRow, view: ListView = AS_LISTED) -> Cursor:
        """A liker row's keyset position in a list shown this way (for `after=`)."""
        from wholiked.core.rules.policy import liker_cursor

        return liker_cursor(row, view)

    def search_users(self, text: str, *, limit: int = 20) -> list[User]:
        from wholiked.core.answers import browse

        return browse.search_users(self.db, text, limit=limit)

    def search_videos(self, viewer: User, text: str, *, limit: int = 20) -> list[VideoSummary]:
        from wholiked.core.answers import browse

        return browse.search_videos(self.db, viewer, text, limit=limit)

    def pending_requests(self, user: User, *, limit: int = 200) -> list[User]:
        from wholiked.core.answers import browse

        return browse.pending_requests(self.db, user, limit=limit)

    def blocked_accounts(self, user: User, *, limit: int = 200) -> list[User]:
        from wholiked.core.answers import relations

        return relations.blocked_accounts(self.db, user, limit=limit)

    def people_counts(self, user: User) -> PeopleCounts:
        """How many followers (approved), accounts followed (requests sent included),
        pending requests to the user and accounts they blocked."""
        from wholiked.core.answers import people

        return people.people_counts(self.db, user)

    def people_page(
        self,
        user: User,
        which: Which,
        *,
        limit: int,
        after: Any = None,
        view: ListView = AS_LISTED,
    ) -> list[Person]:
        """A page of the user's 'followers', 'following', 'requests' or 'blocked', by the
        other account's id, or by the view's sort ('handle', 'name', 'since'), after the
        row `after` (keyset: any page costs the same; see `people_cursor`)."""
        from wholiked.core.answers import people

        self.db.check_scope(users=(user.id,), followers_of=(user.id,))
        return people.people_page(self.db, user, which, limit=limit, after=after, view=view)

    @staticmethod
    def people_cursor(person: Person, view: ListView = AS_LISTED) -> Any:
        """A row's keyset position in a list of people shown this way (for `after=`)."""
        from wholiked.core.answers.people import people_cursor

        return people_cursor(person, view)

    def find_people(
        self, user: User, which: Which, text: str, *, view: ListView = AS_LISTED
    ) -> list[int]:
        """The ids of the accounts in one of the user's lists whose handle or display name
        holds the text, in the list's order (in SQL)."""
        from wholiked.core.answers import people

        self.db.check_scope(users=(user.id,), followers_of=(user.id,))
        return people.find_people(self.db, user, which, text, view=view)

    # --- relationships, and what a change would do ------------------------------------

    def relation(self, actor: User, other: User) -> Relation:
        from wholiked.core.answers import relations

        return relations.relation(self.db, actor, other)

    def block_cost(self, actor: User, other: User) -> BlockCost:
        from wholiked.core.answers import relations

        return relations.block_cost(self.db, actor, other)

    def public_cost(self, user: User) -> PublicCost:
        from wholiked.core.answers import relations

        return relations.public_cost(self.db, user)

    # --- analytics, tips, FAQ -------------------------------------------------------------

    def analytics(
        self,
        creator: User,
        *,
        video_id: int | None = None,
        window: str = DEFAULT_WINDOW,
        k: int = DEFAULT_K,
    ) -> Analytics:
        from wholiked.core.answers import analytics as _analytics

        # The rows this answer reads, not the whole file (a large file's full check waits),
        # and the video's row with its creator's when one is asked (may they view it).
        one = () if video_id is None else (video_id,)
        self.db.check_scope(videos=one, users=one and (creator.id,), released_for=(creator.id,))
        return _analytics.analytics(
            self.db, creator, video_id=video_id, window=window, k=k, rules=self.rules
        )

    def totals(
        self, user: User, *, video_id: int | None = None, window: str = DEFAULT_WINDOW
    ) -> Totals:
        from wholiked.core.answers import analytics as _analytics

        return _analytics.totals(self.db, user, video_id=video_id, window=window, rules=self.rules)

    def tips(
        self, user: User, *, k: int = DEFAULT_K, perspective: Perspective | None = None
    ) -> list[Tip]:
        from wholiked.core.answers.tips import tips as _tips

        return _tips(self.db, user, k=k, perspective=perspective, rules=self.rules)

    def faq(self, user: User, *, video_id: int | None = None) -> list[FaqAnswer]:
        """The FAQ answered with the user's numbers: of `video_id` when they can view it
        (the video selected in the app), else of an example video of theirs."""
        from wholiked.core.answers import faq

        return faq.faq(self.db, user, rules=self.rules, video_id=video_id)

    # --- actions ----------------------------------------------------------------------

    def like(self, actor: User, video_id: int) -> Outcome:
        from wholiked.core import actions

        return actions.like(self.db, actor, video_id, rules=self.rules)

    def unlike(self, actor: User, video_id: int) -> Outcome:
        from wholiked.core import actions

        return actions.unlike(self.db, actor, video_id)

    def follow(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.follow(self.db, actor, other)

    def unfollow(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.unfollow(self.db, actor, other, rules=self.rules)

    def toggle_follow(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.toggle_follow(self.db, actor, other, rules=self.rules)

    def approve(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.approve(self.db, actor, other, rules=self.rules)

    def deny(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.deny(self.db, actor, other)

    def block(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.block(self.db, actor, other)

    def unblock(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.unblock(self.db, actor, other)

    def toggle_block(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.toggle_block(self.db, actor, other)

    def set_private(self, actor: User, private: bool) -> Outcome:
        from wholiked.core import actions

        return actions.set_private(self.db, actor, private, rules=self.rules)
