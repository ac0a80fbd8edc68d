"""A table of people (likers, audit rows) whose row keys are user ids; f and b act on its cursor.

While it has focus, the footer shows the keys that act on the highlighted
person (follow, block). The account- and video-level keys keep working here
but are not shown, so the footer stays at six keys.
"""

from textual.binding import Binding

from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.list_table import ListTable
from wholiked.tui.widgets.paged_table import PagedTable


class PeopleTable(ListTable):
    """A list of users (row key: user id)."""

    BINDINGS = [
        Binding("f", "app.follow('follow')", "Follow", id="follow"),
        Binding("f", "app.follow('unfollow')", "Unfollow", id="follow"),
        Binding("b", "app.block('block')", "Block", id="block"),
        Binding("b", "app.block('unblock')", "Unblock", id="block"),
        # Working here, not shown here (see the module docstring).
        Binding("l", "app.like", show=False, id="like"),
        Binding("p", "app.privacy", show=False, id="privacy"),
        Binding("r", "app.requests", show=False, id="requests"),
        Binding("F", "app.people", show=False, id="people"),
    ]

    def user_at_cursor(self) -> int | None:
        """The id of the highlighted person (None when the table is empty)."""
        key = self.key_at_cursor()
        return int(key) if key is not None else None

    def on_data_table_row_highlighted(self, _event: PagedTable.RowHighlighted) -> None:
        # PagedTable's handler runs too (Textual calls each class's handler).
        app_state(self).targets_changed()  # f and b do not apply to your own row
