"""Nothing lost: SIGKILL during a burst of actions, and two writers on one file."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.worlds import World

USERS = 300

CHILD = """
import sys
from wholiked.core import actions
from wholiked.core.store.database import open_database
from wholiked.core.service import Wholiked

service = Wholiked(open_database(sys.argv[1], writable=True))
for i in range(int(sys.argv[2]), int(sys.argv[3])):
    handle = f"u{i}"
    service.like(service.user(handle), 1)
    print(handle, flush=True)
"""


def _world(path: Path) -> Path:
    w = World()
    w.user("creator", creator=True)
    for i in range(USERS):
        w.user(f"u{i}")
    w.video("creator")
    return w.write(path)


def _child(path: Path, start: int, stop: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(start), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )


def _liked(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = conn.execute(
        "SELECT u.handle FROM likes l JOIN users u ON u.id = l.user_id WHERE l.video_id = 1"
    )
    liked = {r[0] for r in rows}
    conn.close()
    return liked


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_keeps_every_acknowledged_action(tmp_path, seed):
    path = _world(tmp_path / "w.db")
    child = _child(path, 0, USERS)
    assert child.stdout is not None
    acknowledged = []
    stop_after = random.Random(seed).randint(5, 60)
    for line in child.stdout:
        acknowledged.append(line.strip())
        if len(acknowledged) >= stop_after:
            break
    time.sleep(random.Random(seed).random() / 50)
    child.send_signal(signal.SIGKILL)
    child.wait()
    liked = _liked(path)
    assert set(acknowledged) <= liked
    assert liked <= {f"u{i}" for i in range(USERS)}


def test_two_writers_wait_for_each_other(tmp_path):
    path = _world(tmp_path / "w.db")
    children = [_child(path, 0, 100), _child(path, 100, 200)]
    outputs = [c.communicate(timeout=120)[0] for c in children]
    assert [c.returncode for c in children] == [0, 0]
    acknowledged = {h for out in outputs for h in out.split()}
    assert len(acknowledged) == 200
    assert _liked(path) == acknowledged
