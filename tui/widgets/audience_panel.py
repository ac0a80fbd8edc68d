"""'Who can see my like': for the acting user and a video, given or potential (rule 6).

The panel draws what the video detail fetched for it (in the same worker as the
first likers page), so the two change on screen together.
"""

from typing import Any

from textual import events
from textual.widgets import Static

from wholiked.core.answers.wording import EXPOSED_WARNING, audience_lines, error_line
from wholiked.core.service import Audience
from wholiked.tui import text
from wholiked.tui.widgets.app_state import app_state


class AudiencePanel(Static):
    """Whether the creator can see the acting user's like, why, and how many others can."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.audience: Audience | None = None

    def put(self, audience: Audience | Exception | None) -> None:
        """Show an audience, the error that stopped it, or nothing (None)."""
        self.audience = audience if isinstance(audience, Audience) else None
        if audience is None:
            self.update("")
            return
        if isinstance(audience, Exception):
            error = error_line(audience, app_state(self).service.label)
            self.update(text.styled("[b]Who can see my like:[/b] $error", error=error))
            return
        a = audience
        first, second = audience_lines(
            creator=a.video.creator_handle,
            liked=a.liked,
            creator_can_see=a.creator_can_see,
            reason=a.reason,
            audience=a.audience,
            count=a.audience_at_most,
        )
        if a.effectively_identifiable:
            second += "\n" + EXPOSED_WARNING
        if a.reason != "self":
            liker = app_state(self).acting
            second += "\nF lists them." if liker.is_private else "\nF lists your followers."
        self.update(
            text.styled("[b]Who can see my like:[/b] $first\n$second", first=first, second=second)
        )

    async def on_click(self, _event: events.Click) -> None:
        """The people 'who can see my like' means: the followers (People)."""
        if self.audience is not None:
            await self.app.run_action("app.people('followers')")
