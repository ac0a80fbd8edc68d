"""Find, filter and sort in SQL only narrow or order the rows the rules return, and a
keyset walk under any sort gives every row exactly once, in the sort's order."""

import pytest

from tests.tui_helpers import open_service
from tests.worlds import World
from wholiked.core.service import LIKER_SORTS, VIDEO_SORTS, ListView, Wholiked

LIKERS = 40


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """@star's video 1, liked by 40 people: every third private, @viewer follows some of
    them, one blocked; display names repeat in different case, liked_at ties."""
    world = World()
    world.user("star", creator=True)
    world.user("viewer")
    video = world.video("star")
    for i in range(LIKERS):
        handle = f"fan{i:02d}"
        name = ("Ann" if i % 2 else "ann") if i % 5 == 0 else f"Name {39 - i % 7}"
        world.user(handle, private=i % 3 == 0, display_name=name)
        world.like(handle, video, at=f"2026-11-0{1 + i % 4}T00:00:00Z")
        if i % 4 == 0:
            world.follow("viewer", handle)
    world.block("viewer", "fan07")
    for i in range(12):
        world.video("star")
        world.like(f"fan{i:02d}", 2 + i)
    path = world.write(tmp_path_factory.mktemp("views") / "views.db")
    service = open_service(path)
    yield service
    service.close()


def walk(service: Wholiked, view: ListView, *, audit: bool = False, size: int = 7) -> list[int]:
    """Every row, page by page (keyset cursors), as the TUI reads them."""
    viewer = service.user("viewer")
    rows, after = [], None
    while True:
        if audit:
            page = service.audit(1, viewer, limit=size, after=after, view=view).likers
        else:
            page = service.likers_page(1, viewer, limit=size, after=after, view=view)
        rows += page
        if len(page) < size:
            return [r.user_id for r in rows]
        after = service.liker_cursor(page[-1], view)


def walk_back(service: Wholiked, view: ListView, size: int = 7) -> list[int]:
    viewer = service.user("viewer")
    rows, before = [], None
    while True:
        page = service.likers_page_from_end(1, viewer, limit=size, before=before, view=view)
        rows = page + rows
        if len(page) < size:
            return [r.user_id for r in rows]
        before = service.liker_cursor(page[0], view)


@pytest.mark.parametrize("sort", sorted(LIKER_SORTS))
def test_pages_under_every_sort_hold_every_row_once_in_order(service, sort) -> None:
    viewer = service.user("viewer")
    view = ListView(sort=sort)
    whole = service.likers(1, viewer, view=view).identifiable
    rules_rows = {r.user_id for r in service.likers(1, viewer).identifiable}
    assert {r.user_id for r in whole} == rules_rows  # a sort only orders
    assert walk(service, view) == [r.user_id for r in whole]
    assert walk_back(service, view) == [r.user_id for r in whole]
    assert len(walk(service, view, audit=True)) == LIKERS
    key = {
        "when": lambda r: (r.liked_at[::-1], r.handle),
        "handle": lambda r: r.handle,
        "name": lambda r: ((r.display_name or "").lower(), r.handle),
    }[sort]
    if sort == "when":  # newest first, then handle
        assert [r.liked_at for r in whole] == sorted((r.liked_at for r in whole), reverse=True)
    else:
        assert whole == sorted(whole, key=key)


def test_find_narrows_the_rules_rows_to_matches_in_list_order(service) -> None:
    viewer = service.user("viewer")
    for sort in LIKER_SORTS:
        view = ListView(sort=sort)
        listed = service.likers(1, viewer, view=view).identifiable
        found = service.find_likers(1, viewer, "ann", view=view)
        expected = [r.user_id for r in listed if "ann" in (r.display_name or "").lower()]
        assert found == expected and found
    # the audit finds among every liker; the likers only among the identifiable ones
    everyone = service.find_likers(1, viewer, "@fan0", audit=True)
    assert len(everyone) == 10
    assert set(service.find_likers(1, viewer, "fan0")) < set(everyone)
    assert service.find_likers(1, viewer, "%") == []  # wildcards are literal


def test_a_filter_keeps_one_reason_of_the_rules(service) -> None:
    viewer = service.user("viewer")
    listed = service.likers(1, viewer).identifiable
    reasons = {r.reason for r in listed}
    assert len(reasons) >= 2
    for reason in reasons:
        only = service.likers(1, viewer, view=ListView(only=reason)).identifiable
        assert [r.user_id for r in only] == [r.user_id for r in listed if r.reason == reason]


@pytest.mark.parametrize("sort", sorted(VIDEO_SORTS))
def test_video_lists_sort_in_sql_and_page_by_keyset(service, sort) -> None:
    viewer = service.user("viewer")
    view = ListView(sort=sort)
    whole = service.feed(viewer, limit=100, view=view)
    assert {s.video.id for s in whole} == {s.video.id for s in service.feed(viewer, limit=100)}
    paged, after = [], None
    while True:
        page = service.feed(viewer, limit=4, after=after, view=view)
        paged += page
        if len(page) < 4:
            break
        after = service.video_cursor(page[-1], view)
    assert [s.video.id for s in paged] == [s.video.id for s in whole]
    if sort == "likes":
        assert [s.likes for s in whole] == sorted((s.likes for s in whole), reverse=True)
    star = service.user("star")
    own = service.creator_videos(star, view=view)
    assert [s.video.id for s in own] == [s.video.id for s in whole]
    assert service.find_videos(star, "star", own=True, view=view) == [s.video.id for s in own]
