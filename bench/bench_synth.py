"""Build the full-size synthetic world and report how long each phase took.

    python -m bench.bench_synth [--users N --videos N --likes N --follows N --viral N]
                                [--seed S] [--out PATH] [--force]

Defaults are the target world (1,000,000 users, 50,000 videos, 10,000,000 likes with a
1,000,000-like video 1, 5,000,000 follows) written to bench/.cache/synth-10m.db. An
existing file is kept (and only described) unless --force is given.
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from wholiked.fixtures.synth import build_synth

DEFAULT_OUT = Path(__file__).resolve().parent / ".cache" / "synth-10m.db"


def _peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process (or of its largest child), in MiB."""
    peak = resource.getrusage(who).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_synth", description=__doc__)
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--videos", type=int, default=50_000)
    parser.add_argument("--likes", type=int, default=10_000_000)
    parser.add_argument("--follows", type=int, default=5_000_000)
    parser.add_argument("--viral", type=int, default=1_000_000, help="likes on video 1")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--force", action="store_true", help="rebuild an existing file")
    args = parser.parse_args(argv)

    out: Path = args.out
    if out.exists() and not args.force:
        size = out.stat().st_size
        print(f"{out} exists ({size / 2**20:,.0f} MiB); use --force to rebuild it")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)

    last = {"step": "", "at": 0.0}

    def progress(step: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if step != last["step"] or done >= total or now - last["at"] > 5:
            print(f"  {step:<8} {done:>12,} / {total:,}", file=sys.stderr, flush=True)
            last.update(step=step, at=now)

    print(
        f"building {out}: {args.users:,} users, {args.videos:,} videos, {args.likes:,} likes"
        f" ({args.viral:,} on video 1), {args.follows:,} follows, seed {args.seed}"
    )
    stats = build_synth(
        out,
        users=args.users,
        videos=args.videos,
        likes=args.likes,
        follows=args.follows,
        seed=args.seed,
        viral_likes=args.viral,
        progress=progress,
    )
    figures = out.with_suffix(".json")
    figures.write_text(json.dumps({"seconds": stats.seconds, "bytes": stats.bytes}))
    for phase, seconds in stats.phases.items():
        print(f"  {phase:<10} {seconds:8.2f} s")
    print(
        f"total {stats.seconds:.2f} s, file {stats.bytes / 2**20:,.0f} MiB"
        f" ({stats.bytes:,} bytes), peak RSS {_peak_rss_mib():,.0f} MiB"
        f" (largest child process {_peak_rss_mib(resource.RUSAGE_CHILDREN):,.0f} MiB)"
    )
    print(
        f"rows: {stats.users:,} users, {stats.videos:,} videos, {stats.likes:,} likes,"
        f" {stats.follows:,} follows, {stats.blocks:,} blocks, {stats.comments:,} comments"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
