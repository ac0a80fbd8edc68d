"""The CLI's text output for people (aligned tables with emoji and wide characters, plurals,
what --limit left out) and --csv / --nl for the list part of likers and audit."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.test_cli import run
from tests.worlds import World


@pytest.fixture
def db(tmp_path: Path) -> str:
    """cara's video 1 liked by accounts whose names hold emoji and wide characters."""
    w = World()
    w.user("cara", creator=True)
    w.user("solo", creator=True)
    names = {
        "emoji.fan": "🎉 Emoji Fan 🦄",
        "yamada": "山田太郎",
        "plain": "Plain Name",
        "accent": "Zoë Ångström",
        "shy": "Shy",
    }
    for i, (handle, name) in enumerate(names.items()):
        w.user(handle, display_name=name, private=handle == "shy")
        w.like(handle, 1 if i < 5 else 2, f"2026-11-0{i + 1}T00:00:00Z")
    w.video("cara")
    lonely = w.video("solo")
    w.like("plain", lonely)
    return str(w.write(tmp_path / "world.db"))


def test_text_table_aligns_emoji_and_wide_characters(capsys, db):
    code, out, _ = run(capsys, "likers", "1", "--as", "cara", "--db", db)
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith("2026-")]
    assert len(lines) == 4
    # The reason column starts at the same terminal cell on every row.
    starts = {cell_len(line[: line.rindex(" public")]) for line in lines}
    assert len(starts) == 1, lines
    header = out.splitlines()[1]
    assert cell_len(header[: header.index("REASON")]) == starts.pop() + 1


def test_plurals_in_text_output(capsys, db):
    code, out, _ = run(capsys, "audit", "2", "--db", db)
    assert code == 0 and "video 2 by @solo, 1 like" in out and "1 likes" not in out
    code, out, _ = run(capsys, "likers", "2", "--as", "solo", "--db", db)
    assert "1 like, 1 identifiable, 0 anonymous" in out


def test_limit_in_text_says_how_many_more(capsys, db):
    code, out, _ = run(capsys, "likers", "1", "--as", "cara", "--db", db, "--limit", "1")
    assert code == 0
    assert "… and 3 more identifiable likers (without --limit: all of them)" in out
    code, out, _ = run(capsys, "audit", "1", "--db", db, "--limit", "4")
    assert "… and 1 more liker (without --limit: all of them)" in out
    code, out, _ = run(capsys, "likers", "1", "--as", "cara", "--db", db, "--limit", "9")
    assert "more" not in out


def test_likers_csv_and_nl(capsys, db):
    code, out, err = run(capsys, "likers", "1", "--as", "cara", "--db", db, "--csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    _, data, _ = run(capsys, "likers", "1", "--as", "cara", "--db", db, "--json")
    assert rows == json.loads(data)["identifiable"]
    assert out.splitlines()[0] == "handle,liked_at,reason"

    code, out, _ = run(capsys, "likers", "1", "--as", "cara", "--db", db, "--nl", "--limit", "2")
    objects = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and objects == json.loads(data)["identifiable"][:2]


def test_audit_csv_and_nl_follow_the_json(capsys, db):
    _, data, _ = run(capsys, "audit", "1", "--as", "cara", "--db", db, "--json")
    expected = json.loads(data)["likers"]
    code, out, _ = run(capsys, "audit", "1", "--as", "cara", "--db", db, "--nl")
    assert code == 0 and [json.loads(line) for line in out.splitlines()] == expected
    code, out, _ = run(capsys, "audit", "1", "--as", "cara", "--db", db, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["handle"] for r in rows] == [e["handle"] for e in expected]
    assert {r["identifiable"] for r in rows} == {"true", "false"}
    code, out, _ = run(capsys, "audit", "1", "--db", db, "--csv")
    assert out.splitlines()[0] == "handle,liked_at"


@pytest.mark.parametrize("flags", [("--json", "--csv"), ("--csv", "--nl"), ("--json", "--nl")])
def test_output_formats_are_exclusive(capsys, db, flags):
    code, out, err = run(capsys, "likers", "1", "--as", "cara", "--db", db, *flags)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "--json, --csv and --nl are exclusive" in err


def test_machine_formats_never_import_rich(db):
    """--json, --csv and --nl stay fast: neither Rich nor Textual is imported on their path."""
    probe = (
        "import sys; from wholiked.tui.cli import main\n"
        "for args in (['likers','1','--as','cara','--json'], ['audit','1','--csv'],"
        " ['likers','1','--as','cara','--nl']):\n"
        "    try:\n"
        f"        main(args + ['--db', {db!r}])\n"
        "    except SystemExit as e:\n"
        "        assert e.code == 0, e.code\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('rich', 'textual')]\n"
        "sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
