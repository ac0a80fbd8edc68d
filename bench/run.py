"""Measure wholiked on the ten-million-like world: issue 12's targets, and what must stay fast.

    python -m bench.run [--db PATH] [--repeat N]   (or: make bench)

Builds the world once (bench/.cache/synth-10m.db: 1,000,000 users, 50,000 videos,
10,000,000 likes with 1,000,000 on video 1, 5,000,000 follows, seed 1) and reuses it.
wholiked's data folder for the bench is bench/.cache/home (the world is checked once
there and remembered); the release rows computed from nothing use a fresh one each run.

Every row prints its figure, its target and a ratio measured in the same run: ours
against the plain script, analytics against likers, the naive query against ours, or
the figure against its target. Then the README path (bench/readme_path.py: the
README's `fixtures synth`, then the CLI on `--db`, read-only, in a fresh data folder),
the scale curve (100k, 1M and 10M likes) and the platform report on the 1M and 10M
worlds in SQLite and in Spark local mode (bench/report.py). Figures are medians (after
a warm-up); whole processes run interleaved, as installed (bytecode cached).
"""

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import readme_path, report
from bench.bench_synth import DEFAULT_OUT
from bench.table import Row, at_most
from bench.timing import (
    WINDOWS,
    installed_env,
    machine,
    median_ms,
    release_ms,
    rss_mib,
    whole_process_s,
)
from wholiked.core.service import User, Wholiked
from wholiked.core.store.database import open_database

WORLD = DEFAULT_OUT
HOME = WORLD.parent / "home"
PLAIN = Path(__file__).resolve().parent / "plain_likers.py"
HEAVY = "bench.heavy"
HEAVY_FOLLOWINGS = 5_000

NAIVE = """WITH visible AS (
    SELECT u.handle, l.liked_at FROM likes l JOIN users u ON u.id = l.user_id
    LEFT JOIN follows f ON f.follower_id = :v AND f.followee_id = l.user_id
    LEFT JOIN blocks b1 ON b1.blocker_id = :v AND b1.blocked_id = l.user_id
    LEFT JOIN blocks b2 ON b2.blocker_id = l.user_id AND b2.blocked_id = :v
    WHERE l.video_id = :x AND (l.user_id = :v OR (b1.blocker_id IS NULL
        AND b2.blocker_id IS NULL AND (u.is_private = 0 OR f.status = 'approved'))))
SELECT (SELECT count(*) FROM likes WHERE video_id = :x),
       (SELECT count(*) FROM visible),
       (SELECT json_group_array(handle) FROM
           (SELECT handle FROM visible ORDER BY liked_at DESC, handle LIMIT 100))"""


def build_world() -> dict:
    """Build the world if it is not cached (bench.bench_synth); return the build figures."""
    figures = WORLD.with_suffix(".json")
    if not (WORLD.exists() and figures.exists()):
        from bench import bench_synth

        bench_synth.main(["--force", "--out", str(WORLD)])
    return json.loads(figures.read_text())


def prepare(service: Wholiked) -> None:
    """Add the bench's own user who follows 5,000 accounts (likers of video 1 first)."""
    conn = service.db.conn
    if conn.execute("SELECT 1 FROM users WHERE handle = ?", (HEAVY,)).fetchone():
        return
    with service.db.transaction() as conn:
        uid = conn.execute("SELECT max(id) + 1 FROM users").fetchone()[0]
        conn.execute(
            "INSERT INTO users (id, handle, display_name, is_private, account_type)"
            " VALUES (?, ?, 'Bench heavy follower', 0, 'personal')",
            (uid, HEAVY),
        )
        conn.execute(
            "INSERT INTO follows (follower_id, followee_id, status, created_at)"
            " SELECT ?, user_id, 'approved', '2026-11-01T00:00:00Z' FROM likes"
            " WHERE video_id = 1 AND user_id <> ? LIMIT ?",
            (uid, uid, HEAVY_FOLLOWINGS),
        )


