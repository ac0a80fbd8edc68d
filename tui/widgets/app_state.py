"""What widgets and screens read from the app: the service and the acting user.

A Protocol, so widgets need not import the App class (no import cycle).
"""

from typing import Protocol, cast

from textual.dom import DOMNode

from core.service import User, Wholiked


class AppState(Protocol):
    service: Wholiked
    acting: User
    video_id: int | None

    def action_perspective(self, mode: str) -> None: ...


def app_state(node: DOMNode) -> AppState:
    """The running WholikedApp, seen through the attributes widgets may read."""
    return cast(AppState, node.app)
