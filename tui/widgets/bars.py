"""Horizontal bars for an analytics breakdown, drawn as text: one row per bucket.

A row is `label  ████████ ≈ 26 ± 14`: the value of the daily release and its 90%
margin. Only a value that stands clear of its noise (larger than its margin) gets a
bar; the other buckets are named in one line, and a breakdown without any says
"too few likers to break down". Bucket names come from fixed public lists; they still go
through `tui.text` like any other text.
"""

from textual.content import Content

from wholiked.core.answers.wording import TOO_FEW, TOO_FEW_TO_BREAK_DOWN, released, stands_clear
from wholiked.core.release.daily import Released
from wholiked.core.release.domains import TITLES
from wholiked.tui import text

BAR_WIDTH = 20
MIN_BAR = 4
LABEL_WIDTH = 8
FULL = "█"


def bar_length(count: int, largest: int, width: int = BAR_WIDTH) -> int:
    """Cells of bar for a count: proportional to the largest count, at least 1 for n > 0."""
    if count <= 0 or largest <= 0:
        return 0
    return max(1, round(count * width / largest))


def bar_width(buckets: dict[str, Released], column: int) -> int:
    """The widest bar (at most BAR_WIDTH, at least MIN_BAR) that leaves each row's label and
    value on one line in a column of that many cells: a narrow terminal gets shorter bars,
    never a margin wrapped onto a line of its own."""
    values = [len(f" {released(b)}") for b in buckets.values() if stands_clear(b)]
    room = column - LABEL_WIDTH - 1 - max(values, default=0)
    return max(MIN_BAR, min(BAR_WIDTH, room))


def bar_rows(buckets: dict[str, Released], width: int = BAR_WIDTH) -> list[Content]:
    """One Content line per bucket that stands clear of its noise, in the order given (the
    domain's order, never by count): a bar for the value and its margin."""
    largest = max((b.number for b in buckets.values() if stands_clear(b)), default=0)
    rows = []
    for name, value in buckets.items():
        if not stands_clear(value):
            continue
        label = text.content(text.clean(name, limit=LABEL_WIDTH).ljust(LABEL_WIDTH))
        bar = Content.styled(FULL * bar_length(value.number, largest, width), "$accent")
        rows.append(Content.assemble(label, " ", bar, f" {released(value)}"))
    return rows


def breakdown_block(
    dimension: str, buckets: dict[str, Released], threshold: int, column: int
) -> Content:
    """A titled block of bars for one dimension, fitted to a column that many cells wide;
    buckets too few to tell from the noise are named in one line, without bars, and a
    breakdown without any bucket clear of its noise says so instead."""
    title = TITLES.get(dimension, dimension)
    parts: list[Content] = [text.styled("[b]$title[/b] (liker accounts, blurred)", title=title)]
    rows = bar_rows(buckets, bar_width(buckets, column))
    if not rows:
        parts.append(Content.styled(f"{TOO_FEW_TO_BREAK_DOWN} (no bars)", "dim"))
        return Content("\n").join(parts)
    parts += rows
    below = [name for name, value in buckets.items() if not stands_clear(value)]
    if below:
        names = ", ".join(below) if len(below) <= 6 else f"{len(below)} buckets"
        parts.append(Content.styled(f"{TOO_FEW} (no bar): {names}", "dim"))
    return Content("\n").join(parts)


def sparkline_data(days: dict[str, Released]) -> tuple[list[float], int]:
    """New likers per day as numbers for a Sparkline (days too few to tell from the noise
    as 0, the `earlier` bucket left out) and how many days were too few to tell."""
    series = [v for d, v in days.items() if d != "earlier"]
    values = [float(v.number) if stands_clear(v) else 0.0 for v in series]
    return values, sum(1 for v in series if not stands_clear(v))


def percent(rate: float | None) -> str:
    """An engagement rate (likes / views) as a percentage, or '—' without views."""
    return "—" if rate is None else f"{rate * 100:.1f}%"
