"""The platform report at scale: `wholiked report` on the README's worlds of 1M and 10M likes,
in SQLite (`--db`) and in Spark local mode (`--engine spark --parquet`), as whole processes.

    python -m bench.report [--points 1M,10M] [--pairs 2]   (also a part of make bench)

Every built-in preset and the README's example rule file (which asks whether the liker
follows the creator: the most expensive clause to count) in one report. The two engines
run back to back on each world, in interleaved pairs (SQLite, Spark, SQLite, Spark), and
must print the same JSON (apart from `engine`); the Parquet copy of a world is written
once beside it (`wholiked export --parquet`). The rows give SQLite's time on the 10M
world against its target, Spark's against SQLite's (the median of the pairs' ratios),
the load average the runs saw, and how each grows from 1M to 10M likes against the likes.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import readme_path
from bench.table import Row, at_most
from bench.timing import installed_env

RULES = Path(__file__).resolve().parent.parent / "docs" / "rules" / "creator_sees_followers.toml"
"""The README's example rule file: the creator sees the likers who follow them."""
SQLITE_TARGET_S = 60
SPARK_TARGET = 3
"""Spark local mode within this many times SQLite's time on this machine."""
PAIRS = 2
"""Interleaved (SQLite, Spark) runs per world."""


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


def _timed(command: list[str], world: Path) -> tuple[float, dict, float]:
    """Seconds of one whole process (a fresh data folder, the world known valid), its JSON,
    and the machine's load average (1 minute) when it ended."""
    home = readme_path.fresh_home(world)
    try:
        start = time.perf_counter()
        out = subprocess.run(
            command,
            check=True,
            capture_output=True,
            env=installed_env(WHOLIKED_HOME=str(home), SPARK_LOCAL_IP="127.0.0.1"),
        ).stdout
        return time.perf_counter() - start, json.loads(out), os.getloadavg()[0]
    finally:
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class Measured:
    """Both engines' report of one world, run back to back in interleaved pairs."""

    sqlite_s: float
    """SQLite's median seconds over the pairs."""
    spark_s: float
    ratio: float
    """The median of each pair's Spark / SQLite (each pair under the same load)."""
    same: bool
    """Every run printed the same JSON apart from `engine`."""
    likes: int
    loads: tuple[float, float]
    """The lowest and highest load average seen at the end of a run."""

    @property
    def load(self) -> str:
        low, high = self.loads
        return f"load {low:.0f}" if round(low) == round(high) else f"load {low:.0f}–{high:.0f}"


def measure(world: Path, pairs: int = PAIRS) -> Measured:
    """SQLite's and Spark's report on the world, `pairs` times each, interleaved (SQLite,
    Spark, SQLite, Spark...): on a shared machine each pair's ratio is what to read."""
    w, rules = readme_path._wholiked(), ["--rules", str(RULES), "--json"]
    sqlite = [w, "report", "--db", str(world), *rules]
    spark = [w, "report", "--engine", "spark", "--parquet", str(parquet_of(world)), *rules]
    times: dict[str, list[float]] = {"sqlite": [], "spark": []}
    loads, same, likes = [], True, 0
    for _ in range(pairs):
        ours_s, ours, load = _timed(sqlite, world)
        theirs_s, theirs, load2 = _timed(spark, world)
        times["sqlite"].append(ours_s)
        times["spark"].append(theirs_s)
        loads += [load, load2]
        same = same and ours.pop("engine") == "sqlite" and theirs.pop("engine") == "spark"
        same = same and ours == theirs
        likes = next(iter(ours["presets"].values()))["likes"]
    ratios = [b / a for a, b in zip(times["sqlite"], times["spark"], strict=True)]
    return Measured(
        statistics.median(times["sqlite"]),
        statistics.median(times["spark"]),
        statistics.median(ratios),
        same,
        likes,
        (min(loads), max(loads)),
    )


def report_rows(names: tuple[str, ...] = ("1M", "10M"), pairs: int = PAIRS) -> list[Row]:
    """The report on each world for both engines, and the growth between the first and last."""
    worlds = points()
    found: dict[str, Measured] = {}
    for name in names:
        found[name] = m = measure(worlds[name], pairs)
        print(
            f"  report, {name} likes: SQLite {m.sqlite_s:.1f} s, Spark {m.spark_s:.1f} s"
            f" ({m.ratio:.2f}×, {m.load})",
            file=sys.stderr,
            flush=True,
        )
    rows = []
    for name, m in found.items():
        differs = "" if m.same else " (the engines' JSON DIFFERS)"
        if name == "10M":
            row = at_most(
                f"`wholiked report` ({m.likes:,} likes, 5 presets + a rule file on the"
                f" liker's follow), SQLite, whole process, {m.load}" + differs,
                m.sqlite_s,
                SQLITE_TARGET_S,
                "s",
            )
            rows.append(row)
        else:
            rows.append(
                Row(
                    f"`wholiked report`, {m.likes:,} likes, SQLite, {m.load}" + differs,
                    f"{m.sqlite_s:.1f} s",
                )
            )
        rows.append(
            Row(
                f"  the same in Spark local mode (`--engine spark --parquet`), {name} likes,"
                f" against SQLite, {pairs} interleaved pairs, {m.load}",
                f"{m.spark_s:.1f} s vs {m.sqlite_s:.1f} s",
                f"≤ {SPARK_TARGET}× SQLite",
                f"{m.ratio:.2f}×",
                m.ratio <= SPARK_TARGET and m.same,
            )
        )
    if len(found) > 1:
        low, high = found[names[0]], found[names[-1]]
        growth = high.likes / low.likes
        spark_growth = high.spark_s / low.spark_s
        rows.append(
            Row(
                f"  growth {names[0]} → {names[-1]} likes: SQLite / Spark, against the likes",
                f"{high.sqlite_s / low.sqlite_s:.1f}× / {spark_growth:.1f}× vs {growth:.0f}×",
                "Spark ≤ the likes (linear)",
                f"{spark_growth / growth:.2f}× of it",
                spark_growth <= growth,
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("--points", default="1M,10M", help="worlds of the curve, in order")
    parser.add_argument("--pairs", type=int, default=PAIRS, help="interleaved runs per world")
    args = parser.parse_args(argv)
    from bench.run import print_table
    from bench.timing import machine

    print(f"machine: {machine()}", flush=True)
    print_table(report_rows(tuple(args.points.split(",")), args.pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
