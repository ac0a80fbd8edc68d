"""Shared fixtures: an isolated data folder per test, hand-built worlds, the demo world."""

import os
import tempfile
from pathlib import Path

import pytest

from tests.worlds import World
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database

# Nothing a test does may touch the real data folder, not even module-scoped fixtures.
os.environ["WHOLIKED_HOME"] = tempfile.mkdtemp(prefix="wholiked-tests-")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The Spark tests run last: their session leaves Python threads (py4j) in the process,
    and the generator's two-process build, tested in test_synth*, forks only without them."""
    items.sort(key=lambda item: item.path.name == "test_spark.py")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """wholiked's own files (demo copy, validation cache) go to a fresh folder per test."""
    monkeypatch.setenv("WHOLIKED_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)  # piped text is whole unless a test sets it


@pytest.fixture
def open_world(tmp_path: Path):
    """Write a World to a file and open it as a service (read-only)."""
    opened: list[Wholiked] = []

    def _open(world: World, *, indexes: bool = True) -> Wholiked:
        path = world.write(tmp_path / f"world{len(opened)}.db", indexes=indexes)
        service = Wholiked(open_database(path))
        opened.append(service)
        return service

    yield _open
    for service in opened:
        service.close()


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo world built once per test module (read-only use)."""
    from tests.tui_helpers import demo_file

    return demo_file(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def service(demo_path: Path):
    """The demo world opened read-only as a service."""
    from tests.tui_helpers import open_service

    service = open_service(demo_path)
    yield service
    service.close()


@pytest.fixture
def hostile_service(tmp_path: Path):
    """A fresh hostile world (fixtures.hostile) built for this test, opened writable."""
    from tests.tui_helpers import hostile_file, open_service

    service = open_service(hostile_file(tmp_path), writable=True)
    yield service
    service.close()


@pytest.fixture
def writable_service(tmp_path: Path):
    """A fresh demo world built for this test, opened writable (for tests that act)."""
    from tests.tui_helpers import writable_demo

    service = writable_demo(tmp_path)
    yield service
    service.close()
