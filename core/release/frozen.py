"""A creator's day, frozen at its first reading, so the release is the same all day.

The noise of a day is fixed by its key; if the counts under it could still move, an
unlike today (or another tool deleting a row) would show as the exact difference of
the counts, naming the account behind it. So the first reading of a creator's scopes
on a release day counts them and keeps them in wholiked's data folder, in the folder of
the database file where its key is (`store.ReleaseStore`), filed under the key that
noises them;
every later reading that day returns them, in every process.

The scopes are frozen in two groups, each in one snapshot of the database: all videos
("all"), and every video of the creator together ("video:N" for each), at the first
reading of any of them. One snapshot for every video is what keeps the per-video bound:
a liker counts in at most M videos of the day whatever they unlike between two
readings. The all-videos scope counts each liker once in any snapshot, so it needs no
company: a creator with millions of likes gets it in milliseconds from the rollup,
without waiting for every video to be counted.

If the day cannot be kept (or a kept day cannot be read), the release refuses
(`keeping.CannotKeep`): it never answers from live counts.

A past day's new-likers cell is released once: its noise is fixed by its calendar day
(`daily`), and its count by the first release that covered it. Each frozen day also keeps
its raw new-likers cells (`first_likes/`, for DAYS + KEEP_DAYS days); a new day's cells of
days an earlier release covered are taken from the earliest such release, so the series is
never re-noised nor re-counted, and costs its share of ε once.
"""

import fcntl
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from wholiked.core.release import keeping, odometer
from wholiked.core.release.accounting import DAYS
from wholiked.core.release.counting import Counts
from wholiked.core.release.store import ReleaseStore

KEEP_DAYS = 2
"""Frozen days older than this are removed when a new day is frozen."""

DayCounts = dict[str, Counts]
"""Scopes of a creator's day: "all", or "video:N" for each of their videos."""


def _load(path: Path) -> DayCounts | None:
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise keeping.refusal(f"the day's kept counts cannot be read ({exc.strerror})") from None
    try:
        return {
            scope: Counter({(h, int(i), b): int(n) for h, i, b, n in cells})
            for scope, cells in json.loads(text).items()
        }
    except (ValueError, TypeError, AttributeError):
        raise keeping.refusal(f"the day's kept counts in {path} are damaged") from None


def _prune(folder: Path, day: date) -> None:
    kept = odometer.kept_days(folder)
    for old in folder.glob("????-??-??"):
        if old.name < (day - timedelta(days=KEEP_DAYS)).isoformat() and old.name not in kept:
            import shutil  # only on the first reading of a new day

            shutil.rmtree(old, ignore_errors=True)
    for old in folder.glob("first_likes/????-??-??"):
        if old.name < (day - timedelta(days=DAYS + KEEP_DAYS)).isoformat():
            import shutil

            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _locked(folder: Path, creator_id: int) -> Iterator[None]:
    """One process at a time freezes a creator's day (and reads their earlier days' cells)."""
    path = folder / "locks" / f"{creator_id}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _raw_new_likers(counts: DayCounts) -> dict[str, dict[int, int]]:
    return {
        scope: {i: n for (h, i, _), n in cells.items() if h == "new_likers" and i < DAYS and n}
        for scope, cells in counts.items()
        if not scope.startswith("public:")
    }


def _settle(folder: Path, name: str, day: date, counts: DayCounts) -> DayCounts:
    """Today's counts with the new-likers cells of days an earlier kept release covered
    taken from the earliest one (released once: the count it was first released with)."""
    first: dict[tuple[str, date], int] = {}
    for kept in sorted(folder.glob(f"first_likes/????-??-??/{name}")):
        released = date.fromisoformat(kept.parent.name)
        if not day - timedelta(days=DAYS) < released < day:
            continue
        try:
            cells = json.loads(kept.read_text())
        except (OSError, ValueError):
            raise keeping.refusal(f"the kept new likers of {released} cannot be read") from None
        for scope, by_index in cells.items():
            for i in range(DAYS):
                calendar = released - timedelta(days=i + 1)
                first.setdefault((scope, calendar), int(by_index.get(str(i), 0)))
    settled: DayCounts = {}
    for scope, cells in counts.items():
        out = Counter(cells)
        if not scope.startswith("public:"):
            for i in range(DAYS):
                calendar = day - timedelta(days=i + 1)
                if (scope, calendar) in first:
                    out[("new_likers", i, "")] = first[(scope, calendar)]
        settled[scope] = +out
    return settled


def frozen_day(
    store: ReleaseStore,
    key: bytes,
    day: date,
    creator_id: int,
    group: str,
    count: Callable[[], DayCounts] | None,
) -> DayCounts:
    """The scopes of one group ("all" or "videos") of the creator's day: as first read
    under this key, or read now (the whole group in one snapshot, past days' new likers
    as first released) and kept; `keeping.CannotKeep` when it cannot be kept, or when
    it was not kept and `count` is None (a past day that may not be counted afresh)."""
    folder = store.folder()
    name = f"{creator_id}.{group}.{keeping.fingerprint(key)}.json"
    path = folder / day.isoformat() / name
    if (kept := _load(path)) is not None:
        return kept
    if count is None:
        raise odometer.BudgetSpent(
            f"this year's privacy budget is spent, and this scope was not released on {day},"
            f" the year's last release day: nothing to show until {day.year + 1}-01-01"
        )
    try:
        with _locked(folder, creator_id):
            if (kept := _load(path)) is not None:
                return kept
            raw = count()
            counts = _settle(folder, name, day, raw)
            cells = {
                scope: sorted([h, i, b, n] for (h, i, b), n in scope_counts.items() if n)
                for scope, scope_counts in counts.items()
            }
            path.parent.mkdir(parents=True, exist_ok=True)
            _prune(folder, day)
            first = folder / "first_likes" / day.isoformat() / name
            first.parent.mkdir(parents=True, exist_ok=True)
            keeping.write_once(first, json.dumps(_raw_new_likers(raw)).encode())
            if keeping.write_once(path, json.dumps(cells).encode()):
                return counts
    except OSError as exc:
        raise keeping.refusal(f"the day's counts cannot be kept ({exc.strerror})") from None
    theirs = _load(path)  # another process froze the day first: theirs stands
    if theirs is None:
        raise keeping.refusal("the day's kept counts vanished")
    return theirs
