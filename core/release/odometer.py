"""The privacy odometer: what a creator's releases have cost their likers so far.

Every release day of a creator is written down (in the file's folder in the data folder,
next to its frozen days) the first time any of its scopes is read, with what it costs: the
day's ε, except the all-videos new-likers share, which is spent once (a past day's cell is
released once and never re-noised, and a liker is new on one day). A day counts whole even
if only one scope was read: conservative, and the same in every process all day.

`meta.dp_epsilon_year` caps a calendar year: a day that would take the year over it is not
released; the last release of the year is shown instead until the year turns.
"""

import os
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

from wholiked.core.errors import WholikedError
from wholiked.core.release import keeping
from wholiked.core.release.accounting import Budget
from wholiked.core.release.store import ReleaseStore


class BudgetSpent(WholikedError):
    """The year's privacy budget allows no release of this scope (exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Day:
    """One release day of a creator and what it cost: `every` is spent each day, `once`
    once (the all-videos new-likers share)."""

    day: date
    every: Fraction
    once: Fraction


def cost(budget: Budget) -> Day:
    """What a release day costs at this budget (the day left blank)."""
    once = budget.histogram_epsilon("all", "new_likers")
    return Day(date.min, budget.epsilon - once, once)


def spent(days: list[Day]) -> Fraction:
    """The loss of these release days together (basic composition): every day's part, and
    the once part once (the largest, should ε have changed)."""
    return sum((d.every for d in days), Fraction(0)) + max((d.once for d in days), default=0)


def _path(store: ReleaseStore, creator_id: int) -> Path:
    return store.folder() / "spent" / f"{creator_id}.log"


def days(store: ReleaseStore, creator_id: int) -> list[Day]:
    """The creator's release days in this data folder, oldest first (each once)."""
    try:
        text = _path(store, creator_id).read_text()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise keeping.refusal(f"the privacy odometer cannot be read ({exc.strerror})") from None
    seen: dict[date, Day] = {}
    try:
        for line in text.splitlines():
            if not line.strip():
                continue
            day, every, once = line.split()
            entry = Day(date.fromisoformat(day), Fraction(every), Fraction(once))
            seen.setdefault(entry.day, entry)
    except ValueError:
        raise keeping.refusal("the privacy odometer is damaged") from None
    return sorted(seen.values(), key=lambda d: d.day)


def record(store: ReleaseStore, creator_id: int, entry: Day) -> None:
    """Write a release day down (one appended line: whole, whatever else appends)."""
    path = _path(store, creator_id)
    line = f"{entry.day.isoformat()} {entry.every} {entry.once}\n".encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
    except OSError as exc:
        raise keeping.refusal(f"the privacy odometer cannot be kept ({exc.strerror})") from None


def served_day(
    store: ReleaseStore, creator_id: int, today: date, day_cost: Day, cap: Fraction | None
) -> date:
    """The release day to show today: today, written down when it is new, unless the
    year's cap would be passed; then the year's last release day (`keeping.CannotKeep`
    when there is none)."""
    known = days(store, creator_id)
    if any(d.day == today for d in known):
        return today
    entry = Day(today, day_cost.every, day_cost.once)
    this_year = [d for d in known if d.day.year == today.year]
    if cap is not None and spent([*this_year, entry]) > cap:
        if not this_year:
            raise BudgetSpent(
                f"this year's privacy budget (meta.dp_epsilon_year = {float(cap):g}) is"
                f" smaller than one day's: no release until {today.year + 1}-01-01"
            )
        return this_year[-1].day
    record(store, creator_id, entry)
    if cap is not None:
        keep(store, creator_id, today)
    return today


def keep(store: ReleaseStore, creator_id: int, day: date) -> None:
    """Under a cap, the creator's latest release day is kept past the usual two days (it may
    be the one shown until the year turns): named in `keep/` for the pruning to spare."""
    path = store.folder() / "keep" / str(creator_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{creator_id}.{os.getpid()}")
        temporary.write_text(day.isoformat())
        os.replace(temporary, path)
    except OSError as exc:
        raise keeping.refusal(f"the day's release cannot be kept ({exc.strerror})") from None


def kept_days(folder: Path) -> set[str]:
    """The days `keep` names (ISO dates), for the pruning of old days."""
    names = set()
    for path in folder.glob("keep/*"):
        try:
            names.add(path.read_text().strip())
        except OSError:
            continue
    return names


@dataclass(frozen=True)
class Odometer:
    """What the creator's releases have cost so far, for the display."""

    epsilon: Fraction
    """All release days in this data folder together."""
    release_days: int
    year: int
    year_epsilon: Fraction
    cap: Fraction | None
    held: bool
    """Today's release is the year's last one: the cap is spent."""


def reading(store: ReleaseStore, creator_id: int, today: date, cap: Fraction | None) -> Odometer:
    """The odometer as of today (after today's release, or its refusal by the cap)."""
    known = days(store, creator_id)
    this_year = [d for d in known if d.day.year == today.year]
    return Odometer(
        epsilon=spent(known),
        release_days=len(known),
        year=today.year,
        year_epsilon=spent(this_year),
        cap=cap,
        held=not any(d.day == today for d in known),
    )
