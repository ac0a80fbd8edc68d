"""The release over time (README, "The daily release"): a past day's new-likers cell is released
once and never re-noised nor re-counted; the privacy odometer adds up what the creator's
release days cost; `meta.dp_epsilon_year` stops the release once the year's budget is
spent, until the year turns. Simulated days: the same file, meta.now moved a day at a time.
Deterministic (fixed key and times)."""

import sqlite3
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from tests.cli_helpers import run
from tests.worlds import World
from wholiked.core.answers.analytics import daily_release
from wholiked.core.answers.forms import json_form
from wholiked.core.errors import BadInput
from wholiked.core.release import accounting
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database
from wholiked.core.store.format import TIMESTAMP_FORMAT

START = date(2026, 12, 28)
ONCE = Fraction(1, 2) * accounting.HISTOGRAM_SHARE["new_likers"]  # 1/28 at ε = 1
EVERY = 1 - ONCE


def stamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP_FORMAT)


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def world(path: Path, **meta: str) -> Path:
    """cara (creator) with two videos; 30 likers over the 40 days before START; a fixed key."""
    w = World()
    w.user("cara", creator=True)
    x1, x2 = w.video("cara"), w.video("cara")
    for i in range(30):
        w.user(f"fan{i}")
        w.like(f"fan{i}", x1 if i % 3 else x2, stamp(midnight(START) - timedelta(days=1 + i)))
    w.write(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            {"noise_key": "odometer", **meta}.items(),
        )
        conn.execute("UPDATE videos SET posted_at = ?", (stamp(midnight(START) - timedelta(90)),))
    conn.close()
    return path


def set_now(path: Path, day: date) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('now', ?)",
            (stamp(midnight(day) + timedelta(hours=12)),),
        )
    conn.close()


def analytics(path: Path, **kwargs) -> dict:
    """cara's analytics as the JSON prints them."""
    service = Wholiked(open_database(path))
    try:
        return json_form(service.analytics(service.user("cara"), **kwargs))
    finally:
        service.close()


def unlike(path: Path, handle: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "DELETE FROM likes WHERE user_id = (SELECT id FROM users WHERE handle = ?)", (handle,)
        )
    conn.close()


def test_a_past_days_new_likers_cell_is_released_once(tmp_path: Path) -> None:
    """fan4's first (only) like is on START - 5. Released on START, the cell of that day
    has a count and a noisy value; fan4 then takes the like back and the next day's
    release keeps the cell's count and its noisy value (its noise is the calendar day's,
    its count the first release's), while the liker counts, noised afresh each day, see
    the unlike. On the old release (noise and count per release day) the cell changed."""
    path = world(tmp_path / "once.db")
    noisy = []
    counts = []
    for offset in range(3):
        day = START + timedelta(days=offset)
        set_now(path, day)
        service = Wholiked(open_database(path))
        try:
            release = daily_release(service.db, service.user("cara"))
            index = (day - (START - timedelta(days=5))).days - 1
            counts.append(release.counts[("new_likers", index, "")])
            noisy.append(release._noisy(("new_likers", index, "")))
            likers = sum(release.counts[("likers", s, "")] for s in range(4))
        finally:
            service.close()
        assert likers == (30 if offset == 0 else 29)
        if offset == 0:
            unlike(path, "fan4")
    assert counts == [1, 1, 1]
    assert len(set(noisy)) == 1


