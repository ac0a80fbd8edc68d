"""The platform report on Spark: the format's tables as Parquet (`wholiked export --parquet`,
or a warehouse's own files), every video's audit and the report's queries run by Spark SQL.

The SQL is `rules.platform`'s, built from the same compiled clauses as SQLite's (joins on
keys, no correlated subquery), so both engines apply one definition of the rules and give
the same JSON apart from `engine`. What Spark costs is per job and stage, not per row, so
the report is two jobs' worth of work: every video's audit in one query (`joined_wide_sql`,
kept as a local checkpoint), then the sums and the most exposed videos in one collect.
Local mode by default (every core of this machine); `--master` names a cluster's. pyspark
is imported here only (the `spark` extra) and needs Java 17.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from wholiked.core.answers.report import Query, Row
from wholiked.core.errors import BadInput
from wholiked.core.rules import platform
from wholiked.core.rules.platform import Progress
from wholiked.core.rules.presets import Preset
from wholiked.core.store.format import TABLES

NEEDED = ("users", "follows", "blocks", "videos", "likes")
"""The tables the report reads."""


LOCAL_SHUFFLE_PER_CORE = 2
"""Shuffle partitions per core in local mode. Spark's default of 200 is a cluster's: on one
machine every one of the report's stages would run 200 tasks, and the report of the demo
world took minutes on a busy 2-core machine (4 partitions: a third of that)."""


def _local_cores(master: str) -> int:
    """The cores of a local master: local[N], or every core for local and local[*]."""
    inside = master.partition("[")[2].partition("]")[0].partition(",")[0]
    return int(inside) if inside.isdigit() else os.cpu_count() or 1


LOCAL_CONF = {
    # One short-lived JVM does the driver's and the executors' work: the quick (C1) JIT
    # alone and the serial collector start it in half the time (about 5 s against 10 s on
    # a busy 2-core machine) and plan and compile each stage's code faster; what the
    # C2 JIT would gain on long loops a report of millions of likes never reaches.
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}
"""Settings of local mode (a cluster keeps its own)."""


def spark_session(master: str = "local[*]", *, shuffle_partitions: int | None = None) -> Any:
    """A Spark session for the report (local mode unless a cluster's master URL is given; in
    local mode, LOCAL_CONF and LOCAL_SHUFFLE_PER_CORE shuffle partitions per core unless
    told)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise BadInput("--engine spark needs PySpark: pip install 'wholiked[spark]'") from None
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName("wholiked report")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if master.startswith("local"):
        for key, value in LOCAL_CONF.items():
            builder = builder.config(key, value)
        if shuffle_partitions is None:
            shuffle_partitions = LOCAL_SHUFFLE_PER_CORE * _local_cores(master)
    if shuffle_partitions is not None:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # no Java, a master that does not answer: one line
        raise BadInput(f"Spark did not start ({type(exc).__name__}): {exc}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """The flag tables as cached Spark views over the Parquet tables under `source`."""

    name = "spark"

    def __init__(self, source: str, *, master: str = "local[*]", session: Any = None) -> None:
        self.source = source.rstrip("/")
        self.master = master
        self.session = session

    def _read(self, spark: Any) -> None:
        for table in NEEDED:
            path = f"{self.source}/{table}.parquet"
            try:
                frame = spark.read.parquet(path)
            except Exception as exc:
                raise BadInput(
                    f"{path}: cannot read it as Parquet ({type(exc).__name__})"
                ) from None
            missing = set(TABLES[table].column_names) - set(frame.columns)
            if missing:
                raise BadInput(f"{path}: missing columns {', '.join(sorted(missing))}")
            frame.createOrReplaceTempView(table)

    @contextmanager
    def prepared(self, rule_sets: list[Preset], progress: Progress | None) -> Iterator[Query]:
        say = progress or (lambda step, done, total: None)
        spark = self.session or spark_session(self.master)
        say("reading the Parquet tables", 0, 2)
        self._read(spark)
        say(platform.STEP_WORDS["r_wide"], 1, 2)
        # One query from the tables to every video's audit, computed once and kept (a local
        # checkpoint: the report's queries read it as rows, never plan it again); then the
        # report's queries, in one job (`_together`).
        wide = spark.sql(platform.joined_wide_sql(rule_sets)).localCheckpoint()
        wide.createOrReplaceTempView("r_wide")
        try:

            def query(sqls: list[str]) -> list[list[Row]]:
                return _together(spark, sqls)

            yield query
        finally:
            spark.catalog.dropTempView("r_wide")
            wide.unpersist()


def _together(spark: Any, sqls: list[str]) -> list[list[Row]]:
    """Every query's rows from one collect: one job graph, so the stages the queries share
    (every video's audit) run once and the driver plans once. Their columns differ, so
    each row travels as text beside its query's position, padded to the widest."""
    frames = [spark.sql(sql) for sql in sqls]  # analysed, not run
    width = max(len(frame.columns) for frame in frames)
    together = None
    for i, frame in enumerate(frames):
        named = frame.toDF(*(f"c{j}" for j in range(len(frame.columns))))
        columns = [f"{i} AS part"] + [
            f"CAST(c{j} AS STRING) AS c{j}" if j < len(frame.columns) else f"NULL AS c{j}"
            for j in range(width)
        ]
        tagged = named.selectExpr(*columns)
        together = tagged if together is None else together.unionAll(tagged)
    found: list[list[Row]] = [[] for _ in sqls]
    for row in together.collect() if together is not None else []:
        found[row[0]].append(tuple(row[1 : 1 + len(frames[row[0]].columns)]))
    return found
