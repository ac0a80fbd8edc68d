"""The header: who the app acts as, from which perspective, under which platform's rules and
on which file (read-only or not), in words (not colour alone)."""

from typing import Any

from textual import events
from textual.widgets import Static

from wholiked.core.answers.wording import account_word
from wholiked.core.service import User
from wholiked.tui import text
from wholiked.tui.widgets.app_state import app_state

NARROW = 100
"""Below this many columns the badge leaves out the display name and says less."""


class ActingBadge(Static):
    """'<perspective> │ acting as @mia.makes (Mia) · public, creator account', then
    '│ TikTok rules' when the session answers under a preset other than the seed (the
    default, named in the help and the comparison), so the default header keeps its width,
    then the open file ('│ world.db (read-only)'). Below NARROW columns:
    '<perspective> │ as @mia.makes · public creator │ world.db (read-only)'.

    With `follow=False` the badge changes only when its screen says so (`show_now`): a
    screen that swaps in a new user's panels in one go changes the badge with them."""

    def __init__(self, perspective: str, *, follow: bool = True, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.perspective = perspective
        self.follow = follow

    def on_mount(self) -> None:
        if self.follow:
            self.watch(self.app, "acting", self._show, init=True)
            self.watch(self.app, "rules", self._show_rules, init=False)
            self.watch(self.app, "generation", self._show_rules, init=False)  # reopened
        else:
            self._show(None)

    def on_resize(self, _event: events.Resize) -> None:
        self._show(None)

    def _show_rules(self, _value: object) -> None:
        self._show(None)

    def show_now(self) -> None:
        """Show the acting user and the rules in use now."""
        self._show(None)

    def _show(self, user: User | None) -> None:
        state = app_state(self)
        if user is None:
            user = state.acting
        service = state.service
        rules = service.rules
        fields = {
            "handle": text.handle(user.handle),
            "privacy": "private" if user.is_private else "public",
            "perspective": self.perspective,
            "rules": "" if rules.name == "seed" else f" │ {rules.title} rules",
            "file": text.clean(service.file_name, limit=40)
            + ("" if service.writable else " (read-only)"),
        }
        if self.app.size.width < NARROW:
            template = "[b]$perspective[/b] │ as [reverse]$handle[/reverse] · $privacy $kind"
            fields["kind"] = "creator" if user.is_creator else "personal"
        else:
            template = (
                "[b]$perspective[/b] │ acting as [reverse]$handle[/reverse] $name"
                "· $privacy, $account"
            )
            name = text.clean(user.display_name, limit=30)
            fields |= {"name": f"({name}) " if name else "", "account": account_word(user)}
        self.update(text.styled(template + "$rules │ $file", **fields))
