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
import os
from pathlib import Path

from wholiked.core.release.daily import NoiseDraws
from wholiked.core.release.keeping import refusal, write_once
from wholiked.core.store.database import Database
from wholiked.core.store.paths import data_dir

_IDENTITY = b"wholiked.release.identity.v2\x00"


class ReleaseStore:
    """The release's files and memo for one database (shared by the facades on it)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.draws = NoiseDraws()
        """The cells' noise drawn so far for this database's releases."""

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
