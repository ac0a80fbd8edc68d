"""Actions: each one's effect on likers, audience and counts; invalid ones change nothing."""

import hashlib
import json
from pathlib import Path

import pytest

from tests.cli_helpers import run
from tests.worlds import World
from wholiked.core.errors import BadInput, NotPermitted
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database


def _world() -> World:
    """cara (public creator) posts video 1; shy (private) liked it; fan asked to follow shy."""
    w = World()
    w.user("cara", creator=True)
    w.user("shy", private=True)
    w.user("fan")
    w.user("pub")
    w.user("priv_creator", private=True, creator=True)
    w.follow("fan", "shy", "pending")
    w.follow("cara", "shy", "pending")
    x = w.video("cara")
    w.like("shy", x)
    w.like("pub", x)
    w.video("priv_creator")
    return w


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return _world().write(tmp_path / "w.db")


@pytest.fixture
def service(path: Path):
    s = Wholiked(open_database(path, writable=True))
    yield s
    s.close()


def _handles(service: Wholiked, video: int, viewer: str) -> set[str]:
    return {r.handle for r in service.likers(video, service.user(viewer)).identifiable}


def test_approve_reveals_likes_to_the_follower(service):
    assert "shy" not in _handles(service, 1, "cara")
    out = service.approve(service.user("shy"), service.user("cara"))
    assert out.message == "@cara can now see your likes on the videos they can view: at most 1 like"
    assert "shy" in _handles(service, 1, "cara")
    assert service.likers(1, service.user("cara")).anonymous == 0


def test_deny_removes_the_request(service):
    service.deny(service.user("shy"), service.user("fan"))
    with pytest.raises(BadInput, match="no pending follow request"):
        service.approve(service.user("shy"), service.user("fan"))


def test_going_public_approves_requests_and_drops_anonymous_count(service):
    assert service.likers(1, service.user("cara")).anonymous == 1
    out = service.set_private(service.user("shy"), False)
    assert "2 pending requests approved" in out.message
    assert service.likers(1, service.user("cara")).anonymous == 0
    assert service.audience(1, service.user("shy")).audience == "everyone"
    service.set_private(service.user("shy"), True)
    assert service.audit(1, service.user("shy")).audience_count == 2  # cara and fan


def test_like_and_unlike_change_totals_and_audience(service):
    fan = service.user("fan")
    out = service.like(fan, 1)
    assert service.likers(1, fan).total == 3
    assert service.audience(1, fan).liked is True
    assert f"at most {service.audience(1, fan).audience_at_most} users can see" in out.message
    service.unlike(fan, 1)
    assert service.likers(1, fan).total == 2


def test_follow_private_is_pending_and_public_is_approved(service):
    pub = service.user("pub")
    assert "pending" in service.follow(pub, service.user("shy")).message
    assert "shy" not in _handles(service, 1, "pub")
    assert "now follow" in service.follow(pub, service.user("fan")).message
    service.unfollow(pub, service.user("shy"))
    assert "pending" in service.follow(pub, service.user("shy")).message


