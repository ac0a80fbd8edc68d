"""What every part of the facade stands on: the open database, the rule sets it answers
under, and the lookups of users and videos each part needs.

`Wholiked` is composed of this and one mixin per room of its duties (the file, what a
user sees of a video, the lists, the numbers, the actions, the platform report), so each
module holds one responsibility and the class stays the one door.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wholiked.core.errors import BadInput
from wholiked.core.store import records
from wholiked.core.store.records import User, Video

if TYPE_CHECKING:
    from wholiked.core.release.store import ReleaseStore
    from wholiked.core.rules.presets import Preset
    from wholiked.core.store.database import Database


class Door:
    """The state the facade holds, set by `Wholiked.__init__`, and its lookups."""

    db: Database
    rules: Preset
    """The rule set this facade answers under."""
    files: tuple[Preset, ...]
    rule_sets: dict[str, Preset]
    """Every rule set the session offers: the presets, then the rule files, by key."""
    _release: list[ReleaseStore]
    """The release's store once made (`release_store`), shared by the facades on the
    database (`with_rules`)."""

    @property
    def release_store(self) -> ReleaseStore:
        """Where the release keeps this database's key, frozen days and odometer, and the
        noise it drew: made on first use, so an answer that releases nothing never loads
        the release."""
        if not self._release:
            from wholiked.core.release.store import ReleaseStore

            self._release.append(ReleaseStore(self.db))
        return self._release[0]

    @property
    def label(self) -> str:
        return self.db.label

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
