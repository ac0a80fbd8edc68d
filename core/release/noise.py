"""Keyed, exact discrete Laplace noise for the daily release, and its accounting.

Why keyed: a statistic published every day must get the *same* noise each time it is
recomputed (otherwise averaging re-runs would wash the noise out), so each draw is a pure
function of a secret key and the statistic's identity. The bits come from HMAC-SHA256 in
counter mode; nothing here touches Python's `hash()`, the `random` module or the OS RNG.

Why exact: floating-point samplers leak through the gaps in their output (Mironov 2012), so
sampling uses integers and `Fraction` only, after Canonne, Kamath and Steinke 2020, "The
Discrete Gaussian for Differential Privacy" (Algorithm 1: Bernoulli(exp(-gamma));
Algorithm 2: discrete Laplace). Floats appear only in `pmf`, `prob_within` and `margin90`,
which describe the noise for display and tests and never feed a draw.

Accounting: the discrete Laplace with scale t, P(Z = z) proportional to exp(-|z|/t), makes a
count of L1 sensitivity D (D/t)-differentially private; `epsilon_of` and `scale_for` say so.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from fractions import Fraction
from functools import lru_cache
from operator import mul

__all__ = [
    "KeyedStream",
    "encode_identity",
    "uniform",
    "bernoulli",
    "bernoulli_exp",
    "discrete_laplace",
    "noise",
    "pmf",
    "prob_within",
    "margin90",
    "epsilon_of",
    "scale_for",
]

Identity = tuple[str | int, ...]
Rational = Fraction | int

# Domain separation: a different use of the same key can never produce the same messages.
_DOMAIN = b"wholiked.release.noise.v1\x00"
_BLOCK_BITS = 256


def encode_identity(identity: Identity) -> bytes:
    """Encode a statistic's identity unambiguously, so distinct identities get distinct streams.

    Layout: part count (8 bytes), then per part a type tag (b"s" str, b"i" int), an 8-byte
    length and the payload (UTF-8, or two's-complement big-endian in (bit_length + 8) // 8
    bytes). The encoding is prefix-free, so ("a", "bc") != ("ab", "c") and (1,) != ("1",).
    It is a stored format: changing it changes every published value.
    """
    if not isinstance(identity, tuple):
        raise TypeError(f"identity must be a tuple, not {type(identity).__name__}")
    out = [len(identity).to_bytes(8, "big")]
    for part in identity:
        if isinstance(part, bool):  # bool is an int subclass; refuse rather than alias 1/True
            raise TypeError("identity parts must be str or int, not bool")
        if isinstance(part, str):
            tag, payload = b"s", part.encode("utf-8")
        elif isinstance(part, int):
            tag, payload = b"i", part.to_bytes((part.bit_length() + 8) // 8, "big", signed=True)
        else:
            raise TypeError(f"identity parts must be str or int, not {type(part).__name__}")
        out += [tag, len(payload).to_bytes(8, "big"), payload]
    return b"".join(out)


class KeyedStream:
    """Deterministic uniform bits for one (key, identity): HMAC-SHA256(key, id || counter).

    Same key and identity give the same bits in every process and on every machine; without
    the key the bits are unpredictable, so published noise cannot be subtracted off.
    """

    __slots__ = ("_base", "_counter", "_buffer", "_available")

    def __init__(self, key: bytes, identity: Identity) -> None:
        if not isinstance(key, bytes | bytearray) or not key:
            raise ValueError("key must be non-empty bytes")
        self._base = hmac.new(bytes(key), _DOMAIN + encode_identity(identity), hashlib.sha256)
        self._counter = 0
        self._buffer = 0  # unread bits, least significant first
        self._available = 0

    def block(self, index: int) -> bytes:
        """Return the 32-byte block number `index` of the stream (for tests and audits)."""
        mac = self._base.copy()
        mac.update(index.to_bytes(8, "big"))
        return mac.digest()

    def randbits(self, k: int) -> int:
        """Return the next k bits of the stream as an integer in [0, 2**k)."""
        if k < 0:
            raise ValueError("k must be >= 0")
        while self._available < k:
            word = int.from_bytes(self.block(self._counter), "big")
            self._counter += 1
            self._buffer |= word << self._available
            self._available += _BLOCK_BITS
        out = self._buffer & ((1 << k) - 1)
        self._buffer >>= k
        self._available -= k
        return out


def uniform(stream: KeyedStream, n: int) -> int:
    """Uniform integer in [0, n), by rejection (exact: no modulo bias)."""
    if n <= 0:
        raise ValueError("n must be >= 1")
    k = (n - 1).bit_length()
    while True:
        r = stream.randbits(k)
        if r < n:
            return r


def _bern_ratio(stream: KeyedStream, num: int, den: int) -> bool:
    """Bernoulli(num/den) for 0 <= num <= den."""
    return uniform(stream, den) < num


def _bern_exp_unit(stream: KeyedStream, num: int, den: int) -> bool:
    """Bernoulli(exp(-num/den)) for 0 <= num/den <= 1 (CKS 2020, Algorithm 1, first case).

    Draws A_k ~ Bernoulli(gamma/k) until one fails; P(the first failure is at odd k) equals
    sum_k (-gamma)^k / k! = exp(-gamma).
    """
    k = 1
    while _bern_ratio(stream, num, den * k):
        k += 1
    return k % 2 == 1


def _bern_exp(stream: KeyedStream, num: int, den: int) -> bool:
    """Bernoulli(exp(-num/den)) for num/den >= 0 (CKS 2020, Algorithm 1)."""
    whole, rest = divmod(num, den)
    for _ in range(whole):  # exp(-gamma) = exp(-1)^floor(gamma) * exp(-frac(gamma))
        if not _bern_exp_unit(stream, 1, 1):
            return False
    return _bern_exp_unit(stream, rest, den)


def _as_fraction(value: Rational, name: str) -> Fraction:
    """Accept int or Fraction only: a float would smuggle rounding into the sampler."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise TypeError(f"{name} must be an int or Fraction, not {type(value).__name__}")
    return Fraction(value)


