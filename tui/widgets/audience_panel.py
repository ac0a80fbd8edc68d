"""'Who can see my like': for the acting user and a video, given or potential (rule 6)."""

from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widgets import Static

from wholiked.core.answers.wording import EXPOSED_WARNING, audience_lines, error_line
from wholiked.core.service import Audience, User, Wholiked
from wholiked.tui import text
from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.loading import LoadsSoon


class AudiencePanel(LoadsSoon, Static):
    """Whether the creator can see the acting user's like, why, and how many others can."""

    @dataclass
    class Ready(Message):
        token: int
        audience: Audience | None
        error: Exception | None

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._token = 0
        self.audience: Audience | None = None

    def show(self, video_id: int | None) -> None:
        self._token += 1
        self.audience = None
        self.update("")
        if video_id is None:
            self.loaded()
            return
        state = app_state(self)
        self.loading_soon()
        self._fetch(state.service, state.acting, video_id, self._token)

    @work(thread=True, exclusive=True, group="audience", exit_on_error=False)
    def _fetch(self, service: Wholiked, acting: User, video_id: int, token: int) -> None:
        try:
            result = service.audience(video_id, acting)
        except Exception as exc:
            self.post_message(self.Ready(token, None, exc))
            return
        self.post_message(self.Ready(token, result, None))

    def on_audience_panel_ready(self, message: Ready) -> None:
        message.stop()
        if message.token != self._token:
            return  # another video or another acting user since
        self.loaded()
        if message.error is not None:
            error = error_line(message.error, app_state(self).service.label)
            self.update(text.styled("[b]Who can see my like:[/b] $error", error=error))
            return
        a = message.audience
        assert a is not None
        self.audience = a
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
        self.update(
            text.styled("[b]Who can see my like:[/b] $first\n$second", first=first, second=second)
        )
