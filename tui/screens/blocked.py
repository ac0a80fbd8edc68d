"""The accounts the acting user has blocked: x (or Enter) unblocks, Esc closes.

Unblocking runs through the app like every other change, and the list reloads
with the app's generation. Follows a block removed stay removed: the note says so.
"""

from dataclasses import dataclass, field

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static

from wholiked.core.answers.wording import error_line, plural
from wholiked.core.service import User, Wholiked
from wholiked.tui import changes, text
from wholiked.tui.screens.user_picker import user_option
from wholiked.tui.widgets.app_state import app_state

BLOCKED_LIMIT = 200
NOTE = (
    "Neither of you sees the other's videos or likes while a block lasts. Unblocking lets"
    " you see each other again; the follows the block removed stay removed."
)


class BlockedScreen(ModalScreen[None]):
    """The accounts you blocked, most recent block first."""

    DEFAULT_CSS = """
    BlockedScreen {
        align: center middle;
    }
    #blocked {
        width: 80%;
        max-width: 90;
        height: 70%;
        min-height: 12;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    #blocked-title, #blocked-note, #blocked-status {
        height: auto;
    }
    #blocked-note {
        color: $text-muted;
        margin-bottom: 1;
    }
    #blocked-options {
        height: 1fr;
        min-height: 3;
    }
    """

    BINDINGS = [
        Binding("x", "unblock", "Unblock", id="blocked-unblock"),
        Binding("escape,B", "close", "Close", id="blocked-close"),
    ]

    @dataclass
    class Loaded(Message):
        generation: int
        users: list[User] = field(default_factory=list)
        error: str = ""

    def __init__(self) -> None:
        super().__init__()
        self._users: dict[str, User] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="blocked"):
            yield Static(id="blocked-title")
            yield Static(text.content(NOTE), id="blocked-note")
            yield OptionList(id="blocked-options")
            yield Static(id="blocked-status")
        yield Footer()

    @property
    def options(self) -> OptionList:
        return self.query_one("#blocked-options", OptionList)

    def on_mount(self) -> None:
        self.options.focus()
        self.watch(self.app, "generation", self._reload, init=False)
        self._reload()

    def _reload(self, _generation: int | None = None) -> None:
        state = app_state(self)
        self.query_one("#blocked-title", Static).update(
            text.styled("[b]Accounts $handle blocked[/b]", handle=text.handle(state.acting.handle))
        )
        self.options.loading = True
        self._load(state.service, state.acting, state.generation)

    @work(thread=True, exclusive=True, group="blocked", exit_on_error=False)
    def _load(self, service: Wholiked, acting: User, generation: int) -> None:
        try:
            users = service.blocked_accounts(acting, limit=BLOCKED_LIMIT)
        except Exception as exc:  # shown in the dialog, never a crash
            self.post_message(self.Loaded(generation, error=error_line(exc, service.label)))
            return
        self.post_message(self.Loaded(generation, users))

    def on_blocked_screen_loaded(self, message: Loaded) -> None:
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
        self.query_one("#blocked-status", Static).update(text.content(self._status(message)))
        self.refresh_bindings()

    @staticmethod
    def _status(message: Loaded) -> str:
        if message.error:
            return message.error
        n = len(message.users)
        if n == 0:
            return "You have not blocked anyone."
        more = f" (the latest {BLOCKED_LIMIT} shown)" if n >= BLOCKED_LIMIT else ""
        return f"{plural(n, 'blocked account')}{more}, latest block first. x unblocks."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unblock":
            return True if self.options.highlighted_option is not None else None
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_unblock()

    def action_unblock(self) -> None:
        option = self.options.highlighted_option
        if option is None or option.id not in self._users:
            return
        user = self._users[option.id]
        app_state(self).run_change(changes.on_user("unblock", user.id))

    def action_close(self) -> None:
        self.dismiss(None)
