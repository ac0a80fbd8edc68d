"""The facade's duties to the open file: what an app needs while it keeps a file open
(outside changes, reopening, the full check, interrupting) and the upkeep of wholiked's
own objects in it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from wholiked.core.service.door import Door
from wholiked.core.store.schema import remove_derived

if TYPE_CHECKING:
    from datetime import datetime

    from wholiked.core.store.change_watch import OutsideChange
    from wholiked.core.store.drift import Drift


class OtherDrift(NamedTuple):
    """The release day; why the comment counts are not in use ('' when they are) or the
    videos whose counts drifted; why the rollup is not, or its creators and those that
    differ from a live count."""

    day: date
    comments_reason: str
    comments: list[Any]
    rollup_reason: str
    creators: list[Any]
    differ: list[Any]


class FileDuties(Door):
    """The file's lifecycle and the upkeep of wholiked's objects in it."""

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

    def stop_progress(self) -> None:
        """Say nothing more on the terminal about long steps (a full-screen app owns it)."""
        self.db.progress = None

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
