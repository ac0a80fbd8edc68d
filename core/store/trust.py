"""Whether a piece of wholiked's derived data can be trusted in a file, remembered per
connection until the schema changes (another tool's table rebuild, a dropped trigger)."""

import sqlite3
from collections.abc import Callable


def trusted(
    conn: sqlite3.Connection, name: str, reason: Callable[[sqlite3.Connection], str | None]
) -> bool:
    """True when `reason(conn)` finds nothing wrong; asked again only after PRAGMA
    schema_version moved (a plain sqlite3 connection, which cannot carry the memo, asks
    every time)."""
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    memo: dict[str, tuple[int, bool]] | None = getattr(conn, "wholiked_trusted", None)
    if memo is None:
        memo = {}
        try:
            conn.wholiked_trusted = memo  # type: ignore[attr-defined]
        except AttributeError:
            pass
    cached = memo.get(name)
    if cached is not None and cached[0] == version:
        return cached[1]
    ok = reason(conn) is None
    memo[name] = (version, ok)
    return ok
