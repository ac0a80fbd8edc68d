"""Errors the CLI and TUI turn into one clear line (and an exit code)."""


class WholikedError(Exception):
    """Base error: its message is shown to the user as it is."""

    exit_code = 2


class BadInput(WholikedError):
    """Unknown user or video, bad arguments, unreadable or invalid database (exit 2)."""

    exit_code = 2


class NotPermitted(WholikedError):
    """The acting user may not see this (exit 3)."""

    exit_code = 3
