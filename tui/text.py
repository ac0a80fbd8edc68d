"""The one door untrusted text goes through on its way to the screen: Textual's forms.

Every string read from a database (handles, display names, bios, captions,
sounds) is shown through these helpers and nothing else. Which characters may
reach the terminal is decided by one function, `core.text.printable()`, shared
with the CLI (here under the name `clean`); this module only wraps its result
in a form Textual never parses as markup:

- `cell()`: a `rich.text.Text` for DataTable cells (a `Content` cell draws one
  character; a plain `str` cell is parsed as markup);
- `content()`: a `textual.content.Content` for Static and friends;
- `styled()`: a constant markup template with the data passed as `$variables`,
  which Textual substitutes as literal text;
- `palette_markup()`: the one place an API insists on a markup string.

Never build markup by interpolating data, even escaped.
"""

from rich.text import Text
from textual.content import Content

from wholiked.core.text import printable as clean

__all__ = ["cell", "clean", "content", "handle", "lines", "number_cell", "palette_markup", "styled"]


def handle(value: str | None) -> str:
    """A handle shown with its @ (handles are validated, but cleaned all the same)."""
    return "@" + clean(value)


def cell(
    value: object,
    *,
    limit: int | None = None,
    justify: str | None = None,
    style: str = "",
) -> Text:
    """A DataTable cell holding the value as literal text (cut with "…" when its column
    is narrower)."""
    plain = value if isinstance(value, str) else ("" if value is None else str(value))
    return Text(
        clean(plain, limit=limit),
        style=style,
        justify=justify,  # type: ignore[arg-type]
        no_wrap=True,
        overflow="ellipsis",
    )


def number_cell(value: int | None) -> Text:
    """A right-aligned number with thousands separators."""
    return cell("—" if value is None else f"{value:,}", justify="right")


def content(value: str | None, *, limit: int | None = None) -> Content:
    """Literal Content for a Static, Label or Option."""
    return Content(clean(value, limit=limit))


def lines(*parts: str | Content | None) -> Content:
    """Several lines of literal Content (each part cleaned; newlines only between parts)."""
    return Content("\n").join(
        part if isinstance(part, Content) else content(part) for part in parts
    )


def styled(template: str, **variables: object) -> Content:
    """Content from a constant markup template; every variable is inserted as literal text.

    The template must be a constant written in this code base, never data.
    """
    safe = {name: clean(str(value)) for name, value in variables.items()}
    return Content.from_markup(template, **safe)


def palette_markup(value: str | None) -> str:
    """Text for the one API that insists on a markup string: `[` escaped after cleaning."""
    return clean(value).replace("[", "\\[")
