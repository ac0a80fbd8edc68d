"""Property tests: core.policy agrees with the literal transcription in tests/reference.py
on random worlds, with and without wholiked's optional indexes."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import reference
from tests.worlds import World
from wholiked.core.service import Wholiked
from wholiked.core.store.counters import has_counters
from wholiked.core.store.database import open_database

TIMES = [f"2026-11-0{d}T00:00:00Z" for d in range(1, 5)]  # few values: ties are common


@st.composite
def worlds(draw: st.DrawFn) -> World:
    w = World()
    n = draw(st.integers(2, 7))
    for i in range(n):
        w.user(f"u{i}", private=draw(st.booleans()), creator=draw(st.booleans()))
    handles = list(w.users)
    pairs = [(a, b) for a in handles for b in handles if a != b]
    for a, b in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12)):
        w.follow(a, b, draw(st.sampled_from(["approved", "pending"])))
    for a, b in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3)):
        w.block(a, b)
    for _ in range(draw(st.integers(1, 3))):
        x = w.video(draw(st.sampled_from(handles)))
        for h in draw(st.lists(st.sampled_from(handles), unique=True)):
            w.like(h, x, draw(st.sampled_from(TIMES)))
    return w


def _open(w: World, folder: str, mode: str) -> Wholiked:
    """bare: only the DESIGN.md tables; indexed: our indexes; accelerated: indexes + counters."""
    path = w.write(Path(folder) / "w.db", indexes=mode != "bare")
    return Wholiked(open_database(path, writable=mode == "accelerated"))


def _walk_from_end(page_from_end, x: int, viewer, page_size: int) -> list[str]:
    """Every row by pages taken from the end of the list, put back in the list's order."""
    pages, before = [], None
    while True:
        page = page_from_end(x, viewer, limit=page_size, before=before)
        pages.insert(0, [r.handle for r in page])
        if len(page) < page_size:
            break
        before = (page[0].liked_at, page[0].handle)
    return [handle for page in pages for handle in page]


def _check(w: World, service: Wholiked, page_size: int) -> None:
    ids = {u["id"]: h for h, u in w.users.items()}
    for x in w.videos:
        likers = reference.likers(w, x)
        for v, vh in ids.items():
            viewer = service.user(vh)
            if not reference.can_view(w, v, x):
                continue
            result = service.likers(x, viewer)
            shown = [r.handle for r in result.identifiable]
            expected = {ids[u] for u in likers if reference.identifiable(w, v, x, u)}
            assert set(shown) == expected and len(shown) == len(expected)
            assert set(shown) <= {ids[u] for u in likers}
            assert result.total == len(likers) == len(shown) + result.anonymous
            for r in result.identifiable:
                assert r.reason == reference.reason(w, v, w.id(r.handle))
            keys = [(-int(r.liked_at[8:10]), r.handle) for r in result.identifiable]
            assert keys == sorted(keys)
            # Paging returns every identifiable liker once, in order.
            paged, after = [], None
            while True:
                page = service.likers_page(x, viewer, limit=page_size, after=after)
                paged += [r.handle for r in page]
                if len(page) < page_size:
                    break
                after = (page[-1].liked_at, page[-1].handle)
            assert paged == shown
            # Walking from the end (End in the app) gives the same list, back to front.
            assert _walk_from_end(service.likers_page_from_end, x, viewer, page_size) == shown
            audited = [r.handle for r in service.audit(x, viewer).likers]
            assert _walk_from_end(service.audit_page_from_end, x, viewer, page_size) == audited
            # Audit reasons match rule 5 / rule 8.
            for r in service.audit(x, viewer).likers:
                assert r.reason == reference.reason(w, v, w.id(r.handle))
            # Who can see my like: the count, and the creator's verdict.
            a = service.audience(x, viewer)
            assert service.audit(x, viewer).audience_count == len(reference.audience(w, v, x))
            assert a.audience_at_most == reference.audience_at_most(w, v)
            # Rule 9: the candidates, and the verdict from them and the anonymous count.
            seen = service.audit(x, viewer).anonymity
            found = reference.candidates(w, v, x)
            anonymous = len(reference.likers(w, x)) - len(shown)
            assert (seen.anonymous, seen.candidates) == (anonymous, len(found))
            assert seen.effectively_identifiable == (
                anonymous > 0 and (len(found) < 5 or anonymous >= len(found))
            )
            c = w.videos[x]
            assert a.creator_can_see == (c == v or reference.identifiable(w, c, x, v))
            assert a.reason == ("self" if c == v else reference.reason(w, c, v))
        # V is in audience(L, X) exactly when L is among V's identifiable likers of X.
        for liker in likers:
            if not reference.can_view(w, liker, x):
                continue
            sees = sum(
                ids[liker]
                in {r.handle for r in service.likers(x, service.user(ids[v])).identifiable}
                for v in ids
                if v != liker and reference.can_view(w, v, x)
            )
            assert service.audit(x, service.user(ids[liker])).audience_count == sees


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.integers(1, 3), st.sampled_from(["bare", "indexed", "accelerated"]))
def test_policy_matches_reference(w: World, page_size: int, mode: str) -> None:
    """Every policy answer equals the rules' literal reading, on bare and accelerated files."""
    with tempfile.TemporaryDirectory() as folder:
        service = _open(w, folder, mode)
        assert has_counters(service.db.conn) == (mode == "accelerated")
        try:
            _check(w, service, page_size)
        finally:
            service.close()
