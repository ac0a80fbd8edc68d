"""The CLI contract: JSON shapes, orderings, exit codes, one-line errors (README, "The
command line")."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run
from tests.worlds import DEMO_TEST_KEY, World


def _world() -> World:
    w = World()
    w.user("cara", creator=True)
    w.user("pub")
    w.user("friend", private=True)
    w.user("hidden", private=True)
    w.user("outsider")
    w.user("priv_creator", private=True, creator=True)
    w.follow("cara", "friend")
    w.block("cara", "outsider")
    x = w.video("cara")
    w.like("pub", x, "2026-11-02T00:00:00Z")
    w.like("friend", x, "2026-11-03T00:00:00Z")
    w.like("hidden", x, "2026-11-04T00:00:00Z")
    w.like("cara", x, "2026-11-02T00:00:00Z")
    w.video("priv_creator")
    return w


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(_world().write(tmp_path / "world.db"))


def test_likers_json_shape_and_order(capsys, db):
    code, out, err = run(capsys, "likers", "1", "--as", "cara", "--db", db, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["video_id", "creator", "total", "identifiable", "anonymous"]
    assert (data["video_id"], data["creator"], data["total"], data["anonymous"]) == (
        1,
        "cara",
        4,
        1,
    )
    assert data["identifiable"] == [
        {"handle": "friend", "liked_at": "2026-11-03T00:00:00Z", "reason": "approved_follower"},
        {"handle": "cara", "liked_at": "2026-11-02T00:00:00Z", "reason": "self"},
        {"handle": "pub", "liked_at": "2026-11-02T00:00:00Z", "reason": "public"},
    ]


def test_likers_limit_keeps_total_and_anonymous(capsys, db):
    code, out, _ = run(capsys, "likers", "1", "--as", "@cara", "--db", db, "--json", "--limit", "1")
    data = json.loads(out)
    assert code == 0 and len(data["identifiable"]) == 1
    assert (data["total"], data["anonymous"]) == (4, 1)


def test_likers_table_without_json(capsys, db):
    code, out, _ = run(capsys, "likers", "1", "--as", "cara", "--db", db)
    assert code == 0
    assert "4 likes, 3 identifiable, 1 anonymous" in out
    assert "@friend" in out and "approved_follower" in out


def test_likers_not_permitted_exit_3(capsys, db):
    code, out, err = run(capsys, "likers", "2", "--as", "pub", "--db", db, "--json")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "cannot view video 2" in err


def test_audience_json_shape(capsys, db):
    code, out, _ = run(capsys, "audience", "1", "--as", "friend", "--db", db, "--json")
    data = json.loads(out)
    assert code == 0
    assert data == {
        "video_id": 1,
        "liker": "friend",
        "liked": True,
        "creator_can_see": True,
        "reason": "approved_follower",
        "audience": "approved_followers",
        "audience_at_most": 1,
        "effectively_identifiable": False,
    }


def test_audience_of_a_like_not_given(capsys, db):
    code, out, _ = run(capsys, "audience", "1", "--as", "priv_creator", "--db", db, "--json")
    data = json.loads(out)
    assert code == 0 and data["liked"] is False
    assert (data["creator_can_see"], data["reason"]) == (False, "private_not_following")


def test_audience_exit_3_when_blocked(capsys, db):
    code, _, err = run(capsys, "audience", "1", "--as", "outsider", "--db", db, "--json")
    assert code == 3 and err.startswith("wholiked: error:")


def test_audit_without_asker(capsys, db):
    code, out, _ = run(capsys, "audit", "1", "--db", db, "--json")
    data = json.loads(out)
    assert code == 0 and list(data) == ["video_id", "total", "likers"]
    assert data["total"] == 4
    assert all(list(item) == ["handle", "liked_at"] for item in data["likers"])
    assert [i["handle"] for i in data["likers"]] == ["hidden", "friend", "cara", "pub"]


def test_audit_with_asker(capsys, db):
    code, out, _ = run(capsys, "audit", "1", "--as", "cara", "--db", db, "--json")
    likers = {i["handle"]: i for i in json.loads(out)["likers"]}
    assert code == 0
    assert likers["hidden"] == {
        "handle": "hidden",
        "liked_at": "2026-11-04T00:00:00Z",
        "identifiable": False,
        "reason": "private_not_following",
    }
    assert likers["cara"]["identifiable"] is True


def test_audit_human_output_is_labelled_omniscient(capsys, db):
    code, out, _ = run(capsys, "audit", "1", "--db", db)
    assert code == 0 and "omniscient" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("likers", "1", "--as", "nobody"), "no user @nobody"),
        (("likers", "1", "--as", "Not A Handle"), "not a valid handle"),
        (("likers", "99", "--as", "cara"), "no video 99"),
        (("likers", "one", "--as", "cara"), "not a valid integer"),
        (("likers", "1"), "Missing option '--as'"),
        (("audience", "1"), "Missing option '--as'"),
        (("likers", "1", "--as", "cara", "--limit", "-1"), "--limit"),
        (("audit", "x"), "not a valid integer"),
        (("nonsense",), "No such command"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, db, args, fragment):
    code, out, err = run(capsys, *args, "--db", db)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    base = _world().write(tmp_path / "base.db")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    cases = {
        "missing": (tmp_path / "missing.db", "no such file"),
        "directory": (tmp_path, "is a directory"),
        "not sqlite": (notes, "not a SQLite database"),
    }
    for name, sql, fragment in [
        ("version", "PRAGMA user_version = 2", "version 2"),
        ("table", "DROP TABLE comments", "missing table comments"),
        ("column", "ALTER TABLE users DROP COLUMN device", "no column device"),
        ("row", "UPDATE users SET is_private = 'yes' WHERE id = 3", "row id 3"),
    ]:
        path = tmp_path / f"{name}.db"
        path.write_bytes(base.read_bytes())
        conn = sqlite3.connect(path)
        conn.execute(sql)
        conn.commit()
        conn.close()
        cases[name] = (path, fragment)
    return cases


@pytest.mark.parametrize(
    "case", ["missing", "directory", "not sqlite", "version", "table", "column", "row"]
)
@pytest.mark.parametrize("command", [("likers", "1", "--as", "cara"), ("audit", "1")])
def test_bad_database_exit_2_with_one_line(capsys, tmp_path, case, command):
    path, fragment = _bad_files(tmp_path)[case]
    code, out, err = run(capsys, *command, "--db", str(path), "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err


@pytest.mark.parametrize(
    "command",
    [
        "likers",
        "audience",
        "audit",
        "analytics",
        "tips",
        "tui",
        "fixtures",
        "reset",
        "index",
        "unindex",
        "check",
        "like",
        "unlike",
        "follow",
        "unfollow",
        "approve",
        "deny",
        "block",
        "unblock",
        "set-private",
    ],
)
def test_every_command_has_help(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and "Usage:" in out and len(out.splitlines()) > 3


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and "wholiked" in out


def test_cli_path_does_not_import_textual():
    """Scripted calls start fast: importing the CLI never imports Textual."""
    probe = (
        "import sys, wholiked.tui.cli, wholiked.core.service;"
        "sys.exit(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


def _demo_db(tmp_path: Path) -> str:
    from wholiked.fixtures.demo import build_demo

    build_demo(tmp_path / "demo.db", noise_key=DEMO_TEST_KEY)
    return str(tmp_path / "demo.db")


def test_analytics_json_contract(capsys, tmp_path):
    db = _demo_db(tmp_path)
    code, out, _ = run(capsys, "analytics", "--as", "mia.makes", "--db", db, "--json")
    data = json.loads(out)
    assert code == 0
    assert {"scope", "window", "release_day", "privacy", "totals", "breakdowns"} <= set(data)
    assert {"new_likers_per_day", "videos"} <= set(data)
    assert (data["scope"], data["window"], data["privacy"]["threshold"]) == ("all", "28d", 5)
    assert set(data["breakdowns"]) == {"age_band", "region", "language", "device", "hour"}
    for buckets in data["breakdowns"].values():
        for v in buckets.values():
            assert v["value"] == "<5" or (isinstance(v["value"], int) and v["value"] >= 5)
            assert isinstance(v["margin90"], int) and v["margin90"] > 0


def test_analytics_text_shows_what_the_json_has(capsys, tmp_path, monkeypatch):
    """The text names every video of the scope and new likers per day; a breakdown or a
    series with nothing clear of its noise is one line, not a column of 'too few'."""
    monkeypatch.setenv("COLUMNS", "80")
    db = _demo_db(tmp_path)
    code, out, _ = run(capsys, "analytics", "--as", "mia.makes", "--db", db, "--json")
    data = json.loads(out)
    code, text, _ = run(capsys, "analytics", "--as", "mia.makes", "--db", db)
    assert code == 0
    assert "new liker accounts per day:" in text
    # the demo sets meta.dp_video_min_likes: each video says whether it has its own
    assert "videos (public totals, exact; own: analytics of its own today):" in text
    assert data["privacy"]["video_scopes"] == {"min_likes": 130, "released": []}
    assert "None of your videos has 130 likes yet" in text
    lines = text.splitlines()
    for video in data["videos"]:
        assert any(
            line.startswith(f"{video['video_id']} ") and "< 130 likes" in line for line in lines
        )
    assert all(len(line) <= 80 for line in lines)
    assert text.count("too few to tell\n") <= 1  # the liker total at most, never per bucket
    for dimension, buckets in data["breakdowns"].items():
        if not any(
            isinstance(v["value"], int) and v["value"] > v["margin90"] for v in buckets.values()
        ):
            block = text.split(f"by {dimension} (liker accounts):\n", 1)[1]
            assert block.startswith("  too few likers to break down\n")


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("analytics", "--as", "theo.k"), 3, "personal account"),
        (("analytics", "--as", "mia.makes", "--video", "12"), 3, ""),
        (("analytics", "--as", "mia.makes", "--k", "4"), 2, "can only raise"),
        (("analytics", "--as", "mia.makes", "--window", "3d"), 2, "--window"),
        (("analytics",), 2, "Missing option '--as'"),
        (("tips",), 2, "Missing option '--as'"),
    ],
)
def test_analytics_and_tips_errors(capsys, tmp_path, args, code, fragment):
    status, out, err = run(capsys, *args, "--db", _demo_db(tmp_path))
    assert status == code and out == "" and err.count("\n") == 1 and fragment in err


def test_tips_json_contract(capsys, tmp_path):
    code, out, _ = run(capsys, "tips", "--as", "sam.quiet", "--db", _demo_db(tmp_path), "--json")
    tips = json.loads(out)
    assert code == 0 and tips
    for tip in tips:
        assert list(tip) == ["id", "perspective", "title", "detail", "evidence"]
        assert tip["perspective"] == "viewer" and isinstance(tip["evidence"], dict)


@pytest.mark.parametrize(
    "args",
    [
        ("likers", "99999999999999999999", "--as", "cara"),
        ("likers", "1", "--as", "cara", "--limit", "99999999999999999999"),
        ("likers", "1", "--as", "a" * 5000),
        ("audit", "1", "--as", "x" * 30),
    ],
)
def test_huge_inputs_are_bad_input_in_one_short_line(capsys, db, args):
    code, out, err = run(capsys, *args, "--db", db)
    assert code == 2 and out == "" and err.count("\n") == 1 and len(err) < 300
