"""One consistent release: whatever the noise, every answer agrees with itself and with
public data, and the post-processing reads nothing exact.

- Properties (hypothesis): the estimate of any noisy cells is whole, non-negative, each
  breakdown adds up to its segment, new likers to all likers and to at most each
  window's likers, nothing above the like total, nothing before the first posting; and
  every analytics answer of random worlds and keys is consistent as shown (every scope
  and window, "<τ" read as any of 0 to τ - 1).
- Least squares: on consistent input the estimate is the input (it changes only what
  disagrees), and it is exactly the closed form's minimiser (checked against brute
  force on a small case).
- A deliberately broken post-processing that reads the exact counts is caught by the
  attack test of the release's DP tests.
- The margins shown cover the truth about 90% of the time after post-processing.
"""

import math
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.utility import release_report, report_violations
from tests import test_release
from tests.test_release import (
    DP_BOUND,
    TEST_A,
    TEST_B,
    TRAIN,
    _memo_margin,
    _memo_noise,
    attack,
)
from tests.worlds import worlds
from wholiked.core.answers.analytics import WINDOWS
from wholiked.core.release import consistent, noise
from wholiked.core.release.accounting import DAYS, SEGMENTS
from wholiked.core.release.daily import DailyRelease
from wholiked.core.release.domains import DOMAINS
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database

DAY = date(2026, 11, 20)
MIDNIGHT = datetime(2026, 11, 20, tzinfo=UTC)

