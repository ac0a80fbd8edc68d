"""The accounts the acting user has blocked: x (or Enter) unblocks, Esc closes.

Unblocking runs through the app like every other change, and the list reloads
with the app's generation. Follows a block removed stay removed: the note says so.
"""

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList

from wholiked.core.answers.wording import plural
from wholiked.core.service import User, Wholiked
from wholiked.tui import changes, text
from wholiked.tui.screens.user_list import LIST_LIMIT, UserListScreen
from wholiked.tui.widgets.app_state import app_state

BLOCKED_LIMIT = LIST_LIMIT
NOTE = (
    "Neither of you sees the other's videos or likes while a block lasts. Unblocking lets"
    " you see each other again; the follows the block removed stay removed."
)


class BlockedScreen(UserListScreen):
    """The accounts you blocked, most recent block first."""

    PREFIX = "blocked"
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

    def heading(self, acting: User) -> Content:
        return text.styled("[b]Accounts $handle blocked[/b]", handle=text.handle(acting.handle))

    def note_for(self, acting: User) -> str:
        return NOTE

    def fetch(self, service: Wholiked, acting: User) -> list[User]:
        return service.blocked_accounts(acting, limit=BLOCKED_LIMIT)

    def status_for(self, count: int) -> str:
        if count == 0:
            return "You have not blocked anyone."
        more = f" (the latest {BLOCKED_LIMIT} shown)" if count >= BLOCKED_LIMIT else ""
        return f"{plural(count, 'blocked account')}{more}, latest block first. x unblocks."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unblock":
            return True if self.options.highlighted_option is not None else None
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_unblock()

    def action_unblock(self) -> None:
        if (user := self.highlighted_user()) is not None:
            app_state(self).run_change(changes.on_user("unblock", user.id))
