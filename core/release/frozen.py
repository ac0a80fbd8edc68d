"""A creator's day, frozen at its first reading, so the release is the same all day.

The noise of a day is fixed by its key; if the counts under it could still move, an
unlike today (or another tool deleting a row) would show as the exact difference of
the counts, naming the account behind it. So the first reading of a creator's scopes
on a release day counts them and keeps them in wholiked's data folder, in the folder of
the database file where its key is (`keeping`), filed under the key that noises them;
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
"""

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from wholiked.core.release import keeping
from wholiked.core.release.counting import Counts
from wholiked.core.store.database import Database

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
    for old in folder.glob("????-??-??"):
        if old.name < (day - timedelta(days=KEEP_DAYS)).isoformat():
            import shutil  # only on the first reading of a new day

            shutil.rmtree(old, ignore_errors=True)


def frozen_day(
    db: Database,
    key: bytes,
    day: date,
    creator_id: int,
    group: str,
    count: Callable[[], DayCounts],
) -> DayCounts:
    """The scopes of one group ("all" or "videos") of the creator's day: as first read
    under this key, or read now (the whole group in one snapshot) and kept;
    `keeping.CannotKeep` when it cannot be kept."""
    folder = keeping.folder(db)
    name = f"{creator_id}.{group}.{keeping.fingerprint(key)}.json"
    path = folder / day.isoformat() / name
    if (kept := _load(path)) is not None:
        return kept
    counts = count()
    cells = {
        scope: sorted([h, i, b, n] for (h, i, b), n in scope_counts.items() if n)
        for scope, scope_counts in counts.items()
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _prune(folder, day)
        if keeping.write_once(path, json.dumps(cells).encode()):
            return counts
    except OSError as exc:
        raise keeping.refusal(f"the day's counts cannot be kept ({exc.strerror})") from None
    theirs = _load(path)  # another process froze the day first: theirs stands
    if theirs is None:
        raise keeping.refusal("the day's kept counts vanished")
    return theirs
