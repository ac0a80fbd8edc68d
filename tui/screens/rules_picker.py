"""Pick the platform rules (the preset) the whole session answers under: R (or F2).

A `ModalScreen[str | None]`: Enter dismisses with the preset's name, Esc with None.
Each option says the preset's rule in one line; the one in use is marked in words.
"""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from wholiked.core.service import PRESETS, Preset
from wholiked.tui import text


def rules_option(preset: Preset, in_use: Preset) -> Option:
    mark = " (in use)" if preset is in_use else ""
    prompt = text.lines(
        text.styled("[b]$title[/b]$mark", title=preset.title, mark=mark),
        Content("  ") + text.content(preset.summary),
    )
    return Option(prompt, id=preset.name)


class RulesPicker(ModalScreen[str | None]):
    """The presets, the one in use highlighted; Enter picks, Esc keeps the current one."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="rules-cancel")]

    def __init__(self, in_use: Preset) -> None:
        super().__init__()
        self.in_use = in_use

    def compose(self) -> ComposeResult:
        with Vertical(id="rules-picker"):
            yield Static(
                text.styled("[b]Answer under which platform's rules?[/b]"), id="rules-title"
            )
            yield OptionList(
                *(rules_option(p, self.in_use) for p in PRESETS.values()), id="rules-options"
            )
            yield Static(
                text.content(
                    "Every view follows the choice: likers, who can see my like, the audit,"
                    " analytics, tips and the help's answers. C compares them all on one video."
                ),
                id="rules-note",
            )
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = list(PRESETS).index(self.in_use.name)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
