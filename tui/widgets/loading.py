"""A loading indicator that appears only when a load is slow.

Most loads take a few milliseconds: mounting an indicator for each (every
reload after an action covers several panels) makes the screen flicker and
costs more than the load. The indicator shows after LOADING_DELAY seconds if
the load is still running. Until then a reloading panel keeps what it showed
(its owner swaps the new data in when it arrives), so a switch of user never
flashes empty panels, and an older state is never on screen for longer than
LOADING_DELAY: the indicator covers it.
"""

from typing import TYPE_CHECKING

from textual.timer import Timer

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object

LOADING_DELAY = 0.25


class LoadsSoon(_Base):
    """Mixin for a Widget that loads in a worker: `loading_soon()` when asking, `loaded()` after.

    A plain mixin (not a Widget subclass), so it does not disturb the widget's
    CSS type names or component classes.
    """

    _loading_timer: Timer | None = None

    def loading_soon(self) -> None:
        self.loaded()
        self._loading_timer = self.set_timer(LOADING_DELAY, self._loading_now)

    def _loading_now(self) -> None:
        if self._loading_timer is None:
            return  # a tick that was already due when loaded() stopped the timer: too late
        self._loading_timer = None
        self.loading = True

    def loaded(self) -> None:
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        self.loading = False
