"""Pick the platform rules (a preset, or a rule file loaded with --rules) the whole session
answers under: R (or F2).

A `ModalScreen[str | None]`: Enter dismisses with the rule set's key, Esc with None.
Each option says the rule in one line; the one in use is marked in words, a rule file's
option names its file.
"""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from wholiked.core.answers.wording import RULES_IN_FORCE
from wholiked.core.service import Preset, Wholiked
from wholiked.tui import text


def rules_option(key: str, preset: Preset, in_use: Preset) -> Option:
    mark = " (in use)" if preset is in_use else ""
    if preset.origin is not None:
        mark = f" — rule file {preset.origin}{mark}"
    prompt = text.lines(
        text.styled("[b]$title[/b]$mark", title=preset.title, mark=mark),
        Content("  ") + text.content(preset.summary),
    )
    return Option(prompt, id=key)


class RulesPicker(ModalScreen[str | None]):
    """The presets, the one in use highlighted; Enter picks, Esc keeps the current one."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="rules-cancel")]

    def __init__(self, service: Wholiked) -> None:
        super().__init__()
        self.in_use = service.rules
        self.rule_sets = service.rule_sets

    def compose(self) -> ComposeResult:
        with Vertical(id="rules-picker"):
            yield Static(
                text.styled("[b]Answer under which platform's rules?[/b]"), id="rules-title"
            )
            yield OptionList(
                *(rules_option(k, p, self.in_use) for k, p in self.rule_sets.items()),
                id="rules-options",
            )
            yield Static(
                text.content(
                    "Every view follows the choice: likers, who can see my like, the audit,"
                    " analytics, tips and the help's answers. C compares them all on one video."
                    f" {RULES_IN_FORCE}"
                ),
                id="rules-note",
            )
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [k for k, p in self.rule_sets.items() if p is self.in_use]
        options.highlighted = list(self.rule_sets).index(keys[0]) if keys else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