def pick_users(service: Wholiked) -> dict[str, User]:
    """The acting users measured: the creator, a public, a private and a heavy follower."""
    conn = service.db.conn
    video = service.video(1)

    def first(sql: str) -> User:
        return service.user_by_id(conn.execute(sql, (video.creator_id,)).fetchone()[0])

    return {
        "creator": service.user_by_id(video.creator_id),
        "public": first(
            "SELECT id FROM users WHERE is_private = 0 AND id <> ? ORDER BY id LIMIT 1 OFFSET 777"
        ),
        "private": first(
            "SELECT id FROM users WHERE is_private = 1 AND id <> ? ORDER BY id LIMIT 1 OFFSET 777"
        ),
        "5,000 followings": service.user(HEAVY),
    }


def likers_rows(service: Wholiked, users: dict[str, User], repeat: int) -> list[Row]:
    """The first page of likers for each acting user, against the naive query."""
    conn = service.db.conn
    rows = []
    for name, user in users.items():
        ours = median_ms(lambda u=user: service.likers(1, u, limit=100), repeat)
        naive = median_ms(lambda u=user: conn.execute(NAIVE, {"v": u.id, "x": 1}).fetchone(), 3)
        rows.append(at_most(f"likers page 1 + total + anonymous, {name}", ours, 5, "ms", ".2f"))
        rows.append(
            Row(
                f"  naive query, {name}",
                f"{naive:,.0f} ms",
                "ours ≥ 10× faster",
                f"{naive / ours:,.0f}× ours",
                naive / ours >= 10,
            )
        )
    return rows


def release_rows(service: Wholiked, creator: User, repeat: int) -> list[Row]:
    """The biggest creator's daily release for every window of the analytics view, in-process:
    from nothing, then one window read again the same day (`timing.release_ms`)."""
    first, later = release_ms(service, creator, repeat)
    windows = "/".join(WINDOWS)
    return [
        at_most(f"release from nothing, {windows}, in-process", first, 150, "ms", ",.0f"),
        at_most(
            "  a later read the same day (the slowest window), in-process",
            max(later.values()),
            5,
            "ms",
            ".2f",
        ),
        Row(
            f"    each window, {windows}",
            " / ".join(f"{later[w]:.2f}" for w in WINDOWS) + " ms",
        ),
    ]


def cli_rows(path: Path, users: dict[str, User], repeat: int) -> list[Row]:
    """Whole processes: likers --json against the plain script and against analytics --json
    of every window (the release frozen by the warm-up run)."""
    wholiked = str(Path(sys.executable).parent / "wholiked")
    db = ["--db", str(path)]
    viewer, creator = users["private"].handle, users["creator"].handle
    commands = {
        "likers": [wholiked, "likers", "1", "--as", viewer, "--json", "--limit", "100", *db],
        "plain": [sys.executable, str(PLAIN), "1", "--as", viewer, "--limit", "100", *db],
    }
    for window in WINDOWS:
        commands[window] = [
            *(wholiked, "analytics", "--as", creator, "--json", "--window", window, *db)
        ]
    env = installed_env(WHOLIKED_HOME=str(HOME))
    seconds, out = whole_process_s(commands, repeat, env)
    likers, plain = seconds["likers"], seconds["plain"]
    same = "" if out["likers"] == out["plain"] else " (the plain script's answer DIFFERS)"
    rows = [
        Row(
            "`likers 1 --json --limit 100`, whole process, against the plain script" + same,
            f"{likers * 1000:.0f} ms vs {plain * 1000:.0f} ms",
            "≤ 1.5× plain",
            f"{likers / plain:.2f}×",
            likers / plain <= 1.5 and not same,
        )
    ]
    for window in WINDOWS:
        ratio = seconds[window] / likers
        rows.append(
            Row(
                f"`analytics --json --window {window}`, whole process, against likers",
                f"{seconds[window] * 1000:.0f} ms vs {likers * 1000:.0f} ms",
                "≤ 1.5× likers",
                f"{ratio:.2f}×",
                ratio <= 1.5,
            )
        )
    return rows


