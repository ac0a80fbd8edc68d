"""The privacy accounting of one creator's daily release: what each statistic costs.

One liker account is the unit of privacy (user-level DP, add or remove one account
and all of its likes). Every statistic is a histogram in which a liker moves one
cell by one, so its L1 sensitivity is 1 (M for per-video scopes, where a liker counts
in at most M videos). The two scopes split the day's ε in half; within a scope each
histogram h gets its share s_h of the scope's ε (weighted basic composition, the
shares adding up to 1): discrete Laplace noise of scale Δ_h / (s_h ε_scope) on its
cells, so the scope is ε_scope-DP and the day's release ε-DP. Every scale is an
exact Fraction; the tests check the sums against OpenDP's own privacy maps.

Per-video scopes are released only for videos whose public like total makes them
meaningful (`min_video_likes`: conditioning on public data costs nothing). A day with
no such video releases no per-video scope, and the all-videos scope takes the whole
ε (`ALONE_SHARE`): the breakdowns get three times their share, `likers` and
`new_likers` keep theirs (so a new-likers cell, released once, keeps its scale).
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


ALONE_SHARE: dict[str, Fraction] = {
    "likers": Fraction(3, 14),
    "age_band": Fraction(15, 112),
    "region": Fraction(15, 112),
    "language": Fraction(15, 112),
    "device": Fraction(15, 112),
    "hour": Fraction(3, 14),
    "new_likers": Fraction(1, 28),
}
"""Each histogram's share of the day's ε when no per-video scope is released (the
all-videos scope alone, the shares adding up to 1): `likers` and `new_likers` the same ε
as with per-video scopes (3/7 and 1/14 of half), each breakdown three times its ε (the
half the per-video scopes would have taken goes to the breakdowns, in proportion)."""

MIN_VIDEO_LIKES_MARGINS = 2
"""A video's scope is released when its public like total is at least this many times
the 90% margin of its all-time liker count (`min_video_likes`)."""


@dataclass(frozen=True)
class Budget:
    """The noise scale of each scope for a day's ε; `videos`: whether the day releases any
    per-video scope (else the all-videos scope takes the whole ε, `ALONE_SHARE`)."""

    epsilon: Fraction
    videos: bool = True

    def sensitivity(self, scope: str) -> int:
        per_liker = len(HISTOGRAMS)
        return per_liker * (VIDEOS_PER_LIKER if scope == "video" else 1)

    def epsilon_of(self, scope: str) -> Fraction:
        if not self.videos:
            return self.epsilon if scope == "all" else Fraction(0)
        return self.epsilon * SCOPE_SHARE[scope]

    def shares(self) -> dict[str, Fraction]:
        """Each histogram's share of its scope's ε on such a day."""
        return HISTOGRAM_SHARE if self.videos else ALONE_SHARE

    def factor(self, histogram: str) -> Fraction:
        """A histogram's scale over its scope's reference scale (`scale_factor`)."""
        return scale_factor(histogram, self.videos)

    def scale(self, scope: str) -> Fraction:
        """The scope's reference scale: sensitivity / the scope's share of ε, the scale of
        every histogram were ε split evenly among them (`hour`'s scale)."""
        return Fraction(self.sensitivity(scope)) / self.epsilon_of(scope)

    def histogram_epsilon(self, scope: str, histogram: str) -> Fraction:
        """What one histogram of the scope costs a liker on a day it is measured."""
        return self.epsilon_of(scope) * self.shares()[histogram]

    def histogram_scale(self, scope: str, histogram: str) -> Fraction:
        """The discrete Laplace scale of the histogram's cells: its sensitivity (1, or M in
        a per-video scope) over its ε."""
        return self.scale(scope) * self.factor(histogram)


def min_video_likes(budget: Budget) -> int:
    """The public like total from which a video's own scope is released: twice the 90%
    margin of its all-time liker count at this ε (65 at ε = 1, so 130). A video with
    fewer likes has fewer likers than its noise reaches: nothing in its scope could stand
    clear of the noise, so it is not released (and costs nothing)."""
    from wholiked.core.release import noise

    shared = Budget(budget.epsilon, videos=True)
    scale = shared.histogram_scale("video", "likers")
    return MIN_VIDEO_LIKES_MARGINS * noise.margin90(scale, len(SEGMENTS))


def scale_factor(histogram: str, videos: bool = True) -> Fraction:
    """A histogram's scale over its scope's reference scale: 1 / (its share x the number of
    histograms), so the scope's cost stays the sum of the shares, its ε (`videos`: on a
    day that releases per-video scopes, else `ALONE_SHARE`)."""
    shares = HISTOGRAM_SHARE if videos else ALONE_SHARE
    return 1 / (shares[histogram] * len(HISTOGRAMS))
