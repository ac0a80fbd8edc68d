"""The release's noise layer: exact keyed discrete Laplace, its law, its margins, its epsilon.

Every test is deterministic: keys and identities are fixed, so a statistical test either
always passes or always fails. The false-alarm rate stated in each docstring is the chance
that a *correct* sampler fails it for a key drawn at random; with the fixed keys it is the
chance that this file would have been unlucky when written.
"""

import ast
import hashlib
import hmac
import json
import math
import os
import subprocess
import sys
from bisect import bisect_right
from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from statistics import NormalDist

import opendp.prelude as dp
import pytest

from wholiked.core.release import noise as noise_module
from wholiked.core.release.noise import (
    KeyedStream,
    bernoulli,
    bernoulli_exp,
    discrete_laplace,
    encode_identity,
    epsilon_of,
    margin90,
    noise,
    pmf,
    prob_within,
    scale_for,
    tail_bound,
    uniform,
)

KEY = b"wholiked-test-key"
ALPHA = 1e-4  # false-alarm rate of each statistical check below
SOURCE = Path(noise_module.__file__)


# ---------------------------------------------------------------- statistics helpers


def z_two_sided(alpha: float = ALPHA) -> float:
    """Standard normal quantile z with P(|N(0,1)| > z) = alpha (3.891 for 1e-4)."""
    return NormalDist().inv_cdf(1 - alpha / 2)


def chi2_critical(df: int, alpha: float = ALPHA) -> float:
    """Upper-alpha chi-square quantile by Wilson–Hilferty (1931):
    df * (1 - 2/(9 df) + z * sqrt(2/(9 df)))**3, z the upper-alpha normal quantile.
    For df = 32, alpha = 1e-4 this gives 70.79 (tables: 70.70)."""
    z = NormalDist().inv_cdf(1 - alpha)
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def tail_at_least(a: int, scale: Fraction) -> float:
    """Closed form P(Z >= a) = q**a / (1 + q), q = exp(-1/scale), for a >= 1."""
    q = math.exp(-1 / float(scale))
    return q**a / (1 + q)


def chi2_statistic(
    draws: Sequence[int], edges: Sequence[int], scale: Fraction
) -> tuple[float, int]:
    """Pearson's statistic of `draws` against the exact law, and its degrees of freedom.

    Bins: (-inf, edges[0]), [edges[i], edges[i+1]) and [edges[-1], inf). Every expected
    count must be >= 5 for the chi-square approximation to hold; this asserts it.
    """
    lo, hi = edges[0], edges[-1]
    expected = [tail_at_least(-lo + 1, scale)]
    expected += [sum(pmf(z, scale) for z in range(a, b)) for a, b in pairwise(edges)]
    expected.append(tail_at_least(hi, scale))
    assert abs(sum(expected) - 1) < 1e-9
    n = len(draws)
    assert min(expected) * n >= 5, "bins too thin for the chi-square approximation"
    observed = [0] * len(expected)
    for z in draws:
        if z < lo:
            observed[0] += 1
        elif z >= hi:
            observed[-1] += 1
        else:
            observed[bisect_right(edges, z)] += 1
    stat = sum((o - n * p) ** 2 / (n * p) for o, p in zip(observed, expected, strict=True))
    return stat, len(expected) - 1


def moments(scale: Fraction) -> tuple[float, float]:
    """Exact variance 2q/(1-q)^2 and fourth moment (summed from the PMF) of Lap_Z(scale)."""
    q = math.exp(-1 / float(scale))
    var = 2 * q / (1 - q) ** 2
    top = int(60 * float(scale)) + 60
    mu4 = 2 * sum(z**4 * pmf(z, scale) for z in range(1, top))
    return var, mu4


def draws_of(sampler: Callable[[KeyedStream], int], label: str, n: int) -> list[int]:
    """n draws, each from its own fixed stream (KEY, (label, i)), as the release does."""
    return [sampler(KeyedStream(KEY, (label, i))) for i in range(n)]


UNIT_BINS = list(range(-15, 17))  # [-15..15] one integer each, plus z < -15 and z > 15


