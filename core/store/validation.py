"""Validate a whole database against the format, fast, and remember files already checked.

SQL predicates mirror the pydantic models of `core.models` so that a table of
ten million rows is scanned by SQLite, not by Python; the first row the SQL
flags is then checked by the model, which words the error. A file that passed
is remembered by its size and modification time, so opening it again is free.
"""

import json
import os
import sqlite3
from pathlib import Path

from wholiked.core.errors import BadInput
from wholiked.core.store.format import TABLES, Column, Table
from wholiked.core.store.models import validate_row
from wholiked.core.store.paths import data_dir

_TS_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z"


def _q(name: str) -> str:
    """Quote an identifier from our own format declaration (never from data)."""
    return '"' + name.replace('"', '""') + '"'


def column_predicate(column: Column) -> tuple[str, list[object]]:
    """SQL that is true exactly when the column's value is valid, with its parameters.

    SQLite's length() and GLOB stop at a NUL character; byte lengths and an explicit
    NUL check keep handles and regions exact.
    """
    c = _q(column.name)
    params: list[object] = []
    match column.kind:
        case "id":
            sql = f"typeof({c}) = 'integer'"
        case "count":
            sql = f"(typeof({c}) = 'integer' AND {c} >= 0)"
        case "bool":
            sql = f"(typeof({c}) = 'integer' AND {c} IN (0, 1))"
        case "enum":
            marks = ", ".join("?" for _ in column.choices)
            sql = f"(typeof({c}) = 'text' AND {c} IN ({marks}))"
            params.extend(column.choices)
        case "text":
            sql = f"typeof({c}) = 'text'"
        case "timestamp":
            sql = (
                f"(typeof({c}) = 'text' AND {c} GLOB ? AND substr({c}, 1, 4) <> '0000'"
                f" AND strftime('%Y-%m-%dT%H:%M:%SZ', {c}, '+0 seconds') IS {c})"
            )
            params.append(_TS_GLOB)
        case "handle":
            sql = (
                f"(typeof({c}) = 'text' AND length(CAST({c} AS BLOB)) BETWEEN 2 AND 24"
                f" AND {c} NOT GLOB '*[^a-z0-9._]*' AND instr(CAST({c} AS BLOB), x'00') = 0)"
            )
        case "region":
            sql = (
                f"(typeof({c}) = 'text' AND length(CAST({c} AS BLOB)) = 2"
                f" AND {c} NOT GLOB '*[^A-Z]*' AND instr(CAST({c} AS BLOB), x'00') = 0)"
            )
        case "tag":
            sql = f"(typeof({c}) = 'text' AND {c} <> '' AND substr({c}, 1, 1) <> '#')"
        case _:
            raise ValueError(column.kind)
    if column.nullable:
        sql = f"({c} IS NULL OR {sql})"
    return sql, params


def _row_label(table: Table, row: sqlite3.Row) -> str:
    keys = row.keys()
    if table.pk == ("id",) and "id" in keys:
        return f"row id {row['id']!r}"
    parts = ", ".join(f"{k}={row[k]!r}" for k in table.pk if k in keys)
    return f"row ({parts})"


def _check_values(conn: sqlite3.Connection, label: str, table: Table) -> None:
    predicates, params = [], []
    for column in table.columns:
        sql, p = column_predicate(column)
        predicates.append(sql)
        params.extend(p)
    cols = ", ".join(_q(c) for c in table.column_names)
    query = f"SELECT {cols} FROM {_q(table.name)} WHERE NOT ({' AND '.join(predicates)}) LIMIT 1"
    row = conn.execute(query, params).fetchone()
    if row is None:
        return
    problem = validate_row(table.name, dict(zip(row.keys(), tuple(row), strict=True)))
    problem = problem or "a value breaks the format"
    raise BadInput(f"{label}: table {table.name}, {_row_label(table, row)}: {problem}")


def _check_unique(conn: sqlite3.Connection, label: str, table: Table) -> None:
    for key in (table.pk, *table.unique):
        if _has_unique_index(conn, table.name, key):
            continue
        cols = ", ".join(_q(c) for c in key)
        query = f"SELECT {cols} FROM {_q(table.name)} GROUP BY {cols} HAVING count(*) > 1 LIMIT 1"
        row = conn.execute(query).fetchone()
        if row is not None:
            values = ", ".join(f"{k}={row[k]!r}" for k in key)
            raise BadInput(f"{label}: table {table.name}: duplicate rows with {values}")


def _has_unique_index(conn: sqlite3.Connection, table: str, key: tuple[str, ...]) -> bool:
    info = conn.execute(f"PRAGMA table_info({_q(table)})").fetchall()
    pk_cols = tuple(r["name"] for r in sorted((r for r in info if r["pk"]), key=lambda r: r["pk"]))
    if set(pk_cols) == set(key):
        return True
    for index in conn.execute(f"PRAGMA index_list({_q(table)})").fetchall():
        if not index["unique"] or index["partial"]:
            continue
        cols = [r["name"] for r in conn.execute(f"PRAGMA index_info({_q(index['name'])})")]
        if None not in cols and set(cols) == set(key):
            return True
    return False


def _check_references(conn: sqlite3.Connection, label: str, table: Table) -> None:
    for ref in table.references:
        col, target = _q(ref.column), _q(ref.table)
        query = (
            f"SELECT t.{col} AS missing FROM {_q(table.name)} AS t"
            f" WHERE t.{col} IS NOT NULL AND NOT EXISTS"
            f" (SELECT 1 FROM {target} AS r WHERE r.{_q(ref.target)} = t.{col}) LIMIT 1"
        )
        row = conn.execute(query).fetchone()
        if row is not None:
            raise BadInput(
                f"{label}: table {table.name}: {ref.column} {row['missing']!r}"
                f" names no row of {ref.table}"
            )


def check_rows(conn: sqlite3.Connection, label: str) -> None:
    """Raise BadInput naming table, row and field of the first row that breaks the format."""
    for table in TABLES.values():
        if not table_exists(conn, table.name):
            continue
        _check_values(conn, label, table)
        _check_unique(conn, label, table)
        _check_references(conn, label, table)


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    """True when the database has a table of that name."""
    query = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?"
    return conn.execute(query, (name,)).fetchone() is not None


# --- remembering files that passed -------------------------------------------------


_CACHE_SIZE = 200


def _cache_file() -> Path:
    return data_dir() / "validated.json"


def file_signature(path: Path) -> list[int]:
    """Size and mtime of the file and its WAL: any change of content changes it."""
    sig: list[int] = []
    for p in (path, Path(str(path) + "-wal")):
        try:
            st = p.stat()
            sig += [st.st_size, st.st_mtime_ns]
        except FileNotFoundError:
            sig += [0, 0]
    return sig


def _load_cache() -> dict[str, list[int]]:
    try:
        data = json.loads(_cache_file().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_known_valid(path: Path) -> bool:
    return _load_cache().get(str(path)) == file_signature(path)


def remember_valid(path: Path) -> None:
    """Record that the file, as it is now, passed validation (best effort)."""
    cache = _load_cache()
    cache.pop(str(path), None)
    cache[str(path)] = file_signature(path)
    cache = dict(list(cache.items())[-_CACHE_SIZE:])
    target = _cache_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(cache))
        tmp.replace(target)
    except OSError:
        pass
