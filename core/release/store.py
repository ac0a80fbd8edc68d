"""What the release keeps for one open database: its folder in the data folder and the
noise drawn in this process.

The facade (`Wholiked`) makes one `ReleaseStore` for its database and passes it to the
release, so nothing of the release is module state: the file's key (`keys`), its frozen
days (`frozen`) and its odometer (`odometer`) are files in the folder named here, and the
noise drawn is remembered here (the same answer again costs a lookup). The folder is
found at each use, as the file and the data folder are then: a file replaced at the same
path is another file (`keeping`), and `WHOLIKED_HOME` may be set anew (the bench does).
"""

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wholiked.core.release import consistent, noise
from wholiked.core.release.daily import RELEASE_VERSION, NoiseDraws
from wholiked.core.release.keeping import refusal, write_once
from wholiked.core.store.database import Database
from wholiked.core.store.paths import data_dir

_IDENTITY = b"wholiked.release.identity.v2\x00"
_ESTIMATE = b"wholiked.release.estimate.v1\x00"


class KeptDraws(NoiseDraws):
    """The noise draws of this process, and each scope's consistent estimate also kept in
    the file's folder beside the day's frozen counts, so that a later reading the same
    day, in any process, draws no noise and solves nothing again (the analytics CLI runs
    one process per answer). An estimate is released output: keeping it reveals nothing
    the answer does not. It is filed under a hash of everything it is computed from
    (key, creator, day, scope, scale, public data, the frozen counts), so a changed input
    finds no file; only the product's own sampler and estimator are kept, never one a test
    or an audit swapped in. A kept file that is not an estimate is computed again."""

    def __init__(self, folder: Callable[[], Path]) -> None:
        super().__init__()
        self._folder = folder

    def estimate(
        self, memo: tuple[Any, ...], compute: Callable[[], consistent.Estimate]
    ) -> consistent.Estimate:
        if self.remembers(memo) or (path := self._path(memo)) is None:
            return super().estimate(memo, compute)
        return super().estimate(memo, lambda: self._kept(path, compute))

    def _path(self, memo: tuple[Any, ...]) -> Path | None:
        estimator, sampler, key, creator_id, day, scope, scale, videos, public, counts = memo
        product = _ours(estimator, consistent.__name__, "estimate")
        if not (product and _ours(sampler, noise.__name__, "noise")):
            return None
        first = public.first_posted.isoformat() if public.first_posted else ""
        inputs: tuple[object, ...] = (RELEASE_VERSION, key.hex(), creator_id, str(day), scope)
        inputs += (str(scale), videos, public.likes, first, sorted(counts))
        digest = hashlib.sha256(_ESTIMATE + repr(inputs).encode()).hexdigest()[:32]
        folder: Path = self._folder() / str(day)
        return folder / f"estimate.{digest}.json"

    @staticmethod
    def _kept(path: Path, compute: Callable[[], consistent.Estimate]) -> consistent.Estimate:
        try:
            text: bytes | None = path.read_bytes()
        except OSError:
            text = None
        if text is not None:
            try:
                if (found := consistent.Estimate.from_json(json.loads(text))) is not None:
                    return found
            except ValueError:
                pass
        made = compute()
        try:
            if text is not None:
                path.unlink(missing_ok=True)  # not an estimate: made again
            path.parent.mkdir(parents=True, exist_ok=True)
            write_once(path, json.dumps(made.as_json()).encode())
        except OSError:
            pass  # not kept: the next process computes it again, as before
        return made


def _ours(function: object, module: str, name: str) -> bool:
    """The product's own estimator or sampler, by where it is defined: one a test or an
    audit patches in is defined elsewhere."""
    where = (getattr(function, "__module__", None), getattr(function, "__qualname__", None))
    return where == (module, name)


class ReleaseStore:
    """The release's files and memo for one database (shared by the facades on it)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.draws = KeptDraws(self.folder)
        """The cells' noise drawn so far for this database's releases, and their kept
        consistent estimates."""

    def folder(self) -> Path:
        """The file's folder: its resolved path and inode, hashed."""
        resolved = self.db.path.resolve()
        try:
            inode = os.stat(resolved).st_ino
        except OSError as exc:
            raise refusal(f"the database file cannot be found ({exc.strerror})") from None
        identity = _IDENTITY + f"{resolved}\0{inode}".encode("utf-8", "surrogatepass")
        return data_dir() / "releases" / hashlib.sha256(identity).hexdigest()[:32]

    def file_key(self) -> bytes:
        """The file's random key, made the first time (never written into the database)."""
        path = self.folder() / "key"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise refusal(f"its key cannot be read ({exc.strerror})") from None
        import secrets  # only the first time a file without meta.noise_key is released

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_once(path, secrets.token_bytes(32))
            key = path.read_bytes()
        except OSError as exc:
            raise refusal(f"no key can be kept ({exc.strerror})") from None
        if not key:
            raise refusal(f"its key file is empty ({path})")
        return key

    def forget(self) -> None:
        """Drop every noise draw remembered: the next release draws its cells again, as a
        new process would (a benchmark timing a release from nothing)."""
        self.draws.forget()
