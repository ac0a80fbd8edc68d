"""Utility of the daily release: is what a creator sees consistent, accurate and honest?

    python -m bench.utility [--keys N]     (also a section of `make bench`)

Synthetic creators of about 30, 100, 300, 1,000, 3,000 and 10,000 likers (their true
cells drawn from a fixed seed: positions spread over 90 days, attributes from skewed
lists, one all-videos scope whose videos were posted 120 days ago), each released under
N noise keys at ε = 1 (40 by default: the median of six errors swings from 3 to 13 for
one noise law), plus the demo's two creators. Each synthetic creator is released on a
day with per-video scopes (all videos get half of ε) and on a day with none (a world's
`meta.dp_video_min_likes` above every video: all videos get the whole ε). For each, as
the analytics JSON shows it (every window):

- consistency violations: a breakdown that does not add up to its window's likers, a
  window above a longer one, new likers in a window above its likers, a count above
  the scope's like total (target 0);
- the median |released - true| of the 28-day liker count (target <= 8 at every size);
- the share of empty buckets (true count 0) shown as a number (target <= 10%): a value
  counts as shown when the display shows it, a number clear of its margin;
- the mean total-variation distance between released and true breakdown shares, for
  creators with >= 1,000 likers (target <= 0.07), and what the raw noisy cells (clamped
  at 0, the release before post-processing) gave.
"""

import argparse
import random
import statistics
import sys
import tempfile
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

from wholiked.core.answers.analytics import WINDOWS, breakdown, new_likers_per_day, segments
from wholiked.core.answers.analytics_records import Analytics
from wholiked.core.release import consistent
from wholiked.core.release.accounting import DAYS, SEGMENTS, Budget
from wholiked.core.release.counting import Counts
from wholiked.core.release.daily import DailyRelease
from wholiked.core.release.domains import DOMAINS

SIZES = (30, 100, 300, 1_000, 3_000, 10_000)
KEYS = 40
DAY = date(2026, 11, 20)
SEED = 20
TARGET_ERROR = 8
TARGET_EMPTY = 0.10
TARGET_TV = 0.07


def synthetic(likers: int, rng: random.Random) -> Counts:
    """True cells of an all-videos scope: each liker a latest like (position) and a first
    like, skewed attributes."""
    counts: Counts = Counter()
    weights = {d: [1 / (1 + i) ** 1.3 for i in range(len(v))] for d, v in DOMAINS.items()}
    for _ in range(likers):
        latest = min(int(rng.expovariate(1 / 25)), 119)
        first = min(latest + int(rng.expovariate(1 / 20)), 119)
        segment = next(i for i, (s, e) in enumerate(SEGMENTS) if e is None or latest < e)
        counts[("likers", segment, "")] += 1
        counts[("new_likers", min(first, DAYS), "")] += 1
        for d, domain in DOMAINS.items():
            counts[(d, segment, rng.choices(domain, weights[d])[0])] += 1
    return counts


def report_of(release: DailyRelease) -> dict:
    """What the analytics JSON shows of a release, every window."""
    return {
        w: {
            "likers": release.total("likers", segments(days)),
            "breakdowns": {d: breakdown(release, d, days) for d in DOMAINS},
            "days": new_likers_per_day(release, days),
        }
        for w, days in WINDOWS.items()
    }


def _bounds(item, threshold: int) -> tuple[int, int]:
    """What a shown value says of the count: itself, or 0 to τ - 1 for "<τ"."""
    return (item.value, item.value) if isinstance(item.value, int) else (0, threshold - 1)