def bernoulli(stream: KeyedStream, p: Rational) -> bool:
    """Exact Bernoulli(p) for rational p in [0, 1]."""
    p = _as_fraction(p, "p")
    if not 0 <= p <= 1:
        raise ValueError("p must be in [0, 1]")
    return _bern_ratio(stream, p.numerator, p.denominator)


def bernoulli_exp(stream: KeyedStream, gamma: Rational) -> bool:
    """Exact Bernoulli(exp(-gamma)) for rational gamma >= 0 (CKS 2020, Algorithm 1)."""
    gamma = _as_fraction(gamma, "gamma")
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    return _bern_exp(stream, gamma.numerator, gamma.denominator)


def discrete_laplace(stream: KeyedStream, scale: Rational) -> int:
    """One exact draw Z with P(Z = z) proportional to exp(-|z|/scale) (CKS 2020, Algorithm 2).

    With scale = t/s in lowest terms: X = U + t*V, with U uniform in [0, t) kept with
    probability exp(-U/t) and V geometric with P(V = v) proportional to exp(-v), is geometric
    with ratio exp(-1/t); Y = floor(X/s) is geometric with ratio exp(-s/t); a random sign,
    rejecting "-0", makes it two-sided. The expected number of rounds is bounded independent
    of t, so large scales are as fast as small ones.
    """
    scale = _as_fraction(scale, "scale")
    if scale <= 0:
        raise ValueError("scale must be > 0")
    t, s = scale.numerator, scale.denominator
    while True:
        u = uniform(stream, t)
        if not _bern_exp_unit(stream, u, t):
            continue
        v = 0
        while _bern_exp_unit(stream, 1, 1):
            v += 1
        y = (u + t * v) // s
        negative = stream.randbits(1) == 1
        if negative and y == 0:
            continue
        return -y if negative else y


def noise(key: bytes, identity: Identity, scale: Rational) -> int:
    """The noise for one statistic: a discrete Laplace draw fixed by (key, identity)."""
    return discrete_laplace(KeyedStream(key, identity), scale)


def pmf(z: int, scale: Rational) -> float:
    """P(Z = z) = tanh(1/(2t)) * exp(-|z|/t), the exact law `discrete_laplace` samples."""
    scale = _as_fraction(scale, "scale")
    if scale <= 0:
        raise ValueError("scale must be > 0")
    x = 1.0 / float(scale)
    return math.tanh(x / 2) * math.exp(-abs(z) * x)


_TAIL = 1e-13  # mass left out of each truncated negative binomial (<= the 1e-12 asked for)