# ---------------------------------------------------------------- the sampler's law


@pytest.mark.parametrize(
    ("scale", "edges"),
    [
        (Fraction(3), UNIT_BINS),
        (Fraction(5, 2), UNIT_BINS),
        (Fraction(1, 3), list(range(-1, 3))),  # s = 3 > t: exercises Y = floor(X / s)
        (Fraction(42), list(range(-105, 106, 7))),  # width-7 bins
    ],
)
def test_sampler_matches_exact_pmf(scale: Fraction, edges: list[int]) -> None:
    """20,000 draws fit the exact PMF: chi-square below the 1e-4 critical value (Wilson–
    Hilferty), |mean| <= 3.89 sd/sqrt(N) and |sample var - 2q/(1-q)^2| <= 3.89
    sqrt((mu4 - var^2)/N) (CLT, two-sided 1e-4 each). False alarm <= 3e-4 per scale."""
    n = 20_000
    draws = draws_of(lambda s: discrete_laplace(s, scale), f"law-{scale}", n)
    stat, df = chi2_statistic(draws, edges, scale)
    assert stat < chi2_critical(df), (stat, df, chi2_critical(df))

    var, mu4 = moments(scale)
    mean = sum(draws) / n
    assert abs(mean) <= z_two_sided() * math.sqrt(var / n), mean
    sample_var = sum((z - mean) ** 2 for z in draws) / (n - 1)
    assert abs(sample_var - var) <= z_two_sided() * math.sqrt((mu4 - var**2) / n), (
        sample_var,
        var,
    )


def _no_minus_zero_rejection(stream: KeyedStream) -> int:
    """CKS Algorithm 2 at scale 3 with one realistic bug: "-0" is kept, doubling P(0)."""
    t = 3
    while True:
        u = uniform(stream, t)
        if not bernoulli_exp(stream, Fraction(u, t)):
            continue
        v = 0
        while bernoulli_exp(stream, 1):
            v += 1
        return -(u + t * v) if stream.randbits(1) else u + t * v


def _rounded_float_laplace(stream: KeyedStream) -> int:
    """The naive sampler: a continuous Laplace(3) from a 53-bit uniform, rounded."""
    u = (stream.randbits(53) + 0.5) / 2**53
    magnitude = -3.0 * math.log(u)
    return round(-magnitude if stream.randbits(1) else magnitude)


@pytest.mark.parametrize(
    ("name", "sampler", "n"),
    [
        ("scale twice too large", lambda s: discrete_laplace(s, Fraction(6)), 20_000),
        ("scale 10% too large", lambda s: discrete_laplace(s, Fraction(33, 10)), 20_000),
        ("-0 not rejected", _no_minus_zero_rejection, 20_000),
        ("rounded float Laplace", _rounded_float_laplace, 200_000),
    ],
)
def test_goodness_of_fit_rejects_wrong_samplers(
    name: str, sampler: Callable[[KeyedStream], int], n: int
) -> None:
    """The chi-square check of the test above, against Lap_Z(3), rejects wrong samplers.

    Expected statistic (noncentrality + df) vs critical 70.8: 26,000 (2x scale), 230 (10%
    too large), 2,060 (-0 kept); the rounded float Laplace differs from Lap_Z(3) only by
    P(0) = 0.154 vs 0.165, so it needs N = 200,000 (expected 230). A miss (correct
    rejection failing) has probability < 1e-6 for each."""
    draws = draws_of(sampler, f"wrong-{name}", n)
    stat, df = chi2_statistic(draws, UNIT_BINS, Fraction(3))
    assert stat > chi2_critical(df), (name, stat)


@pytest.mark.parametrize("gamma", [Fraction(0), Fraction(1, 3), Fraction(1), Fraction(5, 2)])
def test_bernoulli_exp_frequency(gamma: Fraction) -> None:
    """Bernoulli(exp(-gamma)) (CKS Algorithm 1, both branches) hits exp(-gamma): over 20,000
    draws |freq - p| <= 3.89 sqrt(p(1-p)/N) (two-sided 1e-4); gamma = 0 is always true."""
    n = 20_000
    hits = sum(bernoulli_exp(KeyedStream(KEY, ("bexp", str(gamma), i)), gamma) for i in range(n))
    p = math.exp(-float(gamma))
    assert abs(hits / n - p) <= z_two_sided() * math.sqrt(p * (1 - p) / n) + 1e-12


