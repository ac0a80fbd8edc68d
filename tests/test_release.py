"""The daily release keeps the README's promise ("Analytics and tips"): attacks
that isolated one anonymous liker under exact small-count suppression (window, scope and
threshold differencing, block padding, the day series, the posting-schedule tip) do no
better than user-level ε-DP allows, and provably would without the noise; the release is
consistent across processes and frozen for the day; its 90% margins are honest; the noise
path has no floating-point sampler.

How the attack statistics work (stated once; each test gives its numbers):

- World pairs A/B differ by one anonymous liker L (a private account the creator does not
  follow), or by one attribute of L, and by nothing any user can see: L's like is either
  counted by today's release (liked before the release day's 00:00Z) or given today (after
  it), so like totals, anonymous counts and every visible-only tip are the same in A and B
  (asserted).
- Noise keys: a fixed list. The attacker trains on TRAIN keys run on *both* worlds (an
  attacker who knows the mechanism can simulate both with keys of their own), and is tested
  on independent samples: TEST_A keys on world A, disjoint TEST_B keys on world B.
- Bound: a test between the outputs of two ε-DP neighbours has balanced accuracy
  (TPR + TNR) / 2 <= e^ε / (1 + e^ε); with ε = 1 (the whole day's budget, both scopes)
  that is 0.7311. With n = 200 independent test samples (100 per world) the standard error
  of a balanced accuracy is at most 0.5 / sqrt(n) = 0.0354; the slack is 3.5 standard
  errors = 0.124, so the assertion is accuracy <= 0.855. Under the DP bound a single
  comparison fails by chance with probability about 2.3e-4 (one-sided normal tail at 3.5
  SE); this file makes 3 comparisons per pair, 18 in all (family-wise about 4.1e-3). Keys
  are fixed, so the outcome is deterministic.
- Each pair's actual privacy loss is also computed from its cell counts (sum over cells of
  |count_A - count_B| / scale, per scope) and asserted to be <= ε, so the pair really is
  within the day's guarantee.
"""

import ast
import json
import math
import random
import sqlite3
import subprocess
import sys
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from tests.worlds import NOW, World
from wholiked.core.answers import analytics as analytics_module
from wholiked.core.answers.analytics import (
    WINDOWS,
    breakdown,
    daily_release,
    new_likers_per_day,
    segments,
)
from wholiked.core.answers.forms import json_form
from wholiked.core.answers.tips.common import Tip
from wholiked.core.release import accounting, counting, keys, noise
from wholiked.core.release.daily import DailyRelease, Released
from wholiked.core.release.domains import DOMAINS
from wholiked.core.service import Wholiked
from wholiked.core.store import rollup
from wholiked.core.store.database import open_database
from wholiked.core.store.format import AGE_BANDS, DEVICES, TIMESTAMP_FORMAT
from wholiked.core.store.schema import create_schema

ROOT = Path(__file__).resolve().parent.parent
REF = datetime.strptime(NOW, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
DAY = REF.date()
MIDNIGHT = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC)

EPSILON = 1.0
DP_BOUND = math.exp(EPSILON) / (1 + math.exp(EPSILON))  # 0.7311
TRAIN = [f"attack-{i}" for i in range(100)]
TEST_A = [f"attack-{i}" for i in range(100, 200)]
TEST_B = [f"attack-{i}" for i in range(200, 300)]
N_TEST = len(TEST_A) + len(TEST_B)
SLACK = 3.5 * 0.5 / math.sqrt(N_TEST)  # 0.124
THRESHOLDS = (5, 8)
LESS = -1  # how "<τ" is coded for the attacker (below every shown value)

_EXACT_NOISE = noise.noise
_NOISE_MEMO: dict[tuple, int] = {}


def _memo_noise(key: bytes, identity: tuple, scale: Fraction) -> int:
    """The product's exact sampler, memoised: a draw is a pure function of its arguments,
    so this changes no value; it only lets the same cell be reused across worlds and pairs."""
    memo_key = (key, identity, scale.numerator, scale.denominator)
    value = _NOISE_MEMO.get(memo_key)
    if value is None:
        value = _NOISE_MEMO[memo_key] = _EXACT_NOISE(key, identity, scale)
    return value


_EXACT_MARGIN = noise.margin90
_MARGIN_MEMO: dict[tuple, int] = {}


def _memo_margin(scale: Fraction, cells: int = 1) -> int:
    """The product's margin90, memoised (again a pure function: no value changes)."""
    memo_key = (scale.numerator, scale.denominator, cells)
    value = _MARGIN_MEMO.get(memo_key)
    if value is None:
        value = _MARGIN_MEMO[memo_key] = _EXACT_MARGIN(scale, cells)
    return value


@pytest.fixture(scope="module", autouse=True)
def _free_memos():
    """The memos are shared by the tests of this module (that is their point), then freed."""
    yield
    _NOISE_MEMO.clear()
    _MARGIN_MEMO.clear()


