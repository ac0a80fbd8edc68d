"""What the keys that change the file do on a file opened read-only (a --db without --write).

They still work (and are refused in words, naming the way out), but the footer does not
offer them: it offers W, "Reopen writable", instead, and the top bar says "read-only".
The help and the palette say beside each of them that it needs --write.
"""

from dataclasses import replace

from textual.binding import ActiveBinding
from textual.dom import DOMNode

from wholiked.tui.widgets.app_state import app_state

NEEDS_WRITE = frozenset({"like", "follow", "block", "privacy", "answer", "unblock"})
"""Actions (app's and dialogs') that change the file."""
NEEDS_WRITE_NOTE = "needs --write: this file is open read-only (W reopens it writable)"


def action_name(action: str) -> str:
    """'app.like('like')' -> 'like'."""
    return action.partition("(")[0].rpartition(".")[2]


def shown_keys(node: DOMNode, found: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """A screen's active bindings as its footer should show them: on a read-only file the
    keys that change it are kept (they still answer) but not shown."""
    if app_state(node).service.writable:
        return found
    return {
        key: active._replace(binding=replace(active.binding, show=False))
        if active.binding.show and action_name(active.binding.action) in NEEDS_WRITE
        else active
        for key, active in found.items()
    }
