"""A dialog listing accounts for one action on each (follow requests, blocked accounts).

The list is read in a thread worker and reloads with the app's generation (a change,
or a switch of acting user), so it never shows an account the action was already
taken on. A subclass names its widgets' prefix, how to read the list and how to word
it; the action itself runs through the app like every other change.
"""

from dataclasses import dataclass, field

from textual import work
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static

from wholiked.core.answers.wording import error_line
from wholiked.core.service import User, Wholiked
from wholiked.tui import text
from wholiked.tui.read_only import shown_keys
from wholiked.tui.screens.user_picker import user_option
from wholiked.tui.widgets.app_state import app_state

LIST_LIMIT = 200


class UserListScreen(ModalScreen[None]):
    """Accounts to act on, one per row; a subclass fills in what they are."""

    PREFIX = "users"
    """Widget ids are PREFIX, PREFIX-title, -note, -options and -status."""

    @dataclass
    class Loaded(Message):
        generation: int
        users: list[User] = field(default_factory=list)
        error: str = ""

    def __init__(self) -> None:
        super().__init__()
        self._users: dict[str, User] = {}

    # --- what a subclass says ---------------------------------------------------------------

    def heading(self, acting: User) -> Content:
        raise NotImplementedError

    def note_for(self, acting: User) -> str:
        raise NotImplementedError

    def fetch(self, service: Wholiked, acting: User) -> list[User]:
        raise NotImplementedError

    def status_for(self, count: int) -> str:
        raise NotImplementedError

    # --- the list ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id=self.PREFIX):
            yield Static(id=f"{self.PREFIX}-title")
            yield Static(id=f"{self.PREFIX}-note")
            yield OptionList(id=f"{self.PREFIX}-options")
            yield Static(id=f"{self.PREFIX}-status")
        yield Footer()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys the footer shows: on a read-only file, not those that change it."""
        return shown_keys(self, super().active_bindings)

    @property
    def options(self) -> OptionList:
        return self.query_one(f"#{self.PREFIX}-options", OptionList)

    def highlighted_user(self) -> User | None:
        option = self.options.highlighted_option
        return None if option is None else self._users.get(option.id or "")

    def on_mount(self) -> None:
        self.options.focus()
        self.watch(self.app, "generation", self._reload, init=False)
        self._reload()

    def _reload(self, _generation: int | None = None) -> None:
        state = app_state(self)
        acting = state.acting
        self.query_one(f"#{self.PREFIX}-title", Static).update(self.heading(acting))
        self.query_one(f"#{self.PREFIX}-note", Static).update(text.content(self.note_for(acting)))
        self.options.loading = True
        self._load(state.service, acting, state.generation)

    @work(thread=True, exclusive=True, group="user-list", exit_on_error=False)
    def _load(self, service: Wholiked, acting: User, generation: int) -> None:
        try:
            users = self.fetch(service, acting)
        except Exception as exc:  # shown in the dialog, never a crash
            self.post_message(self.Loaded(generation, error=error_line(exc, service.label)))
            return
        self.post_message(self.Loaded(generation, users))

    def on_user_list_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        state = app_state(self)
        if message.generation != state.generation:
            return  # changed since: a newer load is on its way
        options = self.options
        options.loading = False
        was = options.highlighted
        self._users = {str(u.id): u for u in message.users}
        options.set_options(user_option(u, state.acting) for u in message.users)
        if message.users:
            options.highlighted = min(was or 0, len(message.users) - 1)
        shown = message.error or self.status_for(len(message.users))
        self.query_one(f"#{self.PREFIX}-status", Static).update(text.content(shown))
        self.refresh_bindings()

    def action_close(self) -> None:
        self.dismiss(None)