@pytest.fixture
def memo_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memoise the sampler and the margins for the attack tests (they redo the same cells
    thousands of times); `observe(verify=True)` still compares with service.analytics."""
    monkeypatch.setattr(noise, "noise", _memo_noise)
    monkeypatch.setattr(noise, "margin90", _memo_margin)


def stamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP_FORMAT)


def day_at(days_before: int, hour: int, minute: int = 0) -> str:
    """hour:minute UTC on the day `days_before` days before the release day."""
    return stamp(MIDNIGHT - timedelta(days=days_before) + timedelta(hours=hour, minutes=minute))


TODAY = stamp(MIDNIGHT + timedelta(hours=6))  # after 00:00Z, before the reference time


# --- the attack worlds ------------------------------------------------------------------------


SCHEDULE_CROWD = 300
"""Tips pair: public accounts whose latest like is at 20:00 in the last week (an hour the
posting-schedule tip names on every key, so the tip fires on both worlds)."""
SCHEDULE_EDGE = 115
"""Tips pair: public accounts whose latest like is at 03:00 in the last week: with
`secret`'s like, hour 03 stands out from the average hour by just more than the tip's bar
(noise off: named in world A, not in world B), so the tip has an hour to attack."""


def attack_world(pair: str, variant: str) -> World:
    """The base world and one pair's variant ("A" or "B") of the anonymous liker `secret`.

    cara (public creator, id 1) posts videos 1 and 2, then 4 to 7; otto (creator) posts
    videos 3 and 8. Ten public fans with known attributes like cara's videos 1 and 2 over
    the last 37 days, six of them also otto's video 3 (a collaboration overlap cara can
    see); fans 7 and 9 like videos 4 to 7 in the last week, `pal` (public) video 4, fan0
    otto's video 8. So every visible-only tip has the evidence its floor asks for: six
    videos with views (three with a question), a sound and a hashtag on two of otto's new
    videos, ten likers cara can identify in the window (the floor). `secret` is private,
    cara does not follow them, and is the only 55+/KE/sw/android liker (an exact release
    would single them out); they like otto's video 3 in both variants. The tips pair adds a crowd of
    SCHEDULE_CROWD likers at 20:00 and SCHEDULE_EDGE at 03:00 (see those).
    """
    w = World()
    w.user("cara", creator=True)
    w.user("otto", creator=True)
    x1, x2 = w.video("cara"), w.video("cara")
    x3 = w.video("otto")
    for i in range(10):
        w.user(
            f"fan{i}",
            age_band=AGE_BANDS[i % 5],
            region=("US", "DE", "FR")[i % 3],
            language=("en", "de", "fr")[i % 3],
            device=("ios", "web")[i % 2],
        )
        w.like(f"fan{i}", x1, day_at(1 + 4 * i, 8 + i))
        if i % 2:
            w.like(f"fan{i}", x2, day_at(2 + 3 * i, 18, 30))
        if i < 6:
            w.like(f"fan{i}", x3, day_at(1, 12))
    w.follow("cara", "fan1")
    w.like("cara", x3, day_at(1, 13))
    age = "13-17" if (pair, variant) == ("attribute", "B") else "55+"
    w.user("secret", private=True, age_band=age, region="KE", language="sw", device="android")
    w.like("secret", x3, day_at(1, 3, 17))
    x4, x5, x6, x7 = (w.video("cara") for _ in range(4))
    x8 = w.video("otto")
    for i, x in enumerate((x4, x5)):
        w.like("fan7", x, day_at(3 + i, 14))
    for i, x in enumerate((x6, x7)):
        w.like("fan9", x, day_at(4 + i, 19))
    w.user("pal", age_band="25-34", region="US", language="en", device="ios")
    w.like("pal", x4, day_at(2, 11))
    w.like("fan0", x8, day_at(1, 12, 30))
    counted = variant == "A"
    if pair in ("window", "block_padding", "attribute"):
        # Latest like 20 days before the release day: in 28d, 60d and all, not in 7d.
        w.like("secret", x1, day_at(20, 3, 17) if counted or pair == "attribute" else TODAY)
    elif pair == "scope":
        # Their only like is on video 2: an exact release of all videos against the two
        # video scopes would isolate them.
        w.like("secret", x2, day_at(3, 3, 17) if counted else TODAY)
    elif pair == "day_series":
        # The same segment either way; only the day of the first like moves.
        w.like("secret", x1, day_at(10 if counted else 11, 3, 17))
    elif pair == "tips":
        # Both videos at hour 03: the posting-schedule tip's hours and the per-video scopes.
        w.like("secret", x1, day_at(5, 3, 17) if counted else TODAY)
        w.like("secret", x2, day_at(5, 3, 47) if counted else TODAY)
        groups = (("crowd", SCHEDULE_CROWD, x6, 20), ("edge", SCHEDULE_EDGE, x7, 3))
        for prefix, n, x, hour in groups:
            for i in range(n):
                w.user(f"{prefix}{i}")
                w.like(f"{prefix}{i}", x, day_at(1 + i % 6, hour, i % 60))
    else:
        raise AssertionError(pair)
    if pair == "block_padding":
        for i in range(5):  # five known public likers made anonymous by blocks, in both worlds
            w.block("cara", f"fan{i}")
    return w


def write_attack_world(w: World, path: Path) -> Path:
    """Write the World plus what the visible-only tips read: captions (three with a
    question), posting times, views, a trending sound and hashtag on otto's two new videos,
    an unanswered comment, and a meta.noise_key row (updated per key later)."""
    w.write(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "UPDATE videos SET caption = ?, posted_at = ?, views = ?, sound = ? WHERE id = ?",
            [
                ("what do you think?", day_at(60, 18), 500, "cara-sound", 1),
                ("my day", day_at(35, 9), 800, None, 2),
                ("new", day_at(2, 10), 2000, "zq-sound", 3),
                ("which one?", day_at(30, 18), 600, None, 4),
                ("guess where?", day_at(25, 18), 700, None, 5),
                ("at the lake", day_at(20, 9), 900, None, 6),
                ("sunday", day_at(15, 9), 1000, None, 7),
                ("again", day_at(3, 10), 1500, "zq-sound", 8),
            ],
        )
        conn.executemany("INSERT INTO video_hashtags VALUES (?, 'zqtag')", [(3,), (8,)])
        conn.execute("INSERT INTO comments VALUES (1, 1, 5, 'nice', ?, NULL)", (day_at(4, 9),))
        conn.execute("INSERT INTO meta VALUES ('noise_key', ?)", (TRAIN[0],))
    conn.close()
    return path


# --- what the attacker sees ------------------------------------------------------------------


def released_items(release: DailyRelease, days: int | None) -> dict[str, Released]:
    """Every released number of one scope and window, named as in the analytics JSON, built
    with the same functions `analytics()` uses."""
    items = {"likers": release.total("likers", segments(days))}
    for dim in DOMAINS:
        for bucket, r in breakdown(release, dim, days).items():
            items[f"{dim}/{bucket}"] = r
    for name, r in new_likers_per_day(release, days).items():
        items[f"day/{name}"] = r
    return items


def json_items(report: dict) -> dict[str, dict]:
    """The same numbers read from an `analytics()` JSON report."""
    items = {"likers": report["totals"]["likers"]}
    for dim, buckets in report["breakdowns"].items():
        for bucket, r in buckets.items():
            items[f"{dim}/{bucket}"] = r
    for name, r in report["new_likers_per_day"].items():
        items[f"day/{name}"] = r
    return items


def code(value: int | str) -> int:
    return value if isinstance(value, int) else LESS


def raised(value: int | str, threshold: int) -> int | str:
    """A τ=5 value shown at a higher threshold (the display rule; checked against the
    real k=8 JSON in `observe`)."""
    return value if isinstance(value, int) and value >= threshold else f"<{threshold}"


def tip_features(tips: list[Tip]) -> dict[str, int]:
    """The released tip (posting_schedule) as numbers: presence, the hours and blurred
    values by rank, one indicator per hour, how many videos fall in those hours."""
    found = [t for t in tips if t.id == "posting_schedule"]
    out = {"tip/present": len(found)}
    evidence = found[0].evidence if found else {"top_hours": [], "top_hour_likers": []}
    for rank in range(3):
        hours, values = evidence["top_hours"], evidence["top_hour_likers"]
        out[f"tip/{rank}/hour"] = int(hours[rank]) if rank < len(hours) else LESS
        out[f"tip/{rank}/value"] = code(values[rank]["value"]) if rank < len(values) else LESS
    for h in range(24):
        out[f"tip/has/{h:02d}"] = int(f"{h:02d}" in evidence["top_hours"])
    out["tip/videos_in_top_hours"] = evidence.get("videos_in_top_hours", LESS)
    return out


@dataclass
class Observed:
    samples: list[dict[str, int]]  # one feature vector per key
    visible_tips: list[Tip]  # the visible-only tips (the same for every key)
    counts: dict[str, counting.Counts]  # per scope
    scales: dict[str, Fraction]


def observe(path: Path, key_names: list[str], *, verify: bool = True) -> Observed:
    """Every released number of `analytics` for cara at every window, scope (all videos and
    each video) and threshold, plus the posting_schedule tip from `service.tips`, per key.

    The key is set by updating meta.noise_key on a writable connection; counts are read once
    per scope by the product's `daily_release` and the noise drawn per key by
    `DailyRelease` (the CLI's code path); `verify` checks, for the first key, that this gives
    exactly what `service.analytics` returns for every window, scope and k in THRESHOLDS.
    """
    service = Wholiked(open_database(path))
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA synchronous = OFF")
    try:
        cara = service.user("cara")
        scopes: dict[str, int | None] = {"all": None}
        for row in json_form(service.totals(cara))["videos"]:
            scopes[f"video:{row['video_id']}"] = row["video_id"]
        templates = {s: daily_release(service.db, cara, x) for s, x in scopes.items()}
        samples: list[dict[str, int]] = []
        visible: list[Tip] | None = None
        for n, name in enumerate(key_names):
            with writer:
                writer.execute("UPDATE meta SET value = ? WHERE key = 'noise_key'", (name,))
            key = keys.noise_key(service.db)
            assert key == b"meta:" + name.encode()
            features: dict[str, int] = {}
            for scope, template in templates.items():
                release = replace(template, key=key)
                for window, days in WINDOWS.items():
                    items = released_items(release, days)
                    if verify and n == 0:
                        for k in THRESHOLDS:
                            report = json_form(
                                service.analytics(cara, video_id=scopes[scope], window=window, k=k)
                            )
                            shown = {
                                i: Released(raised(r.value, k), r.margin90).as_json()
                                for i, r in items.items()
                            }
                            assert shown == json_items(report), (scope, window, k)
                    for item, r in items.items():
                        for k in THRESHOLDS:
                            features[f"{scope}/{window}/k{k}/{item}"] = code(raised(r.value, k))
            tips = service.tips(cara)
            features.update(tip_features(tips))
            for tip in tips:  # the tip is post-processing of the same 28d hour cells
                if tip.id == "posting_schedule":
                    hours = released_items(replace(templates["all"], key=key), 28)
                    evidence = tip.evidence
                    assert evidence["top_hour_likers"] == [
                        hours[f"hour/{h}"].as_json() for h in evidence["top_hours"]
                    ]
            shown_tips = [t for t in tips if t.evidence["class"] != "released"]
            assert {t.evidence["class"] for t in tips} <= {"released", "visible-only"}
            assert [t.id for t in tips if t.evidence["class"] == "released"] in (
                [],
                ["posting_schedule"],
            )
            if visible is None:
                visible = shown_tips
            assert shown_tips == visible  # visible-only tips never depend on the key
            samples.append(features)
        return Observed(
            samples,
            visible or [],
            {s: t.counts for s, t in templates.items()},
            {s: t.scale for s, t in templates.items()},
        )
    finally:
        writer.close()
        service.close()


# --- the attackers ----------------------------------------------------------------------------


def balanced_accuracy(predict, test_a: list[dict], test_b: list[dict]) -> float:
    tpr = sum(predict(s) for s in test_a) / len(test_a)
    tnr = sum(not predict(s) for s in test_b) / len(test_b)
    return (tpr + tnr) / 2


def best_threshold_attack(train_a, train_b, test_a, test_b) -> tuple[float, str]:
    """Attacker (i): the single output and cut (x > t or x <= t means A) with the best
    balanced accuracy on the training keys, evaluated once on the test keys."""
    best = (0.5, "", 0, True)
    for name in sorted(train_a[0]):
        a = sorted(s.get(name, LESS) for s in train_a)
        b = sorted(s.get(name, LESS) for s in train_b)
        if a == b:
            continue
        for t in sorted(set(a) | set(b)):
            fa, fb = bisect_right(a, t) / len(a), bisect_right(b, t) / len(b)
            for above, acc in ((True, (1 - fa + fb) / 2), (False, (fa + 1 - fb) / 2)):
                if acc > best[0]:
                    best = (acc, name, t, above)
    _, name, t, above = best
    if not name:
        return 0.5, "(none)"

    def predict(s: dict) -> bool:
        return (s.get(name, LESS) > t) == above

    return balanced_accuracy(predict, test_a, test_b), f"{name} {'>' if above else '<='} {t}"


def naive_bayes_attack(train_a, train_b, test_a, test_b, *, top: int | None = None) -> float:
    """Attacker (ii): per output a Gaussian per world (means from the training keys, pooled
    variance + 1/4 so constant outputs stay finite), test samples classified by the summed
    log-likelihood ratio (> 0 means A). Outputs whose training means are equal are left out
    (with paired training keys that is every output the liker does not move). With `top`,
    attacker (iii): only the `top` outputs whose training means differ most (in pooled
    standard deviations)."""
    model = []
    for name in sorted(train_a[0]):
        a = [s.get(name, LESS) for s in train_a]
        b = [s.get(name, LESS) for s in train_b]
        ma, mb = sum(a) / len(a), sum(b) / len(b)
        if ma == mb:
            continue
        var = (sum((x - ma) ** 2 for x in a) + sum((x - mb) ** 2 for x in b)) / (
            len(a) + len(b)
        ) + 0.25
        model.append((name, ma, mb, var))
    if top is not None:
        model.sort(key=lambda m: (-abs(m[1] - m[2]) / math.sqrt(m[3]), m[0]))
        model = model[:top]

    def predict(s: dict) -> bool:
        llr = 0.0
        for name, ma, mb, var in model:
            x = s.get(name, LESS)
            llr += ((x - mb) ** 2 - (x - ma) ** 2) / (2 * var)
        return llr > 0

    return balanced_accuracy(predict, test_a, test_b)


FOCUS = 16
"""Attacker (iii) keeps this many outputs (a liker moves 7 cells per scope they are in)."""


@dataclass
class AttackResult:
    threshold_accuracy: float
    threshold_rule: str
    bayes_accuracy: float
    focused_accuracy: float
    privacy_loss: float
    visible_a: list[Tip]
    visible_b: list[Tip]
    tip_shown: tuple[float, float]  # share of keys with the posting-schedule tip, A and B


def attack(
    pair: str,
    tmp_path: Path,
    *,
    verify: bool = True,
    train: list[str] = TRAIN,
    test_a: list[str] = TEST_A,
    test_b: list[str] = TEST_B,
    only: str = "",
) -> AttackResult:
    """The three attackers on one pair: train on the `train` keys of both worlds, test on the
    `test_a` keys in world A and the `test_b` keys in world B. With `only`, the attackers
    see only the outputs whose names start with it (e.g. "tip/": the tip alone)."""
    path_a = write_attack_world(attack_world(pair, "A"), tmp_path / f"{pair}-A.db")
    path_b = write_attack_world(attack_world(pair, "B"), tmp_path / f"{pair}-B.db")
    seen_a = observe(path_a, train + test_a, verify=verify)
    seen_b = observe(path_b, train + test_b, verify=verify)
    shown = tuple(
        sum(s["tip/present"] for s in seen.samples) / len(seen.samples) for seen in (seen_a, seen_b)
    )
    for seen in (seen_a, seen_b):
        seen.samples = [{k: v for k, v in s.items() if k.startswith(only)} for s in seen.samples]
    n = len(train)
    train_a, test_a = seen_a.samples[:n], seen_a.samples[n:]
    train_b, test_b = seen_b.samples[:n], seen_b.samples[n:]
    threshold_accuracy, rule = best_threshold_attack(train_a, train_b, test_a, test_b)
    bayes_accuracy = naive_bayes_attack(train_a, train_b, test_a, test_b)
    focused_accuracy = naive_bayes_attack(train_a, train_b, test_a, test_b, top=FOCUS)
    assert seen_a.scales == seen_b.scales
    loss = 0.0
    for scope, scale in seen_a.scales.items():
        ca, cb = seen_a.counts[scope], seen_b.counts[scope]
        loss += sum(abs(ca.get(c, 0) - cb.get(c, 0)) for c in set(ca) | set(cb)) / scale
    return AttackResult(
        threshold_accuracy,
        rule,
        bayes_accuracy,
        focused_accuracy,
        float(loss),
        seen_a.visible_tips,
        seen_b.visible_tips,
        (shown[0], shown[1]),
    )


# --- 1. attacks -------------------------------------------------------------------------------

PAIRS = ("window", "scope", "block_padding", "day_series", "tips", "attribute")


@pytest.mark.parametrize("pair", PAIRS)
def test_attacks_do_no_better_than_dp_allows(pair: str, tmp_path: Path, memo_noise) -> None:
    """A pair of worlds that differ by one anonymous liker (or one of their attributes):

    - window: their only like of cara's videos 20 days before the release day (in 28d,
      not 7d; the only 55+/KE/sw/android/03h liker) vs given today;
    - scope: their only like on video 2, 3 days before (all videos against each video);
    - block_padding: the window pair with cara blocking five known public likers in both;
    - day_series: first like 10 vs 11 days before the release day (the same segment);
    - tips: likes of both videos at hour 03 (the posting-schedule tip) vs today, in a world
      where the tip fires on every key in both (a crowd at 20:00) and hour 03 stands at the
      tip's bar (named in A only, noise off);
    - attribute: age band 55+ vs 13-17, everything else equal.

    Every released number of analytics (4 windows x 3 scopes x k in 5, 8) and the
    posting_schedule tip evidence, over 300 fixed keys (100 training keys on both worlds,
    100 test keys per world): the best single-threshold attacker, the naive-Bayes attacker
    on all outputs and the naive-Bayes attacker on its 16 most telling outputs have balanced
    accuracy <= e^1/(1+e^1) + 3.5 SE = 0.731 + 0.124 = 0.855 (false alarm about 2.3e-4 per
    comparison under the DP bound, 6.9e-4 for the three). Also: the pair's privacy
    loss from its counts is <= ε = 1, and every visible-only tip (best content, calls to
    action, trending, unanswered comments, collaboration, anonymous share, viewer tips) has
    *identical* evidence in A and B: one anonymous liker moves none of them.
    """
    result = attack(pair, tmp_path)
    print(
        f"\n{pair}: threshold attacker {result.threshold_accuracy:.3f} ({result.threshold_rule}),"
        f" naive Bayes {result.bayes_accuracy:.3f}, focused {result.focused_accuracy:.3f},"
        f" pair privacy loss {result.privacy_loss:.3f}, bound {DP_BOUND + SLACK:.3f}"
    )
    assert 0 < result.privacy_loss <= EPSILON
    assert result.visible_a == result.visible_b
    visible_ids = [t.id for t in result.visible_a]
    assert {"best_content", "calls_to_action", "trending_sounds", "anonymous_share"} <= set(
        visible_ids
    )
    if pair != "block_padding":
        assert "collaboration" in visible_ids
    if pair == "tips":  # the tip is there to attack, on every key of both worlds
        assert result.tip_shown == (1.0, 1.0)
    assert result.threshold_accuracy <= DP_BOUND + SLACK
    assert result.bayes_accuracy <= DP_BOUND + SLACK
    assert result.focused_accuracy <= DP_BOUND + SLACK


def test_contribution_bounding_keeps_one_liker_within_the_day(tmp_path: Path) -> None:
    """One anonymous liker of all five of cara's videos (vs the same like given today): from
    the product's own counts and scales, their privacy loss is sum |count_A - count_B| /
    scale = 7/14 (all videos) + 3 x 7/42 (only the M = 3 videos they liked most recently
    count) = exactly ε = 1, never more however many videos they like. Deterministic."""
    releases = []
    for variant in ("A", "B"):
        w = attack_world("window", "B")
        videos = [1, 2, *(w.video("cara") for _ in range(3))]
        for i, x in enumerate(videos):
            w.like("secret", x, day_at(4 + i, 3) if variant == "A" else TODAY)
        path = write_attack_world(w, tmp_path / f"five-{variant}.db")
        service = Wholiked(open_database(path))
        try:
            cara = service.user("cara")
            releases.append({x: daily_release(service.db, cara, x) for x in [None, *videos]})
        finally:
            service.close()
    a, b = releases
    loss = Fraction(0)
    for x in a:
        ca, cb = a[x].counts, b[x].counts
        moved = sum(abs(ca.get(c, 0) - cb.get(c, 0)) for c in set(ca) | set(cb))
        assert moved == (7 if x is None or x in videos[:3] else 0), x  # the 3 latest
        loss += moved / a[x].scale
    assert loss == EPSILON == float(accounting.DEFAULT_EPSILON)
    assert accounting.Budget(Fraction(1)).scale("video") == 42


# --- 2. the attack test can fail ----------------------------------------------------------------


def test_without_noise_the_attacks_succeed(tmp_path: Path, monkeypatch) -> None:
    """With the noise switched off (the sampler `daily.py` calls returns 0), the same
    attackers on the window pair tell A from B every time: balanced accuracy 1.0 for all
    three (so the attack test above has the power to fail). Deterministic, no false alarm."""
    monkeypatch.setattr(noise, "noise", lambda key, identity, scale: 0)
    monkeypatch.setattr(noise, "margin90", _memo_margin)
    result = attack("window", tmp_path, verify=False)
    print(
        f"\nnoise off: threshold {result.threshold_accuracy}, bayes {result.bayes_accuracy},"
        f" focused {result.focused_accuracy}"
    )
    assert result.threshold_accuracy == result.bayes_accuracy == result.focused_accuracy == 1.0


def test_without_noise_the_schedule_tip_alone_tells_the_worlds_apart(
    tmp_path: Path, monkeypatch
) -> None:
    """The tips pair's target is real: with the noise off, the same attackers shown only the
    posting-schedule tip's outputs tell A from B every time (hour 03, where `secret` liked,
    is named in A and not in B), and the tip fires in both worlds. Deterministic."""
    monkeypatch.setattr(noise, "noise", lambda key, identity, scale: 0)
    monkeypatch.setattr(noise, "margin90", _memo_margin)
    keys = dict(train=TRAIN[:10], test_a=TEST_A[:10], test_b=TEST_B[:10])
    result = attack("tips", tmp_path, verify=False, only="tip/", **keys)
    print(f"\nnoise off, tip only: threshold {result.threshold_rule}")
    assert result.tip_shown == (1.0, 1.0)
    assert result.threshold_accuracy == result.bayes_accuracy == result.focused_accuracy == 1.0
    assert result.threshold_rule.startswith("tip/")


LEAKY_KEYS = 40


def test_noise_a_hundred_times_too_small_is_caught(tmp_path: Path, monkeypatch) -> None:
    """A leaky release (every scale divided by 100, so ε is really about 100), on the window
    pair with fewer keys (40 training keys on both worlds, 40 test keys per world: n = 80,
    slack 3.5 x 0.5 / sqrt(80) = 0.196, bound 0.927, which only makes catching it harder):
    all three attackers exceed the bound. Under that leak a cell's noise is 0 with probability
    0.998, the expected accuracy is about 1.0, so missing it would take > 3.5 standard
    errors the other way (below 2.3e-4 per attacker)."""
    scale = accounting.Budget.scale
    monkeypatch.setattr(accounting.Budget, "scale", lambda self, scope: scale(self, scope) / 100)
    monkeypatch.setattr(noise, "noise", _memo_noise)
    monkeypatch.setattr(noise, "margin90", _memo_margin)
    n = LEAKY_KEYS
    result = attack(
        "window", tmp_path, verify=False, train=TRAIN[:n], test_a=TEST_A[:n], test_b=TEST_B[:n]
    )
    bound = DP_BOUND + 3.5 * 0.5 / math.sqrt(2 * n)
    print(
        f"\nleaky: threshold {result.threshold_accuracy}, bayes {result.bayes_accuracy},"
        f" focused {result.focused_accuracy}"
    )
    assert min(result.threshold_accuracy, result.bayes_accuracy, result.focused_accuracy) > bound


# --- 3. consistency ---------------------------------------------------------------------------


def _analytics_subprocess(db: Path, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "wholiked", "analytics", "--db", str(db), "--json", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_same_statistic_same_value_in_another_process(tmp_path: Path) -> None:
    """The same statistic, key and day give the same JSON in a separate process
    (`python -m wholiked analytics --json`), for a world with meta.noise_key (all videos,
    28d; video 2, 7d) and for one without (the key kept in wholiked's data folder, made by
    the first process, reused by the next; the read-only file is not changed).
    Deterministic."""
    keyed = write_attack_world(attack_world("window", "A"), tmp_path / "keyed.db")
    service = Wholiked(open_database(keyed))
    try:
        cara = service.user("cara")
        here = [
            json_form(service.analytics(cara)),
            json_form(service.analytics(cara, video_id=2, window="7d")),
        ]
    finally:
        service.close()
    there = [
        _analytics_subprocess(keyed, "--as", "cara"),
        _analytics_subprocess(keyed, "--as", "cara", "--video", "2", "--window", "7d"),
    ]
    assert there == json.loads(json.dumps(here))
    bare = attack_world("window", "A").write(tmp_path / "bare.db")
    before = bare.read_bytes()
    first = _analytics_subprocess(bare, "--as", "cara", "--window", "all")
    service = Wholiked(open_database(bare))
    try:
        assert json_form(service.analytics(service.user("cara"), window="all")) == first
    finally:
        service.close()
    assert bare.read_bytes() == before


RELEASED = ("release_day", "privacy", "breakdowns", "new_likers_per_day")


@pytest.fixture(params=["live", "rollup"])
def counted_by(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways the all-videos release is counted: live, and from the rollup (built for
    every creator with a like at a writable open)."""
    if request.param == "rollup":
        monkeypatch.setattr(rollup, "MIN_LIKES", 1)
    return request.param


