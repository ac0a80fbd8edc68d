"""The footer of the perspectives: compact below 100 columns, so six keys, "q Quit" and the
palette's "^p" fit on one line at 80×24.

Textual's Footer rebuilds all its keys (unmount, mount, restyle) on every bindings
signal, and one user switch or reload sends several (focus moves, the keys that apply
change): each rebuild costs ~10 ms of layout on the UI thread. This one rebuilds once
per refresh at most, and only when the keys it would show differ from those shown.
"""

from collections.abc import Hashable
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

COMPACT_BELOW = 100


class KeysFooter(Footer):
    """Textual's Footer, compact in a narrow terminal, rebuilt only when its keys change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._composed: Hashable = None
        self._rebuild_queued = False

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW

    def _shown_keys(self) -> Hashable:
        """What `compose` would draw: each shown binding with its state (None: not ready)."""
        if not self._bindings_ready:
            return None
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, active.binding, active.enabled, active.tooltip)
            for key, active in self.screen.active_bindings.items()
            if active.binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        self._composed = self._shown_keys()
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_queued:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        if self.is_attached and self._shown_keys() != self._composed:
            await self.recompose()
