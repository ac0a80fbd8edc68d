"""The app keeps up with other programs writing its file, and checks a large one.

Other programs write the same file (Datasette, sqlite-utils, the sqlite3 shell,
another wholiked). Every `POLL_SECONDS` the app asks the database, cheaply and
without waiting for locks, whether another program committed a change (SQLite's
data_version) or replaced the file (a new inode at the path: `wholiked reset`);
then it reopens the file if needed and reloads every view through the same path
as after its own actions (`_reload_everything`), with a notice. A large file
nobody has checked yet is checked row by row in a background worker, one check at
a time; a notice names the first row that breaks the format.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from wholiked.core.errors import BadInput
from wholiked.core.service import OutsideChange, User
from wholiked.tui import text

if TYPE_CHECKING:
    from textual.app import App

    from wholiked.core.service import Wholiked

    _App = App[None]
else:
    _App = object


class FileWatch(_App):
    """Mixed into the App (an App to the type checker): needs `service`, `acting`, `_error`
    and `_reload_everything`."""

    if TYPE_CHECKING:
        service: Wholiked
        acting: User

        def _error(self, exc: BaseException) -> str: ...
        def _reload_everything(self, fresh: User | None) -> None: ...

    POLL_SECONDS = 1.0
    """How often the app looks for other programs' changes to the file."""

    CHANGED_OUTSIDE = "The database changed outside wholiked; refreshed"
    REPLACED = "The database file was replaced; reopened and refreshed"

    @dataclass
    class OutsideChange(Message):
        """The file changed outside wholiked (or was replaced and reopened): the acting user
        read again (the default user if they are gone), or the error that stopped it."""

        replaced: bool
        fresh: User | None
        error: str

    @dataclass
    class RowsChecked(Message):
        """The background check of every row ended: the problem found, or '' when valid."""

        problem: str

    @dataclass
    class Reopened(Message):
        """The file was reopened writable (error '') or could not be; the actor read again."""

        fresh: User | None
        error: str

    def start_watching(self) -> None:
        self._reopening = False
        self._checking = False
        self._check_again = False

    def watch_the_file(self) -> None:
        """Start polling (call on mount) and the background check if the file needs one."""
        self.set_interval(self.POLL_SECONDS, self.look_for_outside_changes)
        self._check_rows_if_needed()

    def look_for_outside_changes(self) -> None:
        """Reopen a replaced file, refresh after another program's write (cheap; no locks)."""
        if self._reopening:
            return
        try:
            change = self.service.outside_change()
        except Exception:  # the file vanished or cannot be read right now: look again later
            return
        if change is not None:
            self._reopening = True
            self._after_outside_change(change == OutsideChange.REPLACED, self.acting)

    @work(thread=True, exclusive=True, group="outside", exit_on_error=False)
    def _after_outside_change(self, replaced: bool, actor: User) -> None:
        fresh, error = None, ""
        try:
            if replaced:
                self.service.reopen()
            else:
                self.service.catch_up()
            try:
                fresh = self.service.user_by_id(actor.id)
            except BadInput:  # the acting user is gone from the new file
                fresh = self.service.default_user()
        except Exception as exc:  # a readable line, never a crash
            error = self._error(exc)
        self.post_message(self.OutsideChange(replaced, fresh, error))

    def on_file_watch_outside_change(self, message: OutsideChange) -> None:
        self._reopening = False
        if message.fresh is None:
            title = "Could not reopen the database" if message.replaced else "Could not refresh"
            self.notify(text.clean(message.error), title=title, severity="error", markup=False)
            return
        self.notify(self.REPLACED if message.replaced else self.CHANGED_OUTSIDE, markup=False)
        self._reload_everything(message.fresh)
        self._check_rows_if_needed()

    def action_reopen_writable(self) -> None:
        """Open the same file again, writable (W, the palette): as if --write was given."""
        if self.service.writable:
            self.notify(f"{text.clean(self.service.file_name)} is writable already.", markup=False)
            return
        if not self._reopening:
            self._reopening = True
            self._reopen_writable(self.acting)

    @work(thread=True, exclusive=True, group="outside", exit_on_error=False)
    def _reopen_writable(self, actor: User) -> None:
        fresh, error = None, ""
        try:
            self.service.reopen_writable()
        except Exception as exc:  # a readable line, never a crash
            error = self._error(exc)
        try:
            fresh = self.service.user_by_id(actor.id)
        except Exception:
            fresh = None
        self.post_message(self.Reopened(fresh, error))

    def on_file_watch_reopened(self, message: Reopened) -> None:
        self._reopening = False
        name = text.clean(self.service.file_name)
        if message.error:
            self.notify(
                text.clean(message.error),
                title=f"{name} is still read-only",
                severity="error",
                markup=False,
            )
        else:
            self.notify(f"{name} is open writable now: your changes are saved to it.", markup=False)
        self._reload_everything(message.fresh)
        self.refresh_bindings()

    def _check_rows_if_needed(self) -> None:
        """Start the full check in the background, one at a time (after another program's
        write during a check, the next one starts when it ends)."""
        if self.service.rows_checked:
            return
        if self._checking:
            self._check_again = True
            return
        self._checking, self._check_again = True, False
        self._check_rows()

    @work(thread=True, group="check", exit_on_error=False)
    def _check_rows(self) -> None:
        problem = ""
        try:
            self.service.check_every_row()
        except Exception as exc:
            problem = self._error(exc)
        self.post_message(self.RowsChecked(problem))

    def on_file_watch_rows_checked(self, message: RowsChecked) -> None:
        self._checking = False
        if self._check_again:  # the file changed while it ran: that result is stale
            self._check_rows_if_needed()
            return
        if message.problem:
            self.notify(
                text.clean(message.problem),
                title="This file breaks the format: answers may be wrong",
                severity="error",
                timeout=30,
                markup=False,
            )
