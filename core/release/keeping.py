"""Where a database's release is kept: one folder per database file in the data folder
(`store.ReleaseStore` names it), and how what is kept there is written.

The noise key and the day's frozen counts live in the same folder, named by one identity
of the file (its resolved path and inode), so they change together: a file replaced at
the same path (`wholiked reset`, a restored backup, `cp` + `mv`) is a new inode, so it
gets a new key *and* its own frozen counts, and fresh counts are never paired with old
noise, nor old counts with fresh noise. A frozen day is also filed under the key it was
noised with (a world whose `meta.noise_key` changes gets its counts afresh).

When the folder cannot be kept (the data folder is not writable), the release refuses
(`CannotKeep`) instead of answering from live counts: with the noise fixed for the day,
two live answers differ by exactly the cells of whoever changed in between.
"""

import hashlib
import os
from pathlib import Path

from wholiked.core.errors import WholikedError
from wholiked.core.store.paths import data_dir


class CannotKeep(WholikedError):
    """The day's release cannot be kept in the data folder, so it is not shown (exit 2)."""

    exit_code = 2


def refusal(why: str) -> CannotKeep:
    return CannotKeep(
        f"today's release cannot be kept in wholiked's data folder ({data_dir()}): {why};"
        " analytics are not shown from live counts (make the folder writable, or set"
        " WHOLIKED_HOME to one that is)"
    )


def write_once(path: Path, data: bytes) -> bool:
    """Create `path` holding `data` unless it exists (another process's stands): written
    whole to a temporary file and linked in, so no reader sees half of it. True when
    ours was kept."""
    import tempfile

    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as fh:
        fh.write(data)
    try:
        os.chmod(fh.name, 0o600)
        os.link(fh.name, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(fh.name)
    return True


def fingerprint(key: bytes) -> str:
    """Which key a frozen day was noised with (a one-way hash; the key stays secret)."""
    return hashlib.sha256(b"wholiked.release.frozen\x00" + key).hexdigest()[:16]
