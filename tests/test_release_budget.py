"""The split of the daily ε among the release's histograms (README, "The daily release"):
weighted shares that compose to exactly the day's ε, checked against OpenDP's privacy
maps, with the liker counts the most accurate; least squares weighted by the noise."""

import math
import random
import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import opendp.prelude as dp
import pytest

from wholiked.core.release import accounting, consistent
from wholiked.core.release.accounting import (
    HISTOGRAM_SHARE,
    HISTOGRAMS,
    SEGMENTS,
    VIDEOS_PER_LIKER,
    Budget,
    scale_factor,
)
from wholiked.core.release.counting import Counts
from wholiked.core.release.daily import DailyRelease
from wholiked.core.release.domains import DOMAINS

DAY = date(2026, 11, 20)


def test_shares_compose_to_the_days_epsilon_in_opendp() -> None:
    """Each histogram is an OpenDP discrete Laplace measurement over integers at the scale
    the release uses (`DailyRelease.scale_of`); at d_in = its sensitivity (1, or M = 3 in
    the per-video scopes) the composition of a scope's seven spends the scope's share of
    ε, and the two scopes the day's ε (OpenDP's floats round up: >= the exact Fractions,
    within 1e-12)."""
    dp.enable_features("contrib")
    space = dp.atom_domain(T=int), dp.absolute_distance(T=int)
    assert sum(HISTOGRAM_SHARE.values()) == 1 and set(HISTOGRAM_SHARE) == set(HISTOGRAMS)
    for epsilon in (Fraction(1), Fraction(1, 4), Fraction(3)):
        budget = Budget(epsilon)
        day = 0.0
        for scope, sensitivity in (("all", 1), ("video", VIDEOS_PER_LIKER)):
            release = DailyRelease(
                key=b"k", creator_id=1, day=DAY, scope=scope, scale=budget.scale(scope),
                threshold=5, counts=Counts(),
            )  # fmt: skip
            parts = [
                dp.m.make_laplace(*space, scale=float(release.scale_of(h))) for h in HISTOGRAMS
            ]
            spent = dp.c.make_composition(parts).map(sensitivity)
            assert math.isclose(spent, float(budget.epsilon_of(scope)), rel_tol=1e-12)
            assert Fraction(spent) >= budget.epsilon_of(scope)
            for h, part in zip(HISTOGRAMS, parts, strict=True):
                assert math.isclose(
                    part.map(sensitivity), float(budget.histogram_epsilon(scope, h)), rel_tol=1e-12
                )
            day += spent
        assert math.isclose(day, float(epsilon), rel_tol=1e-12)


def test_the_liker_counts_get_the_largest_share_and_hour_keeps_the_reference_scale() -> None:
    """`likers` has the largest share (the counts read most); `hour` keeps an even split's
    share, so its scale is the scope's reference scale (the posting-schedule tip's bar is
    computed from it)."""
    assert max(HISTOGRAM_SHARE, key=lambda h: HISTOGRAM_SHARE[h]) == "likers"
    assert scale_factor("hour") == 1
    assert Budget(Fraction(1)).scale("all") * scale_factor("likers") == Fraction(14, 3)


def test_least_squares_weighs_each_histogram_by_its_noise() -> None:
    """A precise `likers` cell against breakdowns 10x noisier: the fitted segment stays
    near the likers cell (weighted), not half way to the breakdowns' sum (even weights)."""
    day = DAY
    public = consistent.Public(likes=10_000, first_posted=datetime(2020, 1, 1, tzinfo=UTC))

    def cell(h: str, i: int, b: str) -> int:
        if h == "likers":
            return 100 if i == 0 else 0
        return 0

    scales = {h: Fraction(1) if h == "likers" else Fraction(10) for h in HISTOGRAMS}
    weighted = consistent.estimate(cell, day, public, scales).likers[0]
    even = consistent.estimate(cell, day, public).likers[0]
    assert weighted >= 97 and even <= 70


def _creator(likers: int, rng: random.Random) -> Counts:
    """A creator's true cells: latest likes spread over about 90 days, skewed attributes."""
    counts: Counts = Counter()
    for _ in range(likers):
        latest = min(int(rng.expovariate(1 / 25)), 119)
        first = min(latest + int(rng.expovariate(1 / 20)), 119)
        segment = next(i for i, (_, e) in enumerate(SEGMENTS) if e is None or latest < e)
        counts[("likers", segment, "")] += 1
        counts[("new_likers", min(first, accounting.DAYS), "")] += 1
        for d, domain in DOMAINS.items():
            weights = [1 / (1 + i) ** 1.3 for i in range(len(domain))]
            counts[(d, segment, rng.choices(domain, weights)[0])] += 1
    return counts


def _median_error_28d(counts: Counts, keys: int) -> float:
    posted = datetime.combine(DAY, datetime.min.time(), UTC) - timedelta(days=120)
    public = consistent.Public(likes=10**6, first_posted=posted)
    truth = counts[("likers", 0, "")] + counts[("likers", 1, "")]
    errors = []
    for k in range(keys):
        release = DailyRelease(
            key=f"meta:budget-{k}".encode(), creator_id=1, day=DAY, scope="all",
            scale=Budget(Fraction(1)).scale("all"), threshold=5, counts=counts, public=public,
        )  # fmt: skip
        errors.append(abs(release.estimate().total("likers", [0, 1]) - truth))
    return statistics.median(errors)


KEYS = 100


def test_the_28_day_liker_count_is_within_8_at_the_median(monkeypatch) -> None:
    """A creator of 1,000 likers at ε = 1 over 100 fixed keys: the median |released - true|
    of the 28-day liker count is <= 8 (the target). Bound: the raw error is the sum of two
    `likers` cells of scale 14/3, |S| > 8 with probability 0.335, so a median above 8 (50
    of 100 above it) happens by chance with probability 4.8e-4 (binomial tail; least
    squares and the bounds only shrink the error). Under the old even split (scale 14,
    |S| > 8 with probability 0.73) the same test fails: checked here, its median being
    above 8 with probability 1 - 1.4e-6. Keys are fixed: deterministic."""
    counts = _creator(1_000, random.Random(20))
    assert _median_error_28d(counts, KEYS) <= 8
    even = {h: Fraction(1, len(HISTOGRAMS)) for h in HISTOGRAMS}
    monkeypatch.setattr(accounting, "HISTOGRAM_SHARE", even)
    assert _median_error_28d(counts, KEYS) > 8


@pytest.mark.parametrize("scope", ["all", "video"])
def test_the_reference_scale_is_unchanged(scope: str) -> None:
    """The scope's reference scale (Δ/ε of the scope) is what it was: 14 and 42 at ε = 1."""
    assert Budget(Fraction(1)).scale(scope) == (14 if scope == "all" else 42)