def test_a_like_today_leaves_the_release_unchanged(tmp_path: Path, counted_by: str) -> None:
    """A like made today (service.like on a writable world: liked_at = the reference time,
    after the release day's 00:00Z) leaves every released number of today's JSON unchanged
    (all windows, both scopes; only the exact public like totals move by one); a like dated
    yesterday moves the cells: the liker's position goes from segment 2 to segment 0 in every
    histogram of the all-videos scope, and video 2 gains them. Deterministic."""
    path = write_attack_world(attack_world("window", "B"), tmp_path / "live.db")
    service = Wholiked(open_database(path, writable=True))
    assert bool(rollup.built(service.db.conn)) == (counted_by == "rollup")
    try:
        cara, fan = service.user("cara"), service.user("fan8")  # fan8 likes video 1 only
        released = [(x, w) for x in (None, 2) for w in WINDOWS]

        def snapshot() -> list[dict]:
            return [json_form(service.analytics(cara, video_id=x, window=w)) for x, w in released]

        counts_before = counting.all_videos(service.db.conn, cara.id, DAY)
        video_before = counting.one_video(service.db.conn, creator_id=cara.id, video_id=2, day=DAY)
        before = snapshot()
        service.like(fan, 2)
        after = snapshot()
        for old, new in zip(before, after, strict=True):
            assert {k: old[k] for k in RELEASED} == {k: new[k] for k in RELEASED}
            assert old["totals"]["likers"] == new["totals"]["likers"]
            assert new["totals"]["likes"] == old["totals"]["likes"] + 1
        assert counting.all_videos(service.db.conn, cara.id, DAY) == counts_before
        if counted_by == "rollup":  # fan8's latest like is now today: placed at their prev
            assert counting.from_rollup(service.db.conn, cara.id, DAY) == counts_before
        with service.db.transaction() as conn:
            conn.execute(
                "UPDATE likes SET liked_at = ? WHERE video_id = 2 AND user_id = ?",
                (day_at(1, 15), fan.id),
            )
        counts_after = counting.all_videos(service.db.conn, cara.id, DAY)
        assert counts_after != counts_before
        if counted_by == "rollup":
            assert counting.from_rollup(service.db.conn, cara.id, DAY) == counts_after
        diff = counts_after.copy()
        diff.subtract(counts_before)
        assert {cell: n for cell, n in diff.items() if n} == {
            ("likers", 2, ""): -1,
            ("likers", 0, ""): 1,
            ("hour", 2, "16"): -1,
            ("hour", 0, "15"): 1,
            ("age_band", 2, "35-44"): -1,
            ("age_band", 0, "35-44"): 1,
            ("region", 2, "FR"): -1,
            ("region", 0, "FR"): 1,
            ("language", 2, "fr"): -1,
            ("language", 0, "fr"): 1,
            ("device", 2, "ios"): -1,
            ("device", 0, "ios"): 1,
        }
        video_after = counting.one_video(service.db.conn, creator_id=cara.id, video_id=2, day=DAY)
        video_after.subtract(video_before)
        assert {cell: n for cell, n in video_after.items() if n} == {
            ("likers", 0, ""): 1,
            ("new_likers", 0, ""): 1,
            ("hour", 0, "15"): 1,
            ("age_band", 0, "35-44"): 1,
            ("region", 0, "FR"): 1,
            ("language", 0, "fr"): 1,
            ("device", 0, "ios"): 1,
        }
    finally:
        service.close()