def test_block_hides_video_and_likes(service):
    service.block(service.user("cara"), service.user("pub"))
    assert "pub" not in _handles(service, 1, "cara")
    with pytest.raises(NotPermitted):
        service.likers(1, service.user("pub"))
    service.unblock(service.user("cara"), service.user("pub"))
    assert "pub" in _handles(service, 1, "cara")


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda s: s.follow(s.user("fan"), s.user("fan")), "yourself"),
        (lambda s: s.like(s.user("fan"), 2), "cannot view"),
        (lambda s: s.approve(s.user("cara"), s.user("fan")), "no pending"),
        (lambda s: s.like(s.user("fan"), 99), "no video 99"),
    ],
)
def test_invalid_actions_are_refused_and_change_nothing(path, call, error):
    service = Wholiked(open_database(path, writable=True))
    before = hashlib.sha256(path.read_bytes()).hexdigest()  # after counters were added
    with pytest.raises((BadInput, NotPermitted), match=error):
        call(service)
    service.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    ("call", "said"),
    [
        (lambda s: s.like(s.user("shy"), 1), "@shy already likes video 1"),
        (lambda s: s.unlike(s.user("fan"), 1), "@fan does not like video 1"),
        (lambda s: s.follow(s.user("fan"), s.user("shy")), "your request to @shy is pending"),
        (lambda s: s.unfollow(s.user("fan"), s.user("pub")), "you do not follow @pub"),
        (lambda s: s.unblock(s.user("fan"), s.user("pub")), "you have not blocked @pub"),
        (lambda s: s.set_private(s.user("shy"), True), "@shy is already private"),
    ],
)
def test_an_action_already_in_effect_changes_nothing_and_says_so(path, call, said):
    """As `mkdir -p`: no error, nothing written, and the message says nothing changed."""
    service = Wholiked(open_database(path, writable=True))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    outcome = call(service)
    service.close()
    assert (outcome.changed, outcome.message) == (False, f"Nothing changed: {said}")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_repeated_actions_exit_0_and_json_gives_the_new_state(capsys, path):
    """A second like, follow or block exits 0 and says nothing changed; --json gives what
    changed (or not) and the new state of what the action is about."""
    db = ("--db", str(path), "--write", "--json")
    steps = [
        (
            ("like", "1", "--as", "fan"),
            True,
            {"like": {"video_id": 1, "user": "fan", "liked": True}},
        ),
        (
            ("like", "1", "--as", "fan"),
            False,
            {"like": {"video_id": 1, "user": "fan", "liked": True}},
        ),
        (
            ("unlike", "1", "--as", "fan"),
            True,
            {"like": {"video_id": 1, "user": "fan", "liked": False}},
        ),
        (
            ("follow", "pub", "--as", "fan"),
            True,
            {"follow": {"follower": "fan", "followee": "pub", "status": "approved"}},
        ),
        (
            ("follow", "pub", "--as", "fan"),
            False,
            {"follow": {"follower": "fan", "followee": "pub", "status": "approved"}},
        ),
        (
            ("block", "pub", "--as", "fan"),
            True,
            {"block": {"blocker": "fan", "blocked": "pub", "in_effect": True}},
        ),
        (
            ("block", "pub", "--as", "fan"),
            False,
            {"block": {"blocker": "fan", "blocked": "pub", "in_effect": True}},
        ),
        (
            ("set-private", "on", "--as", "shy"),
            False,
            {"account": {"handle": "shy", "is_private": True}},
        ),
    ]
    for args, changed, state in steps:
        code, out, err = run(capsys, *args, *db)
        found = json.loads(out)
        assert (code, err, found["ok"], found["changed"]) == (0, "", True, changed), args
        key = next(iter(state))
        assert {k: v for k, v in found[key].items() if k != "liked_at"} == state[key], args
        assert found["message"].startswith("Nothing changed") == (not changed)


def test_read_only_database_refuses_writes(capsys, path):
    before = path.read_bytes()
    code, out, err = run(capsys, "like", "1", "--as", "fan", "--db", str(path))
    assert code == 2 and out == "" and "read-only; pass --write" in err
    assert path.read_bytes() == before


def test_cli_actions_with_write(capsys, path):
    db = str(path)
    code, out, _ = run(capsys, "approve", "cara", "--as", "shy", "--db", db, "--write", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    code, out, _ = run(capsys, "likers", "1", "--as", "cara", "--db", db, "--json")
    assert {i["handle"] for i in json.loads(out)["identifiable"]} == {"shy", "pub"}
    code, out, _ = run(capsys, "set-private", "off", "--as", "shy", "--db", db, "--write")
    assert code == 0 and "public" in out
    code, _, err = run(capsys, "follow", "shy", "--as", "shy", "--db", db, "--write")
    assert code == 2 and "yourself" in err
    code, _, err = run(capsys, "like", "2", "--as", "fan", "--db", db, "--write")
    assert code == 3 and "cannot view" in err


def test_toggles_follow_and_block_by_state(service):
    pub = service.user("pub")
    assert "now follow" in service.toggle_follow(pub, service.user("fan")).message
    assert "no longer follow" in service.toggle_follow(pub, service.user("fan")).message
    assert "You blocked" in service.toggle_block(pub, service.user("fan")).message
    assert "unblocked" in service.toggle_block(pub, service.user("fan")).message
