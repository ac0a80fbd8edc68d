"""Whether a piece of wholiked's derived data can be trusted in a file, remembered per
connection until the schema changes (another tool's table rebuild, a dropped trigger);
or, for a piece kept beside a read-only file (`core.store.beside`), whether the file is
still in the state it was counted from."""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Attached:
    """What one connection knows of the derived data attached beside its file."""

    pieces: frozenset[str]
    version: int | None
    """PRAGMA data_version when the file was seen in the state the data was counted from;
    None when it was not (then the data is never used on this connection)."""


def beside_serves(conn: sqlite3.Connection, piece: str) -> bool | None:
    """None when the piece is not taken from beside the file on this connection; else
    whether it can be used now: inside a read transaction (the snapshot every query of
    the answer sees), with no commit by any other connection since the file was seen in
    the state the data is for (PRAGMA data_version moves with every such commit)."""
    attached: Attached | None = getattr(conn, "wholiked_beside", None)
    if attached is None or piece not in attached.pieces:
        return None
    if attached.version is None or not conn.in_transaction:
        return False
    return bool(conn.execute("PRAGMA main.data_version").fetchone()[0] == attached.version)


def trusted(
    conn: sqlite3.Connection, name: str, reason: Callable[[sqlite3.Connection], str | None]
) -> bool:
    """True when `reason(conn)` finds nothing wrong; asked again only after PRAGMA
    schema_version moved (a plain sqlite3 connection, which cannot carry the memo, asks
    every time). A piece kept beside the file is asked `beside_serves` instead."""
    served = beside_serves(conn, name)
    if served is not None:
        return served
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
