"""The README path, measured as a user meets it: `wholiked fixtures synth` (the README's
command), then the CLI on `--db`, read-only, in a fresh data folder; and the scale curve.

The world is built once with the CLI (bench/.cache/readme-10m.db, never opened writable)
and its build time kept. Each run starts from a data folder of its own in which the
world is known valid, as `fixtures synth` leaves it (the build records its fingerprint).
Every ratio is of whole processes run interleaved against `likers` of the same world
(itself against the plain script), as the issue's table has them.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.table import Row, at_most
from bench.timing import installed_env, median_ms, release_ms, whole_process_s
from wholiked.core.service import Wholiked

CACHE = Path(__file__).resolve().parent / ".cache"
WORLD = CACHE / "readme-10m.db"
SYNTH = [
    "--users", "1000000", "--videos", "50000", "--likes", "10000000",
    "--follows", "5000000", "--viral", "1000000", "--seed", "1",
]  # fmt: skip
"""The README's synth command (section "Performance")."""
CURVE: dict[str, dict[str, int]] = {
    "100k": {"users": 10_000, "videos": 500, "likes": 100_000, "follows": 50_000},
    "1M": {"users": 100_000, "videos": 5_000, "likes": 1_000_000, "follows": 500_000},
}
"""Smaller worlds of the same shape (a tenth of the users, videos and follows per step,
every user liking video 1); the 10M point of the curve is the README world."""


def _wholiked() -> str:
    return str(Path(sys.executable).parent / "wholiked")


