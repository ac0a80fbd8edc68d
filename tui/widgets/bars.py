"""Horizontal bars for an analytics breakdown, drawn as text: one row per bucket.

A row is `label  ████████ 26`; a suppressed bucket (the string "<k") is drawn
as `label  <5` with no bar, so its size cannot be read off the picture. Bucket
names come from the database (regions and languages are free text), so they
go through `tui.text` like any other data.
"""

from textual.content import Content

from wholiked.tui import text

BAR_WIDTH = 20
LABEL_WIDTH = 8
FULL = "█"

DIMENSION_TITLES = {
    "age_band": "Age band",
    "region": "Region",
    "language": "Language",
    "device": "Device",
    "hour": "Hour (UTC)",
}


def bar_length(count: int, largest: int, width: int = BAR_WIDTH) -> int:
    """Cells of bar for a count: proportional to the largest count, at least 1 for n > 0."""
    if count <= 0 or largest <= 0:
        return 0
    return max(1, round(count * width / largest))


def bar_rows(buckets: dict[str, int | str], width: int = BAR_WIDTH) -> list[Content]:
    """One Content line per bucket, in the order given (core orders by name, never by count)."""
    largest = max((n for n in buckets.values() if isinstance(n, int)), default=0)
    rows = []
    for name, count in buckets.items():
        label = text.content(text.clean(name, limit=LABEL_WIDTH).ljust(LABEL_WIDTH))
        if isinstance(count, int):
            bar = Content.styled(FULL * bar_length(count, largest, width), "$accent")
            row = Content.assemble(label, " ", bar, f" {count:,}")
        else:
            row = Content.assemble(label, " ", Content.styled(text.clean(count), "italic"))
        rows.append(row)
    return rows


def breakdown_block(dimension: str, buckets: dict[str, int | str], k: int) -> Content:
    """A titled block of bars for one dimension, with a word on what `<k` means if shown."""
    title = DIMENSION_TITLES.get(dimension, dimension)
    parts: list[Content] = [text.styled("[b]$title[/b] (distinct likers)", title=title)]
    parts += bar_rows(buckets)
    if any(not isinstance(n, int) for n in buckets.values()):
        parts.append(
            Content.styled(f"<{k}: fewer than {k} likers (or hidden with one), no bar", "dim")
        )
    return Content("\n").join(parts)


def sparkline_data(days: list[dict]) -> tuple[list[float], int]:
    """Likes per day as numbers for a Sparkline (suppressed days as 0) and how many were."""
    values = [float(d["likes"]) if isinstance(d["likes"], int) else 0.0 for d in days]
    suppressed = sum(1 for d in days if not isinstance(d["likes"], int))
    return values, suppressed


def percent(rate: float | None) -> str:
    """An engagement rate (likes / views) as a percentage, or '—' without views."""
    return "—" if rate is None else f"{rate * 100:.1f}%"
