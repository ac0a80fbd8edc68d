"""A scope's consistent estimate is kept beside the day's frozen counts, so that a later
reading the same day in another process (the analytics CLI runs one per answer) draws no
noise and solves nothing again, and answers exactly as the first. What is kept is filed
under everything it is computed from, is computed again when damaged, and is never made
with a sampler a test or an audit swapped in."""

import json
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

import pytest

from wholiked.core.answers.forms import json_form
from wholiked.core.release import consistent, noise
from wholiked.core.release.store import KeptDraws
from wholiked.core.service import Wholiked
from wholiked.fixtures.demo import DEMO_CREATOR


def _answer(demo_path: Path) -> tuple[str, Path]:
    """Mia's analytics (all videos, every window) from a facade of its own, as a new
    process would read them, and the folder of her release."""
    with Wholiked.open(demo_path) as service:
        mia = service.user(DEMO_CREATOR)
        text = json.dumps(
            [json_form(service.analytics(mia, window=w)) for w in ("7d", "28d", "60d", "all")]
        )
        return text, service.release_store.folder()


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Count the draws under the product's own sampler (its inner draw is wrapped, so
    `noise.noise` stays the product's)."""
    calls: list[object] = []
    exact = noise.discrete_laplace

    def counted(stream: noise.KeyedStream, scale: Fraction) -> int:
        calls.append(scale)
        return exact(stream, scale)

    monkeypatch.setattr(noise, "discrete_laplace", counted)
    return calls


def test_a_later_reading_in_a_new_process_draws_nothing(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(monkeypatch)
    first, folder = _answer(demo_path)
    assert calls and list(folder.glob("????-??-??/estimate.*.json"))
    calls.clear()
    again, _ = _answer(demo_path)
    assert again == first
    assert calls == []


def test_a_damaged_kept_estimate_is_computed_again(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, folder = _answer(demo_path)
    kept = sorted(folder.glob("????-??-??/estimate.*.json"))
    for i, path in enumerate(kept):
        path.write_text(["{}", "not json", '{"likers": [1, 2]}'][i % 3])
    calls = _counting(monkeypatch)
    again, _ = _answer(demo_path)
    assert again == first and calls
    for path in kept:
        assert consistent.Estimate.from_json(json.loads(path.read_text())) is not None


def test_a_swapped_sampler_is_never_kept(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exact = noise.noise
    monkeypatch.setattr(noise, "noise", lambda key, identity, scale: exact(key, identity, scale))
    _, folder = _answer(demo_path)
    assert list(folder.glob("????-??-??/*.json"))  # the day was frozen
    assert not list(folder.glob("????-??-??/estimate.*.json"))


def test_every_input_of_the_estimate_names_its_file(tmp_path: Path) -> None:
    draws = KeptDraws(lambda: tmp_path)
    public = consistent.Public(likes=40, first_posted=datetime(2026, 1, 1, tzinfo=UTC))
    counts = frozenset({("likers", 0, ""): 40}.items())
    memo = (
        consistent.estimate,
        noise.noise,
        b"k" * 32,
        7,
        date(2026, 11, 20),
        "all",
        Fraction(14),
        True,
        public,
        counts,
    )
    path = draws._path(memo)
    assert path is not None and path.parent == tmp_path / "2026-11-20"
    changed = [
        (2, b"j" * 32),
        (3, 8),
        (5, "video:1"),
        (6, Fraction(28)),
        (7, False),
        (8, consistent.Public(likes=41, first_posted=public.first_posted)),
        (9, frozenset({("likers", 0, ""): 41}.items())),
    ]
    names = {draws._path(memo[:i] + (value,) + memo[i + 1 :]) for i, value in changed}
    assert path not in names and len(names) == len(changed)
    assert draws._path((lambda: None, *memo[1:])) is None
