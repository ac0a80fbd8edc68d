"""The find dialog of a list (`/`): the text to look for in handles, display names and
captions. Enter finds (an empty text ends the find), Esc leaves the find as it was."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from wholiked.tui import text


class FindScreen(ModalScreen[str | None]):
    """Ask for the text a list's find looks for; the result is the text (None: cancelled)."""

    DEFAULT_CSS = """
    FindScreen {
        align: center middle;
    }
    #find {
        width: 80%;
        max-width: 64;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    #find-note {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="find-cancel")]

    def __init__(self, what: str, value: str = "") -> None:
        super().__init__()
        self.what = what
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="find"):
            yield Static(text.content(f"Find in {self.what}"), id="find-title")
            yield Input(self.value, placeholder="handle, display name or caption", id="find-input")
            yield Static(
                text.content("Enter finds; then n next, N previous. Empty: no find."),
                id="find-note",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
