"""Switch the acting user: type to filter handles and display names, Enter to act as them.

The service answers each filter (prefix on handles, then display names
containing the text) with at most PICKER_LIMIT users, in a thread worker; an
answer for text the user has since changed, or asked before the data changed
(an action finished), is dropped. The chosen user is read again by the app.
"""

from dataclasses import dataclass, field

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wholiked.core.answers.wording import badges, error_line
from wholiked.core.service import User, Wholiked
from wholiked.tui import text
from wholiked.tui.widgets.app_state import app_state

PICKER_LIMIT = 50


def user_option(user: User, acting: User) -> Option:
    return Option(
        text.styled(
            "[b]$handle[/b]  $name  [dim]·[/dim] $badges$now",
            handle=text.handle(user.handle),
            name=text.clean(user.display_name, limit=30),
            badges=badges(user),
            now="  (acting now)" if user.id == acting.id else "",
        ),
        id=str(user.id),
    )


class UserPicker(ModalScreen[User | None]):
    """A dialog that returns the chosen user, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker-cancel"),
        Binding("enter", "choose", "Act as", id="picker-choose", priority=True),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    @dataclass
    class Results(Message):
        generation: int
        query: str
        users: list[User] = field(default_factory=list)
        error: str = ""

    def __init__(self, service: Wholiked, acting: User) -> None:
        super().__init__()
        self.service = service
        self.acting = acting
        self._users: dict[str, User] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(
                text.styled(
                    "[b]Act as…[/b]  type to filter by handle or display name;"
                    " Enter switches, Esc cancels"
                ),
                id="picker-title",
            )
            yield Input(placeholder="handle or display name", id="picker-filter")
            yield OptionList(id="picker-options")
            yield Static(id="picker-status")
        yield Footer()

    @property
    def options(self) -> OptionList:
        return self.query_one("#picker-options", OptionList)

    @property
    def filter_text(self) -> str:
        return self.query_one("#picker-filter", Input).value

    def on_mount(self) -> None:
        self.query_one("#picker-filter", Input).focus()
        self.watch(self.app, "generation", self._data_changed, init=False)
        self._search("")

    def _data_changed(self, _generation: int) -> None:
        self.acting = app_state(self).acting
        self._search(self.filter_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, query: str) -> None:
        self.options.loading = True
        self._run_search(query, app_state(self).generation)

    @work(thread=True, exclusive=True, group="picker-search", exit_on_error=False)
    def _run_search(self, query: str, generation: int) -> None:
        try:
            users = self.service.search_users(query, limit=PICKER_LIMIT)
        except Exception as exc:
            error = error_line(exc, self.service.label)
            self.post_message(self.Results(generation, query, error=error))
            return
        self.post_message(self.Results(generation, query, users))

    def on_user_picker_results(self, message: Results) -> None:
        message.stop()
        if message.query != self.filter_text or message.generation != app_state(self).generation:
            return  # the filter or the data changed while this ran
        options = self.options
        options.loading = False
        self._users = {str(u.id): u for u in message.users}
        options.set_options(user_option(u, self.acting) for u in message.users)
        if message.users:
            options.highlighted = 0
        status = self.query_one("#picker-status", Static)
        if message.error:
            status.update(text.content(message.error))
        elif not message.users:
            status.update(text.content("No user matches."))
        elif len(message.users) >= PICKER_LIMIT:
            status.update(text.content(f"First {PICKER_LIMIT} matches shown; type more to narrow."))
        else:
            n = len(message.users)
            status.update(text.content(f"{n} match{'es' if n != 1 else ''}."))

    def action_move(self, step: int) -> None:
        options = self.options
        if options.option_count == 0:
            return
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_choose(self) -> None:
        option = self.options.highlighted_option
        if option is not None and option.id in self._users:
            self.dismiss(self._users[option.id])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in self._users:
            self.dismiss(self._users[event.option.id])

    def action_cancel(self) -> None:
        self.dismiss(None)
