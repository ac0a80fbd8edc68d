"""The header: who the app acts as and from which perspective, in words (not colour alone)."""

from textual.widgets import Static

from wholiked.core.answers.wording import account_word
from wholiked.core.service import User
from wholiked.tui import text
from wholiked.tui.widgets.app_state import app_state


class ActingBadge(Static):
    """'<perspective> │ acting as @mia.makes (Mia) · public, creator account'."""

    def __init__(self, perspective: str, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.perspective = perspective

    def on_mount(self) -> None:
        self.watch(self.app, "acting", self._show, init=True)

    def _show(self, user: User | None) -> None:
        if user is None:
            user = app_state(self).acting
        name = text.clean(user.display_name, limit=30)
        self.update(
            text.styled(
                "[b]$perspective[/b] │ acting as [reverse]$handle[/reverse] $name"
                "· $privacy, $account",
                handle=text.handle(user.handle),
                name=f"({name}) " if name else "",
                privacy="private" if user.is_private else "public",
                account=account_word(user),
                perspective=self.perspective,
            )
        )
