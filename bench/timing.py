"""How the bench times things: medians in-process and of whole processes, and the machine.

A figure is a median, never a best run: the machine may be shared, and a median of
interleaved runs lets a busy moment weigh on both sides of a ratio alike.
"""

import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from wholiked.core.service import User, Wholiked

WINDOWS = ("7d", "28d", "60d", "all")
"""The windows the analytics view shows, for the all-videos scope."""


def median_ms(
    fn: Callable[[], object], repeat: int, *, warm: int = 1, budget_s: float = 0
) -> float:
    """Median wall time of fn in milliseconds, after `warm` warm-up calls.

    With a budget, a slow fn runs fewer times: it stops after `budget_s` seconds of
    measured runs (at least one), so a seconds-long figure keeps `make bench` short."""
    for _ in range(warm):
        fn()
    times: list[float] = []
    while len(times) < repeat:
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        if budget_s and sum(times) / 1000 >= budget_s:
            break
    return statistics.median(times)


def release_ms(
    service: Wholiked, creator: User, repeat: int, *, windows: Sequence[str] = WINDOWS
) -> tuple[float, dict[str, float]]:
    """The creator's release, all videos, in-process: every window from nothing (a fresh
    data folder each time, so no frozen counts and a new noise key; the process's noise
    draws forgotten), then each window read again the same day on its own (nothing
    cleared: a later read is one answer). Milliseconds: (from nothing, {window: read})."""
    saved = os.environ.get("WHOLIKED_HOME")
    folders: list[str] = []

    def from_nothing() -> None:
        folders.append(tempfile.mkdtemp(prefix="wholiked-bench-release-"))
        os.environ["WHOLIKED_HOME"] = folders[-1]
        service.release_store.forget()
        for window in windows:
            service.analytics(creator, video_id=None, window=window, k=5)

    try:
        first = median_ms(from_nothing, repeat, warm=0, budget_s=15)
        later = {
            window: median_ms(
                lambda w=window: service.analytics(creator, video_id=None, window=w, k=5), repeat
            )
            for window in windows
        }
    finally:
        if saved is None:
            os.environ.pop("WHOLIKED_HOME", None)
        else:
            os.environ["WHOLIKED_HOME"] = saved
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
    return first, later


def installed_env(**extra: str) -> dict[str, str]:
    """The environment for a measured wholiked process: as installed, with its bytecode
    cached (pip compiles it at install; PYTHONDONTWRITEBYTECODE would make every run of
    an editable checkout compile every module again)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def whole_process_s(
    commands: Mapping[str, Sequence[str]], runs: int, env: Mapping[str, str]
) -> tuple[dict[str, float], dict[str, bytes]]:
    """Median wall time in seconds of each command as a whole process, and its stdout.

    One warm-up run each (it writes the bytecode caches and warms the file cache), then
    `runs` rounds, each running every command once in turn."""
    out: dict[str, bytes] = {}
    for name, command in commands.items():
        out[name] = subprocess.run(command, check=True, capture_output=True, env=env).stdout
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}, out


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> str:
    """CPU model, cores, memory, Python and SQLite: the line every figure depends on."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GiB"
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; Python {platform.python_version()},"
        f" SQLite {sqlite3.sqlite_version}; {platform.system()} {platform.release()};"
        f" {sys.executable}"
    )
