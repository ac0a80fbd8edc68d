"""The header: who the app acts as, from which perspective and under which platform's rules,
in words (not colour alone)."""

from typing import Any

from textual.widgets import Static

from wholiked.core.answers.wording import account_word
from wholiked.core.service import User
from wholiked.tui import text
from wholiked.tui.widgets.app_state import app_state


class ActingBadge(Static):
    """'<perspective> │ acting as @mia.makes (Mia) · public, creator account', then
    '│ TikTok rules' when the session answers under a preset other than the seed (the
    default, named in the help and the comparison), so the default header keeps its width.

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
        else:
            self._show(None)

    def _show_rules(self, _name: str) -> None:
        self._show(None)

    def show_now(self) -> None:
        """Show the acting user and the rules in use now."""
        self._show(None)

    def _show(self, user: User | None) -> None:
        state = app_state(self)
        if user is None:
            user = state.acting
        name = text.clean(user.display_name, limit=30)
        rules = state.service.rules
        self.update(
            text.styled(
                "[b]$perspective[/b] │ acting as [reverse]$handle[/reverse] $name"
                "· $privacy, $account$rules",
                handle=text.handle(user.handle),
                name=f"({name}) " if name else "",
                privacy="private" if user.is_private else "public",
                account=account_word(user),
                perspective=self.perspective,
                rules="" if rules.name == "seed" else f" │ {rules.title} rules",
            )
        )
