"""Measure wholiked on the ten-million-like world and print a table of figures.

    python -m bench.run [--db PATH] [--repeat N]   (or: make bench)

Builds the world once (bench/.cache/synth-10m.db: 1,000,000 users, 50,000
videos, 10,000,000 likes with 1,000,000 on video 1, 5,000,000 follows, seed 1)
and reuses it afterwards. Each figure is a median over repeated runs; the naive
query (every like joined to users, follows and blocks, then filtered, sorted
and counted) runs in the same process for the ratio.
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.bench_synth import DEFAULT_OUT
from wholiked.core.service import User, Wholiked
from wholiked.core.store.database import open_database

WORLD = DEFAULT_OUT
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


def _ms(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of fn in milliseconds (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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
            out["switch user (ms)"] = statistics.median(switches)
            out["rss (MiB)"] = _rss_mib()

    asyncio.run(scenario())
    service.close()
    return out


def unseen_figures(path: Path, handle: str) -> dict[str, float]:
    """The first answer on a file wholiked has never seen, and its full check.

    The world is copied (a new inode, so nothing about it is remembered) into a fresh data
    folder; `likers` runs three times on the copy (a first answer each time: answers that
    check only their rows remember nothing), then `wholiked check` once. Whole processes.
    """
    copy = path.with_name(path.stem + ".unseen.db")
    home = path.with_name("unseen-home")
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "WHOLIKED_HOME": str(home)}
    command = str(Path(sys.executable).parent / "wholiked")
    likers = [command, "likers", "1", "--as", handle, "--db", str(copy), "--json", "--limit", "100"]
    try:
        shutil.copyfile(path, copy)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(likers, check=True, capture_output=True, env=env)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run(
            [command, "check", "--db", str(copy)], check=True, capture_output=True, env=env
        )
        check = time.perf_counter() - start
    finally:
        copy.unlink(missing_ok=True)
        shutil.rmtree(home, ignore_errors=True)
    return {"first answer (s)": statistics.median(times), "full check (s)": check}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="measure this world instead")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--tui-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.tui_only:  # run in a fresh process so its memory is the app's own
        print(json.dumps(tui_figures(args.db, *os.environ["BENCH_USERS"].split())))
        return 0

    build = build_world() if args.db is None else {}
    path = args.db or WORLD
    start = time.perf_counter()
    service = Wholiked(open_database(path, writable=True))
    first_open = time.perf_counter() - start
    prepare(service)
    users = pick_users(service)
    conn = service.db.conn
    rows: list[tuple[str, str, str]] = []
    if build:
        rows.append(("build the world", f"{build['seconds']:.1f} s", "≤ 60 s"))
        rows.append(("file size", f"{build['bytes'] / 2**30:.2f} GiB", ""))
    rows.append(("first open (validate + index + counters)", f"{first_open:.1f} s", "once"))
    total = service.likers(1, users["creator"], limit=0).total
    rows.append(("likes on video 1", f"{total:,}", "1,000,000"))

    for name, user in users.items():
        ours = _ms(lambda u=user: service.likers(1, u, limit=100), args.repeat)
        naive = _ms(lambda u=user: conn.execute(NAIVE, {"v": u.id, "x": 1}).fetchone(), 3)
        rows.append((f"likers page 1 + total + anonymous, {name}", f"{ours:.2f} ms", "≤ 5 ms"))
        rows.append((f"  naive query, {name}", f"{naive:.0f} ms", f"{naive / ours:.0f}× slower"))

    public_liker = conn.execute(
        "SELECT l.user_id FROM likes l JOIN users u ON u.id = l.user_id"
        " WHERE l.video_id = 1 AND u.is_private = 0 LIMIT 1"
    ).fetchone()[0]
    liker = service.user_by_id(public_liker)
    audience = _ms(lambda: service.audience(1, liker), args.repeat)
    rows.append(("audience of a public liker, video 1", f"{audience:.1f} ms", "≤ 20 ms"))

    creator = users["creator"]

    def all_windows() -> None:
        for window in ("7d", "28d", "60d", "all"):
            service.analytics(creator, video_id=None, window=window, k=5)

    seconds = _ms(all_windows, 3) / 1000
    rows.append(("analytics of video 1's creator, all windows", f"{seconds:.2f} s", "≤ 1 s"))

    cli = []
    handle = users["private"].handle
    command = [str(Path(sys.executable).parent / "wholiked")]
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            [
                *command,
                "likers",
                "1",
                "--as",
                handle,
                "--json",
                "--limit",
                "100",
                "--db",
                str(path),
            ],
            check=True,
            capture_output=True,
        )
        cli.append(time.perf_counter() - start)
    rows.append(
        (
            "`wholiked likers 1 --json --limit 100`, whole process",
            f"{statistics.median(cli):.2f} s",
            "≤ 0.35 s",
        )
    )

    unseen = unseen_figures(path, handle)
    rows.append(
        (
            "first `likers 1 --json --limit 100` on an unseen copy, whole process",
            f"{unseen['first answer (s)']:.2f} s",
            "≤ 2 s",
        )
    )
    rows.append(
        ("`wholiked check` (every row) of that copy", f"{unseen['full check (s)']:.1f} s", "once")
    )

    viewer = users["private"]
    pages, after, page_times = 0, None, []
    while True:
        start = time.perf_counter()
        page = service.likers_page(1, viewer, limit=200, after=after)
        page_times.append((time.perf_counter() - start) * 1000)
        pages += 1
        if len(page) < 200:
            break
        after = (page[-1].liked_at, page[-1].handle)
    page_times.sort()
    rows.append(
        (
            f"scroll to the end: {pages:,} pages of 200, private viewer",
            f"median {statistics.median(page_times):.1f} ms, max {page_times[-1]:.1f} ms",
            "≤ 50 ms a page",
        )
    )
    service.close()

    env = {**os.environ, "BENCH_USERS": f"{users['creator'].handle} {users['private'].handle}"}
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--tui-only", "--db", str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    tui = json.loads(result.stdout.strip().splitlines()[-1])
    rows.append(
        ("TUI first frame (creator studio loaded)", f"{tui['first frame (s)']:.2f} s", "≤ 0.6 s")
    )
    rows.append(
        (
            "switch acting user, every panel refreshed",
            f"{tui['switch user (ms)']:.0f} ms",
            "≤ 100 ms",
        )
    )
    rows.append(("TUI memory (RSS)", f"{tui['rss (MiB)']:.0f} MiB", "≤ 150 MB"))

    width = max(len(r[0]) for r in rows)
    value = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'figure':<{value}}  target")
    for name, fig, target in rows:
        print(f"{name:<{width}}  {fig:<{value}}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