def test_uniform_and_bernoulli_frequencies() -> None:
    """uniform(7) is flat: chi-square over 7 cells of 14,000 draws below the 1e-4 critical
    value; bernoulli(2/7) within 3.89 sd of 2/7 (1e-4); p = 0 and 1 are exact. Both from
    one stream, also checking that draws keep advancing it. False alarm <= 2e-4."""
    stream = KeyedStream(KEY, ("uniform",))
    n = 14_000
    counts = [0] * 7
    for _ in range(n):
        counts[uniform(stream, 7)] += 1
    stat = sum((c - n / 7) ** 2 / (n / 7) for c in counts)
    assert stat < chi2_critical(6), counts
    p = Fraction(2, 7)
    hits = sum(bernoulli(stream, p) for _ in range(n))
    assert abs(hits / n - float(p)) <= z_two_sided() * math.sqrt(float(p * (1 - p)) / n)
    assert not any(bernoulli(stream, 0) for _ in range(100))
    assert all(bernoulli(stream, 1) for _ in range(100))
    assert uniform(stream, 1) == 0


# ---------------------------------------------------------------- keyed determinism


def test_same_key_and_identity_give_the_same_stream() -> None:
    """Recomputing a statistic gives the same noise and the same bits: no hidden state."""
    ident = ("likes", "2024-05-01", 7)
    assert noise(KEY, ident, Fraction(12)) == noise(KEY, ident, Fraction(12))
    a, b = KeyedStream(KEY, ident), KeyedStream(KEY, ident)
    assert [a.randbits(13) for _ in range(200)] == [b.randbits(13) for _ in range(200)]


def test_other_identity_or_key_gives_another_stream() -> None:
    """Changing the identity or the key changes the first 256 bits (a collision would be a
    SHA-256 collision) and, over 200 statistics, the noise values."""
    ident = ("likes", "2024-05-01", 7)
    first = KeyedStream(KEY, ident).randbits(256)
    assert KeyedStream(KEY, ("likes", "2024-05-01", 8)).randbits(256) != first
    assert KeyedStream(KEY, ("likes", "2024-05-02", 7)).randbits(256) != first
    assert KeyedStream(b"another key", ident).randbits(256) != first
    ours = [noise(KEY, ("x", i), Fraction(12)) for i in range(200)]
    theirs = [noise(b"another key", ("x", i), Fraction(12)) for i in range(200)]
    assert ours != theirs


def test_stream_is_the_documented_hmac_and_pinned() -> None:
    """The stream is HMAC-SHA256(key, domain || encode(identity) || counter), and its bytes
    and the first noise values are pinned: changing them silently would change every
    published figure (a known-answer test, not a statistical one)."""
    ident = ("likes", "2024-05-01", 7)
    stream = KeyedStream(KEY, ident)
    message = b"wholiked.release.noise.v1\x00" + encode_identity(ident)
    for i in range(3):
        expected = hmac.new(KEY, message + i.to_bytes(8, "big"), hashlib.sha256).digest()
        assert stream.block(i) == expected
    # randbits reads each block as a big-endian integer, least significant bits first
    assert stream.randbits(256) == int.from_bytes(stream.block(0), "big")
    assert stream.block(0).hex() == (
        "5d849598806b7d9e23de18b5027c9542c905495e9e0f4bc96f2ed79041e7f8c6"
    )
    values = [noise(KEY, ("likes", "2024-05-01", i), Fraction(12)) for i in range(10)]
    assert values == [25, -8, -11, -1, -9, 21, 14, -6, -13, 26]