def tips_rows(service: Wholiked, creator: User, repeat: int) -> list[Row]:
    """Creator tips for the biggest creator, in-process (the day's release frozen)."""
    ms = median_ms(
        lambda: service.tips(creator, perspective="creator"), repeat, warm=1, budget_s=10
    )
    return [at_most("creator tips, video 1's creator, in-process", ms, 300, "ms", ",.0f")]


def audience_rows(service: Wholiked, repeat: int) -> list[Row]:
    """`audience` of a public liker of the 1M-like video, in-process."""
    liker_id = service.db.conn.execute(
        "SELECT l.user_id FROM likes l JOIN users u ON u.id = l.user_id"
        " WHERE l.video_id = 1 AND u.is_private = 0 LIMIT 1"
    ).fetchone()[0]
    liker = service.user_by_id(liker_id)
    ms = median_ms(lambda: service.audience(1, liker), repeat)
    return [at_most("audience of a public liker, video 1, in-process", ms, 1, "ms", ".2f")]


def scroll_rows(service: Wholiked, viewer: User) -> list[Row]:
    """Every page of the 1M-like list, 200 at a time, as the app scrolls (private viewer)."""
    after, times = None, []
    while True:
        start = time.perf_counter()
        page = service.likers_page(1, viewer, limit=200, after=after)
        times.append((time.perf_counter() - start) * 1000)
        if len(page) < 200:
            break
        after = (page[-1].liked_at, page[-1].handle)
    times.sort()
    worst = times[-1]
    return [
        Row(
            f"scroll to the end: {len(times):,} pages of 200, private viewer",
            f"median {times[len(times) // 2]:.1f} ms, max {worst:.0f} ms",
            "≤ 50 ms a page",
            f"{worst / 50:.2f}× of target (max)",
            worst <= 50,
        )
    ]