def report_violations(report: dict, like_total: int, threshold: int = 5) -> int:
    """Consistency violations of an answer as shown (every window), "<τ" read as any of
    0 to τ - 1: a breakdown that cannot add up to its window's likers, a window that must
    exceed a longer one, more new likers in a window than its likers, a count above the
    scope's like total."""
    found = 0
    windows = []
    if any(report[w]["likers"] is None for w in report):
        return 0  # a video whose scope is not released: nothing noisy shown
    for w in WINDOWS:
        low, high = _bounds(report[w]["likers"], threshold)
        windows.append((low, high))
        found += low > like_total
        for buckets in report[w]["breakdowns"].values():
            bounds = [_bounds(b, threshold) for b in buckets.values()]
            found += sum(lo for lo, _ in bounds) > high or sum(hi for _, hi in bounds) < low
            found += sum(lo > like_total for lo, _ in bounds)
        days = [_bounds(v, threshold) for d, v in report[w]["days"].items() if d != "earlier"]
        found += sum(lo for lo, _ in days) > high
    found += sum(a[0] > b[1] for a, b in zip(windows, windows[1:], strict=False))
    return found


def shown(released) -> bool:
    """Shown as a number: a whole number, clear of its margin (what the display draws)."""
    return isinstance(released.value, int) and released.value > released.margin90


def tv(shares_a: dict[str, float], shares_b: dict[str, float]) -> float:
    return sum(abs(shares_a[b] - shares_b[b]) for b in shares_a) / 2


def shares(values: dict[str, int]) -> dict[str, float] | None:
    total = sum(values.values())
    return None if total <= 0 else {b: v / total for b, v in values.items()}


def measure(
    counts: Counts, key: str, like_total: int, posted: datetime, videos: bool = True
) -> dict:
    """One release of the all-videos scope as the JSON shows it; `videos`: on a day that
    releases per-video scopes (half of ε), else the all-videos scope alone (all of it)."""
    public = consistent.Public(likes=like_total, first_posted=posted)
    budget = Budget(Fraction(1), videos=videos)
    release = DailyRelease(
        key=f"meta:{key}".encode(),
        creator_id=1,
        day=DAY,
        scope="all",
        scale=budget.scale("all"),
        threshold=5,
        counts=counts,
        public=public,
        videos=videos,
    )
    report = report_of(release)
    exact = len(consistent.violations(release.estimate(), public))
    true_28 = sum(counts[("likers", i, "")] for i in segments(28))
    out = {
        "violations": exact + report_violations(report, like_total),
        "error28": abs(report["28d"]["likers"].number - true_28),
        "empty": 0,
        "empty_shown": 0,
        "tv": [],
        "tv_raw": [],
    }
    for w, days in WINDOWS.items():
        covered = segments(days)
        for d, buckets in report[w]["breakdowns"].items():
            truth = {b: sum(counts[(d, i, b)] for i in covered) for b in buckets}
            for b, r in buckets.items():
                if truth[b] == 0:
                    out["empty"] += 1
                    out["empty_shown"] += shown(r)
            true_shares = shares(truth)
            ours = shares({b: r.number for b, r in buckets.items()})
            raw = shares({b: max(release.noisy_sum(d, covered, b), 0) for b in buckets})
            if true_shares and ours:
                out["tv"].append(tv(true_shares, ours))
            if true_shares and raw:
                out["tv_raw"].append(tv(true_shares, raw))
    return out


