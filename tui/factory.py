"""Build the service from a database path: the one factory the CLI, the app and tests share."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database
from wholiked.core.store.paths import demo_path


def ensure_demo_copy(*, fresh: bool = False) -> Path:
    """The demo world's working copy, built from the fixture when missing (or when fresh)."""
    from wholiked.fixtures.demo import build_demo

    path = demo_path()
    if path.exists() and not fresh:
        return path
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


def make_service(db: str | Path | None = None, *, write: bool = False) -> Wholiked:
    """Open a user's database (read-only unless write) or, without one, the demo working copy."""
    if db is None:
        return Wholiked(open_database(ensure_demo_copy(), writable=True, label="the demo world"))
    return Wholiked(open_database(db, writable=write))


@contextmanager
def session_demo() -> Iterator[Wholiked]:
    """A fresh copy of the demo world for one session, in a temporary folder removed when the
    session ends (`wholiked tui --session-copy`, what `serve` runs for each browser)."""
    from wholiked.fixtures.demo import build_demo

    with tempfile.TemporaryDirectory(prefix="wholiked-session-") as folder:
        path = Path(folder) / "demo.db"
        build_demo(path)
        service = Wholiked(
            open_database(path, writable=True, label="this session's copy of the demo world")
        )
        try:
            yield service
        finally:
            service.close()
