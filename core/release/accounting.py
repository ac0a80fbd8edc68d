"""The privacy accounting of one creator's daily release: what each statistic costs.

One liker account is the unit of privacy (user-level DP, add or remove one account
and all of its likes). Every statistic is a histogram in which a liker moves one
cell by one, so its L1 sensitivity is 1 (M for per-video scopes, where a liker counts
in at most M videos). The two scopes split the day's ε in half; within a scope each
histogram h gets its share s_h of the scope's ε (weighted basic composition, the
shares adding up to 1): discrete Laplace noise of scale Δ_h / (s_h ε_scope) on its
cells, so the scope is ε_scope-DP and the day's release ε-DP. Every scale is an
exact Fraction; the tests check the sums against OpenDP's own privacy maps.
"""

from dataclasses import dataclass
from fractions import Fraction

from wholiked.core.release.domains import DIMENSIONS

DEFAULT_EPSILON = Fraction(1)
MIN_EPSILON = Fraction(1, 20)
MAX_EPSILON = Fraction(10)
VIDEOS_PER_LIKER = 3
"""M: in per-video scopes a liker counts in the M videos they liked most recently."""

SEGMENTS = ((0, 7), (7, 28), (28, 60), (60, None))
"""Days before the release day that a liker's position (their latest like) falls in."""
DAYS = 60
"""The new-likers series has one cell per day for the last DAYS days, then `earlier`."""

HISTOGRAMS = ("likers", *DIMENSIONS, "new_likers")
"""Per scope: likers by segment, each dimension by segment, new likers by first-like day."""

SCOPE_SHARE = {"all": Fraction(1, 2), "video": Fraction(1, 2)}

HISTOGRAM_SHARE: dict[str, Fraction] = {
    "likers": Fraction(3, 7),
    "age_band": Fraction(5, 56),
    "region": Fraction(5, 56),
    "language": Fraction(5, 56),
    "device": Fraction(5, 56),
    "hour": Fraction(1, 7),
    "new_likers": Fraction(1, 14),
}
"""Each histogram's share of its scope's ε (weighted composition: the shares add up to 1).
The liker counts per window are read most, so `likers` gets the largest share; `hour`
keeps the share of an even split (1/7), so its noise is the scope's `scale`."""


@dataclass(frozen=True)
class Budget:
    """The noise scale of each scope for a day's ε."""

    epsilon: Fraction

    def sensitivity(self, scope: str) -> int:
        per_liker = len(HISTOGRAMS)
        return per_liker * (VIDEOS_PER_LIKER if scope == "video" else 1)

    def epsilon_of(self, scope: str) -> Fraction:
        return self.epsilon * SCOPE_SHARE[scope]

    def scale(self, scope: str) -> Fraction:
        """The scope's reference scale: sensitivity / the scope's share of ε, the scale of
        every histogram were ε split evenly among them (`hour`'s scale)."""
        return Fraction(self.sensitivity(scope)) / self.epsilon_of(scope)

    def histogram_epsilon(self, scope: str, histogram: str) -> Fraction:
        """What one histogram of the scope costs a liker on a day it is measured."""
        return self.epsilon_of(scope) * HISTOGRAM_SHARE[histogram]


def scale_factor(histogram: str) -> Fraction:
    """A histogram's scale over its scope's reference scale: 1 / (its share x the number of
    histograms), so the scope's cost stays the sum of the shares, its ε."""
    return 1 / (HISTOGRAM_SHARE[histogram] * len(HISTOGRAMS))
