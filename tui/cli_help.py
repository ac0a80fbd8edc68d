"""What `wholiked --help` says: ranges in words, and the files and folders it uses.

Click's IntRange shows its bounds as `[0<=x<=4611686018427387904]`; these types say
"N (0 or more)" instead and refuse what SQLite cannot hold with a short message.
"""

from typing import Any

import click

SQLITE_MAX = 2**63 - 1


def _integer(
    kind: click.ParamType[Any], value: Any, param: click.Parameter | None, ctx: click.Context | None
) -> int:
    """The value as an int (surrounding spaces allowed), or click's usage error."""
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        kind.fail(f"{value!r} is not a valid integer", param, ctx)


class Whole(click.ParamType[int]):
    """A whole number of at least `minimum` (and at most what SQLite can hold), shown as N."""

    name = "N"

    def __init__(self, minimum: int = 0, metavar: str = "N") -> None:
        self.minimum = minimum
        self.metavar = metavar

    @property
    def words(self) -> str:
        """'0 or more', for the help text."""
        return f"{self.minimum} or more"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str | None:
        return None if isinstance(param, click.Argument) else self.metavar  # arguments: their name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number = _integer(self, value, param, ctx)
        if number < self.minimum:
            self.fail(f"{number} is less than {self.minimum} (it must be {self.words})", param, ctx)
        if number > SQLITE_MAX:
            self.fail("is too large (more than SQLite can hold)", param, ctx)
        return number


class SqlInteger(click.ParamType[int]):
    """An id: any integer SQLite can hold (others are bad input, exit 2), shown as ID."""

    name = "ID"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str | None:
        return None if isinstance(param, click.Argument) else "ID"  # arguments: their name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number = _integer(self, value, param, ctx)
        if not -SQLITE_MAX - 1 <= number <= SQLITE_MAX:
            self.fail("is out of range (not an id SQLite can hold)", param, ctx)
        return number


class HelpGroup(click.Group):
    """The top-level group: its help ends with where the demo world and settings live."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from wholiked.core.store.paths import demo_path
        from wholiked.tui.settings import config_path

        with formatter.section("Files (here, now)"):
            formatter.write_dl(
                [
                    ("demo world", f"{demo_path()} (a working copy; `wholiked reset` rebuilds it)"),
                    ("settings", f"{config_path()} (the app's theme)"),
                ]
            )
        super().format_epilog(ctx, formatter)
