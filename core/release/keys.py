"""The release's settings from the world: the noise key and ε.

The key is `meta.noise_key` when the world sets one (fixtures, tests, audits), else a
random key made once for the database's resolved path and kept in wholiked's data
folder; it is never written into the database, so a read-only file stays untouched.
"""

import hashlib
import os
import sqlite3
from fractions import Fraction
from pathlib import Path

from wholiked.core.errors import BadInput
from wholiked.core.release.accounting import DEFAULT_EPSILON, MAX_EPSILON, MIN_EPSILON
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
    import secrets  # only the first time a file without meta.noise_key is released

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
    from decimal import Decimal, InvalidOperation  # only for a world that sets its own ε

    try:
        number = Decimal(value.strip()[:40])  # exponents stay symbolic: no 10**10**9 built
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise BadInput(
            f"{db.label}: table meta, row key 'dp_epsilon': field value: not a number"
            f" (got {value[:40]!r})"
        )
    if not Decimal(MIN_EPSILON.numerator) / MIN_EPSILON.denominator <= number <= MAX_EPSILON:
        raise BadInput(
            f"{db.label}: table meta, row key 'dp_epsilon': field value: must be between"
            f" {float(MIN_EPSILON):g} and {MAX_EPSILON} (got {value[:40]!r})"
        )
    return Fraction(number)
