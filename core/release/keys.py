"""The release's settings from the world: the noise key and ε.

The key is `meta.noise_key` when the world sets one (fixtures, tests, audits), else a
random key made once for the database's resolved path and kept in wholiked's data
folder; it is never written into the database, so a read-only file stays untouched.
"""

import hashlib
import os
import secrets
import sqlite3
from fractions import Fraction
from pathlib import Path

from wholiked.core.errors import BadInput
from wholiked.core.release.accounting import DEFAULT_EPSILON, MAX_EPSILON
from wholiked.core.store.database import Database
from wholiked.core.store.paths import data_dir
from wholiked.core.store.validation import table_exists


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    if not table_exists(conn, "meta"):
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def noise_key(db: Database) -> bytes:
    """The world's noise key (meta.noise_key), else this database's key in the data folder."""
    if (value := _meta(db.conn, "noise_key")) is not None:
        return b"meta:" + value.encode("utf-8", "surrogatepass")
    where = hashlib.sha256(str(db.path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    path = data_dir() / "noise-keys" / f"{where}.key"
    try:
        return b"file:" + path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = secrets.token_bytes(32)
    _write_once(path, fresh)
    return b"file:" + path.read_bytes()


def _write_once(path: Path, data: bytes) -> None:
    """Create the key file unless another process made it first (then theirs is kept)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def epsilon(db: Database) -> Fraction:
    """The world's daily ε per creator (meta.dp_epsilon, default 1), as an exact fraction."""
    value = _meta(db.conn, "dp_epsilon")
    if value is None:
        return DEFAULT_EPSILON
    try:
        eps = Fraction(value.strip())
    except (ValueError, ZeroDivisionError):
        raise BadInput(
            f"{db.label}: table meta, row key 'dp_epsilon': field value: not a number"
            f" (got {value[:40]!r})"
        ) from None
    if not 0 < eps <= MAX_EPSILON:
        raise BadInput(
            f"{db.label}: table meta, row key 'dp_epsilon': field value: must be above 0 and"
            f" at most {MAX_EPSILON} (got {value[:40]!r})"
        )
    return eps