def test_draws_agree_across_processes() -> None:
    """A fresh interpreter with another PYTHONHASHSEED draws the same values and bits, so
    nothing depends on hash() randomisation or process state."""
    code = (
        "import json; from fractions import Fraction as F;"
        "from wholiked.core.release.noise import KeyedStream, noise;"
        f"k = {KEY!r};"
        "print(json.dumps([[noise(k, ('p', i, 'é'), F(5, 2)) for i in range(50)],"
        " KeyedStream(k, ('p', -3)).block(5).hex()]))"
    )
    here = [[noise(KEY, ("p", i, "é"), Fraction(5, 2)) for i in range(50)]]
    here.append(KeyedStream(KEY, ("p", -3)).block(5).hex())
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert json.loads(out.stdout) == here


def test_identity_encoding_is_unambiguous() -> None:
    """Identities that would collide under naive joining encode differently; ints and strs
    are tagged; bools and other types are refused rather than aliased."""
    pairs = [
        (("a", "bc"), ("ab", "c")),
        ((1,), ("1",)),
        (("",), ()),
        (("", ""), ("",)),
        ((-1,), (255,)),
        ((1, 2), (12,)),
        (("a\x00",), ("a",)),
    ]
    for x, y in pairs:
        assert encode_identity(x) != encode_identity(y), (x, y)
        assert KeyedStream(KEY, x).block(0) != KeyedStream(KEY, y).block(0)
    ints = [*range(-300, 301), 2**70, -(2**70)]
    encodings = {encode_identity((i,)) for i in ints} | {encode_identity((str(i),)) for i in ints}
    assert len(encodings) == 2 * len(ints)
    for bad in [(True,), (1.0,), (b"a",), (None,)]:
        with pytest.raises(TypeError):
            encode_identity(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        encode_identity(["a"])  # type: ignore[arg-type]


def test_inputs_that_would_bring_floats_in_are_refused() -> None:
    """Scales, probabilities and gammas are int or Fraction: a float would put rounding into
    the sampler. Nonpositive scales and empty keys are refused too."""
    stream = KeyedStream(KEY, ("refuse",))
    with pytest.raises(TypeError):
        discrete_laplace(stream, 3.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        bernoulli(stream, 0.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        discrete_laplace(stream, Fraction(0))
    with pytest.raises(ValueError):
        bernoulli_exp(stream, Fraction(-1))
    with pytest.raises(ValueError):
        KeyedStream(b"", ("x",))


# ---------------------------------------------------------------- PMF and margins


@pytest.mark.parametrize("scale", [Fraction(1, 3), Fraction(1), Fraction(5, 2), Fraction(42)])
def test_pmf_is_the_discrete_laplace(scale: Fraction) -> None:
    """pmf sums to 1 and has ratio exp(-1/t) between neighbours (float tolerance 1e-12)."""
    top = int(80 * float(scale)) + 80
    assert math.isclose(sum(pmf(z, scale) for z in range(-top, top + 1)), 1, rel_tol=1e-12)
    q = math.exp(-1 / float(scale))
    for z in (0, 1, 5):
        assert math.isclose(pmf(z + 1, scale) / pmf(z, scale), q, rel_tol=1e-12)
        assert pmf(-z, scale) == pmf(z, scale)


SCALES = [Fraction(1, 3), Fraction(1, 2), Fraction(1), Fraction(5, 2), Fraction(3)]
SCALES += [Fraction(12), Fraction(42), Fraction(1000)]


@pytest.mark.parametrize("scale", SCALES)
def test_margin90_single_cell_matches_closed_form(scale: Fraction) -> None:
    """For one cell, P(|Z| <= m) = 1 - 2 q^(m+1) / (1 + q) exactly; margin90 is the smallest
    m reaching 0.90 and prob_within agrees with the closed form to 1e-12."""
    q = math.exp(-1 / float(scale))
    m = 0
    while 1 - 2 * q ** (m + 1) / (1 + q) < 0.90:
        m += 1
    assert margin90(scale) == m
    for k in {0, max(m - 1, 0), m, 3 * m + 2}:
        assert abs(prob_within(k, scale) - (1 - 2 * q ** (k + 1) / (1 + q))) < 1e-12


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("alpha", [0.05, 0.05 / 24, 1e-4])
def test_tail_bound_single_cell_matches_closed_form(scale: Fraction, alpha: float) -> None:
    """For one cell, P(Z > t) = q^(t+1) / (1 + q) exactly; tail_bound is the smallest t whose
    tail is at most alpha (the one below it is over alpha), and it grows with the cells."""
    q = math.exp(-1 / float(scale))
    t = tail_bound(scale, 1, alpha)
    assert q ** (t + 1) / (1 + q) <= alpha + 1e-12
    assert t == 0 or q**t / (1 + q) > alpha - 1e-12
    assert tail_bound(scale, 2, alpha) >= t


@pytest.mark.parametrize("scale", [Fraction(1, 2), Fraction(5, 2), Fraction(3)])
def test_prob_within_matches_direct_convolution(scale: Fraction) -> None:
    """For 2..4 cells, P(|sum| <= m) from the negative-binomial form equals a brute-force
    convolution of the Laplace PMF truncated at |z| <= 60t + 60 (mass lost < 1e-20), to
    1e-11 for every m in [0, 40]."""
    top = int(60 * float(scale)) + 60
    one = {z: pmf(z, scale) for z in range(-top, top + 1)}
    law = dict(one)
    for cells in range(2, 5):
        nxt: dict[int, float] = {}
        for a, pa in law.items():
            for b, pb in one.items():
                nxt[a + b] = nxt.get(a + b, 0.0) + pa * pb
        law = nxt
        for m in range(41):
            direct = math.fsum(p for z, p in law.items() if abs(z) <= m)
            assert abs(prob_within(m, scale, cells) - direct) < 1e-11, (cells, m)
        m = margin90(scale, cells)
        assert prob_within(m, scale, cells) >= 0.90 > prob_within(m - 1, scale, cells)


@pytest.mark.parametrize(
    ("scale", "cells", "sums"),
    [(Fraction(3), 2, 5_000), (Fraction(5, 2), 8, 5_000), (Fraction(12), 64, 1_000)],
)
def test_margin90_by_monte_carlo(scale: Fraction, cells: int, sums: int) -> None:
    """Sums of `cells` sampled noises fall within ±margin90 as often as computed: the fraction
    inside m is within 3.89 sd of prob_within(m) (two-sided 1e-4), and within 0.90 ± (slack
    3.89 sqrt(0.09/sums) + the jump prob_within(m) - prob_within(m-1)); the same for m - 1,
    which must fall short. False alarm <= 2e-4 per case."""
    m = margin90(scale, cells)
    totals = [
        sum(
            discrete_laplace(KeyedStream(KEY, ("mc", str(scale), j, c)), scale)
            for c in range(cells)
        )
        for j in range(sums)
    ]
    z = z_two_sided()
    slack = z * math.sqrt(0.09 / sums)
    jump = prob_within(m, scale, cells) - prob_within(m - 1, scale, cells)
    for k in (m, m - 1):
        p = prob_within(k, scale, cells)
        inside = sum(abs(t) <= k for t in totals) / sums
        assert abs(inside - p) <= z * math.sqrt(p * (1 - p) / sums), (k, inside, p)
        assert abs(inside - 0.90) <= slack + jump, (k, inside)
    assert prob_within(m, scale, cells) >= 0.90 > prob_within(m - 1, scale, cells)


def test_margin90_grows_with_cells_and_scale() -> None:
    """margin90 is nondecreasing in cells (1..64) and in scale, grows like sqrt(cells), and
    is within 3% + 1 of the normal approximation 1.6449 sigma sqrt(n) at n = 64 (CLT)."""
    scales = [Fraction(1, 2), Fraction(1), Fraction(5, 2), Fraction(3), Fraction(12), Fraction(42)]
    table = {s: [margin90(s, n) for n in range(1, 65)] for s in scales}
    for s in scales:
        assert table[s] == sorted(table[s]), s
        sigma = math.sqrt(moments(s)[0])
        normal = NormalDist().inv_cdf(0.95) * sigma * 8
        assert abs(table[s][-1] - normal) <= 0.03 * normal + 1, (s, table[s][-1], normal)
    for n in range(64):
        column = [table[s][n] for s in scales]
        assert column == sorted(column), n
    assert margin90(Fraction(12), 4) > margin90(Fraction(12), 1)


# ---------------------------------------------------------------- accounting


def test_epsilon_and_scale_are_inverse() -> None:
    """epsilon = sensitivity / scale exactly (Fractions), and scale_for inverts it."""
    assert epsilon_of(Fraction(12), 1) == Fraction(1, 12)
    assert epsilon_of(Fraction(5, 2), 3) == Fraction(6, 5)
    for eps in (Fraction(1, 10), Fraction(1), Fraction(7, 3)):
        for sensitivity in (1, 2, 5):
            scale = scale_for(eps, sensitivity)
            assert epsilon_of(scale, sensitivity) == eps
    with pytest.raises(ValueError):
        scale_for(Fraction(0), 1)
    with pytest.raises(TypeError):
        epsilon_of(2.5, 1)  # type: ignore[arg-type]


def test_calibration_agrees_with_opendp() -> None:
    """OpenDP 0.16's discrete Laplace measurement over integers, at the same scale, has a
    privacy map that at d_in = sensitivity gives our epsilon_of (float, rounded up by
    OpenDP, so >= the exact Fraction and within 1e-12 relative); a composition of several
    spends the sum; and its accuracy at alpha = 0.10 floors to our margin90 for one cell."""
    dp.enable_features("contrib")
    space = dp.atom_domain(T=int), dp.absolute_distance(T=int)
    scales = [
        Fraction(1, 2),
        Fraction(5, 2),
        Fraction(3),
        Fraction(12),
        Fraction(42),
        Fraction(1, 3),
    ]
    measurements = []
    for scale in scales:
        measurement = dp.m.make_laplace(*space, scale=float(scale))
        measurements.append(measurement)
        for sensitivity in (1, 2, 7):
            theirs = measurement.map(sensitivity)
            ours = epsilon_of(scale, sensitivity)
            assert Fraction(theirs) >= ours
            assert math.isclose(theirs, float(ours), rel_tol=1e-12), (scale, sensitivity)
        accuracy = dp.discrete_laplacian_scale_to_accuracy(float(scale), 0.10)
        assert math.floor(accuracy) == margin90(scale), (scale, accuracy)
    composed = dp.c.make_composition(measurements)
    for sensitivity in (1, 3):
        total = sum(epsilon_of(s, sensitivity) for s in scales)
        assert math.isclose(composed.map(sensitivity), float(total), rel_tol=1e-12)
        assert Fraction(composed.map(sensitivity)) >= total


# ---------------------------------------------------------------- no floats, no global RNG

SAMPLING = {
    "KeyedStream",
    "uniform",
    "_bern_ratio",
    "_bern_exp_unit",
    "_bern_exp",
    "_as_fraction",
    "bernoulli",
    "bernoulli_exp",
    "discrete_laplace",
    "noise",
}


def test_source_has_no_global_rng_and_no_floats_in_sampling() -> None:
    """noise.py imports no random/secrets/numpy and calls no hash(); the sampling functions
    (listed by name) contain no float literal, no true division, no float() and no math.*,
    so every draw is integer and Fraction arithmetic only."""
    source = SOURCE.read_text()
    tree = ast.parse(source)
    imported = {
        a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    imported |= {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
    }
    assert "import random" not in source
    assert imported <= {
        "__future__",
        "hashlib",
        "hmac",
        "math",
        "fractions",
        "functools",
        "operator",
    }
    found = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in SAMPLING:
            found.add(node.name)
            for sub in ast.walk(node):
                assert not (isinstance(sub, ast.Constant) and isinstance(sub.value, float)), (
                    node.name
                )
                assert not (isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Div)), node.name
                assert not (isinstance(sub, ast.Name) and sub.id in {"float", "math", "hash"}), (
                    node.name
                )
    assert found == SAMPLING
