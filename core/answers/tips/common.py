"""What every tip is made of: the record, and how numbers and names are quoted."""

from dataclasses import dataclass
from typing import Any

from wholiked.core.text import printable

NAMES_SHOWN = 3


@dataclass(frozen=True, slots=True)
class Tip:
    """One tip; `forms.json_form` writes its JSON (`wholiked tips --json`)."""

    id: str
    perspective: str
    title: str
    detail: str
    evidence: dict[str, Any]
    """The numbers the tip rests on, as JSON, its class first ("released" or
    "visible-only")."""


def tip(
    tip_id: str,
    perspective: str,
    title: str,
    detail: str,
    evidence: dict[str, Any],
    *,
    released: bool = False,
) -> Tip:
    """A tip record; its evidence names its class (README, "Analytics and tips")."""
    return Tip(
        id=tip_id,
        perspective=perspective,
        title=title,
        detail=detail,
        evidence={"class": "released" if released else "visible-only", **evidence},
    )


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def hour(h: str) -> str:
    return f"{h}:00"


def names(handles: list[str]) -> str:
    shown = [f"@{h}" for h in handles[:NAMES_SHOWN]]
    more = len(handles) - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")


def caption(caption: str | None) -> str:
    text = printable(caption, limit=40)
    return f" ({text!r})" if text else ""
