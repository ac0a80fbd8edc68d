"""The noise draws are remembered by the release's store, the facade's (the same answer
again costs a lookup), until forgotten, after which the next release draws its cells again,
as a new process would. The bench times a release from nothing this way. Nothing of the
release is module state."""

import ast
from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from wholiked.core.release import noise
from wholiked.core.release.daily import DailyRelease, NoiseDraws
from wholiked.core.service import Wholiked

ROOT = Path(__file__).resolve().parent.parent


def _release(draws: NoiseDraws) -> DailyRelease:
    return DailyRelease(
        key=b"k" * 32,
        creator_id=7,
        day=date(2026, 11, 20),
        scope="all",
        scale=Fraction(2),
        threshold=5,
        counts=Counter({("likers", 0, ""): 40}),
        draws=draws,
    )


def test_forget_makes_the_next_release_draw_again(
    monkeypatch: pytest.MonkeyPatch, demo_path: Path
) -> None:
    calls: list[object] = []
    exact = noise.noise

    def counted(key: bytes, identity: tuple[object, ...], scale: Fraction) -> int:
        calls.append(identity)
        return exact(key, identity, scale)

    monkeypatch.setattr(noise, "noise", counted)
    with Wholiked.open(demo_path) as service:
        store = service.release_store
        assert service.with_rules("tiktok").release_store is store  # one per database
        first = _release(store.draws).total("likers", [0])
        drawn = len(calls)
        assert drawn > 0
        assert _release(store.draws).total("likers", [0]) == first and len(calls) == drawn
        store.forget()
        assert _release(store.draws).total("likers", [0]) == first  # drawn again: the same
        assert len(calls) == 2 * drawn


def test_no_release_module_keeps_state_of_its_own() -> None:
    """No module of the release keeps a private dict, list or set of its own (the memo
    `daily._DRAWN` was one): what the release remembers, its draws, is the facade's
    `ReleaseStore`, and its files are in the folder the store names."""
    kept = []
    for path in sorted((ROOT / "core" / "release").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if any(n.startswith("_") and not n.startswith("__") for n in names) and _mutable(value):
                kept.append(f"{path.name}:{node.lineno} {names}")
    assert kept == []


def _mutable(value: ast.expr) -> bool:
    """A dict, list or set display, or a call of a container type."""
    if isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp):
        return True
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id in ("dict", "list", "set", "defaultdict", "Counter", "OrderedDict")
    return False
