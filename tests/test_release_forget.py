"""`daily.forget()`: a process's noise draws are remembered (the same answer again costs a
lookup) until forgotten, after which the next release draws its cells again, as a new
process would. The bench times a release from nothing this way."""

from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from wholiked.core.release import daily, noise
from wholiked.core.release.daily import DailyRelease


def _release() -> DailyRelease:
    return DailyRelease(
        key=b"k" * 32,
        creator_id=7,
        day=date(2026, 11, 20),
        scope="all",
        scale=Fraction(2),
        threshold=5,
        counts=Counter({("likers", 0, ""): 40}),
    )


def test_forget_makes_the_next_release_draw_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    exact = noise.noise

    def counted(key: bytes, identity: tuple[object, ...], scale: Fraction) -> int:
        calls.append(identity)
        return exact(key, identity, scale)

    monkeypatch.setattr(noise, "noise", counted)
    daily.forget()
    first = _release().total("likers", [0])
    drawn = len(calls)
    assert drawn > 0
    assert _release().total("likers", [0]) == first and len(calls) == drawn  # remembered
    daily.forget()
    assert _release().total("likers", [0]) == first  # drawn again: the same values
    assert len(calls) == 2 * drawn


def test_nothing_outside_daily_reaches_into_its_memo() -> None:
    """The bench (and everything else) clears the draws through `daily.forget()`."""
    root = Path(__file__).resolve().parent.parent
    reaching = [
        str(path.relative_to(root))
        for folder in ("bench", "core", "tui", "fixtures")
        for path in sorted((root / folder).rglob("*.py"))
        if "_DRAWN" in path.read_text(encoding="utf-8") and path.name != "daily.py"
    ]
    assert reaching == []
