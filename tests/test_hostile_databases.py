"""Random databases in the documented format, some with one hostile value: every command
answers or refuses in one line (exit 0, 2 or 3), never a traceback, never a change."""

import hashlib
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_open_validation import values
from tests.worlds import worlds
from wholiked.core.store import database
from wholiked.core.store.format import TABLES
from wholiked.tui.cli import main

COMMANDS = [
    ("likers", "{x}", "--as", "{h}", "--json"),
    ("audience", "{x}", "--as", "{h}", "--json"),
    ("audit", "{x}", "--as", "{h}", "--json"),
    ("analytics", "--as", "{h}", "--json"),
    ("tips", "--as", "{h}", "--json"),
    ("compare", "{x}", "--as", "{h}", "--json"),
    ("likers", "{x}", "--as", "{h}", "--json", "--rules", "instagram"),
    ("check",),
]


def _run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    _, err = capsys.readouterr()
    return exit_info.value.code, err


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(worlds(), st.data(), st.booleans())
@pytest.mark.parametrize("deferred", [False, True], ids=["full check", "rows read only"])
def test_every_command_survives_random_databases(capsys, monkeypatch, deferred, world, data, spoil):
    """deferred: as for a large file, likers/audience/audit check only the rows they read."""
    if deferred:
        monkeypatch.setattr(database, "FULL_CHECK_MAX_BYTES", 0)
    with tempfile.TemporaryDirectory() as folder:
        path = world.write(Path(folder) / "w.db")
        if spoil:
            table = data.draw(st.sampled_from(["users", "likes", "videos", "follows"]))
            column = data.draw(st.sampled_from(TABLES[table].column_names))
            value = data.draw(values)
            conn = sqlite3.connect(path)
            try:  # SQLite itself refuses some values (a text rowid, a NULL in NOT NULL)
                conn.execute(f'UPDATE "{table}" SET "{column}" = ?', (value,))
                conn.commit()
            except sqlite3.Error:
                pass
            conn.close()
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        handle = data.draw(st.sampled_from([*world.users, "nobody"]))
        video = data.draw(st.sampled_from([*map(str, world.videos), "99"]))
        for template in COMMANDS:
            args = [a.format(x=video, h=handle) for a in template] + ["--db", str(path)]
            code, err = _run(capsys, args)
            assert code in (0, 2, 3), (args, err)
            assert "Traceback" not in err
            if args[0] == "check" and code:  # one line per problem, then the count
                assert err.splitlines()[-1].endswith(" listed"), err
            else:
                assert err.count("\n") == (0 if code == 0 else 1)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