def build(home: Path) -> tuple[float, float]:
    """The README world, built with the CLI once: the seconds it took and the machine's
    load average (one minute) as it ended, kept beside it (a build on a busy machine is
    slower: delete the .json to build and time it again)."""
    figures = WORLD.with_suffix(".json")
    if WORLD.exists() and figures.exists():
        kept = json.loads(figures.read_text())
        return kept["seconds"], kept.get("load", float("nan"))
    WORLD.unlink(missing_ok=True)
    env = installed_env(WHOLIKED_HOME=str(home))
    start = time.perf_counter()
    subprocess.run(
        [_wholiked(), "fixtures", "synth", *SYNTH, "--out", str(WORLD)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    load = os.getloadavg()[0]
    kept = {"seconds": seconds, "load": load, "bytes": WORLD.stat().st_size}
    figures.write_text(json.dumps(kept))
    return seconds, load


def fresh_home(world: Path, *, valid: bool = True) -> Path:
    """A new data folder; the world recorded valid in it when `valid` (what the build did)."""
    home = Path(tempfile.mkdtemp(prefix="wholiked-bench-readme-"))
    if valid:
        code = (
            "import sys; from pathlib import Path;"
            " from wholiked.core.store.validation import remember_valid;"
            " remember_valid(Path(sys.argv[1]).resolve())"
        )
        subprocess.run(
            [sys.executable, "-c", code, str(world)],
            check=True,
            env=installed_env(WHOLIKED_HOME=str(home)),
        )
    return home


def actors(world: Path) -> dict[str, str]:
    """Handles: video 1's creator, a private viewer (as the bench's own rows) and a public
    liker of video 1."""
    conn = sqlite3.connect(world.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        creator_id, creator = conn.execute(
            "SELECT u.id, u.handle FROM videos x JOIN users u ON u.id = x.creator_id WHERE x.id = 1"
        ).fetchone()
        private = conn.execute(
            "SELECT handle FROM users WHERE is_private = 1 AND id <> ? ORDER BY id"
            " LIMIT 1 OFFSET 777",
            (creator_id,),
        ).fetchone()[0]
        liker = conn.execute(
            "SELECT u.handle FROM likes l JOIN users u ON u.id = l.user_id"
            " WHERE l.video_id = 1 AND u.is_private = 0 LIMIT 1"
        ).fetchone()[0]
    finally:
        conn.close()
    return {"creator": creator, "private": private, "liker": liker}


def _first_runs(command: list[str], world: Path, runs: int, *, valid: bool = True) -> float:
    """Median seconds of `command` as the first call in a fresh data folder each time."""
    times = []
    for _ in range(runs):
        home = fresh_home(world, valid=valid)
        try:
            start = time.perf_counter()
            subprocess.run(
                command,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=installed_env(WHOLIKED_HOME=str(home)),
            )
            times.append(time.perf_counter() - start)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    times.sort()
    return times[len(times) // 2]


def strip_copy(world: Path, out: Path) -> Path:
    """A copy as another tool would write it: the format's tables and indexes, none of
    wholiked's derived data (a new inode: nothing about it is remembered)."""
    shutil.copyfile(world, out)
    conn = sqlite3.connect(out, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for kind, name in conn.execute(
            "SELECT type, name FROM sqlite_schema WHERE type IN ('trigger', 'table')"
            " AND name LIKE 'wholiked%'"
        ).fetchall():
            conn.execute(f'DROP {kind.upper()} "{name}"')
        conn.execute("COMMIT")
    finally:
        conn.close()
    return out


def readme_rows(plain: Path, repeat: int) -> list[Row]:
    """The issue's table on the README path: ratios of whole processes against `likers`."""
    build_home = Path(tempfile.mkdtemp(prefix="wholiked-bench-build-"))
    try:
        seconds, load = build(build_home)
    finally:
        shutil.rmtree(build_home, ignore_errors=True)
    rows = [
        at_most(
            "README path: `wholiked fixtures synth` (the README's command, derived data"
            f" included), whole process, once (load average {load:.1f} as it ended)",
            seconds,
            60,
            "s",
        )
    ]
    who = actors(WORLD)
    w, db = _wholiked(), ["--db", str(WORLD)]
    commands = {
        "likers": [w, "likers", "1", "--as", who["private"], "--json", "--limit", "100", *db],
        "plain": [sys.executable, str(plain), "1", "--as", who["private"], "--limit", "100", *db],
        "analytics": [w, "analytics", "--as", who["creator"], "--json", *db],
        "tips": [w, "tips", "--as", who["creator"], "--json", *db],
        "audience": [w, "audience", "1", "--as", who["liker"], "--json", *db],
    }
    first = _first_runs(commands["analytics"], WORLD, max(3, repeat // 3))
    home = fresh_home(WORLD)
    try:  # the warm-up run of each is the day's first: later runs are later readings
        secs, out = whole_process_s(commands, repeat, installed_env(WHOLIKED_HOME=str(home)))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    likers = secs["likers"]
    same = "" if out["likers"] == out["plain"] else " (the plain script's answer DIFFERS)"

    def against(measure: str, name: str, value: float, limit: float) -> Row:
        ratio = value / likers
        return Row(
            measure,
            f"{value * 1000:,.0f} ms vs {likers * 1000:.0f} ms",
            f"≤ {limit:g}× likers",
            f"{ratio:.2f}×",
            ratio <= limit,
        )

    rows += [
        Row(
            "README path: `likers 1 --json --limit 100` (1M-like video), against the plain"
            " script" + same,
            f"{likers * 1000:.0f} ms vs {secs['plain'] * 1000:.0f} ms",
            "≤ 1.5× plain",
            f"{likers / secs['plain']:.2f}×",
            likers / secs["plain"] <= 1.5 and not same,
        ),
        against(
            "  `analytics --json` of video 1's creator, a later reading",
            "analytics",
            secs["analytics"],
            1.5,
        ),
        against(
            "  the first `analytics --json` of the day (fresh data folder)", "first", first, 2.5
        ),
        against("  `tips --json` for that creator", "tips", secs["tips"], 3),
        against("  `audience 1 --json` of a public liker", "audience", secs["audience"], 1.2),
    ]
    rows += unseen_rows(who, repeat)
    return rows


def unseen_rows(who: dict[str, str], repeat: int) -> list[Row]:
    """A copy another tool could have written (no derived data): the first `likers` (never
    waits for derived data), then `analytics`, which builds it beside the file once, and a
    later `analytics` that reads it."""
    copy = strip_copy(WORLD, WORLD.with_name("readme-10m.unseen.db"))
    w, db = _wholiked(), ["--db", str(copy)]
    likers = [w, "likers", "1", "--as", who["private"], "--json", "--limit", "100", *db]
    analytics = [w, "analytics", "--as", who["creator"], "--json", *db]
    home = fresh_home(copy, valid=False)
    env = installed_env(WHOLIKED_HOME=str(home))
    try:
        first = _first_runs(likers, copy, 3, valid=False)
        start = time.perf_counter()
        subprocess.run(analytics, check=True, capture_output=True, env=env)
        built = time.perf_counter() - start
        secs, _ = whole_process_s({"likers": likers, "analytics": analytics}, repeat, env)
    finally:
        shutil.rmtree(home, ignore_errors=True)
        copy.unlink(missing_ok=True)
    ratio = secs["analytics"] / secs["likers"]
    return [
        at_most(
            "first `likers --json` on an unseen copy without derived data", first, 2, "s", ".2f"
        ),
        Row(
            "  its first `analytics --json`: derived data built beside it, rows checked",
            f"{built:.1f} s",
            "once",
        ),
        Row(
            "  a later `analytics --json` on that copy (data beside it, check remembered)",
            f"{secs['analytics'] * 1000:,.0f} ms vs {secs['likers'] * 1000:.0f} ms",
            "≤ 1.5× likers",
            f"{ratio:.2f}×",
            ratio <= 1.5,
        ),
    ]


def curve_worlds() -> dict[str, Path]:
    """The curve's smaller worlds (CURVE), built once in the cache."""
    from wholiked.fixtures.synth import build_synth

    points = {}
    for name, shape in CURVE.items():
        path = CACHE / f"curve-{name}.db"
        if not path.exists():
            build_synth(path, seed=1, viral_likes=shape["users"], **shape)
        points[name] = path
    return points


def curve_rows(repeat: int) -> list[Row]:
    """For 100k, 1M and 10M likes (synth worlds of one shape, read-only): the likers page of
    video 1, the release of its creator from nothing and read again; with the creator's
    likes, which each should grow no faster than."""
    from wholiked.core.store.database import open_database

    points = {**curve_worlds(), "10M": WORLD}
    rows, figures = [], {}
    saved = os.environ.get("WHOLIKED_HOME")
    for name, path in points.items():
        home = fresh_home(path)
        os.environ["WHOLIKED_HOME"] = str(home)
        service = Wholiked(open_database(path))
        try:
            creator = service.user_by_id(service.video(1).creator_id)
            viewer = service.user(actors(path)["private"])
            likes = service.db.conn.execute(
                "SELECT count(*) FROM likes l JOIN videos x ON x.id = l.video_id"
                " WHERE x.creator_id = ?",
                (creator.id,),
            ).fetchone()[0]
            page = median_ms(lambda s=service, v=viewer: s.likers(1, v, limit=100), repeat)
            first, reads = release_ms(service, creator, repeat)
            later = max(reads.values())
        finally:
            service.close()
            shutil.rmtree(home, ignore_errors=True)
        figures[name] = (likes, page, first, later)
        rows.append(
            Row(
                f"scale {name} likes (video 1's creator: {likes:,}): likers page / release"
                " from nothing / release read",
                f"{page:.2f} / {first:,.0f} / {later:.2f} ms",
            )
        )
    if saved is None:
        os.environ.pop("WHOLIKED_HOME", None)
    else:
        os.environ["WHOLIKED_HOME"] = saved
    low, high = figures["100k"], figures["10M"]
    growth = high[0] / low[0]
    worst = max(high[i] / low[i] for i in (1, 2, 3))
    rows.append(
        Row(
            "  growth 100k → 10M: page / from nothing / read, against the creator's likes",
            " / ".join(f"{high[i] / low[i]:.1f}×" for i in (1, 2, 3)) + f" vs {growth:.0f}×",
            "≤ the creator's likes",
            f"{worst / growth:.2f}× of it (the fastest-growing)",
            worst <= growth,
        )
    )
    return rows
