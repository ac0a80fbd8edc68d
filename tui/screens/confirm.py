"""Ask before a change that one key cannot undo: y does it, n or Esc does not.

The question says the consequence in numbers ("Going public approves 2 pending
requests and lets everyone who can view a video see your 6 likes"); the answer is
the screen's result (`ModalScreen[bool]`). Cancel has the focus, so a stray Enter
changes nothing.
"""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from wholiked.tui import text


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question about a change that cannot be undone in one key."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    #confirm {
        width: 80%;
        max-width: 76;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    #confirm-title {
        text-style: bold;
        margin-bottom: 1;
    }
    #confirm-body {
        margin-bottom: 1;
    }
    #confirm-buttons {
        height: auto;
        align-horizontal: right;
    }
    #confirm-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, title: str, body: str, yes: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(text.content(self.title_text), id="confirm-title")
            yield Static(text.content(self.body), id="confirm-body")
            with Horizontal(id="confirm-buttons"):
                yield Button(text.content(f"{self.yes} (y)"), id="confirm-yes", variant="warning")
                yield Button(text.content("Cancel (n)"), id="confirm-no")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
