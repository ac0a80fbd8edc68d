"""What widgets and screens read from the app: the service, the acting user, the generation.

A Protocol, so widgets need not import the App class (no import cycle).
"""

from typing import TYPE_CHECKING, Protocol, cast

from textual.dom import DOMNode

from wholiked.core.service import User, Wholiked

if TYPE_CHECKING:
    from wholiked.tui.changes import Change


class AppState(Protocol):
    service: Wholiked
    acting: User
    rules: str
    """The name of the preset the session answers under (`service.rules`)."""
    video_id: int | None
    generation: int
    """Bumped on every change of the acting user or the rules and after every action: views
    reload."""

    def action_perspective(self, mode: str) -> None: ...

    def act_as(self, user_id: int) -> None: ...

    def run_change(self, change: "Change") -> None: ...

    def act_on(self, verb: str, user_id: int) -> None: ...

    def targets_changed(self) -> None: ...


def app_state(node: DOMNode) -> AppState:
    """The running WholikedApp, seen through the attributes widgets may read."""
    return cast(AppState, node.app)
