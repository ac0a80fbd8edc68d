"""The footer of the perspectives: compact below 100 columns, so six keys, "q Quit" and the
palette's "^p" fit on one line at 80×24.

Textual's Footer rebuilds all its keys (unmount, mount, restyle) on every bindings
signal, and one user switch or reload sends several (focus moves, the keys that apply
change): each rebuild costs ~10 ms of layout on the UI thread, in a frame of its own.
This one does nothing when the keys it would show are those shown; when only their words
changed (switching to a private user: "Go private" becomes "Go public") it updates the
keys in place at once, in the frame that changed them; otherwise it rebuilds them once
after the refresh, as Textual's does.
"""

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

COMPACT_BELOW = 100

Shown = tuple[tuple[str, Binding, bool, str], ...]
"""Each shown key with its binding, whether enabled, and its tooltip."""


class KeysFooter(Footer):
    """Textual's Footer, compact in a narrow terminal, rebuilt only when its keys change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._composed: Shown | None = None
        self._rebuild_queued = False

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW

    def _shown_keys(self) -> Shown | None:
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

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and screen is self.screen:
            self.refresh_keys()

    def refresh_keys(self) -> None:
        """Bring the keys shown up to date: now if only their words changed, else after the
        refresh. Textual signals a change of bindings a callback later; the owner of a
        change may call this in the same frame. A screen on its way out or in (a switch
        of mode) is looked at after the refresh, when its bindings can be read."""
        if not self.is_attached or self._rebuild_queued:
            return
        if not self.screen.is_current or not self._up_to_date():
            self._rebuild_queued = True
            # Through the footer's own queue: Footer.compose binds to the active message pump.
            self.call_later(self.call_after_refresh, self._rebuild)

    def _up_to_date(self) -> bool:
        """True when the keys shown are those to show, relabelled in place if need be."""
        if self._composed is None:
            return False
        shown = self._shown_keys()
        if shown == self._composed:
            return True
        if self._relabel():
            self._composed = shown
            return True
        return False

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        if self.is_attached and not self._up_to_date():
            await self.recompose()

    def _relabel(self) -> bool:
        """Give the keys shown their new words and actions, when the same keys are shown in
        the same order with the same state; False (nothing changed) otherwise."""
        palette = self.app.COMMAND_PALETTE_BINDING
        wanted: dict[str, tuple[Any, str]] = {}  # one key per action, as Footer.compose
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == palette and self._composed is not None:
                if (key, binding, active.enabled, active.tooltip) not in self._composed:
                    return False  # the palette key changed
            elif binding.show:
                if binding.group is not None or not active.enabled:
                    return False
                wanted.setdefault(binding.action, (binding, active.tooltip))
        keys = [k for k in self.query_children(FooterKey) if not k.has_class("-command-palette")]
        if len(keys) != len(wanted) or any(
            footer_key.has_class("-disabled") or footer_key.key != binding.key
            for footer_key, (binding, _tooltip) in zip(keys, wanted.values(), strict=True)
        ):
            return False
        for footer_key, (binding, tooltip) in zip(keys, wanted.values(), strict=True):
            if (footer_key.description, footer_key.action) != (binding.description, binding.action):
                footer_key.description = binding.description
                footer_key.action = binding.action
                footer_key.tooltip = tooltip or None
                footer_key.refresh(layout=True)
        return True
