"""Make untrusted text safe for a terminal: the one sanitiser the CLI and the TUI share.

`printable()` is the only function that decides which characters of a string read
from a database may reach a terminal. It replaces with U+FFFD:

- C0 and C1 controls (ESC, BEL, CSI `\\x9b`, DEL...), so no escape sequence (OSC 52
  clipboard writes, hyperlinks, window titles) reaches the terminal; newline, tab
  and carriage return become spaces, as do line and paragraph separators;
- bidi embeddings, overrides, isolates and marks, which reorder what follows;
- every other invisible format character (Unicode category Cf: zero-width space,
  zero-width non-joiner, word joiner, soft hyphen, BOM...), which terminals draw
  with different widths and which hide spoofing;

except the two format characters emoji need: a zero-width joiner *between two
emoji* ("👩‍🎨" stays one artist) and the tag characters of a flag sequence after
U+1F3F4. Emoji presentation selectors (U+FE0E, U+FE0F) are dropped: "✍️" is one
cell to some renderers and two to others, "✍" is one to all.
"""

import unicodedata

# Bidi embedding/override/isolate controls and marks that reorder what follows them.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_PRESENTATION = frozenset("\ufe0e\ufe0f")
_ZWJ = "\u200d"
_BLACK_FLAG = "\U0001f3f4"
_TAG_FIRST, _TAG_LAST = 0xE0020, 0xE007F  # tag letters and the cancel tag of flag sequences
_REPLACEMENT = "\ufffd"


def _is_emoji(ch: str) -> bool:
    """A pictograph a zero-width joiner may glue to another one."""
    return unicodedata.category(ch) == "So" or 0x1F000 <= ord(ch) <= 0x1FAFF


def _joins_emoji(text: str, i: int) -> bool:
    """True when the zero-width joiner at text[i] sits between two emoji."""
    before = i - 1
    # Skin tones (Sk), presentation selectors and the keycap mark belong to the emoji.
    while before >= 0 and (
        text[before] in _PRESENTATION
        or text[before] == "\u20e3"
        or 0x1F3FB <= ord(text[before]) <= 0x1F3FF
    ):
        before -= 1
    return before >= 0 and i + 1 < len(text) and _is_emoji(text[before]) and _is_emoji(text[i + 1])


def _sanitised(text: str) -> str:
    out: list[str] = []
    in_flag = False  # inside the tag sequence of a subdivision flag (🏴 + tags)
    for i, ch in enumerate(text):
        code = ord(ch)
        if _TAG_FIRST <= code <= _TAG_LAST:
            out.append(ch if in_flag else _REPLACEMENT)
            in_flag = in_flag and code != _TAG_LAST
            continue
        in_flag = ch == _BLACK_FLAG
        if ch in _PRESENTATION:
            continue
        if ch in _BIDI:
            out.append(_REPLACEMENT)
            continue
        category = unicodedata.category(ch)
        if category == "Cc":  # C0 and C1 controls, ESC, BEL, DEL, newline, tab
            out.append(" " if ch in "\n\t\r" else _REPLACEMENT)
        elif category in ("Zl", "Zp"):
            out.append(" ")
        elif category == "Cf":
            out.append(ch if ch == _ZWJ and _joins_emoji(text, i) else _REPLACEMENT)
        else:
            out.append(ch)
    return "".join(out)


def printable(text: str | None, *, limit: int | None = None) -> str:
    """The text safe for a terminal (see the module's docstring), cut to `limit` characters."""
    if not text:
        return ""
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    if text.isascii() and text.isprintable():
        return text
    if text.isprintable() and not (_PRESENTATION & set(text)):
        return text  # printable means no Cc, Cf (bidi included), Zl or Zp character
    return _sanitised(text)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet may take for the start of a formula (the full-width forms too)."""


def spreadsheet_safe(text: str) -> str:
    """A CSV value no spreadsheet runs as a formula (CSV injection): one that starts with
    = + - @, a tab or a carriage return gets a leading apostrophe, which spreadsheets show
    as text and do not evaluate; anything else is returned unchanged."""
    return "'" + text if text.startswith(_FORMULA_START) else text