cells_strategy = st.dictionaries(
    st.tuples(
        st.sampled_from(["likers", "new_likers", *DOMAINS]),
        st.integers(0, DAYS),
        st.sampled_from(sorted({b for d in DOMAINS.values() for b in d} | {""})),
    ),
    st.integers(-80, 200),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(
    noisy=cells_strategy,
    background=st.integers(-30, 30),
    likes=st.integers(0, 400),
    posted_days=st.one_of(st.none(), st.integers(0, 200)),
)
def test_the_estimate_of_any_noisy_cells_is_consistent(
    noisy: dict, background: int, likes: int, posted_days: int | None
) -> None:
    """Random noisy cells (most of them `background`, some anything): the estimate keeps
    every promise, and nothing lands where public data says no like can be."""
    posted = None if posted_days is None else MIDNIGHT - timedelta(days=posted_days, hours=1)
    public = consistent.Public(likes=likes, first_posted=posted)
    est = consistent.estimate(lambda h, i, b: noisy.get((h, i, b), background), DAY, public)
    assert consistent.violations(est, public) == []
    for s, ok in enumerate(consistent.possible_segments(DAY, public)):
        assert ok or est.likers[s] == 0
    for i, ok in enumerate(consistent.possible_days(DAY, public)):
        assert ok or est.new_likers[i] == 0


def test_consistent_input_is_left_as_it_is() -> None:
    """Exact, consistent cells (no noise) come out unchanged: least squares only moves
    what disagrees, the projections leave what is already non-negative and in bounds."""
    truth = {("likers", 0, ""): 7, ("likers", 1, ""): 5, ("likers", 2, ""): 2}
    for d, domain in DOMAINS.items():
        truth[(d, 0, domain[0])] = 7
        truth[(d, 1, domain[1])] = 3
        truth[(d, 1, domain[-1])] = 2
        truth[(d, 2, domain[2])] = 2
    truth[("new_likers", 3, "")] = 6
    truth[("new_likers", 20, "")] = 4
    truth[("new_likers", 40, "")] = 4
    public = consistent.Public(likes=20, first_posted=MIDNIGHT - timedelta(days=90))
    est = consistent.estimate(lambda h, i, b: truth.get((h, i, b), 0), DAY, public)
    assert est.likers == (7, 5, 2, 0)
    assert {(i, n) for i, n in enumerate(est.new_likers) if n} == {(3, 6), (20, 4), (40, 4)}
    for (h, i, b), n in truth.items():
        if h in DOMAINS:
            assert est.buckets[h][b][i] == n


def test_least_squares_is_the_minimiser() -> None:
    """The closed form of step 1 minimises the squared distance to the noisy cells under
    the hierarchy's sums: nudging any segment's likers (the breakdowns and the new-likers
    series re-fitted to it) never lowers the distance."""
    noisy = {("likers", 0, ""): 30, ("likers", 1, ""): -4, ("new_likers", 5, ""): 9}
    noisy.update({("age_band", 0, "18-24"): 12, ("hour", 2, "03"): 7, ("region", 1, "US"): 25})

    def cell(h: str, i: int, b: str) -> float:
        return noisy.get((h, i, b), 0)

    w = 1 + sum(1 / len(domain) for domain in DOMAINS.values())
    n_new = DAYS + 1

    def distance(segments: list[float]) -> float:
        total = 0.0
        for s, value in enumerate(segments):
            total += (value - cell("likers", s, "")) ** 2
            for d, domain in DOMAINS.items():
                measured = sum(cell(d, s, b) for b in domain)
                total += (value - measured) ** 2 / len(domain)
        new = sum(cell("new_likers", i, "") for i in range(n_new))
        return total + (sum(segments) - new) ** 2 / n_new

    t = [
        (
            cell("likers", s, "")
            + sum(sum(cell(d, s, b) for b in dom) / len(dom) for d, dom in DOMAINS.items())
        )
        / w
        for s in range(len(SEGMENTS))
    ]
    shift = (sum(cell("new_likers", i, "") for i in range(n_new)) - sum(t)) / (n_new * w + len(t))
    best = [x + shift for x in t]
    for s in range(len(SEGMENTS)):
        for step in (-0.5, 0.5):
            nudged = list(best)
            nudged[s] += step
            assert distance(nudged) > distance(best)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    world=worlds(
        max_videos=3,
        like_times=[
            f"2026-1{m}-{d:02d}T0{h}:00:00Z"
            for m, d, h in ((0, 5, 1), (0, 28, 3), (1, 2, 5), (1, 14, 7), (1, 18, 9), (1, 19, 8))
        ],
    ),
    key=st.integers(0, 10**6),
)
def test_every_answer_of_random_worlds_is_consistent(
    world, key: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Random small worlds and keys: every creator's analytics, every scope and window, is
    consistent as shown (breakdowns can add up to their window's likers, windows nest,
    new likers within a window's likers, nothing above the scope's like total)."""
    folder = tmp_path_factory.mktemp("consistent")
    path = world.write(folder / "w.db")
    import sqlite3

    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO meta VALUES ('noise_key', ?)", (f"k{key}",))
    conn.close()
    service = Wholiked(open_database(path))
    try:
        for handle in world.users:
            user = service.user(handle)
            if not user.is_creator:
                continue
            for video in [None, *(v.video_id for v in service.totals(user).videos)]:
                likes = service.totals(user, video_id=video).totals.likes
                report = {
                    w: release_report(service.analytics(user, video_id=video, window=w))
                    for w in WINDOWS
                }
                assert report_violations(report, likes) == 0, (handle, video)
    finally:
        service.close()


def test_a_post_processing_that_reads_exact_counts_is_caught(tmp_path: Path, monkeypatch) -> None:
    """A deliberately broken post-processing: the estimate is fed the exact counts instead
    of the noisy cells (as a bug reading `counts` would). The DP attack test of the
    release (the window pair, 40 training keys on both worlds and 40 test keys per world,
    bound 0.927 as in the leaky-noise test) catches it: every attacker tells the worlds
    apart above the bound. The real post-processing passes that same attack test (the
    DP tests, unchanged)."""

    def exact(self: DailyRelease) -> consistent.Estimate:
        return consistent.estimate(
            lambda h, i, b: self.counts.get((h, i, b), 0), self.day, self.public
        )

    monkeypatch.setattr(DailyRelease, "estimate", exact)
    monkeypatch.setattr(noise, "noise", _memo_noise)
    monkeypatch.setattr(noise, "margin90", _memo_margin)
    n = test_release.LEAKY_KEYS
    result = attack(
        "window", tmp_path, verify=False, train=TRAIN[:n], test_a=TEST_A[:n], test_b=TEST_B[:n]
    )
    bound = DP_BOUND + 3.5 * 0.5 / math.sqrt(2 * n)
    assert min(result.threshold_accuracy, result.bayes_accuracy, result.focused_accuracy) > bound


def test_margins_cover_the_post_processed_values() -> None:
    """The ± shown is the exact 90% margin of the noise of the cells a value sums, a
    conservative bound for the post-processed value (least squares pools measurements,
    the projections only move a value towards what is possible). Synthetic creators of
    30, 300 and 3,000 likers (bench.utility's generator, fixed seed), 20 keys each, every
    window, the likers and every bucket of every dimension (7,600 values a size):
    |estimate - truth| <= margin for at least 90% of all values, and for at least 83% of
    those shown as numbers (clear of their margin: chosen for being large, so noise that
    pushed them up is over-represented; measured 0.86-0.92). Keys are fixed, so the
    outcome is deterministic; the observed shares are printed."""
    import random

    from bench.utility import SEED, synthetic
    from wholiked.core.answers.analytics import segments
    from wholiked.core.release.accounting import Budget

    rng = random.Random(SEED)
    posted = MIDNIGHT - timedelta(days=120)
    items = [("likers", "")] + [(d, b) for d, domain in DOMAINS.items() for b in domain]
    for size in (30, 300, 3_000):
        counts = synthetic(size, rng)
        public = consistent.Public(likes=2 * size, first_posted=posted)
        inside = total = inside_shown = shown = 0
        for k in range(20):
            release = DailyRelease(
                key=f"meta:coverage-{size}-{k}".encode(),
                creator_id=1,
                day=DAY,
                scope="all",
                scale=Budget(Fraction(1)).scale("all"),
                threshold=5,
                counts=counts,
                public=public,
            )
            for days in WINDOWS.values():
                covered = segments(days)
                for h, b in items:
                    released = release.total(h, covered, b)
                    value = release.estimate().total(h, covered, b)
                    ok = abs(value - sum(counts[(h, i, b)] for i in covered)) <= released.margin90
                    inside += ok
                    total += 1
                    if isinstance(released.value, int) and released.value > released.margin90:
                        inside_shown += ok
                        shown += 1
        print(f"\n{size} likers: {inside / total:.3f} of {total}, shown {inside_shown}/{shown}")
        assert inside / total >= 0.90
        assert shown == 0 or inside_shown / shown >= 0.83
