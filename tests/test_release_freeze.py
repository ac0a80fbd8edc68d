"""The day's release fails closed and is one snapshot: neighbouring worlds (identical but
for what the creator must not learn: whether an anonymous liker unliked today) get the
frozen answer or a refusal, never live counts.

- When the data folder cannot keep the day, `analytics` refuses (one line, exit 2; the
  app says it in words) instead of answering from live counts.
- The noise key and the frozen counts share one identity (the file's folder in the data
  folder): a file replaced at the same path gets a new key *and* new frozen counts.
- A creator's every video scope is frozen at the first reading of any of them (one
  snapshot), so a liker counts in at most M per-video scopes of the day whatever they
  unlike between readings.
All deterministic (fixed meta.now, meta.noise_key or a fixed file key).
"""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.test_release import attack_world, write_attack_world
from tests.worlds import World
from wholiked.core.answers.analytics import daily_release
from wholiked.core.answers.forms import json_form
from wholiked.core.release import keeping, keys
from wholiked.core.release.accounting import VIDEOS_PER_LIKER
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database

RELEASED = ("breakdowns", "new_likers_per_day")


def _released(service: Wholiked, video_id: int | None = None) -> dict | str:
    """cara's released numbers for a scope (every window), or the refusal's one line."""
    cara = service.user("cara")
    try:
        return {
            w: {
                k: json_form(service.analytics(cara, video_id=video_id, window=w))[k]
                for k in RELEASED
            }
            for w in ("7d", "28d", "60d", "all")
        }
    except keeping.CannotKeep as exc:
        return f"refused: {exc}"


def _unwritable_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder that cannot be made (its parent is a file): root cannot write it
    either, unlike a folder without write permission."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be\n")
    monkeypatch.setenv("WHOLIKED_HOME", str(blocker / "home"))
    return blocker / "home"


@pytest.mark.parametrize("video_id", [None, 1])
def test_an_unwritable_data_folder_refuses_instead_of_live_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, video_id: int | None
) -> None:
    """World A: the anonymous liker `secret` still likes video 1; world B: they unliked it
    today (the like total, public, drops by one). With a data folder that cannot keep the
    day, cara's answer before and after the unlike is the same refusal; on the old code it
    was live counts, and the two answers differed by exactly secret's cells."""
    path = write_attack_world(attack_world("window", "A"), tmp_path / "unlike.db")
    _unwritable_home(tmp_path, monkeypatch)
    service = Wholiked(open_database(path, writable=True))
    try:
        before = _released(service, video_id)
        service.unlike(service.user("secret"), 1)
        after = _released(service, video_id)
    finally:
        service.close()
    assert before == after
    assert isinstance(before, str) and before.startswith("refused: today's release cannot be")
    assert "live counts" in before and "\n" not in before


