"""Export a world's tables as Parquet (`wholiked export --parquet DIR`), for engines that read
a warehouse's files instead of one SQLite file (the platform report on Spark).

One file per table of the format, `DIR/<table>.parquet`, with the format's columns and
types (INTEGER as int64, TEXT as string), written in batches so a ten-million-like table
never sits in memory whole. pyarrow is imported here only (the `spark` extra).
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from wholiked.core.errors import BadInput
from wholiked.core.store.database import Database
from wholiked.core.store.format import TABLES

BATCH = 500_000
"""Rows per batch read from SQLite and written as one Parquet row group."""


def _arrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise BadInput("writing Parquet needs pyarrow: pip install 'wholiked[spark]'") from None
    return pyarrow


def export_parquet(
    db: Database, folder: Path, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, int]:
    """Write every table of the format as DIR/<table>.parquet from one snapshot; the rows
    written per table."""
    pa = _arrow()
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with db.snapshot() as conn:
        for n, table in enumerate(TABLES.values()):
            if progress:
                progress(table.name, n, len(TABLES))
            schema = pa.schema(
                [
                    (c.name, pa.int64() if c.declared_type == "INTEGER" else pa.string())
                    for c in table.columns
                ]
            )
            columns = ", ".join(f'"{c}"' for c in table.column_names)
            cursor = conn.execute(f'SELECT {columns} FROM "{table.name}"')
            rows = 0
            with pq.ParquetWriter(folder / f"{table.name}.parquet", schema) as writer:
                while batch := cursor.fetchmany(BATCH):
                    data = list(zip(*batch, strict=True))
                    writer.write_table(
                        pa.table(
                            [
                                pa.array(col, type=f.type)
                                for col, f in zip(data, schema, strict=True)
                            ],
                            schema=schema,
                        )
                    )
                    rows += len(batch)
            written[table.name] = rows
    return written
