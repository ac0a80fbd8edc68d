"""Engagement tips for the acting user: creator tips in the studio, viewer tips in the feed.

Folded, the panel is one line ("t shows your creator tips", or their titles once
computed); t unfolds it into every tip's title and detail. Tips come from
`Wholiked.tips`, asked for this panel's perspective only, in a thread worker,
computed only while the panel is unfolded (for a creator with millions of likes
they take seconds, and must not slow the panels that are always visible), again
after every action and user switch; a result asked for an older state (the token)
is dropped. Unfolded tips stay on screen until the new ones are in (covered by the
loading indicator if that takes long); folded, the line is redrawn at once. A
tip's detail may quote captions, sounds and hashtags: untrusted text, shown
through `tui.text`.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual import work
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from wholiked.core.answers.wording import error_line, plural
from wholiked.core.service import Tip, User, Wholiked
from wholiked.tui import text
from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.loading import LoadsSoon

if TYPE_CHECKING:
    from wholiked.core.service import Perspective

WHOSE = {"creator": "creator tips", "viewer": "viewer tips"}
INDENT = "  "


class TipsPanel(LoadsSoon, Static):
    """The tips of one perspective ('creator' or 'viewer'), folded or unfolded."""

    @dataclass
    class Ready(Message):
        token: int
        found: list[Tip] = field(default_factory=list)
        error: str = ""

    def __init__(self, perspective: "Perspective", **kwargs: Any) -> None:
        super().__init__("", classes="-folded", **kwargs)
        self.perspective = perspective
        self.unfolded = False
        self.found: list[Tip] | None = None
        self.error = ""
        self._token = 0

    def toggle(self) -> bool:
        """Fold or unfold; True when now unfolded."""
        self.loaded()
        self.unfolded = not self.unfolded
        self.set_class(not self.unfolded, "-folded")
        if self.unfolded and self.found is None and not self.error:
            self._start()
        self._draw()
        return self.unfolded

    def reload(self) -> None:
        """Forget the tips (the acting user or the data changed); recompute if unfolded."""
        self._token += 1
        shown = self.found is not None or bool(self.error)
        self.found = None
        self.error = ""
        if self.unfolded:
            self._start()
            if shown:
                self.loading_soon()  # the tips shown stay until the new ones replace them
                return
        self._draw()

    def _start(self) -> None:
        state = app_state(self)
        self._compute(state.service, state.acting, self._token)

    @work(thread=True, exclusive=True, group="tips", exit_on_error=False)
    def _compute(self, service: Wholiked, acting: User, token: int) -> None:
        try:
            found = service.tips(acting, perspective=self.perspective)
        except Exception as exc:  # a readable line, never a crash
            self.post_message(self.Ready(token, error=error_line(exc, service.label)))
            return
        self.post_message(self.Ready(token, found))

    def on_tips_panel_ready(self, message: Ready) -> None:
        message.stop()
        if message.token != self._token:
            return  # computed for another acting user or an older state
        self.loaded()
        self.found = message.found
        self.error = message.error
        self._draw()

    def _draw(self) -> None:
        whose = WHOSE.get(self.perspective, "tips")
        if self.error:
            self.update(text.styled("[b]Tips:[/b] $error", error=self.error))
            return
        if self.found is None:
            if self.unfolded:
                self.update(text.content(f"Computing your {whose}…"))
            else:
                self.update(text.styled("[b]t[/b] shows your $whose", whose=whose))
            return
        handle = text.handle(app_state(self).acting.handle)
        if not self.found:
            self.update(text.content(f"No {whose} apply to {handle} now."))
            return
        count = plural(len(self.found), whose[:-1], whose)
        if not self.unfolded:
            titles = " · ".join(text.clean(t.title) for t in self.found)
            self.update(
                text.styled(
                    "[b]$count for $handle[/b] (t shows them): $titles",
                    count=count,
                    handle=handle,
                    titles=titles,
                )
            )
            return
        parts: list[Content] = [
            text.styled("[b]$count for $handle[/b] (t folds them)", count=count, handle=handle)
        ]
        for tip in self.found:
            parts.append(text.styled("[b]• $title[/b]", title=tip.title))
            parts.append(self._indented(tip.detail))
        self.update(text.lines(*parts))

    def _indented(self, detail: str) -> Content:
        """A tip's detail wrapped to the panel with every line indented under its title (the
        terminal would start the wrapped lines at the margin); redrawn on resize."""
        width = self.size.width or self.app.size.width - 4
        lines = text.content(detail).wrap(max(width - len(INDENT), 20))
        return Content("\n").join(Content(INDENT) + line for line in lines)

    def on_resize(self) -> None:
        if self.unfolded and self.found:
            self._draw()