def test_an_unlike_today_leaves_the_release_unchanged(tmp_path: Path, counted_by: str) -> None:
    """README, "The daily release": the release counts likes before the release day's 00:00Z,
    "so it is the same all day". When the anonymous liker `secret` (55+, sw, android;
    liked video 1 twenty days ago) unlikes today, cara sees the public like total drop by
    one (that much is public) but today's released numbers must not move: with the noise
    fixed for the day, any change is the exact difference of the counts, i.e. the
    unliker's age band, language, device, first-like day and window. Deterministic."""
    path = write_attack_world(attack_world("window", "A"), tmp_path / "unlike.db")
    service = Wholiked(open_database(path, writable=True))
    try:
        cara, secret = service.user("cara"), service.user("secret")

        def released() -> list[dict]:
            return [
                {k: json_form(service.analytics(cara, video_id=x, window=w))[k] for k in RELEASED}
                for x in (None, 1)
                for w in WINDOWS
            ]

        before = released()
        service.unlike(secret, 1)
        assert released() == before
    finally:
        service.close()


@pytest.mark.parametrize("pair", PAIRS)
def test_the_rollup_releases_exactly_what_the_attacks_were_run_on(
    pair: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack tests read a file without the rollup (the worlds are small); on the same
    worlds with a rollup built for cara, every released number (all windows, scopes and
    thresholds, and the tips) is identical, so the attacks' results hold for it too."""
    monkeypatch.setattr(rollup, "MIN_LIKES", 1)
    for variant in ("A", "B"):
        live = write_attack_world(attack_world(pair, variant), tmp_path / f"{variant}-live.db")
        fast = write_attack_world(attack_world(pair, variant), tmp_path / f"{variant}-fast.db")
        open_database(fast, writable=True).close()
        outputs = []
        for path in (live, fast):
            service = Wholiked(open_database(path))
            try:
                cara = service.user("cara")
                conn = service.db.conn
                assert (rollup.usable(conn) and bool(rollup.built(conn))) == (path == fast)
                outputs.append(
                    [
                        json_form(service.analytics(cara, video_id=x, window=w, k=k))
                        for x in (None, 1, 2)
                        for w in WINDOWS
                        for k in THRESHOLDS
                    ]
                    + [service.tips(cara)]
                )
            finally:
                service.close()
        assert outputs[0] == outputs[1]


# --- 4. utility -------------------------------------------------------------------------------

UTILITY_KEYS = [f"utility-{i}" for i in range(300)]


def big_world(path: Path) -> Path:
    """A creator (id 1) with 3 videos and 10,000 likers with varied attributes, one like each
    spread over the last 120 days, 3,000 of them with a second like on another video. Built
    with SQL inserts (seeded, deterministic)."""
    rng = random.Random(20261120)
    conn = sqlite3.connect(path)
    create_schema(conn)
    ages = [*AGE_BANDS, None]
    with conn:
        conn.execute(
            "INSERT INTO users VALUES (1, 'cara', 'Cara', NULL, 0, 'creator', NULL, NULL, NULL,"
            " NULL, '2026-01-01T00:00:00Z')"
        )
        conn.executemany(
            "INSERT INTO users VALUES (?, ?, NULL, NULL, ?, 'personal', ?, ?, ?, ?, NULL)",
            [
                (
                    uid,
                    f"u{uid}",
                    rng.random() < 0.3,
                    rng.choices(ages, weights=[8, 30, 25, 15, 10, 7, 5])[0],
                    rng.choice(["US", "DE", "BR", "ZZ", None]),
                    rng.choice(["en", "de", "pt", "xx", None]),
                    rng.choice([*DEVICES, None]),
                )
                for uid in range(2, 10_002)
            ],
        )
        conn.executemany(
            "INSERT INTO videos VALUES (?, 1, 'v', NULL, '2026-06-01T00:00:00Z', 15, 10000, 5)",
            [(1,), (2,), (3,)],
        )
        likes = []
        for uid in range(2, 10_002):
            first = rng.randint(1, 3)
            moment = MIDNIGHT - timedelta(seconds=rng.randint(1, 120 * 86_400))
            likes.append((first, uid, stamp(moment)))
            if uid < 3_002:
                second = first % 3 + 1
                moment = MIDNIGHT - timedelta(seconds=rng.randint(1, 120 * 86_400))
                likes.append((second, uid, stamp(moment)))
        conn.executemany("INSERT INTO likes VALUES (?, ?, ?)", likes)
        conn.execute("INSERT INTO meta VALUES ('now', ?)", (NOW,))
        conn.execute("INSERT INTO meta VALUES ('noise_key', ?)", (UTILITY_KEYS[0],))
    conn.close()
    return path


def test_margins_cover_ninety_percent(tmp_path: Path) -> None:
    """At ε = 1, a creator with 10,000 likers: over 300 keys, the released likers total and
    each age_band bucket, for 28d and all time, fall within their stated 90% margin
    (|value - true count| <= margin90) in 90% of the cases: the observed share is asserted
    in [0.85, 0.95]. Only cells whose true count is >= 2 x margin count (clamping at 0 and
    "<τ" cannot matter). Statistics: a unit is (key, statistic) with its two windows
    (which share noise cells); units are independent, each unit's mean has variance <=
    p(1-p) = 0.09, so with >= 2,000 units the standard error is <= 0.0067 and the band is
    +-0.05 = 7.5 SE: false-alarm rate < 1e-12 (the exact coverage of each margin is >= 0.90
    and is computed too: the band is also checked against it). Also checks that the fast
    path equals service.analytics for the first key."""
    path = big_world(tmp_path / "big.db")
    conn = sqlite3.connect(path)
    counts = counting.all_videos(conn, 1, DAY)
    conn.close()
    budget = accounting.Budget(Fraction(EPSILON))
    scale = budget.scale("all")
    assert scale == 14
    statistics = [("likers", "")] + [("age_band", b) for b in DOMAINS["age_band"]]
    truth = {
        (h, b, w): sum(counts.get((h, i, b), 0) for i in segments(WINDOWS[w]))
        for h, b in statistics
        for w in ("28d", "all")
    }
    assert truth[("likers", "", "all")] == 10_000
    inside = checks = 0
    expected = 0.0
    for n, name in enumerate(UTILITY_KEYS):
        release = DailyRelease(
            key=b"meta:" + name.encode(),
            creator_id=1,
            day=DAY,
            scope="all",
            scale=scale,
            threshold=5,
            counts=counts,
        )
        if n == 0:
            service = Wholiked(open_database(path))
            try:
                for w in ("28d", "all"):
                    report = json_form(service.analytics(service.user("cara"), window=w))
                    assert (
                        report["totals"]["likers"]
                        == release.total("likers", segments(WINDOWS[w])).as_json()
                    )
                    for b in DOMAINS["age_band"]:
                        assert (
                            report["breakdowns"]["age_band"][b]
                            == release.total("age_band", segments(WINDOWS[w]), b).as_json()
                        )
            finally:
                service.close()
        for h, b in statistics:
            for w in ("28d", "all"):
                cells = segments(WINDOWS[w])
                shown = release.total(h, cells, b)
                if truth[(h, b, w)] < 2 * shown.margin90:
                    continue
                checks += 1
                inside += abs(shown.value - truth[(h, b, w)]) <= shown.margin90
                expected += noise.prob_within(shown.margin90, scale, len(cells))
    share, expected = inside / checks, expected / checks
    print(f"\ncoverage {share:.4f} of {checks} checks (exact expectation {expected:.4f})")
    assert checks >= 4_000
    assert 0.90 <= expected <= 0.92
    assert 0.85 <= share <= 0.95
    assert abs(share - expected) <= 0.05


# --- 5. no floating-point Laplace ---------------------------------------------------------------

NOISE_PATH_FILES = sorted((ROOT / "core" / "release").glob("*.py")) + [
    ROOT / "core" / "answers" / "analytics.py"
]
DISPLAY_ONLY = {"pmf", "_sum_law", "prob_within", "_margin90", "margin90"}
"""noise.py's functions that describe the noise for display and tests (floats allowed)."""


def _imported_modules(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def _draw_path(tree: ast.Module) -> dict[str, ast.AST]:
    """noise.py's definitions reachable from `noise()` by name (the code that feeds a draw)."""
    defs = {
        node.name: node for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }
    reached, todo = {}, ["noise"]
    while todo:
        name = todo.pop()
        if name in reached or name not in defs:
            continue
        reached[name] = defs[name]
        todo += [n.id for n in ast.walk(defs[name]) if isinstance(n, ast.Name)]
    return reached


def test_no_floating_point_laplace() -> None:
    """No file of the noise path (core/release/*.py, core/answers/analytics.py) imports
    `random` or `numpy` or refers to a `random` name; `math` is used only by noise.py's
    display functions (pmf, margins); the definitions `noise()` reaches in noise.py (the
    keyed stream, uniform, Bernoulli, discrete Laplace) use no `math`, no `float`, no float
    literal and no true division; daily.py draws with `noise.noise`. Deterministic."""
    assert len(NOISE_PATH_FILES) >= 7
    for path in NOISE_PATH_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imported_modules(tree)
        assert not imported & {"random", "numpy", "scipy"}, path
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert "random" not in names and "np" not in names, path
        if path.name != "noise.py":
            assert "math" not in imported, path
            continue
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef) and func.name not in DISPLAY_ONLY:
                uses = {n.id for n in ast.walk(func) if isinstance(n, ast.Name)}
                assert "math" not in uses, f"{path.name}:{func.name} uses math"
        draw = _draw_path(tree)
        assert {"noise", "discrete_laplace", "KeyedStream", "uniform"} <= set(draw)
        assert not set(draw) & DISPLAY_ONLY
        for name, node in draw.items():
            for n in ast.walk(node):
                assert not (isinstance(n, ast.Name) and n.id in ("math", "float")), name
                assert not (isinstance(n, ast.Constant) and isinstance(n.value, float)), name
                assert not (isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)), name
                assert not (isinstance(n, ast.AugAssign) and isinstance(n.op, ast.Div)), name
    daily = (ROOT / "core" / "release" / "daily.py").read_text(encoding="utf-8")
    assert "noise.noise(" in daily and "math." not in daily
    assert analytics_module.MECHANISM == "discrete_laplace"
