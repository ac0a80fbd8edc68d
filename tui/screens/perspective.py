"""What a perspective screen shares: reloading when the data changes, and what its keys act on."""

from dataclasses import dataclass

from textual.binding import ActiveBinding
from textual.screen import Screen

from wholiked.core.service import VideoSummary
from wholiked.tui.read_only import shown_keys

WIDE = 140
"""Terminal columns from which the app is "-wide" (App.HORIZONTAL_BREAKPOINTS)."""


@dataclass(frozen=True)
class Targets:
    """The selected video (with whether the acting user liked it) and the person f and b act on."""

    video: VideoSummary | None = None
    person: int | None = None


class PerspectiveScreen(Screen[None]):
    """A top-level perspective (a mode) that reloads when the app's data changes.

    The perspective on screen (alone or behind a dialog) reloads at once; one of
    another mode is marked stale and reloads when it is shown again, so no
    perspective ever shows an older state, and hidden ones cost nothing.
    """

    def __init__(self) -> None:
        super().__init__()
        self._stale = False

    def targets(self) -> Targets:
        return Targets()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys the footer shows: on a read-only file, not those that change it."""
        return shown_keys(self, super().active_bindings)

    def reload_data(self) -> None:
        """Load everything again for the current acting user and data."""
        raise NotImplementedError

    @property
    def on_view(self) -> bool:
        """On screen now: the current mode's screen, possibly under a dialog."""
        return self in self.app.screen_stack

    def data_changed(self, _value: object = None) -> None:
        if self.on_view:
            self._stale = False
            self.reload_data()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.reload_data()
