"""The release's settings from the world: the noise key and ε.

The key is `meta.noise_key` when the world sets one (tests, audits), else a random key
made once for the database file (its resolved path and inode) and kept in wholiked's
data folder next to the file's frozen days (`store.ReleaseStore`); it is never written
into the database, so a read-only file stays untouched.
"""

import sqlite3
from fractions import Fraction

from wholiked.core.errors import BadInput
from wholiked.core.release.accounting import DEFAULT_EPSILON, MAX_EPSILON, MIN_EPSILON
from wholiked.core.release.store import ReleaseStore
from wholiked.core.store.database import Database
from wholiked.core.store.validation import table_exists


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    if not table_exists(conn, "meta"):
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def noise_key(db: Database, store: ReleaseStore | None = None) -> bytes:
    """The world's noise key (meta.noise_key), else this database file's key, kept by the
    release's store (the facade's; else one for `db`) with its frozen days;
    `keeping.CannotKeep` when no key can be kept."""
    if (value := _meta(db.conn, "noise_key")) is not None:
        return b"meta:" + value.encode("utf-8", "surrogatepass")
    return b"file:" + (store or ReleaseStore(db)).file_key()


def epsilon(db: Database) -> Fraction:
    """The world's daily ε per creator (meta.dp_epsilon, default 1), as an exact fraction."""
    value = _meta(db.conn, "dp_epsilon")
    if value is None:
        return DEFAULT_EPSILON
    return _number(db, "dp_epsilon", value, MIN_EPSILON, MAX_EPSILON)


MAX_EPSILON_YEAR = 366 * MAX_EPSILON


def epsilon_year(db: Database) -> Fraction | None:
    """The world's cap on a creator's ε per calendar year (meta.dp_epsilon_year), if any: at
    least one day's ε (meta.dp_epsilon), at most 366 days of the largest."""
    value = _meta(db.conn, "dp_epsilon_year")
    if value is None:
        return None
    return _number(db, "dp_epsilon_year", value, epsilon(db), MAX_EPSILON_YEAR)


def _number(db: Database, name: str, value: str, low: Fraction, high: Fraction) -> Fraction:
    from decimal import Decimal, InvalidOperation  # only for a world that sets its own ε

    try:
        number = Decimal(value.strip()[:40])  # exponents stay symbolic: no 10**10**9 built
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise BadInput(
            f"{db.label}: table meta, row key '{name}': field value: not a number"
            f" (got {value[:40]!r})"
        )
    if not Decimal(low.numerator) / low.denominator <= number <= high:
        raise BadInput(
            f"{db.label}: table meta, row key '{name}': field value: must be between"
            f" {float(low):g} and {float(high):g} (got {value[:40]!r})"
        )
    return Fraction(number)


AUTO = "auto"
MAX_VIDEO_MIN_LIKES = 10**9


def video_min_likes(db: Database, auto: int) -> int:
    """The public like total from which a video's own scope is released
    (meta.dp_video_min_likes): a whole number, or "auto" for `auto` (the rule of
    `accounting.min_video_likes`); absent, 0: every video's scope, as before."""
    value = _meta(db.conn, "dp_video_min_likes")
    if value is None:
        return 0
    if value.strip().lower() == AUTO:
        return auto
    text = value.strip()
    if (
        not text.isascii()
        or not text.isdigit()
        or len(text) > 10
        or int(text) > MAX_VIDEO_MIN_LIKES
    ):
        raise BadInput(
            f"{db.label}: table meta, row key 'dp_video_min_likes': field value: must be"
            f" '{AUTO}' or a whole number from 0 to {MAX_VIDEO_MIN_LIKES:,} (got {value[:40]!r})"
        )
    return int(text)
