"""The demo's release has no key that ships in the code: every copy a user opens (the
working copy of `wholiked`, `make run` and `wholiked analytics`, `serve`'s per-session
copies) gets a random key kept in the data folder, like any database."""

import sqlite3
from pathlib import Path

import pytest

from wholiked.core.answers.forms import json_form
from wholiked.fixtures.demo import DEMO_BIG_CREATOR, DEMO_CREATOR
from wholiked.tui import factory

RELEASED = ("breakdowns", "new_likers_per_day")


def _released(service, handle: str) -> dict:
    report = json_form(service.analytics(service.user(handle), window="all"))
    return {k: report[k] for k in RELEASED} | {"likers": report["totals"]["likers"]}


def _working_copy_release(home: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """The demo's release as `wholiked analytics` (no --db) answers it in a data folder."""
    monkeypatch.setenv("WHOLIKED_HOME", str(home))
    service = factory.make_service(None)
    try:
        conn = sqlite3.connect(factory.ensure_demo_copy())
        try:
            keyed = conn.execute("SELECT value FROM meta WHERE key = 'noise_key'").fetchall()
        finally:
            conn.close()
        assert keyed == []  # no key written into the copy: the data folder's key serves
        return {h: _released(service, h) for h in (DEMO_CREATOR, DEMO_BIG_CREATOR)}
    finally:
        service.close()


def test_two_fresh_demo_copies_release_different_noise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two fresh data folders, two demo working copies of the same world: the same true
    counts, released under different noise (about 300 noisy values each for @mia.makes and
    @luna.loops, all windows: equal by chance with probability far below 1e-30). The same
    copy asked again answers the same. How many buckets differ is left to chance: after
    post-processing many of a small creator's buckets read "<5" under either key."""
    first = _working_copy_release(tmp_path / "one", monkeypatch)
    again = _working_copy_release(tmp_path / "one", monkeypatch)
    second = _working_copy_release(tmp_path / "two", monkeypatch)
    assert first == again
    for handle in (DEMO_CREATOR, DEMO_BIG_CREATOR):
        assert first[handle] != second[handle]


def test_a_session_copy_gets_its_own_key(tmp_path: Path, monkeypatch) -> None:
    """`serve` gives each browser a fresh demo copy (`session_demo`): no key in it either,
    and two sessions release different noise."""
    monkeypatch.setenv("WHOLIKED_HOME", str(tmp_path / "home"))
    seen = []
    for _ in range(2):
        with factory.session_demo() as service:
            row = service.db.conn.execute("SELECT value FROM meta WHERE key = 'noise_key'")
            assert row.fetchall() == []
            seen.append(_released(service, DEMO_CREATOR))
    assert seen[0] != seen[1]


def test_the_code_holds_no_demo_key() -> None:
    """The fixture module defines no noise key and writes none unless a test asks."""
    import inspect

    from wholiked.fixtures import demo

    assert not hasattr(demo, "DEMO_NOISE_KEY")
    assert inspect.signature(demo.build_demo).parameters["noise_key"].default is None
