"""The footer of the perspectives: compact below 100 columns, so six keys, "q Quit" and the
palette's "^p" fit on one line at 80×24."""

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 100


class KeysFooter(Footer):
    """Textual's Footer, compact in a narrow terminal."""

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
