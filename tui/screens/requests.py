"""Answer the follow requests to the acting user: a approves, d declines, Esc closes.

The list comes from `service.pending_requests` in a thread worker; an answer
runs through the app like every other change, and the list reloads with the
app's generation (an answer or a switch of acting user), so it never shows a
request that was already answered.
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

REQUESTS_LIMIT = 200


def requests_note(acting: User) -> str:
    """What answering does, for this account."""
    if acting.is_private:
        return (
            "Approving makes them an approved follower: they can then see your videos and"
            " identify your likes. Declining removes the request."
        )
    return (
        "Your account is public: new followers are approved at once (going public approves"
        " every pending request), so there is usually nothing to answer here."
    )


class RequestsScreen(ModalScreen[None]):
    """The pending follow requests to the acting user, newest first."""

    BINDINGS = [
        Binding("a", "answer(True)", "Approve", id="request-approve"),
        Binding("d", "answer(False)", "Decline", id="request-decline"),
        Binding("escape,r", "close", "Close", id="requests-close"),
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
        with Vertical(id="requests"):
            yield Static(id="requests-title")
            yield Static(id="requests-note")
            yield OptionList(id="requests-options")
            yield Static(id="requests-status")
        yield Footer()

    @property
    def options(self) -> OptionList:
        return self.query_one("#requests-options", OptionList)

    def on_mount(self) -> None:
        self.options.focus()
        self.watch(self.app, "generation", self._reload, init=False)
        self._reload()

    def _reload(self, _generation: int | None = None) -> None:
        state = app_state(self)
        acting = state.acting
        self.query_one("#requests-title", Static).update(
            text.styled(
                "[b]Follow requests to $handle[/b] ($privacy account)",
                handle=text.handle(acting.handle),
                privacy="private" if acting.is_private else "public",
            )
        )
        self.query_one("#requests-note", Static).update(text.content(requests_note(acting)))
        self.options.loading = True
        self._load(state.service, acting, state.generation)

    @work(thread=True, exclusive=True, group="requests", exit_on_error=False)
    def _load(self, service: Wholiked, acting: User, generation: int) -> None:
        try:
            users = service.pending_requests(acting, limit=REQUESTS_LIMIT)
        except Exception as exc:  # shown in the dialog, never a crash
            self.post_message(self.Loaded(generation, error=error_line(exc, service.label)))
            return
        self.post_message(self.Loaded(generation, users))

    def on_requests_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        state = app_state(self)
        if message.generation != state.generation:
            return  # answered or switched user since: a newer load is on its way
        options = self.options
        options.loading = False
        was = options.highlighted
        self._users = {str(u.id): u for u in message.users}
        options.set_options(user_option(u, state.acting) for u in message.users)
        if message.users:
            options.highlighted = min(was or 0, len(message.users) - 1)
        self.query_one("#requests-status", Static).update(text.content(self._status(message)))
        self.refresh_bindings()

    @staticmethod
    def _status(message: Loaded) -> str:
        if message.error:
            return message.error
        n = len(message.users)
        if n == 0:
            return "No pending follow requests."
        more = f" (the newest {REQUESTS_LIMIT} shown)" if n >= REQUESTS_LIMIT else ""
        return f"{plural(n, 'pending request')}{more}, newest first."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return True if self.options.highlighted_option is not None else None
        return True

    def action_answer(self, approve: bool) -> None:
        option = self.options.highlighted_option
        if option is None or option.id not in self._users:
            return
        user = self._users[option.id]
        app_state(self).run_change(changes.answer_request(user.id, approve=approve))

    def action_close(self) -> None:
        self.dismiss(None)
