"""Where wholiked keeps its files, and the settings it remembers (the theme)."""

from pathlib import Path

import platformdirs

from tests.tui_helpers import make_app, run, settle
from wholiked.core.store import paths
from wholiked.tui.app import WholikedApp
from wholiked.tui.settings import Settings, config_path


def test_wholiked_home_holds_everything(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WHOLIKED_HOME", str(tmp_path))
    assert paths.data_dir() == tmp_path
    assert paths.config_dir() == tmp_path
    assert config_path() == tmp_path / "config.toml"
    assert paths.demo_path() == tmp_path / "demo.db"


def test_xdg_folders_then_the_platforms(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("WHOLIKED_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert paths.data_dir() == tmp_path / "data" / "wholiked"
    assert paths.config_dir() == tmp_path / "config" / "wholiked"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert paths.data_dir() == Path(platformdirs.user_data_dir("wholiked", appauthor=False))
    assert paths.config_dir() == Path(platformdirs.user_config_dir("wholiked", appauthor=False))


def test_settings_round_trip_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    assert Settings.load(path) == Settings(path)  # no file: defaults
    assert Settings(path, theme='odd "name"').save()
    assert Settings.load(path).theme == 'odd "name"'
    path.write_text("theme = [not toml")
    assert Settings.load(path).theme is None
    path.write_text("theme = 3\n")
    assert Settings.load(path).theme is None
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert not Settings(blocked / "config.toml", theme="nord").save()  # a file in the way


def test_the_chosen_theme_is_remembered(service, tmp_path: Path) -> None:
    """A theme chosen in the app is written to config.toml; the next run starts with it."""
    path = tmp_path / "config.toml"

    async def choose() -> None:
        app = WholikedApp(service, settings=Settings.load(path))
        assert app.theme == "textual-dark"
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.theme = "nord"
            await settle(pilot)

    run(choose)
    assert 'theme = "nord"' in path.read_text()

    async def again() -> None:
        app = WholikedApp(service, settings=Settings.load(path))
        assert app.theme == "nord"
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)

    run(again)
    path.write_text('theme = "no-such-theme"\n')
    assert WholikedApp(service, settings=Settings.load(path)).theme == "textual-dark"
    assert make_app(service).settings is None  # tests and snapshots never read or write it
