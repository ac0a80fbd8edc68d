"""The privacy accounting of one creator's daily release: what each statistic costs.

One liker account is the unit of privacy (user-level DP, add or remove one account
and all of its likes). Every statistic is a histogram in which a liker moves one
cell by one, so its L1 sensitivity is 1; the scope's sensitivity is the number of
histograms a liker touches (times M for per-video scopes, where a liker counts in
at most M videos). Discrete Laplace noise of scale Δ/ε on every cell makes the
whole scope ε-DP (the sum of the per-histogram losses, basic composition); the two
scopes split the day's budget in half, so the day's release is ε-DP.
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
        """Discrete Laplace scale t with sensitivity / t = the scope's share of ε."""
        return Fraction(self.sensitivity(scope)) / self.epsilon_of(scope)
