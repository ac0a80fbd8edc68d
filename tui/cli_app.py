"""`tui` (the terminal app, also what `wholiked` alone opens) and `serve` (the app in a
browser). Textual is imported only when the app starts."""

import sys
from pathlib import Path
from typing import Any

import click

from wholiked.core.errors import BadInput
from wholiked.core.rules.presets import Preset
from wholiked.core.service import RowCheck
from wholiked.tui.cli_options import as_option, db_option, rules_option
from wholiked.tui.factory import make_service
from wholiked.tui.serve import serve_command


@click.command("tui")
@db_option
@as_option(required=False)
@click.option("--write", is_flag=True, help="Allow changes to a --db file (the demo is writable).")
@click.option(
    "--session-copy",
    is_flag=True,
    help="Open a fresh copy of the demo world, removed on exit (what `serve` runs).",
)
@rules_option
def tui_command(
    db: Path | None, as_handle: str | None, write: bool, session_copy: bool, rules: Preset
) -> None:
    """Open the terminal app (the same as `wholiked` alone; R picks another preset).

    \b
    Example:
      wholiked tui --as sam.quiet
      wholiked tui --db mine.db --write
      wholiked tui --session-copy
    """
    if session_copy:
        if db is not None:
            raise BadInput("--session-copy opens a copy of the demo world: leave out --db")
        import signal

        from wholiked.tui.factory import session_demo

        # A stopped server (SIGTERM) still removes this session's copy on the way out.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        with session_demo(rules) as service:
            _run_tui(service, as_handle)
        return
    # The app checks a large file's rows in the background.
    _run_tui(make_service(db, write=write, rules=rules, rows=RowCheck.DEFERRED), as_handle)


def _run_tui(service: Any, as_handle: str | None) -> None:
    acting = service.user(as_handle) if as_handle else None
    service.stop_progress()  # from now on the terminal is the app's
    from wholiked.tui.app import run_app  # Textual is imported only here

    run_app(service, acting)


COMMANDS = {c.name: c for c in (tui_command, serve_command)}