@lru_cache(maxsize=256)
def _sum_law(scale: Fraction, cells: int) -> tuple[list[float], list[float]]:
    """PMF and CDF of NB(cells, q) = sum of `cells` geometrics, truncated at tail < _TAIL.

    Why: a discrete Laplace is G1 - G2 for iid geometrics G with P(G = k) = (1-q) q^k, so a sum
    of n of them is N1 - N2 with N1, N2 iid negative binomial(n, q). The law of the sum is then
    the convolution of N1 with -N2, which `prob_within` evaluates through the CDF in O(K)
    instead of convolving n wide Laplace PMFs (O(K^2) per step in pure Python).
    """
    x = 1.0 / float(scale)
    q, log_q, log_1mq = math.exp(-x), -x, math.log(-math.expm1(-x))  # no 1 - q cancellation
    lg_n = math.lgamma(cells)
    mode = max(0, math.floor((cells - 1) * q / (1 - q)))
    pmf_, cdf, total, k = [], [], 0.0, 0
    while True:
        p = math.exp(
            math.lgamma(k + cells) - math.lgamma(k + 1) - lg_n + cells * log_1mq + k * log_q
        )
        total += p
        pmf_.append(p)
        cdf.append(total)
        if k > mode:
            # Past the mode the ratio r_j = q (j + n) / (j + 1) falls with j, so the tail after k
            # is at most p * r / (1 - r) with r = r_k: a rigorous stopping rule.
            r = q * (k + cells) / (k + 1)
            if r < 1 and p * r / (1 - r) < _TAIL:
                return pmf_, cdf
        k += 1


def prob_within(m: int, scale: Rational, cells: int = 1) -> float:
    """P(|Z1 + ... + Zn| <= m) for n = `cells` iid discrete Laplace(scale) (accurate to ~1e-12)."""
    scale = _as_fraction(scale, "scale")
    if scale <= 0:
        raise ValueError("scale must be > 0")
    if cells < 1:
        raise ValueError("cells must be >= 1")
    if m < 0:
        return 0.0
    nb, cdf = _sum_law(scale, cells)
    size = len(nb)
    # P(|N1 - N2| <= m) = sum_k P(N2 = k) * (F(k + m) - F(k - m - 1)), F the truncated CDF;
    # shifted copies of F let the two sums run in C (this is called ~13 times per margin).
    upper = (cdf[m:] + [cdf[-1]] * min(m, size))[:size]
    lower = ([0.0] * min(m + 1, size) + cdf)[:size]
    return float(sum(map(mul, nb, upper)) - sum(map(mul, nb, lower)))


@lru_cache(maxsize=1024)
def _margin90(scale: Fraction, cells: int) -> int:
    nb, _ = _sum_law(scale, cells)
    lo, hi = 0, len(nb)  # prob_within(len(nb)) is 1 - (truncated mass) >= 0.9
    while lo < hi:
        mid = (lo + hi) // 2
        if prob_within(mid, scale, cells) >= 0.90:
            hi = mid
        else:
            lo = mid + 1
    return lo


@lru_cache(maxsize=256)
def _tail_bound(scale: Fraction, cells: int, alpha: float) -> int:
    nb, _ = _sum_law(scale, cells)
    lo, hi = 0, len(nb)
    while lo < hi:  # P(S > t) = (1 - P(|S| <= t)) / 2, the law being symmetric
        mid = (lo + hi) // 2
        if (1 - prob_within(mid, scale, cells)) / 2 <= alpha:
            hi = mid
        else:
            lo = mid + 1
    return lo


def tail_bound(scale: Rational, cells: int, alpha: float) -> int:
    """Smallest t with P(Z1 + ... + Zn > t) <= alpha, n = `cells`: how far noise alone lifts
    a sum above its true value with probability at most alpha (one side)."""
    scale = _as_fraction(scale, "scale")
    if scale <= 0 or cells < 1 or not 0 < alpha < 0.5:
        raise ValueError("scale must be > 0, cells >= 1 and 0 < alpha < 0.5")
    return _tail_bound(scale, cells, alpha)


def margin90(scale: Rational, cells: int = 1) -> int:
    """Smallest m with P(|Z1 + ... + Zn| <= m) >= 0.90, n = `cells`: the "±m" shown to users.

    `cells` is how many noisy cells are added up into the figure shown (their noises add).
    """
    scale = _as_fraction(scale, "scale")
    if scale <= 0:
        raise ValueError("scale must be > 0")
    if cells < 1:
        raise ValueError("cells must be >= 1")
    return _margin90(scale, cells)


def epsilon_of(scale: Rational, sensitivity: int) -> Fraction:
    """Privacy loss of discrete Laplace(scale) on a count of L1 sensitivity D: D / scale."""
    scale = _as_fraction(scale, "scale")
    if scale <= 0 or sensitivity < 0:
        raise ValueError("scale must be > 0 and sensitivity >= 0")
    return Fraction(sensitivity) / scale


def scale_for(epsilon: Rational, sensitivity: int) -> Fraction:
    """Scale that spends exactly `epsilon` on a count of L1 sensitivity D: D / epsilon."""
    epsilon = _as_fraction(epsilon, "epsilon")
    if epsilon <= 0 or sensitivity <= 0:
        raise ValueError("epsilon and sensitivity must be > 0")
    return Fraction(sensitivity) / epsilon
