"""`wholiked tui --db X` with a bad file fails in the CLI before the app starts.

One line on stderr, exit 2, nothing on stdout, the file unchanged, and the app
never run; with or without --write. A good file does start the app.
"""

import hashlib
import shutil
from pathlib import Path

import pytest

import wholiked.tui.app
from tests.cli_helpers import run
from tests.worlds import DEMO_TEST_KEY, alter
from wholiked.fixtures.demo import DEMO_PRIVATE_VIEWER, build_demo


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "demo.db"
    build_demo(path, noise_key=DEMO_TEST_KEY)
    return path


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Replace the app's run with a recorder: what would have started."""
    calls: list[tuple] = []
    monkeypatch.setattr(
        wholiked.tui.app, "run_app", lambda service, acting=None: calls.append((service, acting))
    )
    return calls


def _copy(pristine: Path, folder: Path, name: str) -> Path:
    path = folder / name
    shutil.copyfile(pristine, path)
    return path


def _missing(_pristine: Path, folder: Path) -> Path:
    return folder / "nope.db"


def _directory(_pristine: Path, folder: Path) -> Path:
    path = folder / "a-folder.db"
    path.mkdir()
    return path


def _not_sqlite(_pristine: Path, folder: Path) -> Path:
    path = folder / "notes.db"
    path.write_text("hello, this is not a database\n" * 10)
    return path


def _truncated(pristine: Path, folder: Path) -> Path:
    path = _copy(pristine, folder, "cut.db")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _wrong_version(pristine: Path, folder: Path) -> Path:
    return alter(_copy(pristine, folder, "v7.db"), "PRAGMA user_version = 7")


def _wrong_type(pristine: Path, folder: Path) -> Path:
    return alter(
        _copy(pristine, folder, "type.db"), "UPDATE users SET is_private = 'yes' WHERE id = 3"
    )


def _unknown_enum(pristine: Path, folder: Path) -> Path:
    sql = "UPDATE users SET account_type = 'robot' WHERE handle = 'sam.quiet'"
    return alter(_copy(pristine, folder, "enum.db"), sql)


BAD_FILES = {
    "missing file": (_missing, "no such file"),
    "directory": (_directory, "is a directory"),
    "not SQLite": (_not_sqlite, "not a SQLite database"),
    "truncated SQLite": (_truncated, "cut.db: the file is damaged"),
    "wrong user_version": (_wrong_version, "database format version 7, expected 1"),
    "wrong type": (_wrong_type, "is_private"),
    "unknown enum": (_unknown_enum, "account_type"),
}


def _snapshot(path: Path) -> object:
    if path.is_dir():
        return sorted(p.name for p in path.iterdir())
    if path.exists():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return None


@pytest.mark.parametrize("write", [False, True], ids=["read-only", "--write"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_fails_before_the_app_starts(
    capsys, tmp_path: Path, pristine: Path, started: list, case: str, write: bool
) -> None:
    make, fragment = BAD_FILES[case]
    path = make(pristine, tmp_path)
    before = _snapshot(path)
    args = ["tui", "--db", str(path)] + (["--write"] if write else [])
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("wholiked: error: ") and err.endswith("\n")
    assert err.count("\n") == 1, err
    assert fragment in err
    assert "Traceback" not in err
    assert started == []
    assert _snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name] * path.exists()


def test_unknown_acting_user_fails_before_the_app_starts(capsys, tmp_path, pristine, started):
    path = _copy(pristine, tmp_path, "demo.db")
    code, out, err = run(capsys, "tui", "--db", str(path), "--as", "nobody.here")
    assert (code, out, started) == (2, "", [])
    assert err == f"wholiked: error: no user @nobody.here in {path}\n"


def test_good_file_starts_the_app_read_only(capsys, tmp_path, pristine, started):
    path = _copy(pristine, tmp_path, "demo.db")
    before = _snapshot(path)
    code, _, err = run(capsys, "tui", "--db", str(path), "--as", DEMO_PRIVATE_VIEWER)
    assert (code, err) == (0, "")
    [(service, acting)] = started
    assert acting.handle == DEMO_PRIVATE_VIEWER
    assert service.db.writable is False
    service.close()
    assert _snapshot(path) == before