def tui_figures(path: Path, acting: str, other: str) -> dict[str, float]:
    """First frame, user switch and memory of the app on the world (in this process)."""
    from wholiked.tui.app import WholikedApp

    service = Wholiked(open_database(path))
    out: dict[str, float] = {}

    async def loaded(pilot) -> None:
        """Wait until every query of the visible panels is done."""
        await pilot.pause()
        while any(not w.is_finished for w in pilot.app.workers):
            await pilot.pause(0.002)
        await pilot.pause()

    async def scenario() -> None:
        start = time.perf_counter()
        app = WholikedApp(service, service.user(acting))
        async with app.run_test(size=(120, 36)) as pilot:
            await loaded(pilot)
            out["first frame (s)"] = time.perf_counter() - start
            switches = []
            for handle in (other, acting, other, acting, other):
                start = time.perf_counter()
                app.acting = service.user(handle)
                await loaded(pilot)
                switches.append((time.perf_counter() - start) * 1000)
            switches.sort()
            out["switch user (ms)"] = switches[len(switches) // 2]
            out["rss (MiB)"] = rss_mib()

    asyncio.run(scenario())
    service.close()
    return out


def tui_rows(path: Path, users: dict[str, User]) -> list[Row]:
    """The app in a fresh process (so its memory is the app's own)."""
    env = installed_env(
        WHOLIKED_HOME=str(HOME),
        BENCH_USERS=f"{users['creator'].handle} {users['private'].handle}",
    )
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--tui-only", "--db", str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    tui = json.loads(result.stdout.strip().splitlines()[-1])
    return [
        at_most("TUI first frame (creator studio loaded)", tui["first frame (s)"], 0.6, "s", ".2f"),
        at_most(
            "switch acting user, every panel refreshed", tui["switch user (ms)"], 100, "ms", ".0f"
        ),
        at_most("TUI memory (RSS)", tui["rss (MiB)"], 150, "MiB", ".0f"),
    ]


def unseen_rows(path: Path, handle: str) -> list[Row]:
    """The first answer on a file wholiked has never seen, and its full check.

    The world is copied (a new inode, so nothing about it is remembered) and a fresh data
    folder is used; `likers` runs three times on the copy (a first answer each time:
    answers that check only their rows remember nothing), then `wholiked check` once."""
    copy = path.with_name(path.stem + ".unseen.db")
    home = Path(tempfile.mkdtemp(prefix="wholiked-bench-unseen-"))
    env = installed_env(WHOLIKED_HOME=str(home))
    command = str(Path(sys.executable).parent / "wholiked")
    likers = [command, "likers", "1", "--as", handle, "--db", str(copy), "--json", "--limit", "100"]
    try:
        shutil.copyfile(path, copy)
        first = median_ms(
            lambda: subprocess.run(likers, check=True, capture_output=True, env=env), 3, warm=0
        )
        start = time.perf_counter()
        subprocess.run(
            [command, "check", "--db", str(copy)], check=True, capture_output=True, env=env
        )
        check = time.perf_counter() - start
    finally:
        copy.unlink(missing_ok=True)
        shutil.rmtree(home, ignore_errors=True)
    return [
        at_most(
            "first `likers --json` on an unseen copy, whole process", first / 1000, 2, "s", ".2f"
        ),
        Row("  `wholiked check` (every row) of that copy", f"{check:.1f} s", "once"),
    ]


def print_table(rows: list[Row]) -> None:
    def met(row: Row) -> str:
        return "" if row.met is None else "yes" if row.met else "NO"

    cells = [("measure", "figure", "target", "ratio", "met")]
    cells += [(r.measure, r.figure, r.target, r.ratio, met(r)) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    for line in cells:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="measure this world instead")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--tui-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.tui_only:  # run in a fresh process so its memory is the app's own
        print(json.dumps(tui_figures(args.db, *os.environ["BENCH_USERS"].split())))
        return 0

    print(f"machine: {machine()}", flush=True)
    os.environ["WHOLIKED_HOME"] = str(HOME)
    build = build_world() if args.db is None else {}
    path = args.db or WORLD
    rows: list[Row] = []
    if build:
        rows.append(at_most("build the world", build["seconds"], 60, "s"))
        rows.append(Row("  file size", f"{build['bytes'] / 2**30:.2f} GiB"))
    start = time.perf_counter()
    service = Wholiked(open_database(path, writable=True))
    rows.append(
        Row(
            "first open (check + indexes + counters; remembered)",
            f"{time.perf_counter() - start:.1f} s",
            "once",
        )
    )
    prepare(service)
    users = pick_users(service)
    creator = users["creator"]
    total = service.likers(1, creator, limit=0).total
    rows.append(Row("likes on video 1", f"{total:,}", "1,000,000"))
    steps = [
        lambda: likers_rows(service, users, args.repeat),
        lambda: audience_rows(service, args.repeat),
        lambda: release_rows(service, creator, args.repeat),
        lambda: tips_rows(service, creator, args.repeat),
        lambda: cli_rows(path, users, args.repeat),
        lambda: unseen_rows(path, users["private"].handle),
        lambda: scroll_rows(service, users["private"]),
    ]
    for step in steps:
        rows += step()
        print(f"  {rows[-1].measure.strip()}: {rows[-1].figure}", file=sys.stderr, flush=True)
    service.close()
    rows += tui_rows(path, users)
    if args.db is None:  # what a user who follows the README meets, and how it scales
        for step in (
            lambda: readme_path.readme_rows(PLAIN, args.repeat),
            lambda: readme_path.curve_rows(args.repeat),
            lambda: report.report_rows(),
        ):
            rows += step()
            print(f"  {rows[-1].measure.strip()}: {rows[-1].figure}", file=sys.stderr, flush=True)
    print_table(rows)
    from bench import utility  # what a creator sees: consistency, accuracy, honesty

    print()
    utility.print_rows(utility.run(utility.KEYS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
