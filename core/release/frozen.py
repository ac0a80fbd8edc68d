"""The day's counts, frozen at their first reading, so the release is the same all day.

The noise of a day is fixed by its key; if the counts under it could still move, an
unlike today (or another tool deleting a row) would show as the exact difference of
the counts, naming the account behind it. So the first reading of a scope's counts on
a release day is kept in wholiked's data folder (never in the database, which may be
read-only) and every later reading that day returns it, in every process.
"""

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from wholiked.core.release.counting import Counts
from wholiked.core.store.database import Database
from wholiked.core.store.paths import data_dir

KEEP_DAYS = 2
"""Frozen days older than this are removed when a new day is frozen."""


def _folder(db: Database) -> Path:
    """One folder per database file: its resolved path and inode (a replaced file, such as a
    reset demo, starts afresh)."""
    resolved = db.path.resolve()
    identity = f"{resolved}\0{os.stat(resolved).st_ino}".encode("utf-8", "surrogatepass")
    return data_dir() / "releases" / hashlib.sha256(identity).hexdigest()[:32]


def _load(path: Path) -> Counts | None:
    try:
        cells = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return Counter({(h, int(i), b): int(n) for h, i, b, n in cells})


def _prune(folder: Path, day: date) -> None:
    for old in folder.glob("????-??-??"):
        if old.name < (day - timedelta(days=KEEP_DAYS)).isoformat():
            import shutil  # only on the first reading of a new day

            shutil.rmtree(old, ignore_errors=True)


def frozen(db: Database, day: date, scope: str, count: Callable[[], Counts]) -> Counts:
    """The scope's counts for the day: as first read, or read now and kept."""
    folder = _folder(db)
    path = folder / day.isoformat() / f"{scope.replace(':', '-')}.json"
    if (kept := _load(path)) is not None:
        return kept
    counts = count()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _prune(folder, day)
        cells = sorted([h, i, b, n] for (h, i, b), n in counts.items())
        import tempfile  # only to freeze a day's first reading

        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as fh:
            json.dump(cells, fh)
        if path.exists():  # another process froze the day first: theirs stands
            os.unlink(fh.name)
            return _load(path) or counts
        os.replace(fh.name, path)
    except OSError:
        return counts  # no data folder to write: the counts as they are now
    return counts