def test_the_odometer_adds_up_release_days(tmp_path: Path, capsys) -> None:
    """Three release days, each read twice and at two scopes: the odometer counts each day
    once, ε - 1/28 a day and the all-videos new-likers share (1/28) once; the same day
    read again does not move it; a day skipped costs nothing. JSON, CLI text and the
    year's figures; the days after New Year count in the new year."""
    path = world(tmp_path / "odo.db")
    expected_days = 0
    for day in (START, START + timedelta(days=1), START + timedelta(days=4)):
        set_now(path, day)
        first = analytics(path)["privacy"]["odometer"]
        again = analytics(path, video_id=1, window="7d")["privacy"]["odometer"]
        expected_days += 1
        assert first == again
        assert first["release_days"] == expected_days
        assert first["epsilon_spent"] == pytest.approx(float(expected_days * EVERY + ONCE))
        assert first["epsilon_year"] is None and first["frozen_until"] is None
    assert first["year"] == 2027  # the third day is 2027-01-01: the year's first
    assert first["epsilon_spent_this_year"] == pytest.approx(float(EVERY + ONCE))
    code, out, _ = run(capsys, "analytics", "--db", str(path), "--as", "cara")
    assert code == 0
    said = " ".join(out.split())
    assert "Privacy spent so far: ε = 2.93 over 3 release days (1 in 2027, no yearly cap)." in said


def test_the_yearly_cap_freezes_the_release_until_the_year_turns(tmp_path: Path, capsys) -> None:
    """meta.dp_epsilon_year = 2.5 at ε = 1: two days fit (1 + 0.96 = 1.96), a third would
    not (2.93): from the third day on, the release is the second day's, number for
    number (a like given meanwhile changes nothing), the odometer stands still and says
    the budget is spent until 2027-01-01 (JSON, CLI text); on 2027-01-01 the release
    moves again."""
    path = world(tmp_path / "cap.db", dp_epsilon_year="2.5")
    start = START - timedelta(days=10)
    reports = []
    for offset in range(5):
        set_now(path, start + timedelta(days=offset))
        reports.append(analytics(path, window="all"))
        if offset == 2:
            conn = sqlite3.connect(path)
            with conn:
                conn.execute(
                    "UPDATE likes SET liked_at = ? WHERE user_id ="
                    " (SELECT id FROM users WHERE handle = 'fan0')",
                    (stamp(midnight(start) + timedelta(days=2, hours=3)),),
                )
            conn.close()
    days = [r["release_day"] for r in reports]
    second = (start + timedelta(days=1)).isoformat()
    assert days == [start.isoformat(), second, second, second, second]
    released = ("totals", "breakdowns", "new_likers_per_day")
    for later in reports[2:]:
        assert {k: later[k] for k in released} == {k: reports[1][k] for k in released}
        odometer = later["privacy"]["odometer"]
        assert odometer["frozen_until"] == "2027-01-01"
        assert odometer["release_days"] == 2
        assert odometer["epsilon_spent_this_year"] == pytest.approx(float(2 * EVERY + ONCE))
        assert odometer["epsilon_year"] == 2.5
    assert reports[1]["privacy"]["odometer"]["frozen_until"] is None
    code, out, _ = run(capsys, "analytics", "--db", str(path), "--as", "cara")
    assert code == 0
    assert (
        f"This year's budget is spent: the release of {second} stays as it is until"
        " 2027-01-01." in " ".join(out.split())
    )
    set_now(path, date(2027, 1, 1))
    new_year = analytics(path)
    assert new_year["release_day"] == "2027-01-01"
    assert new_year["privacy"]["odometer"]["frozen_until"] is None
    assert new_year["privacy"]["odometer"]["epsilon_spent_this_year"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("value", "why"),
    [("lots", "not a number"), ("0.5", "must be between 1 and 3660"), ("1e9", "between")],
)
def test_a_bad_yearly_cap_is_refused_in_one_line(
    tmp_path: Path, capsys, value: str, why: str
) -> None:
    """meta.dp_epsilon_year must be a number from one day's ε to 366 days of the largest:
    otherwise the answer names table, row and field (BadInput; the CLI exits 2 with one
    line)."""
    path = world(tmp_path / "bad.db", dp_epsilon_year=value)
    set_now(path, START)
    with pytest.raises(BadInput, match=f"table meta, row key 'dp_epsilon_year'.*{why}"):
        analytics(path)
    code, out, err = run(capsys, "analytics", "--db", str(path), "--as", "cara")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "dp_epsilon_year" in err
