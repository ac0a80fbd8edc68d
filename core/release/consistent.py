"""One consistent release: a scope's noisy cells post-processed into non-negative whole
counts that agree with each other and with public data.

The noisy cells are not shown as they are: a breakdown would not add up to its total,
a shorter window could exceed a longer one, an empty bucket would show noise. From the
noisy cells alone, plus public data (the scope's like total, when its videos were
posted), this estimates counts such that every breakdown adds up to its segment's
likers (so to every window's total), windows nest (they are sums of non-negative
segments), new likers in a window are at most the window's likers, and nothing exceeds
the scope's like total. It reads nothing else, so it costs no privacy.

The estimator, after Hay, Rastogi, Miklau and Suciu, "Boosting the accuracy of
differentially private histograms through consistency" (VLDB 2010), and the US Census
Bureau's TopDown algorithm (least squares, then non-negativity, then rounding that keeps
the sums, level by level):

1. Least squares over the hierarchy, weighted by the inverse of each histogram's noise
   variance (the histograms have their own shares of ε, `accounting.HISTOGRAM_SHARE`),
   so the best linear unbiased estimate. Per segment s the likers L_s are measured
   directly (r_s, variance v_L) and, through each of the five dimensions d, as the sum
   S_sd of its n_d buckets (variance n_d v_d). The minimiser, under sum_b x_sdb = L_s,
   is closed form: with p = 1/v_L + sum_d 1/(n_d v_d),
   L_s = (r_s / v_L + sum_d S_sd / (n_d v_d)) / p.
   New likers are measured per day for the last 60 days only (each day's cell released
   once); the days before are all likers less those, so the series says nothing more
   about the total.
2. Public bounds and non-negativity, top-down: segments no like can fall in (before the
   scope's first video was posted) are 0; the rest are projected onto {L >= 0,
   sum L <= the scope's like total}. Each breakdown of a segment is projected onto the
   simplex {x >= 0, sum x = its total} (Euclidean
   projection: x_b = max(y_b - theta, 0)), which for an unclipped answer is exactly the
   least-squares adjustment y_b + (total - sum y) / n. The new-likers days are clipped
   at 0 and, if they add up to more than all likers, projected onto that total; the
   days before take the rest.
3. Rounding that keeps the sums: the running sums of a list are rounded, so every cell
   is whole, non-negative and within 1 of its estimate, and the list adds up to its
   (whole) total; the new-likers running sums are also capped by the likers of each
   window, so no window has more new likers than likers.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

from wholiked.core.release.accounting import DAYS, SEGMENTS
from wholiked.core.release.domains import DOMAINS

NEW_CELLS = DAYS + 1


@dataclass(frozen=True)
class Public:
    """What is public about a scope: its like total (no count can exceed it) and when its
    first video was posted (no like, so no liker, before that)."""

    likes: int
    first_posted: datetime | None


@dataclass(frozen=True)
class Estimate:
    """A scope's consistent counts: likers by segment, each dimension's buckets by
    segment, new likers by day (index 0 = the day before the release day, DAYS = earlier)."""

    likers: tuple[int, ...]
    buckets: dict[str, dict[str, tuple[int, ...]]]
    new_likers: tuple[int, ...]

    def total(self, histogram: str, indices: Sequence[int], bucket: str = "") -> int:
        if histogram == "likers":
            return sum(self.likers[i] for i in indices)
        if histogram == "new_likers":
            return sum(self.new_likers[i] for i in indices)
        return sum(self.buckets[histogram][bucket][i] for i in indices)

    def as_json(self) -> dict[str, Any]:
        return {"likers": self.likers, "buckets": self.buckets, "new_likers": self.new_likers}

    @classmethod
    def from_json(cls, data: Any) -> "Estimate | None":
        """An estimate as `as_json` wrote it, or None if it is not one (every list of the
        right length of whole numbers, every dimension and bucket of the public domains)."""

        def counts(value: Any, length: int) -> tuple[int, ...] | None:
            ok = isinstance(value, list) and len(value) == length
            ok = ok and all(type(n) is int and n >= 0 for n in value)
            return tuple(value) if ok else None

        if not isinstance(data, dict) or not isinstance(data.get("buckets"), dict):
            return None
        likers = counts(data.get("likers"), len(SEGMENTS))
        new_likers = counts(data.get("new_likers"), NEW_CELLS)
        buckets: dict[str, dict[str, tuple[int, ...]]] = {}
        for dimension, domain in DOMAINS.items():
            found = data["buckets"].get(dimension)
            if not isinstance(found, dict) or sorted(found) != sorted(domain):
                return None
            buckets[dimension] = {}
            for bucket in domain:
                if (cells := counts(found[bucket], len(SEGMENTS))) is None:
                    return None
                buckets[dimension][bucket] = cells
        if likers is None or new_likers is None or len(data["buckets"]) != len(DOMAINS):
            return None
        return cls(likers, buckets, new_likers)


def _moment(day: date, days_before: int) -> datetime:
    return datetime.combine(day, time(), UTC) - timedelta(days=days_before)


def possible_segments(day: date, public: Public) -> list[bool]:
    """A segment can hold likers only if a video was posted before its end (nearer end)."""
    if public.first_posted is None:
        return [False] * len(SEGMENTS)
    return [public.first_posted < _moment(day, start) for start, _ in SEGMENTS]


def possible_days(day: date, public: Public) -> list[bool]:
    """A new-likers day can hold likers only if a video was posted before its end."""
    if public.first_posted is None:
        return [False] * NEW_CELLS
    return [public.first_posted < _moment(day, i) for i in range(NEW_CELLS)]


def simplex(
    values: Sequence[float], total: float, allowed: Sequence[bool] | None = None
) -> list[float]:
    """The Euclidean projection of `values` onto {x >= 0, sum x = total} (x = 0 where not
    allowed): x_i = max(v_i - theta, 0), theta found by sorting."""
    allowed = allowed or [True] * len(values)
    free = [v for v, ok in zip(values, allowed, strict=True) if ok]
    if total <= 0 or not free:
        return [0.0] * len(values)
    ordered = sorted(free, reverse=True)
    running, theta = 0.0, 0.0
    for k, v in enumerate(ordered, start=1):
        running += v
        candidate = (running - total) / k
        if v - candidate > 0:
            theta = candidate
    return [max(v - theta, 0.0) if ok else 0.0 for v, ok in zip(values, allowed, strict=True)]


def round_keeping_sum(
    values: Sequence[float], total: int, caps: Sequence[int] | None = None
) -> list[int]:
    """Whole numbers within 1 of `values` (non-negative) that add up to `total`: the running
    sums rounded, each capped (caps[i] bounds the sum of the first i + 1), never falling."""
    out, before, running = [], 0, 0.0
    for i, v in enumerate(values):
        running += v
        whole = total if i == len(values) - 1 else min(int(running + 0.5), total)
        if caps is not None:
            whole = min(whole, caps[i])
        whole = max(whole, before)
        out.append(whole - before)
        before = whole
    return out


def variance(scale: Fraction) -> float:
    """The weight's variance of a cell of this scale: 2 t^2, the continuous Laplace's (the
    discrete law's, 2q / (1 - q)^2 with q = e^(-1/t), is 2 t^2 - 1/6 + O(1/t^2): only
    the ratios between histograms matter here)."""
    return float(2 * scale * scale)


def estimate(
    cell: Callable[[str, int, str], int],
    day: date,
    public: Public,
    scales: Mapping[str, Fraction] | None = None,
) -> Estimate:
    """The consistent counts of a scope from its noisy cells (`cell(histogram, index,
    bucket)`), the noise scale of each histogram (equal when not given) and public data;
    see the module doc."""
    segments = range(len(SEGMENTS))
    var = {h: variance(scales[h]) if scales else 1.0 for h in ("likers", *DOMAINS)}
    raw = {
        d: {b: [float(cell(d, s, b)) for s in segments] for b in domain}
        for d, domain in DOMAINS.items()
    }
    precision = 1 / var["likers"] + sum(1 / (len(raw[d]) * var[d]) for d in raw)
    t = [
        (
            cell("likers", s, "") / var["likers"]
            + sum(sum(raw[d][b][s] for b in raw[d]) / (len(raw[d]) * var[d]) for d in raw)
        )
        / precision
        for s in segments
    ]
    least_squares = t

    allowed = possible_segments(day, public)
    clipped = [max(x, 0.0) if ok else 0.0 for x, ok in zip(least_squares, allowed, strict=True)]
    if sum(clipped) > public.likes:
        clipped = simplex(least_squares, public.likes, allowed)
    total = min(int(sum(clipped) + 0.5), public.likes)
    likers = round_keeping_sum(clipped, total)

    buckets: dict[str, dict[str, list[int]]] = {d: {b: [] for b in raw[d]} for d in raw}
    for s in segments:
        for d, by_bucket in raw.items():
            names = list(by_bucket)
            shares = simplex([by_bucket[b][s] for b in names], likers[s])
            for b, n in zip(names, round_keeping_sum(shares, likers[s]), strict=True):
                buckets[d][b].append(n)

    window_likers = [sum(likers[: i + 1]) for i in segments]
    caps = []
    for i in range(NEW_CELLS):
        caps.append(
            min(
                [
                    window_likers[k]
                    for k, (_, end) in enumerate(SEGMENTS)
                    if end is not None and i < end
                ]
                + [total]
            )
        )
    possible = possible_days(day, public)
    new = [float(cell("new_likers", i, "")) for i in range(DAYS)]
    if possible[DAYS]:  # the days before the series may hold likers: they take the rest
        series = [max(v, 0.0) if ok else 0.0 for v, ok in zip(new, possible, strict=False)]
        if sum(series) > total:
            series = simplex(new, total, possible[:DAYS])
        series.append(max(total - sum(series), 0.0))
    else:
        series = simplex([*new, 0.0], total, possible)
    days = round_keeping_sum(series, total, caps)
    return Estimate(
        likers=tuple(likers),
        buckets={d: {b: tuple(v) for b, v in by.items()} for d, by in buckets.items()},
        new_likers=tuple(days),
    )


def violations(est: Estimate, public: Public) -> list[str]:
    """Every way the estimate breaks the consistency it promises (none, unless broken)."""
    found = []
    values = [*est.likers, *est.new_likers]
    values += [v for by in est.buckets.values() for cells in by.values() for v in cells]
    if any(not isinstance(v, int) or v < 0 for v in values):
        found.append("a count is not a whole number >= 0")
    for s, likers in enumerate(est.likers):
        for d, by in est.buckets.items():
            if sum(cells[s] for cells in by.values()) != likers:
                found.append(f"{d} of segment {s} does not add up to its likers")
    if sum(est.new_likers) != sum(est.likers):
        found.append("new likers do not add up to all likers")
    window = 0
    for s, (_, end) in enumerate(SEGMENTS):
        window += est.likers[s]
        if end is not None and sum(est.new_likers[:end]) > window:
            found.append(f"more new likers than likers in the last {end} days")
    if sum(est.likers) > public.likes:
        found.append("more likers than the scope's like total")
    return found
