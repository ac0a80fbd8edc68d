"""The action commands: like, unlike, follow, unfollow, approve, deny, block, unblock and
set-private, each one transaction as the acting user (a --db file needs --write). An
action already in effect exits 0 and says nothing changed (`mkdir -p`)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from wholiked.tui.cli_options import SQL_INT, as_option, db_option, json_option, write_option
from wholiked.tui.cli_output import emit_json, say
from wholiked.tui.factory import make_service

COMMANDS: dict[str, click.Command] = {}


def _act(
    db: Path | None, write: bool, as_handle: str, as_json: bool, action: Callable[..., Any]
) -> None:
    service = make_service(db, write=write)
    outcome = action(service, service.user(as_handle))
    if as_json:
        # The new state of what the action is about, beside whether it changed anything.
        state = outcome.state or {}
        emit_json({"ok": True, "changed": outcome.changed, "message": outcome.message, **state})
    else:
        say(outcome.message)


def _action(name: str, doc: str, arg: str, arg_type: Any, example: str) -> None:
    """Register `wholiked NAME ARG --as H [--db] [--write] [--json]` for the action NAME."""
    doc += (
        "\n\nThe demo world is always writable; a --db file needs --write."
        f"\n\n\b\nExample:\n  wholiked {name} {example}"
    )

    @click.command(name, help=doc)
    @click.argument(arg, type=arg_type)
    @as_option(required=True)
    @db_option
    @write_option
    @json_option
    def command(as_handle: str, db: Path | None, write: bool, as_json: bool, **kwargs: Any) -> None:
        def run(service: Any, actor: Any) -> Any:
            value = kwargs[arg]
            other = service.user(value) if arg == "handle" else value
            return getattr(service, name)(actor, other)

        _act(db, write, as_handle, as_json, run)

    COMMANDS[name] = command


_action(
    "like",
    "Like a video as --as (who can see the like is printed).",
    "video_id",
    SQL_INT,
    "1 --as sam.quiet",
)
_action("unlike", "Remove --as's like of a video.", "video_id", SQL_INT, "1 --as sam.quiet")
for _name, _doc, _example in [
    (
        "follow",
        "Follow HANDLE (a request stays pending until a private account approves).",
        "sam.quiet --as jules.b",
    ),
    (
        "unfollow",
        "Stop following HANDLE, or withdraw a pending request.",
        "kai.locked --as mia.makes",
    ),
    (
        "approve",
        "Approve HANDLE's pending follow request (reveals your likes to them).",
        "rex.loud --as sam.quiet",
    ),
    ("deny", "Decline HANDLE's pending follow request.", "rex.loud --as sam.quiet"),
    (
        "block",
        "Block HANDLE: removes follows both ways (unblocking does not restore them) and hides"
        " each one's videos and likes from the other.",
        "troll.king --as jules.b",
    ),
    (
        "unblock",
        "Lift your block of HANDLE (follows the block removed stay removed).",
        "troll.king --as mia.makes",
    ),
]:
    _action(_name, _doc, "handle", str, _example)


@click.command("set-private")
@click.argument("state", type=click.Choice(["on", "off"]))
@as_option(required=True)
@db_option
@write_option
@json_option
def set_private(state: str, as_handle: str, db: Path | None, write: bool, as_json: bool) -> None:
    """Make --as's account private (on) or public (off).

    Going public approves every pending follow request, as on the platform.

    \b
    Example:
      wholiked set-private off --as sam.quiet
      wholiked set-private on --as sam.quiet --db mine.db --write
    """
    _act(db, write, as_handle, as_json, lambda s, u: s.set_private(u, state == "on"))


COMMANDS["set-private"] = set_private