def test_the_cli_refuses_in_one_line_with_exit_2(tmp_path: Path) -> None:
    """`wholiked analytics` with a data folder it cannot write: one line on stderr, exit 2,
    nothing on stdout; `--json` the same."""
    path = write_attack_world(attack_world("window", "A"), tmp_path / "cli.db")
    blocker = tmp_path / "blocker"
    blocker.write_text("x\n")
    for extra in ([], ["--json"]):
        done = subprocess.run(
            [sys.executable, "-m", "wholiked", "analytics", "--db", str(path), "--as", "cara",
             *extra],
            capture_output=True,
            text=True,
            env={"WHOLIKED_HOME": str(blocker / "home"), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "today's release cannot be kept" in lines[0]


def test_a_file_replaced_at_the_same_path_gets_a_new_key_and_new_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No meta.noise_key: the key is the file's, in its folder. Ask (the day frozen), then
    replace the file at the same path by a copy where `secret` no longer likes video 1
    (cp + mv: a new inode, as `wholiked reset` or a restored backup). The replacement's
    release is its own: a new key and its own counts, so it is never the old noise over
    fresh counts (on the old code the key stayed with the path while the counts were
    fresh: the two answers differed by exactly secret's cells). Asking the replaced file
    again gives the same answer; the old identity's folder still holds the old key."""
    monkeypatch.setenv("WHOLIKED_HOME", str(tmp_path / "home"))
    world_a, world_b = attack_world("window", "A"), attack_world("window", "A")
    del world_b.likes[(1, world_b.users["secret"]["id"])]
    path = world_a.write(tmp_path / "file.db")
    service = Wholiked(open_database(path))
    try:
        first = _released(service)
        key_a = keys.noise_key(service.db)
    finally:
        service.close()
    replacement = world_b.write(tmp_path / "replacement.db")
    replacement.replace(path)
    service = Wholiked(open_database(path))
    try:
        second = _released(service)
        key_b = keys.noise_key(service.db)
        cara = service.user("cara")
        counts_b = daily_release(service.db, cara).counts
        assert _released(service) == second
    finally:
        service.close()
    assert key_a != key_b
    assert first != second
    # What the old code did: the old key over the replacement's fresh counts. Those differ
    # from the first answer by exactly secret's cells, which is what must never be shown.
    assert sum(counts_b[("likers", s, "")] for s in range(4)) == 11


def test_a_changed_meta_key_gets_its_own_frozen_counts(tmp_path: Path, monkeypatch) -> None:
    """The frozen day is filed under the key that noises it: changing meta.noise_key in
    place (same file) counts the day afresh for the new key, never pairing new noise with
    counts frozen for the old one; the old key's day stays as it was."""
    import sqlite3

    monkeypatch.setenv("WHOLIKED_HOME", str(tmp_path / "home"))
    path = write_attack_world(attack_world("window", "A"), tmp_path / "keyed.db")
    service = Wholiked(open_database(path, writable=True))
    try:
        cara = service.user("cara")
        old = daily_release(service.db, cara).counts
        service.unlike(service.user("secret"), 1)
        assert daily_release(service.db, cara).counts == old  # frozen for this key
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("UPDATE meta SET value = 'another' WHERE key = 'noise_key'")
        conn.close()
        fresh = daily_release(service.db, cara).counts
        assert fresh != old
        assert sum(fresh[("likers", s, "")] for s in range(4)) == 11
    finally:
        service.close()


def _many_videos_world() -> World:
    """cara posts six videos; `fan` liked all six (video v on day 10 - v before the release
    day, so video 6 is their latest), and nobody else liked anything."""
    w = World()
    cara = w.user("cara", creator=True)
    fan = w.user("fan", private=True, age_band="25-34")
    for v in range(1, 7):
        w.videos[v] = cara
        w.likes[(v, fan)] = f"2026-11-{10 + v:02d}T12:00:00Z"
    return w


def test_a_liker_counts_in_at_most_m_video_scopes_of_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read each video's scope in turn, with `fan` unliking their latest video between
    readings (6, 5, 4: each time a video of lower rank enters their M = 3 latest). Over
    the day's readings fan counts in at most M video scopes; on the old code (each scope
    frozen at its own first reading) fan counted in all six."""
    monkeypatch.setenv("WHOLIKED_HOME", str(tmp_path / "home"))
    path = _many_videos_world().write(tmp_path / "six.db")
    service = Wholiked(open_database(path, writable=True))
    try:
        cara, fan = service.user("cara"), service.user("fan")
        counted: Counter[int] = Counter()
        order = [6, 5, 4, 3, 2, 1]
        for v in order:
            counts = daily_release(service.db, cara, v).counts
            counted[v] = sum(counts[("likers", s, "")] for s in range(4))
            if v >= 4:
                service.unlike(fan, v)
    finally:
        service.close()
    assert sum(counted.values()) <= VIDEOS_PER_LIKER
    assert counted == Counter({6: 1, 5: 1, 4: 1, 3: 0, 2: 0, 1: 0})


def test_the_app_says_the_refusal_in_words(tmp_path: Path, monkeypatch) -> None:
    """The Analytics view with a data folder that cannot keep the day: the refusal in words
    where the numbers would be, and no number."""
    from tests.tui_helpers import make_app, run, settle, static_text

    path = write_attack_world(attack_world("window", "A"), tmp_path / "app.db")
    _unwritable_home(tmp_path, monkeypatch)
    service = Wholiked(open_database(path))

    async def scenario() -> None:
        app = make_app(service, "cara")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            note = static_text(app, "#an-note")
            assert "today's release cannot be kept" in note and "live counts" in note
            assert app.screen.report.data is None  # type: ignore[attr-defined]

    try:
        run(scenario)
    finally:
        service.close()


@pytest.mark.parametrize("rollup_min", [None, 1])
def test_the_day_counts_every_scope_as_each_scope_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rollup_min: int | None
) -> None:
    """The day's one snapshot of every video holds, for each video of the creator, exactly
    what that video's scope counts alone (`one_video`), on the demo's story, where many
    fans like more than M of @mia.makes' eight videos (and the all-videos scope is what
    `all_videos` counts, live or from the rollup)."""
    from wholiked.core.release import counting
    from wholiked.core.store import rollup
    from wholiked.fixtures.demo import DEMO_CREATOR, build_demo

    if rollup_min is not None:
        monkeypatch.setattr(rollup, "MIN_LIKES", rollup_min)
    path = tmp_path / "story.db"
    build_demo(path, crowd=False, noise_key="t")
    service = Wholiked(open_database(path, writable=True))
    try:
        mia = service.user(DEMO_CREATOR)
        day = service.db.reference_time().date()
        scopes = counting.video_day(service.db, mia.id, day)
        conn = service.db.conn
        everyone = counting.all_videos_counts(service.db, mia.id, day)
        assert everyone == counting.all_videos(conn, mia.id, day)
        query = "SELECT id FROM videos WHERE creator_id = ?"
        videos = [r[0] for r in conn.execute(query, (mia.id,))]
        assert sorted(scopes) == sorted(f"video:{v}" for v in videos)
        for v in videos:
            assert scopes[f"video:{v}"] == counting.one_video(
                conn, creator_id=mia.id, video_id=v, day=day
            )
        per_video = sum(scopes[f"video:{v}"][("likers", s, "")] for v in videos for s in range(4))
        assert per_video > sum(everyone[("likers", s, "")] for s in range(4))
    finally:
        service.close()
