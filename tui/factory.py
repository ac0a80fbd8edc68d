"""Build the service from a database path: the one factory the CLI, the app and tests share."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wholiked.core.errors import BadInput, ForeignTriggers
from wholiked.core.rules.presets import DEFAULT, Preset
from wholiked.core.service import RowCheck, Wholiked
from wholiked.core.store.checks import LOCKED
from wholiked.core.store.paths import demo_path
from wholiked.core.store.schema import remove_derived_at
from wholiked.core.text import printable


def tell_terminal(line: str) -> None:
    """A long step's line for the person waiting (`Wholiked.open(progress=...)`), on stderr
    and only to a terminal: a script reads its answer and, on failure, one error line."""
    if sys.stderr.isatty():
        print(f"wholiked: {printable(line)}", file=sys.stderr, flush=True)


def ensure_demo_copy(*, fresh: bool = False) -> Path:
    """The demo world's working copy, built from the fixture when missing (or when fresh)."""
    path = demo_path()
    if path.exists() and not fresh:
        return path
    import tempfile  # only to build it: a call on a working copy or a --db file never does

    from wholiked.fixtures.demo import build_demo

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".demo-", suffix=".db", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        build_demo(tmp)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


DEMO_LABEL = "the demo world"


def _open_demo(rows: RowCheck, rules: str | Preset) -> Wholiked:
    """The demo working copy, writable; a problem with it says how to get a fresh copy
    (unless it is only locked: waiting, not a fresh copy, is the answer then)."""
    try:
        return _open_or_repair_demo(ensure_demo_copy(), rows, rules)
    except BadInput as exc:
        if str(exc) == LOCKED.format(label=DEMO_LABEL):
            raise
        raise BadInput(f"{exc}; `wholiked reset` makes a fresh copy of the demo world") from None


def _open_or_repair_demo(demo: Path, rows: RowCheck, rules: str | Preset) -> Wholiked:
    """The demo copy is wholiked's own file: derived data another wholiked version left in
    it (triggers this one does not recognise) is dropped, never run, and this version's
    added, instead of refusing to open it."""
    try:
        return Wholiked.open(demo, writable=True, rules=rules, label=DEMO_LABEL, rows=rows)
    except ForeignTriggers as exc:
        if not exc.ours_by_name:
            raise
    remove_derived_at(demo, DEMO_LABEL)
    return Wholiked.open(demo, writable=True, rules=rules, label=DEMO_LABEL, rows=rows)


def make_service(
    db: str | Path | None = None,
    *,
    write: bool = False,
    rules: str | Preset = DEFAULT,
    rows: RowCheck = RowCheck.FULL,
    beside: bool = False,
) -> Wholiked:
    """Open a user's database (read-only unless write) or, without one, the demo working copy,
    answering under the preset `rules` (the seed's by default).

    rows=RowCheck.DEFERRED leaves a large file's full check to later: the facade checks the
    rows each answer reads, or the caller runs the full check (`check_every_row`).
    beside=True builds the derived data a large read-only file lacks beside it, once
    (`Wholiked.open(beside=...)`): for the answers that need it most."""
    if db is None:
        return _open_demo(rows, rules)
    return Wholiked.open(
        db, writable=write, rules=rules, rows=rows, progress=tell_terminal, beside=beside
    )


@contextmanager
def session_demo(rules: str | Preset = DEFAULT) -> Iterator[Wholiked]:
    """A fresh copy of the demo world for one session, in a temporary folder removed when the
    session ends (`wholiked tui --session-copy`, what `serve` runs for each browser)."""
    import tempfile

    from wholiked.fixtures.demo import build_demo

    with tempfile.TemporaryDirectory(prefix="wholiked-session-") as folder:
        path = Path(folder) / "demo.db"
        build_demo(path)
        service = Wholiked.open(
            path, writable=True, rules=rules, label="this session's copy of the demo world"
        )
        try:
            yield service
        finally:
            service.close()
