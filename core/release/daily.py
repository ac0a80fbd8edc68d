"""A creator's daily release: noisy cells, post-processed into one consistent picture.

Each cell's noise is drawn from a keyed pseudorandom function of (key, creator, day,
scope, cell), so the same question on the same day gets the same answer in every
process. The noisy cells are never shown as they are: `consistent.estimate` turns them
(with public data only) into whole, non-negative counts where every breakdown adds up
to its window's total and windows nest; every value shown is a sum of those counts,
"<τ" below the threshold, with the exact 90% margin of the noise of the cells it sums
(which bounds the post-processed value's error, smaller, conservatively). All of it is
post-processing: no extra privacy cost.
"""

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any

from wholiked.core.release import consistent, noise
from wholiked.core.release.accounting import DAYS, HISTOGRAMS, SEGMENTS, scale_factor
from wholiked.core.release.counting import Counts

RELEASE_VERSION = "wholiked-release-1"

NO_PUBLIC_DATA = consistent.Public(likes=sys.maxsize, first_posted=datetime.min.replace(tzinfo=UTC))
"""For a release built without public data (tests): no bound, any day possible."""


class NoiseDraws:
    """The cells' noise drawn so far. A draw is a pure function of its identity (and of
    the sampler, so a test that swaps it is never served an old draw), so the same answer
    again (another window, the app redrawing) costs a dictionary lookup. The facade's
    `ReleaseStore` holds one for its database; a release made without one keeps its own."""

    LIMIT = 1 << 16
    """Draws remembered at most; past it they are forgotten and drawn again."""

    ESTIMATES = 256
    """Consistent estimates remembered at most (one per scope and day read)."""

    def __init__(self) -> None:
        self._drawn: dict[tuple[Any, ...], int] = {}
        self._estimates: dict[tuple[Any, ...], consistent.Estimate] = {}

    def draw(self, key: bytes, identity: tuple[Any, ...], scale: Fraction) -> int:
        memo = (noise.noise, key, identity, scale)
        if memo not in self._drawn:
            if len(self._drawn) >= self.LIMIT:
                self._drawn.clear()
            self._drawn[memo] = noise.noise(key, identity, scale)
        return self._drawn[memo]

    def remembers(self, memo: tuple[Any, ...]) -> bool:
        """Whether the estimate of this memo is remembered in this process."""
        return memo in self._estimates

    def estimate(
        self, memo: tuple[Any, ...], compute: Callable[[], consistent.Estimate]
    ) -> consistent.Estimate:
        """A scope's consistent estimate, remembered by everything it is computed from (a
        later reading the same day solves nothing again)."""
        if memo not in self._estimates:
            if len(self._estimates) >= self.ESTIMATES:
                self._estimates.clear()
            self._estimates[memo] = compute()
        return self._estimates[memo]

    def forget(self) -> None:
        """Drop every draw: the next release draws its cells again, as a new process would
        (a benchmark timing a release from nothing)."""
        self._drawn.clear()
        self._estimates.clear()


@dataclass(frozen=True)
class Released:
    """One released number: the consistent estimate (or "<τ") and its 90% margin."""

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
    """The scope's reference scale; each histogram's noise is `scale_of(histogram)`."""
    threshold: int
    counts: Counts
    public: consistent.Public = NO_PUBLIC_DATA
    """The scope's public like total and first posting, as frozen with the day."""
    draws: NoiseDraws = field(default_factory=NoiseDraws, repr=False, compare=False)
    """Where its cells' noise is remembered (the facade's `ReleaseStore.draws`)."""
    videos: bool = True
    """Whether the day releases per-video scopes (else the all-videos scope takes the whole
    ε, with its own shares: `accounting.ALONE_SHARE`)."""
    _estimate: consistent.Estimate | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def scale_of(self, histogram: str) -> Fraction:
        """The discrete Laplace scale of a histogram's cells (its share of the scope's ε)."""
        return self._scales[histogram]

    @functools.cached_property
    def _scales(self) -> dict[str, Fraction]:
        # Exact fractions are slow to multiply: once per release, not once per cell.
        return {h: self.scale * scale_factor(h, self.videos) for h in HISTOGRAMS}

    def _identity(self, cell: tuple[str, int, str]) -> tuple[str | int, ...]:
        """A cell's identity: the release day's, except a new-likers day's, which is its
        calendar day's (released once: the same noise on every later day; its count is
        the first release's, `frozen`)."""
        histogram, index, _ = cell
        if histogram == "new_likers":
            calendar = (self.day - timedelta(days=index + 1)).isoformat()
            return (RELEASE_VERSION, self.creator_id, "first-like day", calendar, self.scope)
        return (RELEASE_VERSION, self.creator_id, self.day.isoformat(), self.scope, *cell)

    def _noisy(self, cell: tuple[str, int, str]) -> int:
        identity = self._identity(cell)
        return self.counts.get(cell, 0) + self.draws.draw(
            self.key, identity, self.scale_of(cell[0])
        )

    def noisy_sum(self, histogram: str, indices: list[int] | range, bucket: str = "") -> int:
        """The noisy sum of a histogram's cells over indices, not post-processed: for
        post-processing of its own that must not be biased by the display rule (an average
        over buckets); shown only through `total`."""
        return sum(self._noisy((histogram, i, bucket)) for i in indices)

    def estimate(self) -> consistent.Estimate:
        """The scope's consistent counts, from its noisy cells and public data only."""
        if self._estimate is None:
            estimator = consistent.estimate
            memo = (
                estimator,
                noise.noise,
                self.key,
                self.creator_id,
                self.day,
                self.scope,
                self.scale,
                self.videos,
                self.public,
                frozenset(self.counts.items()),
            )
            self._estimate = self.draws.estimate(
                memo,
                lambda: estimator(
                    lambda h, i, b: self._noisy((h, i, b)), self.day, self.public, self._scales
                ),
            )
        return self._estimate

    def total(self, histogram: str, indices: list[int] | range, bucket: str = "") -> Released:
        """A value shown: the sum of the consistent counts over indices, "<τ" below the
        threshold, with the exact 90% margin of the noise of the cells summed (a
        conservative bound for the post-processed value, whose error is smaller)."""
        value = self.estimate().total(histogram, list(indices), bucket)
        shown = value if value >= self.threshold else f"<{self.threshold}"
        if histogram == "new_likers" and DAYS in indices:
            return Released(shown, self._earlier_margin(DAYS + 1 - len(indices)))
        return Released(shown, noise.margin90(self.scale_of(histogram), len(indices)))

    def _earlier_margin(self, days: int) -> int:
        """The days before a window of `days` days are not measured: they are all likers
        less the window's new likers, so their noise is that of the likers cells and of
        the window's days; each at its 95% margin, together a 90% margin (union bound)."""
        likers = noise.tail_bound(self.scale_of("likers"), len(SEGMENTS), 0.025)
        return likers + noise.tail_bound(self.scale_of("new_likers"), days, 0.025)
