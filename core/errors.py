"""Errors the CLI and TUI turn into one clear line (and an exit code)."""


class WholikedError(Exception):
    """Base error: its message is shown to the user as it is."""

    exit_code = 2


class BadInput(WholikedError):
    """Unknown user or video, bad arguments, unreadable or invalid database (exit 2)."""

    exit_code = 2


class ForeignTriggers(BadInput):
    """A writable open refused triggers it did not write; `ours_by_name` when every one is
    named wholiked_* (derived data another wholiked version left, which `unindex` removes)."""

    def __init__(self, message: str, *, ours_by_name: bool) -> None:
        super().__init__(message)
        self.ours_by_name = ours_by_name


class NotPermitted(WholikedError):
    """The acting user may not see this (exit 3)."""

    exit_code = 3
