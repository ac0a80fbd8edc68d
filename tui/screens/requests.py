"""Answer the follow requests to the acting user: a approves, d declines, Esc closes.

The list comes from `service.pending_requests`; an answer runs through the app like
every other change, and the list reloads with the app's generation, so it never shows
a request that was already answered.
"""

from textual.binding import Binding
from textual.content import Content

from wholiked.core.answers.wording import plural
from wholiked.core.service import User, Wholiked
from wholiked.tui import changes, text
from wholiked.tui.screens.user_list import LIST_LIMIT, UserListScreen
from wholiked.tui.widgets.app_state import app_state

REQUESTS_LIMIT = LIST_LIMIT


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


class RequestsScreen(UserListScreen):
    """The pending follow requests to the acting user, newest first."""

    PREFIX = "requests"
    BINDINGS = [
        Binding("a", "answer(True)", "Approve", id="request-approve"),
        Binding("d", "answer(False)", "Decline", id="request-decline"),
        Binding("escape,r", "close", "Close", id="requests-close"),
    ]

    def heading(self, acting: User) -> Content:
        return text.styled(
            "[b]Follow requests to $handle[/b] ($privacy account)",
            handle=text.handle(acting.handle),
            privacy="private" if acting.is_private else "public",
        )

    def note_for(self, acting: User) -> str:
        return requests_note(acting)

    def fetch(self, service: Wholiked, acting: User) -> list[User]:
        return service.pending_requests(acting, limit=REQUESTS_LIMIT)

    def status_for(self, count: int) -> str:
        if count == 0:
            return "No pending follow requests."
        more = f" (the newest {REQUESTS_LIMIT} shown)" if count >= REQUESTS_LIMIT else ""
        return f"{plural(count, 'pending request')}{more}, newest first."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return True if self.options.highlighted_option is not None else None
        return True

    def action_answer(self, approve: bool) -> None:
        if (user := self.highlighted_user()) is not None:
            app_state(self).run_change(changes.answer_request(user.id, approve=approve))
