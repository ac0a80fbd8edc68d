"""Make untrusted text safe for a terminal: no control, escape or bidi-override characters."""

import unicodedata

# Bidi embedding/override/isolate controls and marks that reorder what follows them.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REPLACEMENT = "\ufffd"


def _safe_char(ch: str) -> str:
    if ch in _BIDI:
        return _REPLACEMENT
    category = unicodedata.category(ch)
    if category == "Cc":  # C0 and C1 controls, ESC, BEL, DEL, newline, tab
        return " " if ch in "\n\t\r" else _REPLACEMENT
    if category in ("Zl", "Zp"):
        return " "
    return ch


def printable(text: str | None, *, limit: int | None = None) -> str:
    """The text with every control and bidi-control character replaced, cut to `limit`."""
    if not text:
        return ""
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    if text.isprintable() and not (_BIDI & set(text)):
        return text
    return "".join(_safe_char(ch) for ch in text)
