"""A creator's daily release: noisy cells, and every window derived from them by summing.

Each cell's noise is drawn from a keyed pseudorandom function of (key, creator, day,
scope, cell), so the same question on the same day gets the same answer in every
process; windows and totals are sums of cells (post-processing, no extra privacy
cost), shown clamped at 0, below the threshold as "<τ", with the exact 90% margin of
the sum's noise.
"""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from wholiked.core.release import noise
from wholiked.core.release.counting import Counts

RELEASE_VERSION = "wholiked-release-1"


_DRAWN: dict[tuple[Any, ...], int] = {}
_DRAWN_MAX = 1 << 16


def _cell_noise(key: bytes, identity: tuple[Any, ...], scale: Fraction) -> int:
    """A cell's noise, drawn once per process: a pure function of its identity (and of the
    sampler, so a test that swaps it is never served an old draw), so the same answer
    again (another window, the app redrawing) costs a dictionary lookup."""
    memo = (noise.noise, key, identity, scale)
    if memo not in _DRAWN:
        if len(_DRAWN) >= _DRAWN_MAX:
            _DRAWN.clear()
        _DRAWN[memo] = noise.noise(key, identity, scale)
    return _DRAWN[memo]


@dataclass(frozen=True)
class Released:
    """One released number: the clamped noisy value (or "<τ") and its 90% margin."""

    value: int | str
    margin90: int

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "margin90": self.margin90}

    @property
    def number(self) -> int:
        """The value as a number for drawing (0 below the threshold)."""
        return self.value if isinstance(self.value, int) else 0


@dataclass
class DailyRelease:
    """The release of one scope ("all" or "video:N") of one creator on one day."""

    key: bytes
    creator_id: int
    day: date
    scope: str
    scale: Fraction
    threshold: int
    counts: Counts

    def _noisy(self, cell: tuple[str, int, str]) -> int:
        identity = (RELEASE_VERSION, self.creator_id, self.day.isoformat(), self.scope, *cell)
        return self.counts.get(cell, 0) + _cell_noise(self.key, identity, self.scale)

    def noisy_sum(self, histogram: str, indices: list[int] | range, bucket: str = "") -> int:
        """The noisy sum of a histogram's cells over indices, neither clamped nor thresholded:
        for post-processing that must not be biased by the display rule (an average over
        buckets); shown only through `total`."""
        return sum(self._noisy((histogram, i, bucket)) for i in indices)

    def total(self, histogram: str, indices: list[int] | range, bucket: str = "") -> Released:
        """The noisy sum of a histogram's cells over indices, shown as the README says ("The
        daily release", Display)."""
        raw = self.noisy_sum(histogram, indices, bucket)
        margin = noise.margin90(self.scale, len(indices))
        value = max(raw, 0)
        return Released(value if value >= self.threshold else f"<{self.threshold}", margin)
