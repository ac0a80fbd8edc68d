"""The platform report at scale: `wholiked report` on the README's worlds of 1M and 10M likes,
in SQLite (`--db`) and in Spark local mode (`--engine spark --parquet`), as whole processes.

    python -m bench.report [--points 1M,10M]   (also a part of make bench)

Every built-in preset and the README's example rule file (which asks whether the liker
follows the creator: the most expensive clause to count) in one report. The two engines
run back to back on each world and must print the same JSON (apart from `engine`); the
Parquet copy of a world is written once beside it (`wholiked export --parquet`). The
rows give SQLite's time on the 10M world against its target, Spark's against SQLite's
in the same run, and how each grows from 1M to 10M likes against the likes.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import readme_path
from bench.table import Row, at_most
from bench.timing import installed_env

RULES = Path(__file__).resolve().parent.parent / "docs" / "rules" / "creator_sees_followers.toml"
"""The README's example rule file: the creator sees the likers who follow them."""
SQLITE_TARGET_S = 60
SPARK_TARGET = 3
"""Spark local mode within this many times SQLite's time on this machine."""


def points() -> dict[str, Path]:
    """The worlds of the curve: the README's 10M world and the curve's 1M one (built once,
    as `readme_path` builds them)."""
    home = Path(tempfile.mkdtemp(prefix="wholiked-bench-build-"))
    try:
        readme_path.build(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return {**readme_path.curve_worlds(), "10M": readme_path.WORLD}


def parquet_of(world: Path) -> Path:
    """The world's tables as Parquet, written once beside it (a marker says it is whole)."""
    folder = world.with_suffix(".parquet")
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        home = readme_path.fresh_home(world)
        try:
            subprocess.run(
                [readme_path._wholiked(), "export", "--parquet", str(folder), "--db", str(world)],
                check=True,
                capture_output=True,
                env=installed_env(WHOLIKED_HOME=str(home)),
            )
        finally:
            shutil.rmtree(home, ignore_errors=True)
        done.touch()
    return folder


def _timed(command: list[str], world: Path) -> tuple[float, dict]:
    """Seconds of one whole process (a fresh data folder, the world known valid) and its JSON."""
    home = readme_path.fresh_home(world)
    try:
        start = time.perf_counter()
        out = subprocess.run(
            command,
            check=True,
            capture_output=True,
            env=installed_env(WHOLIKED_HOME=str(home), SPARK_LOCAL_IP="127.0.0.1"),
        ).stdout
        return time.perf_counter() - start, json.loads(out)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def measure(world: Path) -> tuple[float, float, bool, int]:
    """SQLite's and Spark's seconds for the report on the world, whether their JSON is the
    same apart from `engine`, and the world's likes."""
    w, rules = readme_path._wholiked(), ["--rules", str(RULES), "--json"]
    sqlite_s, ours = _timed([w, "report", "--db", str(world), *rules], world)
    spark = [w, "report", "--engine", "spark", "--parquet", str(parquet_of(world)), *rules]
    spark_s, theirs = _timed(spark, world)
    same = ours.pop("engine") == "sqlite" and theirs.pop("engine") == "spark" and ours == theirs
    likes = next(iter(ours["presets"].values()))["likes"]
    return sqlite_s, spark_s, same, likes


def report_rows(names: tuple[str, ...] = ("1M", "10M")) -> list[Row]:
    """The report on each world for both engines, and the growth between the first and last."""
    worlds = points()
    found = {}
    for name in names:
        found[name] = measure(worlds[name])
        sqlite_s, spark_s, same, likes = found[name]
        print(
            f"  report, {name} likes: SQLite {sqlite_s:.1f} s, Spark {spark_s:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    rows = []
    for name, (sqlite_s, spark_s, same, likes) in found.items():
        differs = "" if same else " (the engines' JSON DIFFERS)"
        if name == "10M":
            rows.append(
                at_most(
                    f"`wholiked report` ({likes:,} likes, 5 presets + a rule file on the"
                    " liker's follow), SQLite, whole process" + differs,
                    sqlite_s,
                    SQLITE_TARGET_S,
                    "s",
                )
            )
        else:
            rows.append(
                Row(f"`wholiked report`, {likes:,} likes, SQLite" + differs, f"{sqlite_s:.1f} s")
            )
        ratio = spark_s / sqlite_s
        rows.append(
            Row(
                f"  the same in Spark local mode (`--engine spark --parquet`), {name} likes,"
                " against SQLite",
                f"{spark_s:.1f} s vs {sqlite_s:.1f} s",
                f"≤ {SPARK_TARGET}× SQLite",
                f"{ratio:.2f}×",
                ratio <= SPARK_TARGET and same,
            )
        )
    if len(found) > 1:
        low, high = found[names[0]], found[names[-1]]
        growth = high[3] / low[3]
        rows.append(
            Row(
                f"  growth {names[0]} → {names[-1]} likes: SQLite / Spark, against the likes",
                f"{high[0] / low[0]:.1f}× / {high[1] / low[1]:.1f}× vs {growth:.0f}×",
                "Spark ≤ the likes (linear)",
                f"{high[1] / low[1] / growth:.2f}× of it",
                high[1] / low[1] <= growth,
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("--points", default="1M,10M", help="worlds of the curve, in order")
    args = parser.parse_args(argv)
    from bench.run import print_table
    from bench.timing import machine

    print(f"machine: {machine()}", flush=True)
    print_table(report_rows(tuple(args.points.split(","))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
