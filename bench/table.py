"""The rows of the bench's table: a figure, its target and a ratio measured in the same run."""

from dataclasses import dataclass


@dataclass
class Row:
    """One line of the table: `ratio` as measured in this run, `met` None without a target."""

    measure: str
    figure: str
    target: str = ""
    ratio: str = ""
    met: bool | None = None


def at_most(measure: str, value: float, limit: float, unit: str, fmt: str = ".1f") -> Row:
    """A figure against an upper bound: the ratio is figure / target."""
    return Row(
        measure,
        f"{value:{fmt}} {unit}",
        f"≤ {limit:g} {unit}",
        f"{value / limit:.2f}× of target",
        value <= limit,
    )
