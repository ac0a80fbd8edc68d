"""`--help` as good as sqlite-utils': one sentence, an Example block, help for every option,
ranges in words, and at the top the exit codes, the environment and where files live."""

import click
import pytest

from tests.test_cli import run
from wholiked.core.store.paths import demo_path
from wholiked.tui.cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)  # the top group loads each command's module on lookup
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


COMMANDS = list(_commands(cli))


def test_top_help_says_exit_codes_environment_and_files(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    top = out.split("Options:")[0]  # near the top, before the options and commands
    for fragment in ("Exit codes:", "2  bad input", "3  not permitted", "WHOLIKED_HOME"):
        assert fragment in top, fragment
    assert "Example:" in top
    assert "demo world" in out and str(demo_path()) in out.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_command_has_an_example_and_option_help(capsys, path):
    code, out, _ = run(capsys, *path, "--help")
    assert code == 0
    assert "Example:" in out, path
    assert "<=x" not in out and "x>=" not in out and "INTEGER RANGE" not in out, out
    command = dict(COMMANDS)[path]
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, (path, param.name)


def test_example_blocks_keep_their_lines(capsys):
    """`\\b` keeps click from rewrapping: each example stays on its own line."""
    code, out, _ = run(capsys, "likers", "--help")
    assert "\n    wholiked likers 1 --as mia.makes\n" in out
    assert "\n    wholiked likers 1 --as mia.makes --csv > likers.csv\n" in out


def test_ranges_read_as_words(capsys):
    _, out, _ = run(capsys, "likers", "--help")
    assert "--limit N" in out and "N: 0 or more" in out
    _, out, _ = run(capsys, "fixtures", "synth", "--help")
    assert "--users N" in out and "N: 2 or more" in out
