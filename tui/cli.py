"""The `wholiked` command line: a stable, scriptable contract (README, "The command line").

This module holds the entry point and the top-level group; each command lives in the
module of its room (`cli_answers`, `cli_analytics`, `cli_actions`, `cli_files`,
`cli_app`), imported only when that command runs or help lists it. So `wholiked likers
--json` loads the likers answer and nothing of analytics, tips, actions or the app, and
never Textual (only the `tui` command does, lazily), nor Rich (text tables only).

Errors are one line on stderr with exit 2 (bad input) or 3 (not permitted). Every line
of text output (not JSON, whose escapes are inert) goes through `core.text.printable`,
the sanitiser the app uses too, so no escape sequence or invisible character from a
file reaches the terminal.
"""

import importlib
import sqlite3
import sys
from collections.abc import Sequence

import click

from wholiked import __version__
from wholiked.core.errors import WholikedError
from wholiked.core.text import printable
from wholiked.tui.cli_help import HelpGroup

ROOMS = {
    "analytics": "cli_analytics",
    "approve": "cli_actions",
    "audience": "cli_answers",
    "audit": "cli_answers",
    "block": "cli_actions",
    "check": "cli_files",
    "compare": "cli_answers",
    "deny": "cli_actions",
    "export": "cli_report",
    "fixtures": "cli_files",
    "follow": "cli_actions",
    "index": "cli_files",
    "like": "cli_actions",
    "likers": "cli_answers",
    "report": "cli_report",
    "reset": "cli_files",
    "rules": "cli_rules",
    "serve": "cli_app",
    "set-private": "cli_actions",
    "tips": "cli_analytics",
    "tui": "cli_app",
    "unblock": "cli_actions",
    "unfollow": "cli_actions",
    "unindex": "cli_files",
    "unlike": "cli_actions",
}
"""Every command and the module (under wholiked.tui) that defines it in its COMMANDS."""


class CommandRooms(HelpGroup):
    """The top-level group: a command's module is imported when the command is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(ROOMS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        room = ROOMS.get(cmd_name)
        if room is None:
            return None
        command: click.Command = importlib.import_module(f"wholiked.tui.{room}").COMMANDS[cmd_name]
        return command


@click.group(
    cls=CommandRooms,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="wholiked")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Can you see who liked your video? Act as any user and see what they can see.

    Without a command, opens the terminal app on the demo world (a working copy:
    your changes stay there until `wholiked reset`). A --db file opens read-only
    unless --write is given. Text output is for people; --json is the contract.

    \b
    Exit codes:
      0  ok
      2  bad input: unknown user or video, bad arguments, unreadable or invalid database
      3  not permitted: the acting user may not see this video, or asks for
         analytics they are not entitled to
      4  `index --check` found derived data that disagrees with the rows

    \b
    Environment:
      WHOLIKED_HOME    folder for wholiked's own files (demo world, settings, keys)
      XDG_DATA_HOME    without WHOLIKED_HOME: data in $XDG_DATA_HOME/wholiked
      XDG_CONFIG_HOME  without WHOLIKED_HOME: settings in $XDG_CONFIG_HOME/wholiked
      otherwise the platform's folders (~/.local/share/wholiked on Linux)

    \b
    Example:
      wholiked                                  # the terminal app on the demo world
      wholiked likers 1 --as mia.makes          # whom Mia can identify on video 1
      wholiked likers 1 --as mia.makes --json   # the same, for scripts
      wholiked likers --help                    # one command's options
    """
    if ctx.invoked_subcommand is None:
        tui = cli.get_command(ctx, "tui")
        assert tui is not None  # registered by the lazy group
        ctx.invoke(tui)


def _fail(message: str, code: int) -> None:
    """One line on stderr, made safe (an error may quote text from a hostile file)."""
    click.echo(printable(f"wholiked: error: {' '.join(message.split())}", limit=500), err=True)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: run the CLI, turning every failure into one line and an exit code."""
    try:
        code = cli.main(args=argv, prog_name="wholiked", standalone_mode=False)
    except WholikedError as exc:
        _fail(str(exc), exc.exit_code)
    except click.ClickException as exc:
        _fail(exc.format_message(), 2)
    except sqlite3.Error as exc:
        from wholiked.core.store.checks import describe_sqlite_error

        _fail(describe_sqlite_error("the database", exc), 2)
    except UnicodeDecodeError:
        _fail("the database is damaged or holds text that is not valid UTF-8", 2)
    except click.Abort:
        _fail("aborted", 130)
    except OSError as exc:
        _fail(f"{exc.filename or ''}: {exc.strerror or exc}", 2)
    except Exception as exc:  # a bug: still one line, never a traceback
        _fail(f"unexpected error ({type(exc).__name__}): {exc}", 1)
    sys.exit(code if isinstance(code, int) else 0)