def run(keys: int) -> list[tuple[str, str, str, bool]]:
    rng = random.Random(SEED)
    posted = datetime.combine(DAY, datetime.min.time(), UTC) - timedelta(days=120)
    rows = []
    all_violations = 0
    for size in SIZES:
        counts = synthetic(size, rng)
        like_total = int(size * 1.6)
        results = [measure(counts, f"utility-{size}-{k}", like_total, posted) for k in range(keys)]
        alone = [
            measure(counts, f"utility-{size}-{k}", like_total, posted, videos=False)
            for k in range(keys)
        ]
        all_violations += sum(r["violations"] for r in alone)
        all_violations += sum(r["violations"] for r in results)
        error = statistics.median(r["error28"] for r in results)
        empty = sum(r["empty"] for r in results)
        empty_shown = sum(r["empty_shown"] for r in results) / empty if empty else 0.0
        rows.append(
            (
                f"{size:,} likers: median |released - true|, 28-day likers",
                f"{error:g}",
                f"<= {TARGET_ERROR}",
                error <= TARGET_ERROR,
            )
        )
        rows.append(
            (
                f"{size:,} likers: empty buckets shown as a number",
                f"{empty_shown:.1%} of {empty:,}",
                f"<= {TARGET_EMPTY:.0%}",
                empty_shown <= TARGET_EMPTY,
            )
        )
        error_alone = statistics.median(r["error28"] for r in alone)
        rows.append(
            (
                f"{size:,} likers, no per-video scope: median |released - true|, 28-day likers",
                f"{error_alone:g}",
                f"<= {TARGET_ERROR}",
                error_alone <= TARGET_ERROR,
            )
        )
        empty_alone = sum(r["empty_shown"] for r in alone) / empty if empty else 0.0
        rows.append(
            (
                f"{size:,} likers, no per-video scope: empty buckets shown as a number",
                f"{empty_alone:.1%} of {empty:,}",
                f"<= {TARGET_EMPTY:.0%}",
                empty_alone <= TARGET_EMPTY,
            )
        )
        if size >= 1_000:
            for label, found in (("", results), (", no per-video scope", alone)):
                ours = statistics.mean(t for r in found for t in r["tv"])
                raw = statistics.mean(t for r in found for t in r["tv_raw"])
                rows.append(
                    (
                        f"{size:,} likers{label}: mean TV distance of breakdown shares",
                        f"{ours:.3f} (raw cells clamped: {raw:.3f})",
                        f"<= {TARGET_TV}",
                        ours <= TARGET_TV,
                    )
                )
    rows.insert(
        0,
        (
            f"consistency violations in {2 * len(SIZES) * keys * len(WINDOWS)} answers",
            str(all_violations),
            "0",
            all_violations == 0,
        ),
    )
    rows += demo_rows(keys)
    return rows


def demo_rows(keys: int) -> list[tuple[str, str, str, bool]]:
    """The demo's creators as the app shows them (every window), under `keys` keys."""
    import os
    import sqlite3

    from wholiked.core.service import Wholiked
    from wholiked.core.store.database import open_database
    from wholiked.fixtures.demo import DEMO_BIG_CREATOR, DEMO_CREATOR, build_demo

    rows = []
    home = os.environ.get("WHOLIKED_HOME")
    with tempfile.TemporaryDirectory(prefix="wholiked-utility-") as folder:
        os.environ["WHOLIKED_HOME"] = str(Path(folder) / "home")
        path = Path(folder) / "demo.db"
        build_demo(path, noise_key="utility-0")
        found = 0
        answers = 0
        for k in range(keys):
            conn = sqlite3.connect(path)
            with conn:
                conn.execute("UPDATE meta SET value = ? WHERE key = 'noise_key'", (f"utility-{k}",))
            conn.close()
            service = Wholiked(open_database(path))
            try:
                for handle in (DEMO_CREATOR, DEMO_BIG_CREATOR):
                    user = service.user(handle)
                    videos = [None] + [v.video_id for v in service.totals(user).videos]
                    for video in videos:
                        like_total = service.totals(user, video_id=video).totals.likes
                        report = {}
                        for w in WINDOWS:
                            a = service.analytics(user, video_id=video, window=w)
                            report[w] = release_report(a)
                        found += report_violations(report, like_total)
                        answers += len(WINDOWS)
            finally:
                service.close()
        rows.append(
            (
                f"demo creators: consistency violations in {answers} answers",
                str(found),
                "0",
                found == 0,
            )
        )
    if home is None:
        os.environ.pop("WHOLIKED_HOME", None)
    else:
        os.environ["WHOLIKED_HOME"] = home
    return rows


def release_report(a: Analytics) -> dict:
    """The released parts of an answer, as `report_violations` reads them."""
    return {"likers": a.likers, "breakdowns": a.breakdowns, "days": a.new_likers_per_day}


def print_rows(rows: list[tuple[str, str, str, bool]]) -> None:
    print("| utility (ε = 1) | measured | target | met |")
    print("|---|---|---|---|")
    for measure_, figure, target, met in rows:
        print(f"| {measure_} | {figure} | {target} | {'yes' if met else 'NO'} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=KEYS, help="noise keys per creator")
    args = parser.parse_args(argv)
    rows = run(args.keys)
    print_rows(rows)
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
